import { GcmKeyVault, type KeyVault } from './key-vault.js';

/**
 * The vault used by the emulator for a given LMK.
 *
 * Interim: AES-256-GCM (GcmKeyVault). @paycrypt/keyblock does not export wrapTr31/unwrapTr31 yet;
 * when it does, this becomes (and nothing else changes; `G1:` blobs already stored stay readable):
 *
 *   import { tr31HeaderFieldsFromAws, unwrapTr31, wrapTr31 } from '@paycrypt/keyblock';
 *   return new Tr31KeyVault(lmk, { wrapTr31, unwrapTr31, tr31HeaderFieldsFromAws });
 */
export function createKeyVault(lmk: Uint8Array): KeyVault {
  return new GcmKeyVault(lmk);
}
