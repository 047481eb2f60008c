import { AES_DUKPT_KEY_TYPES, AES_DUKPT_KEY_USAGES, type AesDukptKeyType } from './aes-dukpt-facts.js';
import { bytesToWordsLE, encryptWords, expandKeyWords, scheduleWords, wordsToBytesLE } from './aes-words.js';

/**
 * The X9.24-3:2017 host-side bit walk (6.1/6.4) and working-key derivation (6.3), on 32-bit
 * words with preallocated buffers: per step one key expansion and one or two block encryptions,
 * no allocation. Optionally remembers the intermediate keys of the last walk (the "path"), so the
 * next counter of the same initial key only derives the steps below the highest changed bit.
 *
 * Derivation data (16 bytes, X9.24-3:2017 6.3.2) as four little-endian words:
 *   w0 = 01 ‖ block counter ‖ usage (2)   w1 = algorithm (2) ‖ bits (2)
 *   w2 = derivation ID (KSN bytes 4..7)   w3 = counter, big-endian bytes
 *
 * Internal: callers own the object and must call `wipe()` when done (it holds clear keys).
 */
export class AesDukptWalk {
  readonly type: 'AES128' | 'AES192' | 'AES256';
  readonly nk: number;
  /** Initial key words. */
  readonly #ik = new Uint32Array(8);
  /** Schedule of the key currently expanded (exact length, as `unsafe.encrypt` needs). */
  readonly #xk: Uint32Array;
  readonly #dd = new Uint32Array(4);
  /** Path cache: entry i is the intermediate key after the i-th set counter bit. */
  readonly #pathKeys: Uint32Array;
  readonly #pathCounters: Uint32Array;
  #depth = 0;
  readonly #caching: boolean;
  /** Derivation ID (KSN bytes 4..7) as a little-endian word. */
  #derivationId: number;
  readonly #ddKdWord1: number;

