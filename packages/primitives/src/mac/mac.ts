import { constantTimeEqual } from '../bytes.js';
import { AesCipher } from '../cipher/aes.js';
import type { BlockCipher } from '../cipher/block-cipher.js';
import { cmac } from '../cipher/cmac.js';
import { TdesCipher } from '../cipher/tdes.js';
import { type HmacHash, hmacSha } from './hmac.js';
import { type Iso9797Padding, iso9797Mac1, iso9797Mac3 } from './iso9797.js';
import { ownEntry } from '../table.js';

/**
 * One entry point for the MAC algorithms, named as AWS `MacAlgorithm` names them.
 *
 * | algorithm            | key                              | full MAC  | spec                          |
 * |----------------------|----------------------------------|-----------|-------------------------------|
 * | ISO9797_ALGORITHM1   | TDES (or any BlockCipher)        | 1 block   | ISO/IEC 9797-1 alg. 1, CBC-MAC |
 * | ISO9797_ALGORITHM3   | TDES 16/24 bytes                 | 8 bytes   | ISO/IEC 9797-1 alg. 3, X9.19   |
 * | CMAC                 | TDES or AES (say which, or pass a cipher) | 1 block | NIST SP 800-38B (alg. 5) |
 * | HMAC_SHA224 … 512    | any length                       | hash size | RFC 2104, FIPS 180-4           |
 *
 * `length` truncates to the leftmost bytes. Verification recomputes and compares in constant time.
 */
export type MacAlgorithm = 'ISO9797_ALGORITHM1' | 'ISO9797_ALGORITHM3' | 'CMAC' | 'HMAC_SHA224' | 'HMAC_SHA256' | 'HMAC_SHA384' | 'HMAC_SHA512';

export const MAC_ALGORITHMS: Readonly<Record<MacAlgorithm, { readonly kind: 'CBC' | 'RETAIL' | 'CMAC' | 'HMAC'; readonly hash?: HmacHash }>> = {
  ISO9797_ALGORITHM1: { kind: 'CBC' },
  ISO9797_ALGORITHM3: { kind: 'RETAIL' },
  CMAC: { kind: 'CMAC' },
  HMAC_SHA224: { kind: 'HMAC', hash: 'SHA224' },
  HMAC_SHA256: { kind: 'HMAC', hash: 'SHA256' },
  HMAC_SHA384: { kind: 'HMAC', hash: 'SHA384' },
  HMAC_SHA512: { kind: 'HMAC', hash: 'SHA512' },
};

export interface MacOptions {
  /** ISO 9797-1 padding method for algorithms 1 and 3 (default 1, as X9.19). */
  padding?: Iso9797Padding;
  /** Cipher of a raw key for ISO9797_ALGORITHM1 and CMAC (default TDES for algorithm 1; required for CMAC). */
  cipher?: 'TDES' | 'AES';
  /** MAC length in bytes (leftmost bytes kept); default the full MAC. */
  length?: number;
}

function blockCipher(key: Uint8Array | BlockCipher, family: 'TDES' | 'AES' | undefined, algorithm: MacAlgorithm): BlockCipher {
  if (!(key instanceof Uint8Array)) return key;
  if (family === undefined) throw new RangeError(`"cipher" (TDES or AES) is required for ${algorithm} with a raw key`);
  return family === 'AES' ? new AesCipher(key) : new TdesCipher(key);
}

/** The MAC of `data`. */
export function generateMac(algorithm: MacAlgorithm, key: Uint8Array | BlockCipher, data: Uint8Array, options: MacOptions = {}): Uint8Array {
  const facts = ownEntry(MAC_ALGORITHMS, algorithm);
  if (facts === undefined) throw new RangeError(`"algorithm" expected one of ${Object.keys(MAC_ALGORITHMS).join(', ')}, got ${String(algorithm)}`);
  let full: Uint8Array;
  switch (facts.kind) {
    case 'CBC':
      full = iso9797Mac1(blockCipher(key, options.cipher ?? 'TDES', algorithm), data, options.padding ?? 1);
      break;
    case 'RETAIL':
      if (!(key instanceof Uint8Array)) throw new TypeError('"key" for ISO9797_ALGORITHM3 expected the raw 16- or 24-byte TDES key');
      full = iso9797Mac3(key, data, options.padding ?? 1);
      break;
    case 'CMAC':
      full = cmac(blockCipher(key, options.cipher, algorithm), data);
      break;
    case 'HMAC':
      if (!(key instanceof Uint8Array)) throw new TypeError(`"key" for ${algorithm} expected Uint8Array`);
      full = hmacSha(facts.hash!, key, data);
      break;
  }
  const length = options.length ?? full.length;
  if (!Number.isInteger(length) || length < 1 || length > full.length) {
    throw new RangeError(`"length" expected 1 to ${full.length} bytes, got ${length}`);
  }
  return length === full.length ? full : full.slice(0, length);
}

/** True when `mac` is the (possibly truncated) MAC of `data`; the comparison is constant-time. */
export function verifyMac(algorithm: MacAlgorithm, key: Uint8Array | BlockCipher, data: Uint8Array, mac: Uint8Array, options: Omit<MacOptions, 'length'> = {}): boolean {
  if (!(mac instanceof Uint8Array)) throw new TypeError('"mac" expected Uint8Array');
  const full = generateMac(algorithm, key, data, options);
  if (mac.length < 1 || mac.length > full.length) return false;
  return constantTimeEqual(full.subarray(0, mac.length), mac);
}
