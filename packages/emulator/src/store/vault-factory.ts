import { GcmKeyVault, type KeyVault } from './key-vault.js';

/** The vault used by the emulator for a given LMK. */
export function createKeyVault(lmk: Uint8Array): KeyVault {
  return new GcmKeyVault(lmk);
}
