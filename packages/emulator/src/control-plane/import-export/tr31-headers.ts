import type { KeyBlockHeaders, KeyModesOfUse } from '@aws-sdk/client-payment-cryptography';
import { AWS_EXPORTABILITY, AWS_KEY_ALGORITHMS, AWS_MODE_FLAGS, AWS_MODES_OF_USE, TR31_KEY_USAGES, tr31ModeOfUseFromAws, type Tr31Header, type Tr31Version } from '@paycrypt/keyblock';
import { validationError } from '../../core/errors.js';
import type { ExportPayload } from './types.js';

/**
 * ExportKey `KeyBlockHeaders` for TR-31 export (aws-api.md §10.6, user guide "Specify key block
 * headers"): usage and algorithm come from the key and cannot be changed; the mode of use and
 * the exportability may only be narrowed; the key version may be set; optional blocks are
 * appended (the HM block of an HMAC key is the service's own).
 */

export interface ExportHeaderFields {
  modeOfUse: string;
  exportability: string;
  keyVersion: string;
  optionalBlocks: { id: string; data: string }[];
}

/** Model documentation of `OptionalBlocks`: at most 112 characters, 2 for the ID and 2 for the length of each. */
export const MAX_OPTIONAL_BLOCK_CHARACTERS = 112;

/**
 * How far each exportability lets the receiver re-export the key (X9.143 table 10: `E` only in a
 * form meeting X9.24, `S` also in other forms; the AWS model text of KeyExportability says the
 * same: SENSITIVE allows RSA wrap, EXPORTABLE only TR-31/TR-34).
 * NOTE: AWS documents only "more restrictive"; the emulator reads S as wider than E, so a key
 * exported as E (every plain key) may be narrowed to N, an S key (IPEK) to E or N.
 */
const EXPORTABILITY_RANK: Readonly<Record<string, number>> = { N: 0, E: 1, S: 2 };

function flagsText(modes: KeyModesOfUse): string {
  return `{${AWS_MODE_FLAGS.filter((k) => modes[k] === true).join(', ')}}`;
}

function restrictMode(keyUsage: string, base: string, requested: KeyModesOfUse | undefined): string {
  if (requested === undefined) return base;
  const mode = tr31ModeOfUseFromAws(requested);
  if (mode === undefined) throw validationError(`KeyBlockHeaders.KeyModesOfUse ${flagsText(requested)} is not a single TR-31 mode of use`);
  if (mode === base) return mode;
  // a key with NoRestrictions (N) may be narrowed to any mode its TR-31 usage allows
  const narrower =
    base === 'N'
      ? mode !== 'N' && (TR31_KEY_USAGES[keyUsage]?.modes.includes(mode) ?? false)
      : AWS_MODES_OF_USE[mode]!.every((flag) => AWS_MODES_OF_USE[base]!.includes(flag));
  if (!narrower) {
    throw validationError(
      `KeyBlockHeaders.KeyModesOfUse ${flagsText(requested)} is not a restriction of the key's modes of use {${AWS_MODES_OF_USE[base]!.join(', ')}}`,
    );
  }
  return mode;
}

function restrictExportability(base: string, requested: string | undefined): string {
  if (requested === undefined) return base;
  const wanted = Object.keys(AWS_EXPORTABILITY).find((code) => AWS_EXPORTABILITY[code] === requested);
  if (wanted === undefined) throw validationError(`KeyBlockHeaders.KeyExportability ${requested} is not EXPORTABLE, SENSITIVE or NON_EXPORTABLE`);
  if (EXPORTABILITY_RANK[wanted]! > EXPORTABILITY_RANK[base]!) {
    throw validationError(`KeyBlockHeaders.KeyExportability ${requested} would widen the exportability of the key (${base}); it can only be restricted`);
  }
  return wanted;
}

function optionalBlocks(keyAlgorithm: string, requested: Record<string, string> | undefined): { id: string; data: string }[] {
  const out: { id: string; data: string }[] = [];
  // the HM block (X9.143 table 13 hash code) of an HMAC key, from keyblock's AWS algorithm table
  const hm = AWS_KEY_ALGORITHMS.find((r) => r.aws === keyAlgorithm)?.hm;
  if (hm !== undefined) out.push({ id: 'HM', data: hm });
  if (requested === undefined) return out;
  let total = 0;
  for (const [id, data] of Object.entries(requested)) {
    total += 4 + data.length;
    if (id === 'HM') {
      // the service sets the HM block of an HMAC key itself (aws-api.md §10.6)
      if (hm === undefined || data !== hm) throw validationError(`KeyBlockHeaders.OptionalBlocks HM is set by the service from the key algorithm (${keyAlgorithm})`);
      continue;
    }
    out.push({ id, data });
  }
  if (total > MAX_OPTIONAL_BLOCK_CHARACTERS) {
    throw validationError(`KeyBlockHeaders.OptionalBlocks take ${total} characters (4 per block plus the data); at most ${MAX_OPTIONAL_BLOCK_CHARACTERS}`);
  }
  return out;
}

/** The header fields of an exported key after KeyBlockHeaders (usage and algorithm are the payload's). */
export function exportHeaderFields(p: ExportPayload, h: KeyBlockHeaders | undefined): ExportHeaderFields {
  return {
    modeOfUse: restrictMode(p.header.keyUsage, p.header.modeOfUse, h?.KeyModesOfUse),
    exportability: restrictExportability(p.header.exportability, h?.KeyExportability),
    keyVersion: h?.KeyVersion ?? p.header.keyVersion,
    optionalBlocks: optionalBlocks(p.keyAlgorithm, h?.OptionalBlocks),
  };
}

/** The TR-31 header of an exported key (TR-31 and TR-34 export): the payload's usage and algorithm, KeyBlockHeaders applied. */
export function exportTr31Header(p: ExportPayload, h: KeyBlockHeaders | undefined, version: Tr31Version): Tr31Header {
  const f = exportHeaderFields(p, h);
  return {
    version,
    keyUsage: p.header.keyUsage,
    algorithm: p.header.algorithm,
    modeOfUse: f.modeOfUse,
    keyVersion: f.keyVersion,
    exportability: f.exportability,
    keyContext: '0',
    optionalBlocks: f.optionalBlocks.map((b) => ({ ...b, raw: '' })),
  };
}
