import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { importByValue, type DataPlaneHarness, type ImportedKey } from './data-plane-kit.js';

/**
 * Test-side PIN arithmetic for the PIN data-plane tests, written independently of
 * @paycrypt/primitives: TDES/AES ECB from node:crypto, ISO 9564 blocks, Visa PVV and the IBM
 * 3624 natural PIN coded here from the standards' descriptions. Expected values of the tests come
 * from the published vectors in test-vectors/pin.json and test-vectors/dukpt.json, or from these.
 */

export interface Vector {
  source: string;
  description: string;
  inputs: Record<string, string | number>;
  expected: Record<string, string>;
}

const root = new URL('../../../test-vectors/', import.meta.url);
export const PIN_VECTORS = JSON.parse(readFileSync(new URL('pin.json', root), 'utf8')) as Vector[];
export const DUKPT_VECTORS = JSON.parse(readFileSync(new URL('dukpt.json', root), 'utf8')) as Vector[];

const buf = (h: string) => Buffer.from(h, 'hex');
const hx = (b: Buffer) => b.toString('hex').toUpperCase();

export function tdes(keyHex: string, dataHex: string, decrypt = false): string {
  const k = keyHex.length === 32 ? keyHex + keyHex.slice(0, 16) : keyHex;
  const c = decrypt ? createDecipheriv('des-ede3', buf(k), null) : createCipheriv('des-ede3', buf(k), null);
  c.setAutoPadding(false);
  return hx(Buffer.concat([c.update(buf(dataHex)), c.final()]));
}

export function aes(keyHex: string, dataHex: string, decrypt = false): string {
  const alg = `aes-${keyHex.length * 4}-ecb`;
  const c = decrypt ? createDecipheriv(alg, buf(keyHex), null) : createCipheriv(alg, buf(keyHex), null);
  c.setAutoPadding(false);
  return hx(Buffer.concat([c.update(buf(dataHex)), c.final()]));
}

export function xorHex(a: string, b: string): string {
  const x = buf(a);
  const y = buf(b);
  return hx(Buffer.from(x.map((v, i) => v ^ y[i]!)));
}

/** ISO 9564 formats 0/3 PAN field: 0000 ‖ 12 rightmost PAN digits excluding the check digit. */
export const panField8 = (pan: string) => '0000' + pan.slice(0, -1).slice(-12).padStart(12, '0');

/** Clear ISO 0 / 1 / 3 block (fill: F for 0, random 0-F for 1, random A-F for 3). */
export function clearBlock8(format: 0 | 1 | 3, pin: string, pan?: string): string {
  const n = 14 - pin.length;
  const fill = format === 0 ? 'F'.repeat(n) : [...randomBytes(n)].map((b) => (format === 1 ? b & 15 : 10 + (b % 6)).toString(16)).join('').toUpperCase();
  const field = `${format}${pin.length.toString(16).toUpperCase()}${pin}${fill}`;
  return format === 1 ? field : xorHex(field, panField8(pan!));
}

/** Decodes a clear ISO 0/1/3 block, checking control, length, digits and fill; throws when malformed. */
export function decodeBlock8(format: 0 | 1 | 3, clearHex: string, pan?: string): { pin: string; fill: string } {
  const field = format === 1 ? clearHex.toUpperCase() : xorHex(clearHex, panField8(pan!));
  if (field[0] !== String(format)) throw new Error(`control nibble ${field[0]}`);
  const len = parseInt(field[1]!, 16);
  if (len < 4 || len > 12) throw new Error(`PIN length ${len}`);
  const pin = field.slice(2, 2 + len);
  if (!/^[0-9]+$/.test(pin)) throw new Error('PIN digits');
  const fill = field.slice(2 + len);
  const ok = format === 0 ? /^F+$/ : format === 3 ? /^[A-F]+$/ : /^[0-9A-F]+$/;
  if (!ok.test(fill)) throw new Error(`fill ${fill}`);
  return { pin, fill };
}

/** ISO 4 PAN field: full (ISO 9564-1:2017) or legacy (12 rightmost digits excl. check digit, M = 0). */
export function panField16(pan: string, rule: 'full' | 'legacy'): string {
  const p = rule === 'full' ? pan : pan.slice(0, -1).slice(-12);
  const m = p.length > 12 ? p.length - 12 : 0;
  return (m.toString() + p.padStart(12, '0')).padEnd(32, '0');
}

