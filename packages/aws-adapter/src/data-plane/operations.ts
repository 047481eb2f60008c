import type { DataOperationName, DataOperationTypes } from '@paycrypt/emulator/model';

/**
 * Input and output types of the 15 data-plane operations, from the emulator's generated
 * data-plane model (model/data-plane.types.generated.ts) — the same table the emulator's router
 * reads. Named as the SDK names them (`<Op>CommandInput`, `<Op>CommandOutput`).
 */
export type DataPlaneOperation = DataOperationName;
export type InputOf<Op extends DataPlaneOperation> = DataOperationTypes[Op]['input'];
export type OutputOf<Op extends DataPlaneOperation> = DataOperationTypes[Op]['output'] & { $metadata: ResponseMetadata };

/** As the SDK's `$metadata`. */
export interface ResponseMetadata {
  httpStatusCode?: number | undefined;
  requestId?: string | undefined;
  attempts?: number | undefined;
  totalRetryDelay?: number | undefined;
}

export type DecryptDataCommandInput = InputOf<'DecryptData'>;
export type DecryptDataCommandOutput = OutputOf<'DecryptData'>;
export type EncryptDataCommandInput = InputOf<'EncryptData'>;
export type EncryptDataCommandOutput = OutputOf<'EncryptData'>;
export type GenerateAs2805KekValidationCommandInput = InputOf<'GenerateAs2805KekValidation'>;
export type GenerateAs2805KekValidationCommandOutput = OutputOf<'GenerateAs2805KekValidation'>;
export type GenerateAuthRequestCryptogramCommandInput = InputOf<'GenerateAuthRequestCryptogram'>;
export type GenerateAuthRequestCryptogramCommandOutput = OutputOf<'GenerateAuthRequestCryptogram'>;
export type GenerateCardValidationDataCommandInput = InputOf<'GenerateCardValidationData'>;
export type GenerateCardValidationDataCommandOutput = OutputOf<'GenerateCardValidationData'>;
export type GenerateMacCommandInput = InputOf<'GenerateMac'>;
export type GenerateMacCommandOutput = OutputOf<'GenerateMac'>;
export type GenerateMacEmvPinChangeCommandInput = InputOf<'GenerateMacEmvPinChange'>;
export type GenerateMacEmvPinChangeCommandOutput = OutputOf<'GenerateMacEmvPinChange'>;
export type GeneratePinDataCommandInput = InputOf<'GeneratePinData'>;
export type GeneratePinDataCommandOutput = OutputOf<'GeneratePinData'>;
export type ReEncryptDataCommandInput = InputOf<'ReEncryptData'>;
export type ReEncryptDataCommandOutput = OutputOf<'ReEncryptData'>;
export type TranslateKeyMaterialCommandInput = InputOf<'TranslateKeyMaterial'>;
export type TranslateKeyMaterialCommandOutput = OutputOf<'TranslateKeyMaterial'>;
export type TranslatePinDataCommandInput = InputOf<'TranslatePinData'>;
export type TranslatePinDataCommandOutput = OutputOf<'TranslatePinData'>;
export type VerifyAuthRequestCryptogramCommandInput = InputOf<'VerifyAuthRequestCryptogram'>;
export type VerifyAuthRequestCryptogramCommandOutput = OutputOf<'VerifyAuthRequestCryptogram'>;
export type VerifyCardValidationDataCommandInput = InputOf<'VerifyCardValidationData'>;
export type VerifyCardValidationDataCommandOutput = OutputOf<'VerifyCardValidationData'>;
export type VerifyMacCommandInput = InputOf<'VerifyMac'>;
export type VerifyMacCommandOutput = OutputOf<'VerifyMac'>;
export type VerifyPinDataCommandInput = InputOf<'VerifyPinData'>;
export type VerifyPinDataCommandOutput = OutputOf<'VerifyPinData'>;
