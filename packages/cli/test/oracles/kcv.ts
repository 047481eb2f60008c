// Independent KCVs with node:crypto only (never the engine under test).
import { createCipheriv } from 'node:crypto';

export function tdesKcvOracle(keyHex: string, bytes = 3): string {
  const k = Buffer.from(keyHex, 'hex');
  const key = k.length === 16 ? Buffer.concat([k, k.subarray(0, 8)]) : k;
  const c = createCipheriv('des-ede3-ecb', key, null).setAutoPadding(false);
  return Buffer.concat([c.update(Buffer.alloc(8)), c.final()]).subarray(0, bytes).toString('hex').toUpperCase();
}

function aesEcb(key: Buffer, block: Buffer): Buffer {
  const c = createCipheriv(`aes-${key.length * 8}-ecb`, key, null).setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()]);
}

function dbl(b: Buffer): Buffer {
  const out = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) out[i] = ((b[i]! << 1) | (i < 15 ? b[i + 1]! >> 7 : 0)) & 0xff;
  if ((b[0]! & 0x80) !== 0) out[15]! ^= 0x87;
  return out;
}

/** AES-CMAC (NIST SP 800-38B) of one all-zero block: the X9.143 / AWS CMAC KCV. */
export function aesCmacKcvOracle(keyHex: string, bytes = 3): string {
  const key = Buffer.from(keyHex, 'hex');
  const k1 = dbl(aesEcb(key, Buffer.alloc(16)));
  const last = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) last[i] = k1[i]!; // zero block XOR K1 (complete final block)
  return aesEcb(key, last).subarray(0, bytes).toString('hex').toUpperCase();
}
