import { handler, type PartialOperationTable } from '../../core/registry.js';
import { exportKey } from './export-key.js';
import { importKey } from './import-key.js';
import { getParametersForExport, getParametersForImport, getPublicKeyCertificate } from './parameters.js';

/**
 * Key import and export: ImportKey, ExportKey, GetParametersForImport, GetParametersForExport,
 * GetPublicKeyCertificate. The handler contract is in packages/emulator/README.md.
 *
 * Layout of this folder:
 * - import-key.ts / export-key.ts: the two dispatchers (one branch per KeyMaterial member);
 * - tr31.ts (+ tr31-headers.ts): TR-31 import and export, KeyBlockHeaders; export-key.ts builds
 *   the ExportDukptInitialKey payload (B1 blocks);
 * - strength.ts: the "wrapping key at least as strong as the exported key" rule;
 * - tr34.ts, cryptogram.ts, certificates.ts (+ byoca.ts): TR-34 tokens, RSA-OAEP cryptograms,
 *   imported CAs (x509.ts reads the certificates @paycrypt/tr34 does not: ECC);
 * - ecdh.ts, ecdh-kdf.ts: DiffieHellmanTr31KeyBlock (ECDH, SP 800-56C / X9.63 KDFs, then TR-31);
 * - kcv.ts: the KCV of an exported key;
 * - parameters.ts (+ emulator-ca.ts, tokens.ts, key-certificate.ts): import/export tokens, the
 *   emulator's CA, GetPublicKeyCertificate.
 */
export type ImportExportOps = 'ImportKey' | 'ExportKey' | 'GetParametersForImport' | 'GetParametersForExport' | 'GetPublicKeyCertificate';

export const importExportOperations: PartialOperationTable<ImportExportOps> = {
  ImportKey: handler<'ImportKey'>(importKey),
  ExportKey: handler<'ExportKey'>(exportKey),
  GetParametersForImport: handler<'GetParametersForImport'>(getParametersForImport),
  GetParametersForExport: handler<'GetParametersForExport'>(getParametersForExport),
  GetPublicKeyCertificate: handler<'GetPublicKeyCertificate'>(getPublicKeyCertificate),
};
