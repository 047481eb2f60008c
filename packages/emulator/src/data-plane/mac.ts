import { notImplemented, type PartialOperationTable } from '../core/registry.js';

export const macOperations: PartialOperationTable<'GenerateMac' | 'VerifyMac'> = {
  GenerateMac: notImplemented(),
  VerifyMac: notImplemented(),
};
