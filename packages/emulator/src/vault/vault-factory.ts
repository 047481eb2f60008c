import { tr31HeaderFieldsFromAws, unwrapTr31, wrapTr31 } from '@paycrypt/keyblock';
import type { KeyVault } from './key-vault.js';
import { Tr31KeyVault } from './tr31-vault.js';

/**
 * The vault used by the emulator for a given LMK: key material (symmetric keys and key pairs'
 * private keys) as TR-31 / X9.143 version D key blocks under the AES-256 LMK (tr31-vault.ts);
 * record-bound blobs (the import/export CA and tokens) AES-256-GCM sealed. A store written by
 * the earlier GCM-only vault stays readable: `G1:` blobs are still opened.
 */
export function createKeyVault(lmk: Uint8Array): KeyVault {
  return new Tr31KeyVault(lmk, { wrapTr31, unwrapTr31, tr31HeaderFieldsFromAws });
}
