import { unsafe } from '@noble/ciphers/aes.js';

/**
 * Allocation-free AES pieces for the DUKPT bit walk, where every step expands a fresh key and
 * encrypts one or two blocks with it. Keys, schedules and blocks are little-endian 32-bit words
 * (byte 0 of a block in the low byte of word 0), the layout of @noble/ciphers' `unsafe` block
 * functions, so a derived block IS the next key's words: no byte conversion between steps.
 *
 * The key expansion is FIPS 197 5.2, written into a caller's Uint32Array (60 words fit every
 * key length); the block encryption is @noble/ciphers' `unsafe.encrypt`. The tests check the
 * schedule word for word against `unsafe.expandKeyLE` for random keys of every length.
 */

/** FIPS 197 5.1.1 S-box, computed: multiplicative inverse in GF(2^8), then the affine map. */
const SBOX: Uint8Array = (() => {
  const box = new Uint8Array(256);
  // walk the multiplicative group with generator 3; its inverse walk is by 3^-1 = 0xF6
  let p = 1;
  let q = 1;
  do {
    p = p ^ ((p << 1) & 0xff) ^ (p & 0x80 ? 0x1b : 0); // p *= 3
    q ^= q << 1; // q /= 3 (q *= 0xF6), four shift steps
    q ^= q << 2;
    q ^= q << 4;
    q &= 0xff;
    if (q & 0x80) q ^= 0x09;
    const rot = (x: number, s: number) => ((x << s) | (x >>> (8 - s))) & 0xff;
    box[p] = q ^ rot(q, 1) ^ rot(q, 2) ^ rot(q, 3) ^ rot(q, 4) ^ 0x63;
  } while (p !== 1);
  box[0] = 0x63;
  return box;
})();

/** Round constants (FIPS 197 5.2), enough for AES-128 (10), AES-192 (8) and AES-256 (7). */
const RCON = [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36];

function subWord(w: number): number {
  return SBOX[w & 0xff]! | (SBOX[(w >>> 8) & 0xff]! << 8) | (SBOX[(w >>> 16) & 0xff]! << 16) | (SBOX[w >>> 24]! << 24);
}

/** Schedule length in words for a key of `nk` words (4, 6 or 8): 44, 52 or 60. */
export function scheduleWords(nk: number): number {
  return 4 * (nk + 7);
}

/**
 * Expands the `nk`-word key in `key[keyOff..keyOff+nk)` into `xk[0..scheduleWords(nk))`. `xk` may be longer
 * (a 60-word scratch buffer); `unsafe.encrypt` takes the round count from the length it is given,
 * so pass `xk.subarray(0, scheduleWords(nk))` or a buffer of the exact length.
 */
export function expandKeyWords(key: Uint32Array, keyOff: number, nk: number, xk: Uint32Array): void {
  if (nk === 4) {
    expandKey128(key, keyOff, xk);
    return;
  }
  for (let i = 0; i < nk; i++) xk[i] = key[keyOff + i]!;
  const n = scheduleWords(nk);
  // one round-constant group of nk words at a time (no i % nk per word)
  for (let i = nk, r = 0; i < n; i += nk, r++) {
    const last = xk[i - 1]!;
    xk[i] = xk[i - nk]! ^ subWord((last >>> 8) | (last << 24)) ^ RCON[r]!; // RotWord, SubWord (LE word: rotate right by 8)
    for (let j = 1; j < nk && i + j < n; j++) {
      const t = xk[i + j - 1]!;
      xk[i + j] = xk[i + j - nk]! ^ (nk === 8 && j === 4 ? subWord(t) : t);
    }
  }
}

/** AES-128 (the common DUKPT case), one round constant per 4 words, unrolled. */
function expandKey128(key: Uint32Array, keyOff: number, xk: Uint32Array): void {
  let w0 = key[keyOff]!;
  let w1 = key[keyOff + 1]!;
  let w2 = key[keyOff + 2]!;
  let w3 = key[keyOff + 3]!;
  xk[0] = w0;
  xk[1] = w1;
  xk[2] = w2;
  xk[3] = w3;
  for (let r = 0, i = 4; r < 10; r++, i += 4) {
    w0 ^= subWord((w3 >>> 8) | (w3 << 24)) ^ RCON[r]!;
    w1 ^= w0;
    w2 ^= w1;
    w3 ^= w2;
    xk[i] = w0;
    xk[i + 1] = w1;
    xk[i + 2] = w2;
    xk[i + 3] = w3;
  }
}

/** Encrypts the 4-word block `src[so..so+4)` into `dst[d..d+4)` under schedule `xk` (exact length). */
export function encryptWords(xk: Uint32Array, src: Uint32Array, so: number, dst: Uint32Array, d: number): void {
  const r = unsafe.encrypt(xk, src[so]!, src[so + 1]!, src[so + 2]!, src[so + 3]!);
  dst[d] = r.s0;
  dst[d + 1] = r.s1;
  dst[d + 2] = r.s2;
  dst[d + 3] = r.s3;
}

/** Little-endian words of `bytes[off..off+4n)` into `out[0..n)`. */
export function bytesToWordsLE(bytes: Uint8Array, off: number, n: number, out: Uint32Array): void {
  for (let i = 0; i < n; i++) {
    const o = off + 4 * i;
    out[i] = (bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16) | (bytes[o + 3]! << 24)) >>> 0;
  }
}

/** Bytes of the first `n` little-endian words of `words`, as a new array. */
export function wordsToBytesLE(words: Uint32Array, n: number): Uint8Array {
  const out = new Uint8Array(4 * n);
  for (let i = 0; i < n; i++) {
    const w = words[i]!;
    out[4 * i] = w & 0xff;
    out[4 * i + 1] = (w >>> 8) & 0xff;
    out[4 * i + 2] = (w >>> 16) & 0xff;
    out[4 * i + 3] = w >>> 24;
  }
  return out;
}

/** The S-box, for the test that checks it against FIPS 197 figure 7 entries. */
export function aesSboxForTest(): Uint8Array {
  return SBOX.slice();
}
