export { PrimitivesError, type PrimitivesErrorCode } from './errors.js';
export {
  hexToBytes,
  bytesToHex,
  isHex,
  concatBytes,
  xorBytes,
  constantTimeEqual,
  asciiToBytes,
  bytesToAscii,
  wipe,
  randomBytes,
  assertBytes,
  type HexOptions,
  type RandomSource,
} from './bytes.js';
export {
  type BlockCipher,
  encryptBlock,
  decryptBlock,
  ecbEncrypt,
  ecbDecrypt,
  cbcEncrypt,
  cbcDecrypt,
  ctrCrypt,
} from './cipher/block-cipher.js';
export { AesCipher, createAes } from './cipher/aes.js';
export { TdesCipher, createTdes, expandTdesKey } from './cipher/tdes.js';
export { cmac, cmacSubkeys } from './cipher/cmac.js';
export { kcv, kcvWithCipher, defaultKcvMethod, type KcvMethod, type KcvOptions, type KeyAlgorithmFamily } from './kcv.js';
export {
  KSN_SCHEMES,
  parseTdesKsn,
  parseAesKsn,
  popcount32,
  type KsnInput,
  type KsnScheme,
  type ParsedKsn,
} from './dukpt/ksn.js';
export {
  TDES_DUKPT_VARIANTS,
  TdesDukptBdk,
  tdesDukptIpek,
  tdesDukptTransactionKey,
  tdesDukptTransactionKeyFromIpek,
  tdesDukptVariantKey,
  tdesDukptWorkingKey,
  type TdesDukptKeyVariant,
} from './dukpt/tdes-dukpt.js';
export {
  AES_DUKPT_KEY_TYPES,
  AES_DUKPT_KEY_USAGES,
  AES_DUKPT_MAX_COUNTER,
  aesDukptKeyTypeFromAws,
  type AesDukptKeyType,
  type AesDukptKeyTypeFacts,
  type AesDukptKeyUsage,
} from './dukpt/aes-dukpt-facts.js';
export {
  AesDukptBdk,
  aesDukptInitialKey,
  aesDukptTransactionKey,
  aesDukptTransactionKeyFromInitialKey,
  aesDukptWorkingKey,
  aesDukptWorkingKeyFromTransactionKey,
  aesKsnCounter,
  type AesDukptWorkingKeyOptions,
} from './dukpt/aes-dukpt.js';
export { AesDukptDeriver } from './dukpt/aes-dukpt-deriver.js';
export { AesDukptBdkDeriver, type AesDukptBdkDeriverOptions } from './dukpt/aes-dukpt-bdk-deriver.js';
export { awsExportDukptInitialKey, type AwsDukptBdkAlgorithm } from './dukpt/aws-initial-key.js';
export {
  CardVerificationKey,
  VISA_CVV_VARIANTS,
  generateCvv,
  verifyCvv,
  generateCvv2,
  verifyCvv2,
  generateIcvv,
  verifyIcvv,
  generateCardVerificationValue,
  verifyCardVerificationValue,
  type CvvInput,
  type VisaCvvVariant,
} from './card-validation/visa-cvv.js';
export { visaDecimalize } from './card-validation/card-data.js';
export {
  PIN_BLOCK_FORMATS,
  encodePinBlock,
  decodePinBlock,
  panField8,
  type PinBlockFormat,
  type PinBlockFormatFacts,
  type PinBlockOptions,
} from './pin/pin-block.js';
export {
  iso4PanField,
  iso4PinField,
  readIso4PinField,
  encipherIso4PinField,
  encipherIso4PinBlock,
  decipherIso4PinField,
  decipherIso4PinBlock,
  type Iso4Options,
} from './pin/iso4.js';
export { generateVisaPvv, verifyVisaPvv, visaPvvTsp, type VisaPvvInput } from './pin/visa-pvv.js';
export {
  ibm3624NaturalPin,
  ibm3624PinFromOffset,
  ibm3624Offset,
  verifyIbm3624Pin,
  type Ibm3624Data,
} from './pin/ibm3624.js';
export {
  ISO9797_PADDING_METHODS,
  iso9797Pad,
  iso9797Mac1,
  iso9797Mac3,
  type Iso9797Padding,
} from './mac/iso9797.js';
export { HMAC_HASHES, hmacSha, type HmacHash } from './mac/hmac.js';
export { MAC_ALGORITHMS, generateMac, verifyMac, type MacAlgorithm, type MacOptions } from './mac/mac.js';
export { deriveIccMasterKeyOptionA, adjustOddParity } from './card-validation/emv-master-key.js';
export { cvc3FromIccKey, generateCvc3, verifyCvc3, type Cvc3Input } from './card-validation/dynamic-cvc3.js';
export {
  AWS_CARD_VALIDATION_ATTRIBUTES,
  type AwsCardValidationAttribute,
  type AwsCardValidationAttributeFacts,
} from './card-validation/aws-attributes.js';
export { ownEntry } from './table.js';
export { cfbEncrypt, cfbDecrypt, type CfbSegmentBits } from './cipher/cfb.js';
export { ofbCrypt, ofbEncrypt, ofbDecrypt } from './cipher/ofb.js';
export {
  ENCRYPTION_MODES,
  blockCipherFamily,
  encryptionModeUse,
  encryptWithMode,
  decryptWithMode,
  type AwsEncryptionMode,
  type BlockCipherFamily,
  type EncryptionModeUse,
} from './cipher/encryption-modes.js';
export { dcvvFromIccKey, dcvvInputDigits, generateDcvv, verifyDcvv, type DcvvInput } from './card-validation/visa-dcvv.js';
export { generateVisaCavv, verifyVisaCavv, visaCavvCvvInput, type VisaCavvInput } from './card-validation/visa-cavv.js';
export {
  AMEX_CSC_VERSIONS,
  AMEX_CSC_LENGTHS,
  amexCscDigits,
  generateAmexCsc,
  verifyAmexCsc,
  type AmexCscInput,
  type AmexCscLength,
  type AmexCscVersion,
} from './card-validation/amex-csc.js';
export {
  ICC_MASTER_KEY_DERIVATION_MODES,
  deriveIccMasterKey,
  deriveIccMasterKeyOptionB,
  type IccMasterKeyDerivationFacts,
  type IccMasterKeyDerivationMode,
} from './emv/icc-master-key.js';
export {
  commonSessionKeyR,
  mastercardSessionKeyR,
  deriveCommonSessionKey,
  deriveMastercardSessionKey,
  deriveVisaSmSessionKey,
} from './emv/session-keys.js';
export { EMV2000_TREE_DEFAULTS, deriveEmv2000TreeSessionKey, type Emv2000TreeOptions } from './emv/emv2000-tree.js';
export {
  EMV_SCHEMES,
  emvScheme,
  deriveSchemeKey,
  deriveSessionKeyByRule,
  type EmvKeyPurpose,
  type EmvSchemeFacts,
  type EmvSchemeName,
  type EmvSessionInputs,
  type SessionKeyInput,
  type SessionKeyMethod,
  type SessionKeyRule,
} from './emv/schemes.js';
export { RetailMacKey, type EmvMacPadding } from './emv/retail-mac-key.js';
export { generateArqc, verifyArqc } from './emv/arqc.js';
export {
  generateArpc,
  generateArpcMethod1,
  generateArpcMethod2,
  verifyArpcMethod1,
  verifyArpcMethod2,
  type ArpcRequest,
} from './emv/arpc.js';
export { EmvIssuerMasterKey, type ArqcInput, type EmvCard, type EmvCryptogramInput } from './emv/issuer-master-key.js';
export {
  SM_ENCRYPTION_TYPES,
  emvMac,
  verifyEmvMac,
  smEncrypt,
  smDecrypt,
  type SmEncryptionLayout,
  type SmEncryptionType,
} from './emv/secure-messaging.js';
export {
  iso9564Format2PinBlock,
  visaVisPinBlock,
  emvPinChangeScript,
  generateEmvPinChange,
  type EmvPinChangeInput,
  type PinChangeScript,
} from './emv/pin-change.js';
export { pkcs7Pad, pkcs7Unpad, PKCS7_PADDING_FAILED_MESSAGE } from './cipher/pkcs7-padding.js';
export {
  AS2805_KEY_VARIANTS,
  AS2805_KEK_VALIDATION_VARIANTS,
  as2805VariantMask,
  as2805VariantKek,
  as2805EncryptUnderVariant,
  as2805DecryptUnderVariant,
  as2805WrapKey,
  as2805UnwrapKey,
  as2805InvertRandomKey,
  as2805KekValidationRequest,
  as2805KekValidationResponse,
  PreparedAs2805KekValidation,
  type As2805KeyVariantName,
  type As2805KekValidationMaskName,
  type As2805KekValidation,
  type As2805VariantFacts,
} from './as2805/key-variants.js';
export { as2805DerivePek, as2805Owf, as2805PekDerivationData } from './as2805/pek-derivation.js';
export { TdesDukptDeriver } from './dukpt/tdes-dukpt-deriver.js';
