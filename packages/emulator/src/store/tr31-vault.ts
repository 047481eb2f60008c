import { KEY_ALGORITHMS } from '../crypto/algorithms.js';
import { GcmKeyVault, VaultError, type KeyVault, type SealBinding } from './key-vault.js';

/**
 * The TR-31 vault (DESIGN.md decision 6): a symmetric key is kept as a TR-31 / X9.143 version D
 * key block under the AES-256 LMK, its header carrying the key's usage, algorithm, mode of use and
 * exportability (from keyblock's one AWS ↔ TR-31 table); asymmetric private keys (PKCS#8) stay
 * AES-256-GCM sealed under the LMK (GcmKeyVault), which the brief allows.
 *
 * The @paycrypt/keyblock functions are passed in (names fixed by notes/keyblock-api.md) so this
 * file compiles before that package exports them; vault-factory.ts wires them. A store written
 * by the interim GCM vault stays readable: `G1:` blobs are opened by the GCM vault.
 */
export interface Tr31Api {
  wrapTr31(kbpk: Uint8Array, header: Tr31HeaderLike, key: Uint8Array): string;
  unwrapTr31(kbpk: Uint8Array, block: string): { header: Tr31HeaderLike; key: Uint8Array };
  tr31HeaderFieldsFromAws(
    attrs: { KeyUsage: string; KeyAlgorithm: string; KeyModesOfUse: Record<string, boolean> },
    exportability?: 'E' | 'N' | 'S',
  ): { keyUsage: string; algorithm: string; modeOfUse: string; exportability: string };
}

export interface Tr31HeaderLike {
  version: 'A' | 'B' | 'C' | 'D' | 'E';
  keyUsage: string;
  algorithm: string;
  modeOfUse: string;
  keyVersion: string;
  exportability: string;
  keyContext: string;
  optionalBlocks: Array<{ id: string; data: string; raw: string }>;
}

const SYMMETRIC_CLASSES = new Set(['SYMMETRIC_KEY']);

export class Tr31KeyVault implements KeyVault {
  readonly format = 'tr31-d';
  readonly #lmk: Uint8Array;
  readonly #api: Tr31Api;
  readonly #gcm: GcmKeyVault;

  constructor(lmk: Uint8Array, api: Tr31Api) {
    if (lmk.length !== 32) throw new RangeError(`"lmk" expected 32 bytes, got ${lmk.length}`);
    this.#lmk = lmk.slice();
    this.#api = api;
    this.#gcm = new GcmKeyVault(lmk);
  }

  private header(b: SealBinding & { modes?: Record<string, boolean> }): Tr31HeaderLike {
    const f = this.#api.tr31HeaderFieldsFromAws(
      { KeyUsage: b.keyUsage, KeyAlgorithm: b.keyAlgorithm, KeyModesOfUse: b.modes ?? { NoRestrictions: true } },
      b.exportable ? 'E' : 'N',
    );
    // key context '1': a block for storage under a local key (X9.143 header byte 15)
    return { version: 'D', ...f, keyVersion: '00', keyContext: '1', optionalBlocks: [] };
  }

  seal(material: Uint8Array, binding: SealBinding): string {
    // a record-bound blob (CA, token private keys) is always GCM: the TR-31 header cannot carry the id
    if (!SYMMETRIC_CLASSES.has(binding.keyClass) || binding.recordId !== undefined) return this.#gcm.seal(material, binding);
    return this.#api.wrapTr31(this.#lmk, this.header(binding), material);
  }

  unseal(sealed: string, binding: SealBinding): Uint8Array {
    if (sealed.startsWith('G1:')) return this.#gcm.unseal(sealed, binding);
    if (binding.recordId !== undefined) throw new VaultError('Key material cannot be unsealed');
    let out: { header: Tr31HeaderLike; key: Uint8Array };
    try {
      out = this.#api.unwrapTr31(this.#lmk, sealed);
    } catch {
      throw new VaultError('Key material cannot be unsealed');
    }
    const want = this.header(binding);
    // The header binds usage, algorithm family and exportability; the key length binds the rest
    // of the KeyAlgorithm (TDES_2KEY vs TDES_3KEY, AES size, HMAC hash: each has its own length).
    const keyBytes = KEY_ALGORITHMS[binding.keyAlgorithm]?.keyBytes;
    if (
      out.header.keyUsage !== want.keyUsage ||
      out.header.algorithm !== want.algorithm ||
      out.header.exportability !== want.exportability ||
      out.key.length !== keyBytes
    ) {
      out.key.fill(0);
      throw new VaultError('Key material cannot be unsealed');
    }
    return out.key;
  }
}
