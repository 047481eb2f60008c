import { createCipheriv, createDecipheriv, timingSafeEqual } from 'node:crypto';

/**
 * A direct TR-31 version D unwrap on node:crypto, for comparison only (bench, not the library):
 * it builds its cipher objects on every call, as a straightforward implementation does. The issue
 * quotes such an implementation at about 55,000 unwraps/s on this machine; measuring it in the
 * same run as @paycrypt/keyblock gives a ratio that does not depend on the machine's mood.
 *
 * X9.143 / TR-31:2018 version D: KBEK and KBAK = AES-CMAC(KBPK, counter ‖ usage ‖ 00 ‖ algorithm
 * ‖ length) (usage 0000 encryption, 0001 MAC; algorithm 0002/0003/0004 for AES-128/192/256;
 * length in bits); the MAC is AES-CMAC(KBAK, header ‖ clear key field) and is the CBC IV.
 */

function ecb(key: Buffer, block: Buffer): Buffer {
  const c = createCipheriv(`aes-${key.length * 8}-ecb`, key, null);
  c.setAutoPadding(false);
  return c.update(block);
}

function dbl(b: Buffer): Buffer {
  const out = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) out[i] = ((b[i]! << 1) & 0xff) | (i < 15 ? b[i + 1]! >> 7 : 0);
  if (b[0]! & 0x80) out[15]! ^= 0x87;
  return out;
}

function cmac(key: Buffer, msg: Buffer): Buffer {
  const k1 = dbl(ecb(key, Buffer.alloc(16)));
  const k2 = dbl(k1);
  const n = Math.max(1, Math.ceil(msg.length / 16));
  const complete = msg.length > 0 && msg.length % 16 === 0;
  const last = Buffer.alloc(16);
  msg.copy(last, 0, (n - 1) * 16);
  if (!complete) last[msg.length - (n - 1) * 16] = 0x80;
  const sub = complete ? k1 : k2;
  for (let i = 0; i < 16; i++) last[i]! ^= sub[i]!;
  const c = createCipheriv(`aes-${key.length * 8}-cbc`, key, Buffer.alloc(16));
  c.setAutoPadding(false);
  const out = c.update(Buffer.concat([msg.subarray(0, (n - 1) * 16), last]));
  return out.subarray(out.length - 16);
}

function derive(kbpk: Buffer, usage: number): Buffer {
  const alg = { 16: 2, 24: 3, 32: 4 }[kbpk.length]!;
  const bits = kbpk.length * 8;
  const parts: Buffer[] = [];
  for (let counter = 1; parts.length * 16 < kbpk.length; counter++) {
    parts.push(cmac(kbpk, Buffer.from([counter, 0, usage, 0, 0, alg, bits >> 8, bits & 0xff])));
  }
  return Buffer.concat(parts).subarray(0, kbpk.length);
}

/** The clear key of a version D block with no optional blocks, or throws. */
export function nodeUnwrapD(kbpk: Buffer, block: string): Buffer {
  const header = Buffer.from(block.slice(0, 16), 'latin1');
  const encrypted = Buffer.from(block.slice(16, block.length - 32), 'hex');
  const mac = Buffer.from(block.slice(block.length - 32), 'hex');
  const kbek = derive(kbpk, 0);
  const kbak = derive(kbpk, 1);
  const d = createDecipheriv(`aes-${kbek.length * 8}-cbc`, kbek, mac);
  d.setAutoPadding(false);
  const dec = d.update(encrypted);
  if (!timingSafeEqual(cmac(kbak, Buffer.concat([header, dec])), mac)) throw new Error('MAC');
  const bits = dec.readUInt16BE(0);
  return dec.subarray(2, 2 + bits / 8);
}
