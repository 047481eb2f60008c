import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';

/**
 * Independent MAC computations with node:crypto only (no @paycrypt code), for the GenerateMac /
 * VerifyMac differential tests. Single DES is DES-EDE with K‖K (OpenSSL 3 refuses plain DES).
 * Hex in, upper-case hex out.
 */
const buf = (hex: string): Buffer => Buffer.from(hex, 'hex');
const out = (b: Buffer): string => b.toString('hex').toUpperCase();

function ecb(alg: string, key: Buffer, block: Buffer, decrypt = false): Buffer {
  const c = decrypt ? createDecipheriv(alg, key, null) : createCipheriv(alg, key, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()]);
}

function cbcLast(alg: string, key: Buffer, data: Buffer, bs: number): Buffer {
  const c = createCipheriv(alg, key, Buffer.alloc(bs));
  c.setAutoPadding(false);
  const all = Buffer.concat([c.update(data), c.final()]);
  return all.subarray(all.length - bs);
}

const tdesEcb = (key: Buffer): string => (key.length === 16 ? 'des-ede-ecb' : 'des-ede3-ecb');
const single = (k: Buffer): Buffer => Buffer.concat([k, k]);

/** ISO/IEC 9797-1 padding method 1 (zeros to a block boundary; none if aligned) or 2 (80 then zeros). */
export function pad(data: Buffer, method: 1 | 2, bs = 8): Buffer {
  const body = method === 2 ? Buffer.concat([data, Buffer.from([0x80])]) : data;
  const n = Math.max(1, Math.ceil(body.length / bs)) * bs;
  return Buffer.concat([body, Buffer.alloc(n - body.length)]);
}

/** ISO 9797-1 MAC algorithm 1 with full TDES (des-ede-cbc / des-ede3-cbc), padding method 1. */
export function nodeAlg1(keyHex: string, msgHex: string): string {
  const key = buf(keyHex);
  return out(cbcLast(key.length === 16 ? 'des-ede-cbc' : 'des-ede3-cbc', key, pad(buf(msgHex), 1), 8));
}

/** ISO 9797-1 MAC algorithm 3: single-DES CBC under K1, then D_K2 and E_K3 (K3 = K1 for 2-key). */
export function nodeAlg3(keyHex: string, msgHex: string, padding: 1 | 2 | 'none' = 1): string {
  const key = buf(keyHex);
  const k1 = key.subarray(0, 8);
  const k2 = key.subarray(8, 16);
  const k3 = key.length === 24 ? key.subarray(16, 24) : k1;
  const data = padding === 'none' ? buf(msgHex) : pad(buf(msgHex), padding);
  const h = cbcLast('des-ede-cbc', single(k1), data, 8);
  return out(ecb('des-ede-ecb', single(k3), ecb('des-ede-ecb', single(k2), h, true)));
}

/** NIST SP 800-38B CMAC with node's block cipher (TDES 2/3-key or AES). */
export function nodeCmac(keyHex: string, msgHex: string, aes: boolean): string {
  const key = buf(keyHex);
  const msg = buf(msgHex);
  const alg = aes ? `aes-${key.length * 8}-ecb` : tdesEcb(key);
  const bs = aes ? 16 : 8;
  const rb = aes ? 0x87 : 0x1b;
  const dbl = (b: Buffer): Buffer => {
    const o = Buffer.alloc(bs);
    let carry = 0;
    for (let i = bs - 1; i >= 0; i--) {
      o[i] = ((b[i]! << 1) | carry) & 0xff;
      carry = b[i]! >> 7;
    }
    if (carry) o[bs - 1] = o[bs - 1]! ^ rb;
    return o;
  };
  const k1 = dbl(ecb(alg, key, Buffer.alloc(bs)));
  const k2 = dbl(k1);
  const n = Math.max(1, Math.ceil(msg.length / bs));
  const complete = msg.length > 0 && msg.length % bs === 0;
  const last = Buffer.alloc(bs);
  msg.copy(last, 0, (n - 1) * bs);
  if (!complete) last[msg.length - (n - 1) * bs] = 0x80;
  for (let i = 0; i < bs; i++) last[i] = last[i]! ^ (complete ? k1 : k2)[i]!;
  let x: Buffer = Buffer.alloc(bs);
  for (let b = 0; b < n; b++) {
    const blk = b < n - 1 ? msg.subarray(b * bs, b * bs + bs) : last;
    for (let i = 0; i < bs; i++) x[i] = x[i]! ^ blk[i]!;
    x = ecb(alg, key, x);
  }
  return out(x);
}

/** HMAC with node's createHmac. */
export function nodeHmac(hash: 'sha224' | 'sha256' | 'sha384' | 'sha512', keyHex: string, msgHex: string): string {
  return out(createHmac(hash, buf(keyHex)).update(buf(msgHex)).digest());
}

/** Deterministic test messages of a given length (hex). */
export function message(length: number, seed = 1): string {
  const b = Buffer.alloc(length);
  for (let i = 0; i < length; i++) b[i] = (i * 37 + seed * 11 + 5) & 0xff;
  return b.toString('hex').toUpperCase();
}