export function encryptIso4(keyHex: string, pin: string, pan: string, rule: 'full' | 'legacy', random16 = hx(randomBytes(8))): string {
  const field = `4${pin.length.toString(16).toUpperCase()}${pin}`.padEnd(16, 'A') + random16;
  return aes(keyHex, xorHex(aes(keyHex, field), panField16(pan, rule)));
}

export function decryptIso4(keyHex: string, blockHex: string, pan: string, rule: 'full' | 'legacy'): { pin: string; random: string } {
  const field = aes(keyHex, xorHex(aes(keyHex, blockHex, true), panField16(pan, rule)), true);
  if (field[0] !== '4') throw new Error(`control nibble ${field[0]}`);
  const len = parseInt(field[1]!, 16);
  if (len < 4 || len > 12) throw new Error(`PIN length ${len}`);
  const pin = field.slice(2, 2 + len);
  if (!/^[0-9]+$/.test(pin) || !/^A+$/.test(field.slice(2 + len, 16))) throw new Error('PIN field');
  return { pin, random: field.slice(16) };
}

/** Visa PVV: TSP = 11 PAN digits before the check digit ‖ PVKI ‖ 4 PIN digits; decimalise TDES(TSP). */
export function visaPvv(pvkHex: string, pan: string, pin: string, pvki: number): string {
  const e = tdes(pvkHex, pan.slice(-12, -1) + String(pvki) + pin.slice(0, 4));
  const digits = [...e].filter((c) => c <= '9').join('') + [...e].filter((c) => c > '9').map((c) => String(parseInt(c, 16) - 10)).join('');
  return digits.slice(0, 4);
}

/** IBM 3624 natural PIN: TDES of the padded validation data, first n hex digits through the table. */
export function ibmNatural(pvkHex: string, data: string, pad: string, table: string, n: number): string {
  const e = tdes(pvkHex, data.padEnd(16, pad));
  return [...e.slice(0, n)].map((c) => table[parseInt(c, 16)]).join('');
}

export const addDigits = (a: string, b: string, sign: 1 | -1) => [...a].map((d, i) => String((Number(d) + sign * Number(b[i]) + 10) % 10)).join('');

export const ALL4 = { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true };

export const PVK = '0123456789ABCDEFFEDCBA9876543210'; // psec test_pin.py PVK (pin.json)
export const TDES_BDK = '0123456789ABCDEFFEDCBA9876543210'; // X9.24-1:2009 A.4 (dukpt.json)
export const AES_BDK = 'FEDCBA9876543210F1F1F1F1F1F1F1F1'; // X9.24-3:2017 supplement (dukpt.json)
export const DEC_TABLE = '1234567890123456'; // psec test_pin.py (pin.json)

export interface PinKeys {
  pekTdes: ImportedKey & { clear: string };
  pekTdes2: ImportedKey & { clear: string };
  pekAes: ImportedKey & { clear: string };
  pvkVisa: ImportedKey;
  pvkIbm: ImportedKey;
  bdkTdes: ImportedKey;
  bdkAes: ImportedKey;
}

const randHex = (n: number) => hx(randomBytes(n));

export async function pinKeys(h: DataPlaneHarness): Promise<PinKeys> {
  const c = h.client;
  const t1 = randHex(16);
  const t2 = randHex(16);
  const a1 = randHex(16);
  return {
    pekTdes: { ...(await importByValue(c, t1, 'TR31_P0_PIN_ENCRYPTION_KEY', 'TDES_2KEY', ALL4)), clear: t1 },
    pekTdes2: { ...(await importByValue(c, t2, 'TR31_P0_PIN_ENCRYPTION_KEY', 'TDES_2KEY', ALL4)), clear: t2 },
    pekAes: { ...(await importByValue(c, a1, 'TR31_P0_PIN_ENCRYPTION_KEY', 'AES_128', ALL4)), clear: a1 },
    pvkVisa: await importByValue(c, PVK, 'TR31_V2_VISA_PIN_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true, Verify: true }),
    // AWS allows V1 keys only as TDES_3KEY: the 2-key vector PVK as K1 ‖ K2 ‖ K1 is the same cipher
    pvkIbm: await importByValue(c, PVK + PVK.slice(0, 16), 'TR31_V1_IBM3624_PIN_VERIFICATION_KEY', 'TDES_3KEY', { Generate: true, Verify: true }),
    bdkTdes: await importByValue(c, TDES_BDK, 'TR31_B0_BASE_DERIVATION_KEY', 'TDES_2KEY', { DeriveKey: true }),
    bdkAes: await importByValue(c, AES_BDK, 'TR31_B0_BASE_DERIVATION_KEY', 'AES_128', { DeriveKey: true }),
  };
}
