import { assertBytes } from '../bytes.js';
import { PrimitivesError } from '../errors.js';
import { aesDukptInitialKey } from './aes-dukpt.js';
import { KSN_SCHEMES, type KsnInput, ksnBytes } from './ksn.js';
import { tdesDukptIpek } from './tdes-dukpt.js';
import { ownEntry } from '../table.js';

/**
 * The AWS Payment Cryptography `ExportDukptInitialKey` rule (User Guide, "Export DUKPT
 * Initial Keys (IPEK/IK)"; API pattern `[0-9A-F]{20}|[0-9A-F]{24}`):
 *
 * | BDK algorithm             | KSN     | initial key                                                        |
 * |---------------------------|---------|--------------------------------------------------------------------|
 * | TDES_2KEY                 | 20 hex  | X9.24-1:2009 IPEK over KSN & FFFFFFFFFFFFFFE00000 (counter ignored) |
 * | AES_128 / AES_192 / AES_256 | 24 hex | X9.24-3:2017 IK, IK ID = first 16 hex (counter ignored)            |
 *
 * The counter is ignored and NOT validated ("12345678901234560001 and 12345678901234569999
 * will generate the same IPEK").
 */
export type AwsDukptBdkAlgorithm = 'TDES_2KEY' | 'AES_128' | 'AES_192' | 'AES_256';

const BDK_FACTS: Readonly<Record<AwsDukptBdkAlgorithm, { keyBytes: number; scheme: 'TDES' | 'AES' }>> = {
  TDES_2KEY: { keyBytes: 16, scheme: 'TDES' },
  AES_128: { keyBytes: 16, scheme: 'AES' },
  AES_192: { keyBytes: 24, scheme: 'AES' },
  AES_256: { keyBytes: 32, scheme: 'AES' },
};

export function awsExportDukptInitialKey(bdk: Uint8Array, bdkAlgorithm: AwsDukptBdkAlgorithm, ksn: KsnInput): Uint8Array {
  const facts = ownEntry(BDK_FACTS, bdkAlgorithm);
  if (facts === undefined) {
    throw new PrimitivesError('UNSUPPORTED', `"bdkAlgorithm" ${String(bdkAlgorithm)} cannot be a DUKPT BDK (TDES_2KEY, AES_128, AES_192, AES_256)`, {
      field: 'bdkAlgorithm',
    });
  }
  assertBytes(bdk, 'bdk', facts.keyBytes);
  if (facts.scheme === 'TDES') return tdesDukptIpek(bdk, ksnBytes(ksn, KSN_SCHEMES.TDES));
  const k = ksnBytes(ksn, KSN_SCHEMES.AES);
  return aesDukptInitialKey(bdk, k.subarray(0, 8));
}
