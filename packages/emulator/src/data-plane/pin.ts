import { handler, type PartialOperationTable } from '../core/registry.js';
import { generatePinData } from './pin-generate.js';
import { translatePinData } from './pin-translate.js';
import { verifyPinData } from './pin-verify.js';

/** The PIN operations (data-plane.md §5); shared PIN-block and key code in pin-codec.ts. */
export const pinOperations: PartialOperationTable<'GeneratePinData' | 'VerifyPinData' | 'TranslatePinData'> = {
  GeneratePinData: handler(generatePinData),
  VerifyPinData: handler(verifyPinData),
  TranslatePinData: handler(translatePinData),
};
