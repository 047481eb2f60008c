import { notImplemented, type PartialOperationTable } from '../core/registry.js';

export const as2805Operations: PartialOperationTable<'GenerateAs2805KekValidation'> = {
  GenerateAs2805KekValidation: notImplemented(),
};