  constructor(initialKey: Uint8Array, type: 'AES128' | 'AES192' | 'AES256', derivationId: number, caching: boolean) {
    this.type = type;
    this.nk = initialKey.length / 4;
    bytesToWordsLE(initialKey, 0, this.nk, this.#ik);
    this.#xk = new Uint32Array(scheduleWords(this.nk));
    this.#caching = caching;
    this.#pathKeys = new Uint32Array(caching ? 32 * 8 : 8);
    this.#pathCounters = new Uint32Array(caching ? 32 : 0);
    this.#derivationId = derivationId;
    const f = AES_DUKPT_KEY_TYPES[type];
    this.#ddKdWord1 = ddWord1(f.algorithm, f.bits);
  }

  /** Loads another initial key of the same type (for the reusable scratch walkers below). */
  load(initialKey: Uint8Array, derivationId: number): this {
    bytesToWordsLE(initialKey, 0, this.nk, this.#ik);
    this.#derivationId = derivationId;
    this.#depth = 0;
    return this;
  }

  /**
   * Runs the bit walk for `counter` (unvalidated) and returns the offset (in words) of the
   * resulting intermediate key inside the path buffer, or -1 for counter 0 (the initial key).
   */
  #walk(counter: number): number {
    const nk = this.nk;
    const dd = this.#dd;
    const keys = this.#pathKeys;
    let i = 0;
    let working = 0;
    let prev = -1; // offset of the current key; -1 = initial key
    for (let mask = 0x80000000; mask !== 0; mask >>>= 1) {
      if ((counter & mask) === 0) continue;
      working = (working | mask) >>> 0;
      const slot = this.#caching ? i * 8 : 0;
      if (this.#caching && i < this.#depth && this.#pathCounters[i] === working) {
        prev = slot;
        i++;
        continue;
      }
      expandKeyWords(prev < 0 ? this.#ik : keys, prev < 0 ? 0 : prev, nk, this.#xk);
      dd[1] = this.#ddKdWord1;
      dd[2] = this.#derivationId;
      dd[3] = bswap(working);
      for (let w = 0, b = 1; w < nk; w += 4, b++) {
        dd[0] = ddWord0(AES_DUKPT_KEY_USAGES.KEY_DERIVATION, b);
        encryptWords(this.#xk, dd, 0, keys, slot + w);
      }
      if (nk === 6) keys.fill(0, slot + 6, slot + 8); // AES-192: second block truncated to 64 bits
      if (this.#caching) {
        this.#pathCounters[i] = working;
        this.#depth = i + 1;
      }
      prev = slot;
      i++;
    }
    this.#xk.fill(0);
    return prev;
  }

  /** The intermediate ("transaction") key for `counter`, as bytes (a new array). */
  transactionKey(counter: number): Uint8Array {
    const off = this.#walk(counter);
    const src = off < 0 ? this.#ik : this.#pathKeys.subarray(off, off + this.nk);
    return wordsToBytesLE(src, this.nk);
  }

  /** A working key of `type` and `usage` for `counter` (whose walk this derives or reuses). */
  workingKey(counter: number, usage: number, type: AesDukptKeyType): Uint8Array {
    const off = this.#walk(counter);
    const nk = this.nk;
    expandKeyWords(off < 0 ? this.#ik : this.#pathKeys, off < 0 ? 0 : off, nk, this.#xk);
    const f = AES_DUKPT_KEY_TYPES[type];
    const outWords = f.bits / 32;
    const out = new Uint32Array(8);
    const dd = this.#dd;
    dd[1] = ddWord1(f.algorithm, f.bits);
    dd[2] = this.#derivationId;
    dd[3] = bswap(counter);
    for (let w = 0, b = 1; w < outWords; w += 4, b++) {
      dd[0] = ddWord0(usage, b);
      encryptWords(this.#xk, dd, 0, out, w);
    }
    this.#xk.fill(0);
    if (!this.#caching) this.#pathKeys.fill(0);
    const bytes = wordsToBytesLE(out, outWords);
    out.fill(0);
    return bytes;
  }

  /** True when every key buffer is zero (tests check that wipe() left nothing behind). */
  isWiped(): boolean {
    return [this.#ik, this.#xk, this.#pathKeys].every((a) => a.every((w) => w === 0)) && this.#depth === 0;
  }

  /** Zeroes every key this object holds. */
  wipe(): void {
    this.#ik.fill(0);
    this.#xk.fill(0);
    this.#pathKeys.fill(0);
    this.#pathCounters.fill(0);
    this.#depth = 0;
  }
}

const scratch: Partial<Record<'AES128' | 'AES192' | 'AES256', AesDukptWalk>> = {};

/**
 * A non-caching walker for one stateless call, loaded with `initialKey`: one per key type,
 * reused across calls to avoid allocating buffers each time. The caller MUST `wipe()` it before
 * returning (in a `finally`), so no key outlives the call. Calls are synchronous, so a walker
 * is never in use twice at once.
 */
export function scratchWalk(initialKey: Uint8Array, type: 'AES128' | 'AES192' | 'AES256', derivationId: number): AesDukptWalk {
  const w = (scratch[type] ??= new AesDukptWalk(new Uint8Array(initialKey.length), type, 0, false));
  return w.load(initialKey, derivationId);
}

/** For tests: whether every scratch walker created so far holds only zeros. */
export function scratchWalkersWipedForTest(): boolean {
  return Object.values(scratch).every((w) => w.isWiped());
}

function ddWord0(usage: number, blockCounter: number): number {
  return (0x01 | (blockCounter << 8) | ((usage >>> 8) << 16) | ((usage & 0xff) << 24)) >>> 0;
}

function ddWord1(algorithm: number, bits: number): number {
  return ((algorithm >>> 8) | ((algorithm & 0xff) << 8) | ((bits >>> 8) << 16) | ((bits & 0xff) << 24)) >>> 0;
}

function bswap(v: number): number {
  return ((v >>> 24) | ((v >>> 8) & 0xff00) | ((v & 0xff00) << 8) | ((v & 0xff) << 24)) >>> 0;
}

/** Derivation ID (KSN bytes 4..7) of a 12-byte KSN or 8-byte IK ID, as a little-endian word. */
export function derivationIdWord(ksnOrIkId: Uint8Array): number {
  return (ksnOrIkId[4]! | (ksnOrIkId[5]! << 8) | (ksnOrIkId[6]! << 16) | (ksnOrIkId[7]! << 24)) >>> 0;
}
