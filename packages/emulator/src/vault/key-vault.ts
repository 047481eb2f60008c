import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Sealing of key material under the local master key (LMK, AES-256). Key material never sits in
 * the emulator's state or store in clear: records hold only `seal()` output.
 *
 * The binding (usage, algorithm, modes, exportability) is authenticated with the material, so a
 * sealed blob cannot be re-attached to a key with other attributes.
 */
export interface SealBinding {
  keyUsage: string;
  keyAlgorithm: string;
  keyClass: string;
  exportable: boolean;
  /**
   * Identity of the record that holds the blob (the import/export CA and tokens: see
   * control-plane/import-export/emulator-ca.ts and tokens.ts). Part of the authenticated binding,
   * so a blob moved to another record does not open. Absent for key records (their blobs
   * predate it and stay readable).
   */
  recordId?: string;
  /**
   * Identity of the key the material belongs to (its ARN; for a multi-Region key, the primary's
   * ARN, which its replicas share). Bound by every new seal, so a block copied into another key's
   * record does not open. Blobs sealed before it existed open without it; their KCV is checked
   * against the record instead (keys/key-access.ts keyMaterial), as every unsealed key's is.
   * Bound by the TR-31 vault (an optional block of the header); an unseal that does not give it
   * does not check it (tools, tests). The GCM vault, whose key blobs are all older, ignores it.
   */
  keyArn?: string;
}

export interface KeyVault {
  /** e.g. 'tr31-d' */
  readonly format: string;
  seal(material: Uint8Array, binding: SealBinding): string;
  /** throws VaultError on a wrong LMK, tampering or a binding mismatch */
  unseal(sealed: string, binding: SealBinding): Uint8Array;
}

export class VaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultError';
  }
}

function bindingText(b: SealBinding): string {
  const base = `${b.keyUsage}|${b.keyAlgorithm}|${b.keyClass}|${b.exportable ? 'E' : 'N'}`;
  // keyArn is not part of the GCM binding: G1 key blobs are the earlier vault's (new keys are
  // TR-31 blocks, which carry it); a G1 key blob is checked by its KCV instead
  return b.recordId === undefined ? base : `${base}|${b.recordId}`;
}

/**
 * Interim vault (AES-256-GCM, binding as associated data), used until the TR-31 vault of
 * tr31-vault.ts is wired. Format: `G1:` + base64(iv ‖ ciphertext ‖ tag).
 */
export class GcmKeyVault implements KeyVault {
  readonly format = 'aes-256-gcm';
  readonly #lmk: Uint8Array;

  constructor(lmk: Uint8Array) {
    if (lmk.length !== 32) throw new RangeError(`"lmk" expected 32 bytes, got ${lmk.length}`);
    this.#lmk = new Uint8Array(lmk); // a copy (a Node Buffer's slice() is a view of the caller's bytes)
  }

  seal(material: Uint8Array, binding: SealBinding): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.#lmk, iv);
    c.setAAD(Buffer.from(bindingText(binding)));
    const ct = Buffer.concat([c.update(material), c.final()]);
    return `G1:${Buffer.concat([iv, ct, c.getAuthTag()]).toString('base64')}`;
  }

  unseal(sealed: string, binding: SealBinding): Uint8Array {
    if (!sealed.startsWith('G1:')) throw new VaultError('Key material cannot be unsealed');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    try {
      const d = createDecipheriv('aes-256-gcm', this.#lmk, raw.subarray(0, 12));
      d.setAAD(Buffer.from(bindingText(binding)));
      d.setAuthTag(raw.subarray(raw.length - 16));
      return new Uint8Array(Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]));
    } catch {
      throw new VaultError('Key material cannot be unsealed');
    }
  }
}
