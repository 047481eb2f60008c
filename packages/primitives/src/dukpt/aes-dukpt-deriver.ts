import { assertBytes, constantTimeEqual, hexToBytes } from '../bytes.js';
import { PrimitivesError } from '../errors.js';
import { aesDerivationKeyType } from './aes-dukpt-facts.js';
import { AesDukptWalk, derivationIdWord } from './aes-dukpt-walk.js';
import { AesDukptBdk, type AesDukptWorkingKeyOptions, aesDukptInitialKey, resolveWorkingKeyOptions } from './aes-dukpt.js';
import { type KsnInput, parseAesKsn } from './ksn.js';

/**
 * AES DUKPT (X9.24-3:2017) host derivation for ONE initial key, with the intermediate keys of
 * the last counter remembered. A terminal's counters come in sequence, and consecutive counters
 * share the upper part of their bit walk, so after the first call a new counter usually costs one
 * or two derivation steps instead of one per one-bit (up to 16).
 *
 * The object holds clear keys (the initial key and up to 32 intermediate keys) for as long as
 * the caller keeps it: call `dispose()` when done, which zeroes them; any later call throws.
 * Results are identical to `aesDukptWorkingKey` / `aesDukptTransactionKey` (the tests compare).
 *
 * ```ts
 * const d = AesDukptDeriver.fromBdk(bdk, '1234567890123456');
 * try { const pek = d.workingKey('123456789012345600000008', { usage: 'PIN_ENCRYPTION' }); }
 * finally { d.dispose(); }
 * ```
 */
export class AesDukptDeriver {
  readonly #initialKeyId: Uint8Array;
  readonly keyType: 'AES128' | 'AES192' | 'AES256';
  #walk: AesDukptWalk | undefined;

  /** From the initial key (16, 24 or 32 bytes; copied) and its 8-byte ID (16 hex or bytes). */
  constructor(initialKey: Uint8Array, initialKeyId: Uint8Array | string) {
    assertBytes(initialKey, 'initialKey', 16, 24, 32);
    this.#initialKeyId = ikIdBytes(initialKeyId);
    this.keyType = aesDerivationKeyType(initialKey.length, 'initialKey');
    this.#walk = new AesDukptWalk(initialKey, this.keyType, derivationIdWord(this.#initialKeyId), true);
  }

  /** The 8-byte initial key ID (BDK ID ‖ derivation ID) every KSN given must start with (a copy). */
  get initialKeyId(): Uint8Array {
    return this.#initialKeyId.slice();
  }

  /** Derives the initial key from the BDK and the IK ID (the first 8 bytes of the terminal's KSNs). */
  static fromBdk(bdk: Uint8Array | AesDukptBdk, initialKeyId: Uint8Array | string): AesDukptDeriver {
    const id = ikIdBytes(initialKeyId);
    const ik = aesDukptInitialKey(bdk, id);
    try {
      return new AesDukptDeriver(ik, id);
    } finally {
      ik.fill(0);
    }
  }

  /** True after `dispose()`. */
  get disposed(): boolean {
    return this.#walk === undefined;
  }

  /** Intermediate ("transaction") key for the KSN's counter (validated as `aesDukptTransactionKey` does). */
  transactionKey(ksn: KsnInput): Uint8Array {
    const walk = this.#live();
    return walk.transactionKey(this.#counter(ksn));
  }

  /** Working key for the KSN (same options and checks as `aesDukptWorkingKey`). */
  workingKey(ksn: KsnInput, options: AesDukptWorkingKeyOptions): Uint8Array {
    const walk = this.#live();
    const counter = this.#counter(ksn);
    const { usage, type } = resolveWorkingKeyOptions(options, this.keyType);
    return walk.workingKey(counter, usage, type);
  }

  /** Zeroes the initial key and every cached intermediate key; the object is unusable afterwards. */
  dispose(): void {
    this.#walk?.wipe();
    this.#walk = undefined;
  }

  #live(): AesDukptWalk {
    if (this.#walk === undefined) throw new TypeError('AesDukptDeriver used after dispose()');
    return this.#walk;
  }

  #counter(ksn: KsnInput): number {
    const { ksn: k, counter } = parseAesKsn(ksn);
    // the IK ID is public (it is in every KSN); the comparison is constant-time anyway
    if (!constantTimeEqual(k.subarray(0, 8), this.#initialKeyId)) {
      throw new PrimitivesError('INVALID_KSN', '"ksn" belongs to a different initial key ID than this deriver', { field: 'ksn' });
    }
    return counter;
  }
}

function ikIdBytes(id: Uint8Array | string): Uint8Array {
  const field = 'initialKeyId';
  const b = typeof id === 'string' ? hexToBytes(id, { field }) : id;
  if (!(b instanceof Uint8Array)) throw new TypeError(`"${field}" expected Uint8Array or hex string, got ${typeof id}`);
  if (b.length !== 8) {
    throw new PrimitivesError('INVALID_INPUT', `"${field}" expected 8 bytes (16 hex), got ${b.length} bytes`, { field });
  }
  return new Uint8Array(b); // a copy, also for a Node Buffer
}
