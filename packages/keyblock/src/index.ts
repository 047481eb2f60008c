export { KeyBlockError, MAC_FAILURE_MESSAGE, type KeyBlockErrorCode } from './errors.js';
export { TR31_VERSIONS, type Tr31Version, type VersionFacts, type KbpkFamily, type Binding } from './tr31/versions.js';
export {
  TR31_ALGORITHMS,
  TR31_KEY_USAGES,
  TR31_MODES_OF_USE,
  TR31_EXPORTABILITY,
  TR31_KEY_CONTEXTS,
  type AlgorithmFacts,
  type UsageFacts,
} from './tr31/attributes.js';
export { OPTIONAL_BLOCKS, HM_HASH_ALGORITHMS, type OptionalBlockFacts } from './tr31/optional-block-formats.js';
export { type Tr31OptionalBlock } from './tr31/optional-blocks.js';
export { parseTr31Header, serializeTr31Header, type Tr31Header } from './tr31/header.js';
export type { Tr31ParseOptions, Tr31UnwrapOptions, Tr31WrapOptions, Tr31KeyOptions } from './tr31/options.js';
export { PreparedKbpk, prepareKbpk, deriveKbekKbak } from './tr31/kbpk.js';
export { parseTr31, unwrapTr31, type ParsedTr31 } from './tr31/unwrap.js';
export { wrapTr31 } from './tr31/wrap.js';
export {
  AWS_KEY_USAGES,
  AWS_KEY_ALGORITHMS,
  AWS_MODES_OF_USE,
  AWS_MODE_FLAGS,
  AWS_EXPORTABILITY,
  awsKeyAttributesFromTr31,
  tr31HeaderFieldsFromAws,
  tr31ModeOfUseFromAws,
  awsKeyUsageToTr31,
  tr31KeyUsageToAws,
  awsKeyAlgorithmFromTr31,
  awsKeyModesFromTr31,
  awsExportabilityFromTr31,
  type AwsKeyAttributes,
  type AwsKeyModesOfUse,
} from './aws/aws-mapping.js';
export {
  decodeOptionalBlock,
  readOptionalBlock,
  optionalBlock,
  kcvOptionalBlock,
  type Tr31OptionalBlockValues,
  type TypedOptionalBlockId,
  type CertificateEntry,
  type KcvMethodCode,
} from './tr31/optional-block-values.js';
