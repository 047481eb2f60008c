import { notImplemented, type PartialOperationTable } from '../core/registry.js';

export const pinOperations: PartialOperationTable<'GeneratePinData' | 'VerifyPinData' | 'TranslatePinData'> = {
  GeneratePinData: notImplemented(),
  VerifyPinData: notImplemented(),
  TranslatePinData: notImplemented(),
};
