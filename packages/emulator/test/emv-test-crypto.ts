import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Independent test-side EMV arithmetic on node:crypto (des-ede ECB/CBC), for checking the
 * emulator's EMV data-plane answers without the code under test (EMV 4.x Book 2 A1.3, A1.4,
 * A1.2; ISO/IEC 9797-1 alg 3; ISO 9564-1 PIN blocks).
 */

const buf = (hex: string): Buffer => Buffer.from(hex, 'hex');
const hex = (b: Buffer): string => b.toString('hex').toUpperCase();

export function tdesEcb(key: Buffer, data: Buffer, decrypt = false): Buffer {
  const c = decrypt ? createDecipheriv('des-ede-ecb', key, null) : createCipheriv('des-ede-ecb', key, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

export function tdesCbc(key: Buffer, data: Buffer): Buffer {
  const c = createCipheriv('des-ede-cbc', key, Buffer.alloc(8));
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

function oddParity(b: Buffer): Buffer {
  for (let i = 0; i < b.length; i++) {
    let v = b[i]! & 0xfe;
    let ones = 0;
    for (let x = v; x; x &= x - 1) ones++;
    if (ones % 2 === 0) v |= 1;
    b[i] = v;
  }
  return b;
}

/** Option A ICC master key. */
export function iccMkOptionA(imkHex: string, pan: string, psn: string): Buffer {
  const y = buf((pan + psn).slice(-16).padStart(16, '0'));
  const ny = Buffer.from(y.map((x) => x ^ 0xff));
  return oddParity(tdesEcb(buf(imkHex), Buffer.concat([y, ny])));
}

/** Common session key: R with byte 2 := F0 / 0F. */
export function commonSessionKey(mk: Buffer, r: Buffer): Buffer {
  const a = Buffer.from(r);
  const b = Buffer.from(r);
  a[2] = 0xf0;
  b[2] = 0x0f;
  return oddParity(tdesEcb(mk, Buffer.concat([a, b])));
}

/** ISO/IEC 9797-1 padding method 2. */
export function pad2(d: Buffer): Buffer {
  const n = Math.ceil((d.length + 1) / 8) * 8;
  const out = Buffer.alloc(n);
  d.copy(out);
  out[d.length] = 0x80;
  return out;
}

/** ISO/IEC 9797-1 MAC algorithm 3 (retail), data already aligned. */
export function retailMac(key: Buffer, data: Buffer): Buffer {
  const kl = Buffer.concat([key.subarray(0, 8), key.subarray(0, 8)]);
  const kr = Buffer.concat([key.subarray(8, 16), key.subarray(8, 16)]);
  const cbc = tdesCbc(kl, data);
  const last = cbc.subarray(cbc.length - 8);
  return tdesEcb(kl, tdesEcb(kr, last, true));
}

/** ISO 9564-1 clear PIN blocks 0, 1, 3 (format 1 and 3 fills random). */
export function clearPinBlock(format: 0 | 1 | 3, pin: string, pan: string): Buffer {
  const fill = format === 0 ? () => 'F' : format === 1 ? () => (randomBytes(1)[0]! % 16).toString(16) : () => 'ABCDEF'[randomBytes(1)[0]! % 6]!;
  let field = `${format}${pin.length.toString(16)}${pin}`;
  while (field.length < 16) field += fill();
  const b = buf(field);
  if (format === 1) return b;
  const p = buf(`0000${pan.slice(0, -1).slice(-12)}`);
  return Buffer.from(b.map((x, i) => x ^ p[i]!));
}

/** An encrypted PIN block (hex) under a TDES PEK. */
export function encryptedPinBlock(pekHex: string, format: 0 | 1 | 3, pin: string, pan: string): string {
  return hex(tdesEcb(buf(pekHex), clearPinBlock(format, pin, pan)));
}

export { buf, hex };
