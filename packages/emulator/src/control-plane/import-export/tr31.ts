import type { ExportTr31KeyBlock, ImportKeyInput, ImportKeyOutput, ImportTr31KeyBlock, KeyBlockHeaders, WrappedKey } from '@aws-sdk/client-payment-cryptography';
import { awsKeyAttributesFromTr31, type Tr31Header } from '@paycrypt/keyblock';
import type { RequestContext } from '../../core/context.js';
import { validationError } from '../../core/errors.js';
import { KEY_ALGORITHMS } from '../../keys/key-algorithms.js';
import { requireUsable, resolveKey } from '../../keys/key-access.js';
import type { KeyRecord } from '../../state/records.js';
import { checkCreateKeyAttributes } from '../../keys/key-attributes.js';
import { keyView } from '../../keys/key-view.js';
import { checkReplicationRegions, newPrimary } from '../replication.js';
import { checkTags } from '../tags.js';
import { createImportedKey } from './imported-key.js';
import { requireWrappingStrength } from '../../exchange/strength.js';
import { exportTr31Header } from './tr31-headers.js';
import { kekProtector, outgoingTr31Version, tr31VersionFor, unwrapTr31Under, wrapTr31Under, type Tr31Protector } from '../../exchange/tr31.js';

export type { Tr31Protector } from '../../exchange/tr31.js';
import type { ExportPayload } from './types.js';

/**
 * TR-31 / X9.143 key blocks: ImportKey `Tr31KeyBlock` and ExportKey `Tr31KeyBlock`
 * (aws-api.md §10.4–§10.6), with @paycrypt/keyblock doing the cryptography. The clear wrapping
 * key and the clear key are zeroed before returning; keyblock's errors (a MAC failure is one
 * fixed message) become ValidationException (core/errors.ts).
 */

/**
 * NOTE: AWS documents that the wrapping key "will decrypt or unwrap" (import) or "encrypts or
 * wraps" (export) the key block, and uses TR31_K0_KEY_ENCRYPTION_KEY keys in its examples (K1
 * recommended by the key-attributes table). The emulator requires a symmetric K0 or K1 key that
 * allows Unwrap (import) or Wrap (export), or NoRestrictions.
 */
const WRAPPING_USAGES: readonly string[] = ['TR31_K0_KEY_ENCRYPTION_KEY', 'TR31_K1_KEY_BLOCK_PROTECTION_KEY'];

async function resolveWrappingKey(ctx: RequestContext, identifier: string, mode: 'Wrap' | 'Unwrap'): Promise<{ kek: KeyRecord; family: 'TDES' | 'AES' }> {
  const kek = await resolveKey(ctx, identifier);
  requireUsable(kek);
  if (kek.keyClass !== 'SYMMETRIC_KEY' || !WRAPPING_USAGES.includes(kek.keyUsage)) {
    throw validationError(`The wrapping key ${kek.keyArn} has KeyUsage ${kek.keyUsage}; a TR-31 key block needs a TR31_K0_KEY_ENCRYPTION_KEY or TR31_K1_KEY_BLOCK_PROTECTION_KEY`);
  }
  if (kek.modes[mode] !== true && kek.modes.NoRestrictions !== true) {
    throw validationError(`The wrapping key ${kek.keyArn} does not allow ${mode} (KeyModesOfUse)`);
  }
  const family = KEY_ALGORITHMS[kek.keyAlgorithm]?.family;
  if (family !== 'TDES' && family !== 'AES') throw validationError(`The wrapping key ${kek.keyArn} (${kek.keyAlgorithm}) cannot protect a TR-31 key block`);
  return { kek, family };
}

/**
 * ImportKey with `Tr31KeyBlock`: the attributes come from the header (usage, algorithm with the
 * key length, mode of use), exportability from its exportability byte (E or S → exportable,
 * N → not); Enabled, KeyCheckValueAlgorithm and Tags from the input; KeyOrigin EXTERNAL.
 * Versions A, B, C need a TDES wrapping key, D an AES one. NOTE: version E (ISO 20038) is
 * accepted under an AES wrapping key; AWS documents only A, B, C and D.
 */
export async function importTr31(ctx: RequestContext, input: ImportKeyInput, m: ImportTr31KeyBlock): Promise<ImportKeyOutput> {
  const { kek, family } = await resolveWrappingKey(ctx, m.WrappingKeyIdentifier!, 'Unwrap');
  return importTr31Block(ctx, input, m.WrappedKeyBlock!, kekProtector(ctx, kek, family));
}

/** The import of one TR-31 block under a KBPK (importTr31, and ECDH in ecdh.ts). */
export async function importTr31Block(ctx: RequestContext, input: ImportKeyInput, block: string, w: Tr31Protector): Promise<ImportKeyOutput> {
  const version = tr31VersionFor(w, block); // A, B, C under TDES; D (and ISO 20038 E) under AES
  const tags = checkTags(input.Tags);
  const replication = checkReplicationRegions(ctx, (input as { ReplicationRegions?: string[] }).ReplicationRegions);

  const { header, key }: { header: Tr31Header; key: Uint8Array } = unwrapTr31Under(w, block, version);
  try {
    const attrs = awsKeyAttributesFromTr31(header, key.length);
    // NOTE: an imported key must fit the attribute combinations CreateKey accepts (§10.7).
    const problem = checkCreateKeyAttributes(attrs);
    if (problem !== undefined) throw validationError(`Key block header not accepted: ${problem}`);
    // NOTE: the "wrapping key at least as strong" rule is documented for export; the emulator
    // applies it to import too (X9.143 forbids a key protected by a weaker key).
    for (const a of w.strengthOf) requireWrappingStrength(a, attrs.KeyAlgorithm, 'import');
    const exportable = header.exportability === 'E' || header.exportability === 'S';
    // the key and its replicas in one commit: all stored, or none (a multi-Region import is never half done)
    const rec = await createImportedKey(ctx, input, attrs, exportable, { kind: 'symmetric', key }, tags, newPrimary(ctx, replication));
    return { Key: keyView(rec) };
  } finally {
    key.fill(0);
  }
}

/**
 * ExportKey with `Tr31KeyBlock`: version B under a TDES wrapping key, D under an AES one
 * (aws-api.md §10.6); usage and algorithm from the key, mode of use / exportability / key
 * version / optional blocks from KeyBlockHeaders (tr31-headers.ts). The wrapping key must be at
 * least as strong as the exported key. The KCV is added by export-key.ts.
 */
export async function exportTr31(ctx: RequestContext, p: ExportPayload, m: ExportTr31KeyBlock): Promise<WrappedKey> {
  const { kek, family } = await resolveWrappingKey(ctx, m.WrappingKeyIdentifier!, 'Wrap');
  // NOTE: AWS does not document exporting a key under itself; the emulator refuses it.
  if (kek.keyArn === p.source.keyArn) throw validationError(`Key ${kek.keyArn} cannot be exported under itself`);
  const block = wrapTr31Block(p, m.KeyBlockHeaders, kekProtector(ctx, kek, family));
  return { WrappingKeyArn: kek.keyArn, WrappedKeyMaterialFormat: 'TR31_KEY_BLOCK', KeyMaterial: block };
}

/** The TR-31 block of an exported key under a KBPK (exportTr31, and ECDH in ecdh.ts). */
export function wrapTr31Block(p: ExportPayload, headers: KeyBlockHeaders | undefined, w: Tr31Protector): string {
  for (const a of w.strengthOf) requireWrappingStrength(a, p.keyAlgorithm);
  const header = exportTr31Header(p, headers, outgoingTr31Version(w));
  return wrapTr31Under(w, header, p.key);
}
