import { notImplemented, type PartialOperationTable } from '../../core/registry.js';

/**
 * Key import and export: ImportKey, ExportKey, GetParametersForImport, GetParametersForExport,
 * GetPublicKeyCertificate. This folder belongs to the import/export work; the handler contract
 * it follows is in packages/emulator/README.md ("Handler contract").
 *
 * Until then each operation is registered as an explicit "not implemented yet" entry: it answers
 * `NotImplementedException` (HTTP 501) after the input passed model validation.
 */
export type ImportExportOps = 'ImportKey' | 'ExportKey' | 'GetParametersForImport' | 'GetParametersForExport' | 'GetPublicKeyCertificate';

export const importExportOperations: PartialOperationTable<ImportExportOps> = {
  ImportKey: notImplemented(),
  ExportKey: notImplemented(),
  GetParametersForImport: notImplemented(),
  GetParametersForExport: notImplemented(),
  GetPublicKeyCertificate: notImplemented(),
};
