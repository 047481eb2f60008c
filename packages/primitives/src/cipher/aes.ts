import { unsafe } from '@noble/ciphers/aes.js';
import type { BlockCipher } from './block-cipher.js';

const AES_KEY_LENGTHS = [16, 24, 32] as const;

function readLE(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

function writeLE(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
}

/**
 * AES-128/192/256 with its key schedules expanded once (encryption schedule eagerly,
 * decryption schedule on first use). Built on @noble/ciphers' low-level block functions.
 */
export class AesCipher implements BlockCipher {
  readonly blockSize = 16 as const;
  readonly keyLength: 16 | 24 | 32;
  readonly #enc: Uint32Array;
  #dec: Uint32Array | undefined;
  readonly #key: Uint8Array;

  constructor(key: Uint8Array) {
    if (!(key instanceof Uint8Array)) throw new TypeError('"key" expected Uint8Array');
    if (!(AES_KEY_LENGTHS as readonly number[]).includes(key.length)) {
      throw new RangeError(`"key" expected 16, 24 or 32 bytes, got ${key.length}`);
    }
    this.keyLength = key.length as 16 | 24 | 32;
    this.#key = new Uint8Array(key); // a copy also for a Node Buffer (its slice() is a view)
    this.#enc = unsafe.expandKeyLE(this.#key);
  }

  encryptBlockInto(src: Uint8Array, so: number, dst: Uint8Array, d: number): void {
    const r = unsafe.encrypt(this.#enc, readLE(src, so), readLE(src, so + 4), readLE(src, so + 8), readLE(src, so + 12));
    writeLE(dst, d, r.s0);
    writeLE(dst, d + 4, r.s1);
    writeLE(dst, d + 8, r.s2);
    writeLE(dst, d + 12, r.s3);
  }

  decryptBlockInto(src: Uint8Array, so: number, dst: Uint8Array, d: number): void {
    this.#dec ??= unsafe.expandKeyDecLE(this.#key);
    const r = unsafe.decrypt(this.#dec, readLE(src, so), readLE(src, so + 4), readLE(src, so + 8), readLE(src, so + 12));
    writeLE(dst, d, r.s0);
    writeLE(dst, d + 4, r.s1);
    writeLE(dst, d + 8, r.s2);
    writeLE(dst, d + 12, r.s3);
  }
}

export function createAes(key: Uint8Array): AesCipher {
  return new AesCipher(key);
}
