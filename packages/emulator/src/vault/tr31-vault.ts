import { createPrivateKey } from 'node:crypto';
import { KEY_ALGORITHMS, asymmetricKeyAlgorithm } from '../keys/key-algorithms.js';
import { GcmKeyVault, VaultError, type KeyVault, type SealBinding } from './key-vault.js';

/**
 * The TR-31 vault (DESIGN.md decision 6): every key's material is kept as a TR-31 / X9.143
 * version D key block under the AES-256 LMK, key context `1` (storage).
 * - A symmetric key: the header carries its usage, algorithm, mode of use and exportability
 *   (from keyblock's one AWS ↔ TR-31 table); the key length binds the rest of the KeyAlgorithm.
 * - The private key (PKCS#8 DER) of an RSA or ECC key pair: usage S0/D1/K2/K3, algorithm `R` or
 *   `E`, a fixed mode of use per usage (the AWS modes stay in the key record); the key size or
 *   curve read back from the PKCS#8 binds the KeyAlgorithm.
 * Record-bound blobs (the import/export CA and token private keys, `recordId`) stay AES-256-GCM
 * sealed under the same LMK (GcmKeyVault): a TR-31 header cannot carry the record id.
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

/**
 * The optional block that carries the key's ARN (binding.keyArn) inside the MAC-protected header.
 * X9.143 leaves numeric block IDs to proprietary use. Blocks sealed before it have none.
 */
export const KEY_ARN_BLOCK_ID = '99';
const KEY_PAIR_CLASS = 'ASYMMETRIC_KEY_PAIR';

/** Storage mode of use of a key pair's private key, per TR-31 usage (X9.143: S sign, B both, X derive). */
const KEY_PAIR_MODES: Readonly<Record<string, string>> = { S0: 'S', D1: 'B', K2: 'B', K3: 'X' };

/** The AWS KeyAlgorithm of a PKCS#8 private key (RSA_n or ECC_NIST_Pn), undefined when neither. */
function keyPairAlgorithm(pkcs8: Uint8Array): string | undefined {
  try {
    return asymmetricKeyAlgorithm(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }));
  } catch {
    // not a PKCS#8 key: no algorithm
  }
  return undefined;
}

function arnBlock(b: SealBinding): Array<{ id: string; data: string; raw: string }> {
  return b.keyArn === undefined ? [] : [{ id: KEY_ARN_BLOCK_ID, data: b.keyArn, raw: '' }];
}

export class Tr31KeyVault implements KeyVault {
  readonly format = 'tr31-d';
  readonly #lmk: Uint8Array;
  readonly #api: Tr31Api;
  readonly #gcm: GcmKeyVault;

  constructor(lmk: Uint8Array, api: Tr31Api) {
    if (lmk.length !== 32) throw new RangeError(`"lmk" expected 32 bytes, got ${lmk.length}`);
    this.#lmk = new Uint8Array(lmk); // a copy (a Node Buffer's slice() is a view of the caller's bytes)
    this.#api = api;
    this.#gcm = new GcmKeyVault(lmk);
  }

  private header(b: SealBinding): Tr31HeaderLike {
    if (b.keyClass === KEY_PAIR_CLASS) {
      const keyUsage = b.keyUsage.slice(5, 7);
      const modeOfUse = KEY_PAIR_MODES[keyUsage];
      const algorithm = b.keyAlgorithm.startsWith('RSA_') ? 'R' : b.keyAlgorithm.startsWith('ECC_') ? 'E' : undefined;
      if (modeOfUse === undefined || algorithm === undefined) throw new VaultError('Key material cannot be sealed');
      return { version: 'D', keyUsage, algorithm, modeOfUse, keyVersion: '00', exportability: b.exportable ? 'E' : 'N', keyContext: '1', optionalBlocks: arnBlock(b) };
    }
    const f = this.#api.tr31HeaderFieldsFromAws(
      { KeyUsage: b.keyUsage, KeyAlgorithm: b.keyAlgorithm, KeyModesOfUse: { NoRestrictions: true } }, // storage: mode N (the AWS modes stay in the record)
      b.exportable ? 'E' : 'N',
    );
    // key context '1': a block for storage under a local key (X9.143 header byte 15)
    return { version: 'D', ...f, keyVersion: '00', keyContext: '1', optionalBlocks: arnBlock(b) };
  }

  seal(material: Uint8Array, binding: SealBinding): string {
    // a record-bound blob (CA, token private keys) is always GCM: the TR-31 header cannot carry the id
    if ((!SYMMETRIC_CLASSES.has(binding.keyClass) && binding.keyClass !== KEY_PAIR_CLASS) || binding.recordId !== undefined) return this.#gcm.seal(material, binding);
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
    // A key pair's size or curve is read from the PKCS#8 itself.
    const keyBytes = KEY_ALGORITHMS[binding.keyAlgorithm]?.keyBytes;
    const sameKind = binding.keyClass === KEY_PAIR_CLASS ? keyPairAlgorithm(out.key) === binding.keyAlgorithm : out.key.length === keyBytes;
    // the ARN block, when present, must name this key; absent = sealed before it was bound
    const arn = out.header.optionalBlocks.find((b) => b.id === KEY_ARN_BLOCK_ID)?.data;
    if (
      out.header.keyUsage !== want.keyUsage ||
      out.header.algorithm !== want.algorithm ||
      out.header.exportability !== want.exportability ||
      (arn !== undefined && binding.keyArn !== undefined && arn !== binding.keyArn) ||
      !sameKind
    ) {
      out.key.fill(0);
      throw new VaultError('Key material cannot be unsealed');
    }
    return out.key;
  }
}
