import type { DataPlaneOperation, InputOf, OutputOf } from './operations.js';

/**
 * Command objects in the SDK's style: `client.send(new GenerateCardValidationDataCommand(input))`.
 * A command is its operation name and its input; the client does the rest.
 */
export abstract class DataPlaneCommand<Op extends DataPlaneOperation> {
  abstract readonly operation: Op;
  /** phantom: the output type, for `send` */
  declare readonly $output?: OutputOf<Op>;
  constructor(readonly input: InputOf<Op>) {}
}

export class DecryptDataCommand extends DataPlaneCommand<'DecryptData'> {
  readonly operation = 'DecryptData' as const;
}
export class EncryptDataCommand extends DataPlaneCommand<'EncryptData'> {
  readonly operation = 'EncryptData' as const;
}
export class GenerateAs2805KekValidationCommand extends DataPlaneCommand<'GenerateAs2805KekValidation'> {
  readonly operation = 'GenerateAs2805KekValidation' as const;
}
export class GenerateAuthRequestCryptogramCommand extends DataPlaneCommand<'GenerateAuthRequestCryptogram'> {
  readonly operation = 'GenerateAuthRequestCryptogram' as const;
}
export class GenerateCardValidationDataCommand extends DataPlaneCommand<'GenerateCardValidationData'> {
  readonly operation = 'GenerateCardValidationData' as const;
}
export class GenerateMacCommand extends DataPlaneCommand<'GenerateMac'> {
  readonly operation = 'GenerateMac' as const;
}
export class GenerateMacEmvPinChangeCommand extends DataPlaneCommand<'GenerateMacEmvPinChange'> {
  readonly operation = 'GenerateMacEmvPinChange' as const;
}
export class GeneratePinDataCommand extends DataPlaneCommand<'GeneratePinData'> {
  readonly operation = 'GeneratePinData' as const;
}
export class ReEncryptDataCommand extends DataPlaneCommand<'ReEncryptData'> {
  readonly operation = 'ReEncryptData' as const;
}
export class TranslateKeyMaterialCommand extends DataPlaneCommand<'TranslateKeyMaterial'> {
  readonly operation = 'TranslateKeyMaterial' as const;
}
export class TranslatePinDataCommand extends DataPlaneCommand<'TranslatePinData'> {
  readonly operation = 'TranslatePinData' as const;
}
export class VerifyAuthRequestCryptogramCommand extends DataPlaneCommand<'VerifyAuthRequestCryptogram'> {
  readonly operation = 'VerifyAuthRequestCryptogram' as const;
}
export class VerifyCardValidationDataCommand extends DataPlaneCommand<'VerifyCardValidationData'> {
  readonly operation = 'VerifyCardValidationData' as const;
}
export class VerifyMacCommand extends DataPlaneCommand<'VerifyMac'> {
  readonly operation = 'VerifyMac' as const;
}
export class VerifyPinDataCommand extends DataPlaneCommand<'VerifyPinData'> {
  readonly operation = 'VerifyPinData' as const;
}
