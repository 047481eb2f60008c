import { notImplemented, type PartialOperationTable } from '../core/registry.js';

export const pinChangeOperations: PartialOperationTable<'GenerateMacEmvPinChange'> = {
  GenerateMacEmvPinChange: notImplemented(),
};
