import type { BlockCipher } from './block-cipher.js';

/**
 * Output feedback (OFB) mode, NIST SP 800-38A §6.4, over any `BlockCipher` (TDES or AES).
 *
 *   O_0 = IV;  O_j = E_K(O_(j−1));  C_j = P_j ⊕ O_j
 *
 * The keystream does not depend on the data, so encryption and decryption are the same operation
 * (one function). Any data length: a final partial block uses the leading bytes of its output
 * block (SP 800-38A: "the most significant u bits"). OFB needs a unique IV per key and message;
 * a reused IV reveals the XOR of the two plaintexts. That is the caller's duty (AWS defaults the
 * IV to zeros when none is given).
 */
export function ofbCrypt(c: BlockCipher, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const bs = c.blockSize;
  if (!(data instanceof Uint8Array)) throw new TypeError('"data" expected Uint8Array');
  if (!(iv instanceof Uint8Array) || iv.length !== bs) {
    throw new RangeError(`"iv" expected ${bs} bytes, got ${iv instanceof Uint8Array ? iv.length : typeof iv}`);
  }
  const reg = new Uint8Array(iv); // a copy: the caller's IV is never changed
  const out = new Uint8Array(data.length);
  for (let o = 0; o < data.length; o += bs) {
    c.encryptBlockInto(reg, 0, reg, 0);
    const m = Math.min(bs, data.length - o);
    for (let i = 0; i < m; i++) out[o + i] = data[o + i]! ^ reg[i]!;
  }
  reg.fill(0);
  return out;
}

/** OFB encryption (the same operation as decryption). */
export function ofbEncrypt(c: BlockCipher, iv: Uint8Array, data: Uint8Array): Uint8Array {
  return ofbCrypt(c, iv, data);
}

/** OFB decryption (the same operation as encryption). */
export function ofbDecrypt(c: BlockCipher, iv: Uint8Array, data: Uint8Array): Uint8Array {
  return ofbCrypt(c, iv, data);
}
