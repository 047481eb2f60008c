import { assertBytes } from '../bytes.js';
import type { BlockCipher } from '../cipher/block-cipher.js';
import { TdesCipher } from '../cipher/tdes.js';
import { ownEntry } from '../table.js';

/**
 * ISO/IEC 9797-1 MAC algorithms 1 and 3 (CBC-MAC and the retail MAC of ANSI X9.19).
 *
 * Padding methods (ISO/IEC 9797-1:2011 6.3), one table:
 *
 * | method | rule                                                                   |
 * |--------|------------------------------------------------------------------------|
 * | 1      | append 0-bits to a positive multiple of the block (empty → one block)  |
 * | 2      | append one 1-bit (0x80), then method 1 … but never an extra block of 0s |
 * | 3      | a block holding the data length in bits (big-endian), then method 1    |
 *
 * Algorithm 1: CBC with the full cipher, zero IV; the MAC is the last block (any block cipher).
 * Algorithm 3: CBC with single DES under K1, then the last block is decrypted under K2 and
 * encrypted under K1 — i.e. the last block gets the full TDES key. With a 24-byte key the last
 * block uses TDES-EDE3 (K1, K2, K3): the usual generalisation; no published vector exists for it.
 */
export type Iso9797Padding = 1 | 2 | 3;

export const ISO9797_PADDING_METHODS: Readonly<Record<Iso9797Padding, { readonly marker: number | undefined; readonly lengthBlock: boolean }>> = {
  1: { marker: undefined, lengthBlock: false },
  2: { marker: 0x80, lengthBlock: false },
  3: { marker: undefined, lengthBlock: true },
};

/** Pads `data` for a block size `bs` by ISO/IEC 9797-1 method 1, 2 or 3. */
export function iso9797Pad(data: Uint8Array, bs: number, method: Iso9797Padding): Uint8Array {
  const facts = ownEntry(ISO9797_PADDING_METHODS, method);
  if (facts === undefined) throw new RangeError(`"padding" expected 1, 2 or 3, got ${String(method)}`);
  const body = data.length + (facts.marker === undefined ? 0 : 1);
  const padded = Math.max(bs, Math.ceil(body / bs) * bs);
  const prefix = facts.lengthBlock ? bs : 0;
  const out = new Uint8Array(prefix + padded);
  if (facts.lengthBlock) {
    let bits = data.length * 8;
    for (let i = bs - 1; i >= 0 && bits > 0; i--) {
      out[i] = bits % 256;
      bits = Math.floor(bits / 256);
    }
  }
  out.set(data, prefix);
  if (facts.marker !== undefined) out[prefix + data.length] = facts.marker;
  return out;
}

function cbcLast(c: BlockCipher, padded: Uint8Array, blocks: number): Uint8Array {
  const bs = c.blockSize;
  const x = new Uint8Array(bs);
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < bs; i++) x[i] = x[i]! ^ padded[b * bs + i]!;
    c.encryptBlockInto(x, 0, x, 0);
  }
  return x;
}

/** ISO/IEC 9797-1 MAC algorithm 1 (CBC-MAC), full block; truncate as needed. */
export function iso9797Mac1(cipher: BlockCipher, data: Uint8Array, padding: Iso9797Padding = 1): Uint8Array {
  assertBytes(data, 'data');
  const padded = iso9797Pad(data, cipher.blockSize, padding);
  return cbcLast(cipher, padded, padded.length / cipher.blockSize);
}

/** ISO/IEC 9797-1 MAC algorithm 3 (retail MAC, ANSI X9.19) with a 16- or 24-byte TDES key. */
export function iso9797Mac3(key: Uint8Array, data: Uint8Array, padding: Iso9797Padding = 1): Uint8Array {
  assertBytes(key, 'key', 16, 24);
  assertBytes(data, 'data');
  const k1 = new TdesCipher(key.subarray(0, 8)); // single DES
  const full = new TdesCipher(key);
  const padded = iso9797Pad(data, 8, padding);
  const n = padded.length / 8;
  const x = cbcLast(k1, padded, n - 1);
  for (let i = 0; i < 8; i++) x[i] = x[i]! ^ padded[(n - 1) * 8 + i]!;
  // E_K1(last) then D_K2, E_K1 (or E_K3) = the full TDES encryption of the last chained block
  full.encryptBlockInto(x, 0, x, 0);
  return x;
}
