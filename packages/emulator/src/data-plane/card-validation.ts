import { notImplemented, type PartialOperationTable } from '../core/registry.js';

export const cardValidationOperations: PartialOperationTable<'GenerateCardValidationData' | 'VerifyCardValidationData'> = {
  GenerateCardValidationData: notImplemented(),
  VerifyCardValidationData: notImplemented(),
};
