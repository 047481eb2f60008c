export { SIGNING_NAME, retryErrorType, type DataPlaneClientOptions, type SendOptions } from './data-plane/client.js';
export { PaymentCryptographyDataClient, PaymentCryptographyDataClient as PaymentCryptographyData } from './data-plane/node-client.js';
export {
  DataPlaneCommand,
  DecryptDataCommand,
  EncryptDataCommand,
  GenerateAs2805KekValidationCommand,
  GenerateAuthRequestCryptogramCommand,
  GenerateCardValidationDataCommand,
  GenerateMacCommand,
  GenerateMacEmvPinChangeCommand,
  GeneratePinDataCommand,
  ReEncryptDataCommand,
  TranslateKeyMaterialCommand,
  TranslatePinDataCommand,
  VerifyAuthRequestCryptogramCommand,
  VerifyCardValidationDataCommand,
  VerifyMacCommand,
  VerifyPinDataCommand,
} from './data-plane/commands.js';
export {
  PaymentCryptographyDataServiceException,
  ValidationException,
  VerificationFailedException,
  ResourceNotFoundException,
  AccessDeniedException,
  ThrottlingException,
  InternalServerException,
  type ValidationExceptionField,
} from './data-plane/errors.js';
export type {
  DataPlaneOperation,
  InputOf,
  OutputOf,
  ResponseMetadata,
  DecryptDataCommandInput,
  DecryptDataCommandOutput,
  EncryptDataCommandInput,
  EncryptDataCommandOutput,
  GenerateAs2805KekValidationCommandInput,
  GenerateAs2805KekValidationCommandOutput,
  GenerateAuthRequestCryptogramCommandInput,
  GenerateAuthRequestCryptogramCommandOutput,
  GenerateCardValidationDataCommandInput,
  GenerateCardValidationDataCommandOutput,
  GenerateMacCommandInput,
  GenerateMacCommandOutput,
  GenerateMacEmvPinChangeCommandInput,
  GenerateMacEmvPinChangeCommandOutput,
  GeneratePinDataCommandInput,
  GeneratePinDataCommandOutput,
  ReEncryptDataCommandInput,
  ReEncryptDataCommandOutput,
  TranslateKeyMaterialCommandInput,
  TranslateKeyMaterialCommandOutput,
  TranslatePinDataCommandInput,
  TranslatePinDataCommandOutput,
  VerifyAuthRequestCryptogramCommandInput,
  VerifyAuthRequestCryptogramCommandOutput,
  VerifyCardValidationDataCommandInput,
  VerifyCardValidationDataCommandOutput,
  VerifyMacCommandInput,
  VerifyMacCommandOutput,
  VerifyPinDataCommandInput,
  VerifyPinDataCommandOutput,
} from './data-plane/operations.js';
export { nodeHttpTransport } from './data-plane/node-http-transport.js';
export { fetchTransport, type DataPlaneTransport, type DataPlaneHttpRequest, type DataPlaneHttpResponse } from './data-plane/transport.js';
export { serializeRequest } from './data-plane/serialize.js';
export { resolveDataPlaneEndpoint, type EndpointParams } from './endpoints/resolve.js';
export { inProcessDataPlaneTransport } from './emulator-transport.js';
export { createPaymentCryptography, type PaymentCryptography, type PaymentCryptographyOptions } from './factory.js';
export { endpointsFromEnv, resolveTarget, EMULATOR_CREDENTIALS, type ResolvedTarget, type TargetOptions, type Target, type Environment } from './target.js';
export { openExportedTr34KeyBlock, type OpenedTr34Export } from './cross-check/tr34.js';
export { openExportedKeyBlock, keyCheckValue, type OpenedKeyBlock, type ServiceKeyCheckValue, type KeyCheckValueAlgorithm } from './cross-check/key-block.js';
export { expectedCardValidationData, checkCardValidationData, type CardValidationAttributes, type CardValidationCheck } from './cross-check/card-validation.js';
export { expectedMac, checkMac, type MacCheck } from './cross-check/mac.js';
export { expectedVisaPvv, checkVisaPvv, type VisaPvvCheck } from './cross-check/pin.js';
