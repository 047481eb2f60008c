import { AesCipher } from './cipher/aes.js';
import type { BlockCipher } from './cipher/block-cipher.js';
import { cmac } from './cipher/cmac.js';
import { TdesCipher } from './cipher/tdes.js';

/**
 * Key check values.
 *
 * | method       | computation                                     | used for                       |
 * |--------------|-------------------------------------------------|--------------------------------|
 * | `ANSI_X9_24` | encrypt one all-zero block, keep leftmost bytes  | TDES keys (AWS default)        |
 * | `CMAC`       | CMAC of one all-zero block, keep leftmost bytes  | AES keys (AWS default, X9.143) |
 *
 * Default length is 3 bytes; X9.143 KC/KP optional blocks use 5 (and up to the block size).
 */
export type KcvMethod = 'ANSI_X9_24' | 'CMAC';
export type KeyAlgorithmFamily = 'TDES' | 'AES';

export interface KcvOptions {
  /** Defaults to `ANSI_X9_24` for TDES and `CMAC` for AES (what AWS uses). */
  method?: KcvMethod;
  /** Number of bytes to keep, 1..block size; default 3. */
  length?: number;
}

/** The default AWS KCV method for an algorithm family. */
export function defaultKcvMethod(algorithm: KeyAlgorithmFamily): KcvMethod {
  return algorithm === 'AES' ? 'CMAC' : 'ANSI_X9_24';
}

/** KCV with an existing cipher (key schedule reused). */
export function kcvWithCipher(c: BlockCipher, method: KcvMethod, length = 3): Uint8Array {
  if (!Number.isInteger(length) || length < 1 || length > c.blockSize) {
    throw new RangeError(`"length" expected 1..${c.blockSize}, got ${length}`);
  }
  const zero = new Uint8Array(c.blockSize);
  let full: Uint8Array;
  if (method === 'ANSI_X9_24') {
    full = new Uint8Array(c.blockSize);
    c.encryptBlockInto(zero, 0, full, 0);
  } else if (method === 'CMAC') {
    full = cmac(c, zero);
  } else {
    throw new RangeError(`"method" expected ANSI_X9_24 or CMAC, got ${String(method)}`);
  }
  return full.slice(0, length);
}

/** KCV of a raw key. `algorithm` picks the cipher (TDES for 8/16/24-byte DES keys, AES otherwise). */
export function kcv(key: Uint8Array, algorithm: KeyAlgorithmFamily, options: KcvOptions = {}): Uint8Array {
  const c = algorithm === 'AES' ? new AesCipher(key) : algorithm === 'TDES' ? new TdesCipher(key) : undefined;
  if (c === undefined) throw new RangeError(`"algorithm" expected TDES or AES, got ${String(algorithm)}`);
  return kcvWithCipher(c, options.method ?? defaultKcvMethod(algorithm), options.length ?? 3);
}
