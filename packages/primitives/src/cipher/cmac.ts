import type { BlockCipher } from './block-cipher.js';

/**
 * CMAC (NIST SP 800-38B / ISO 9797-1 MAC algorithm 5) over any BlockCipher:
 * TDES (8-byte blocks, Rb = 0x1B) and AES (16-byte blocks, Rb = 0x87).
 * Subkeys are computed once per cipher instance and cached.
 */
interface Subkeys {
  k1: Uint8Array;
  k2: Uint8Array;
}

const subkeyCache = new WeakMap<BlockCipher, Subkeys>();

function dbl(block: Uint8Array, rb: number): Uint8Array {
  const out = new Uint8Array(block.length);
  let carry = 0;
  for (let i = block.length - 1; i >= 0; i--) {
    const b = block[i]!;
    out[i] = ((b << 1) | carry) & 0xff;
    carry = b >>> 7;
  }
  // constant-time conditional XOR of Rb
  out[block.length - 1] = out[block.length - 1]! ^ (rb & -carry);
  return out;
}

/** The CMAC subkeys K1 and K2 (exposed for TR-31 key derivation and for tests). */
export function cmacSubkeys(c: BlockCipher): Subkeys {
  let sk = subkeyCache.get(c);
  if (sk === undefined) {
    const rb = c.blockSize === 16 ? 0x87 : 0x1b;
    const l = new Uint8Array(c.blockSize);
    c.encryptBlockInto(l, 0, l, 0);
    const k1 = dbl(l, rb);
    const k2 = dbl(k1, rb);
    l.fill(0);
    sk = { k1, k2 };
    subkeyCache.set(c, sk);
  }
  return sk;
}

/** Full-length CMAC of `data` (any length, including empty). */
export function cmac(c: BlockCipher, data: Uint8Array): Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TypeError('"data" expected Uint8Array');
  const bs = c.blockSize;
  const { k1, k2 } = cmacSubkeys(c);
  const n = data.length === 0 ? 1 : Math.ceil(data.length / bs);
  const complete = data.length > 0 && data.length % bs === 0;
  const x = new Uint8Array(bs);
  for (let b = 0; b < n - 1; b++) {
    const o = b * bs;
    for (let i = 0; i < bs; i++) x[i] = x[i]! ^ data[o + i]!;
    c.encryptBlockInto(x, 0, x, 0);
  }
  const o = (n - 1) * bs;
  const rem = data.length - o;
  const sub = complete ? k1 : k2;
  for (let i = 0; i < bs; i++) {
    let m: number;
    if (i < rem) m = data[o + i]!;
    else m = i === rem && !complete ? 0x80 : 0;
    x[i] = x[i]! ^ m ^ sub[i]!;
  }
  c.encryptBlockInto(x, 0, x, 0);
  return x;
}
