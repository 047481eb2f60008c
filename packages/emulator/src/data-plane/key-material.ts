import { notImplemented, type PartialOperationTable } from '../core/registry.js';

export const keyMaterialOperations: PartialOperationTable<'TranslateKeyMaterial'> = {
  TranslateKeyMaterial: notImplemented(),
};
