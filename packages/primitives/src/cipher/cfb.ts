import type { BlockCipher } from './block-cipher.js';

/**
 * Cipher feedback (CFB) mode, NIST SP 800-38A §6.3, over any `BlockCipher` (TDES or AES) with
 * its key schedule already expanded.
 *
 * With a segment of s bits the input register I starts as the IV; for each segment
 *   O = E_K(I);  C = P ⊕ MSB_s(O);  I = LSB_(b−s)(I) ‖ C
 * Decryption is the same with the ciphertext segment fed back. Only the block cipher's forward
 * direction is used, in both directions.
 *
 * Segments supported: 1 bit (CFB1), 8 bits (CFB8), 64 bits (CFB64) and 128 bits (CFB128),
 * each at most the block size (SP 800-38A: 1 ≤ s ≤ b). So CFB64 is full-block CFB for TDES and a
 * half-block segment for AES; CFB128 exists only for AES. Which AWS `EncryptionMode` maps to which
 * segment is in `ENCRYPTION_MODES` (encryption-modes.ts).
 *
 * Lengths: CFB is a stream mode, so any number of bytes is accepted. When the data does not end
 * on a segment boundary (possible for 64- and 128-bit segments only), the last partial segment
 * uses the leading bytes of its keystream block, as OpenSSL does. CFB1 works on whole bytes (8
 * one-bit segments per byte, most significant bit first, as in SP 800-38A's F.3.1 and OpenSSL).
 */
export type CfbSegmentBits = 1 | 8 | 64 | 128;

const SEGMENTS: readonly number[] = [1, 8, 64, 128];

function check(c: BlockCipher, iv: Uint8Array, data: Uint8Array, segmentBits: number): void {
  if (!(data instanceof Uint8Array)) throw new TypeError('"data" expected Uint8Array');
  if (!(iv instanceof Uint8Array) || iv.length !== c.blockSize) {
    throw new RangeError(`"iv" expected ${c.blockSize} bytes, got ${iv instanceof Uint8Array ? iv.length : typeof iv}`);
  }
  if (!SEGMENTS.includes(segmentBits)) {
    throw new RangeError(`"segmentBits" expected 1, 8, 64 or 128, got ${String(segmentBits)}`);
  }
  if (segmentBits > c.blockSize * 8) {
    throw new RangeError(`"segmentBits" ${segmentBits} exceeds the cipher's ${c.blockSize * 8}-bit block`);
  }
}

/** CFB with a segment of whole bytes (1 ≤ k ≤ block size). */
function cfbBytes(c: BlockCipher, iv: Uint8Array, data: Uint8Array, k: number, decrypt: boolean): Uint8Array {
  const bs = c.blockSize;
  const reg = new Uint8Array(iv); // a copy: the caller's IV is never changed
  const ks = new Uint8Array(bs);
  const out = new Uint8Array(data.length);
  const fed = decrypt ? data : out; // where the ciphertext segments are
  for (let o = 0; o < data.length; o += k) {
    c.encryptBlockInto(reg, 0, ks, 0);
    const m = Math.min(k, data.length - o);
    for (let i = 0; i < m; i++) out[o + i] = data[o + i]! ^ ks[i]!;
    if (m < k) break; // a final partial segment: nothing is fed back
    // I = LSB_(b−s)(I) ‖ C, without allocating (this runs once per byte in CFB8)
    for (let i = 0; i < bs - k; i++) reg[i] = reg[i + k]!;
    for (let i = 0; i < k; i++) reg[bs - k + i] = fed[o + i]!;
  }
  reg.fill(0);
  ks.fill(0);
  return out;
}

/** CFB1: one block encryption per bit. */
function cfbBits(c: BlockCipher, iv: Uint8Array, data: Uint8Array, decrypt: boolean): Uint8Array {
  const bs = c.blockSize;
  const reg = new Uint8Array(iv);
  const ks = new Uint8Array(bs);
  const out = new Uint8Array(data.length);
  for (let j = 0; j < data.length; j++) {
    const inByte = data[j]!;
    let outByte = 0;
    for (let bit = 7; bit >= 0; bit--) {
      c.encryptBlockInto(reg, 0, ks, 0);
      const x = ((inByte >> bit) & 1) ^ (ks[0]! >> 7);
      outByte |= x << bit;
      const fedBit = decrypt ? (inByte >> bit) & 1 : x;
      for (let i = 0; i < bs - 1; i++) reg[i] = ((reg[i]! << 1) | (reg[i + 1]! >> 7)) & 0xff;
      reg[bs - 1] = ((reg[bs - 1]! << 1) | fedBit) & 0xff;
    }
    out[j] = outByte;
  }
  reg.fill(0);
  ks.fill(0);
  return out;
}

function cfb(c: BlockCipher, iv: Uint8Array, data: Uint8Array, segmentBits: CfbSegmentBits, decrypt: boolean): Uint8Array {
  check(c, iv, data, segmentBits);
  return segmentBits === 1 ? cfbBits(c, iv, data, decrypt) : cfbBytes(c, iv, data, segmentBits / 8, decrypt);
}

/** CFB encryption with a 1-, 8-, 64- or 128-bit segment; any data length. */
export function cfbEncrypt(c: BlockCipher, iv: Uint8Array, data: Uint8Array, segmentBits: CfbSegmentBits): Uint8Array {
  return cfb(c, iv, data, segmentBits, false);
}

/** CFB decryption with a 1-, 8-, 64- or 128-bit segment; any data length. */
export function cfbDecrypt(c: BlockCipher, iv: Uint8Array, data: Uint8Array, segmentBits: CfbSegmentBits): Uint8Array {
  return cfb(c, iv, data, segmentBits, true);
}
