// Loaded with import() by the service commands only (a chunk of its own): the AWS SDK control-plane
// commands, CommonJS, imported statically here so esbuild gives them named exports.
export {
  CreateAliasCommand,
  CreateKeyCommand,
  ExportKeyCommand,
  GetKeyCommand,
  ImportKeyCommand,
  ListAliasesCommand,
  ListKeysCommand,
  ListTagsForResourceCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-payment-cryptography';
export { GetParametersForImportCommand } from '@aws-sdk/client-payment-cryptography';
