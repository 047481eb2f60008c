import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PrimitivesError, as2805DerivePek, as2805Owf, as2805PekDerivationData, bytesToHex, createTdes } from '../src/index.js';

/**
 * The candidate KPE derivation of AWS's as2805_3_1_pin_translation.py sample (unconfirmed
 * against APC), checked against an independent node:crypto computation of the sample's steps.
 */
function cbc(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const c = createCipheriv(key.length === 16 ? 'des-ede-cbc' : 'des-ede3-cbc', key, iv);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}
function nodeOwf(key: Buffer, d: Buffer): Buffer {
  const mac = cbc(key, Buffer.alloc(8), d).subarray(-8);
  const r = cbc(key, mac, d);
  return Buffer.from(r.map((b, i) => b ^ d[i]!));
}

describe('AS2805 KPE derivation (candidate, AWS sample as2805_3_1)', () => {
  it("D = E ‖ F for the sample's STAN 000438 and amount 000000000328", () => {
    expect(bytesToHex(as2805PekDerivationData('000438', '000000000328'))).toBe('00043800000000000000000000000328');
  });
  for (const len of [16, 24]) {
    it(`OWF and KPE of a ${len}-byte KPP match node:crypto (cipher or raw key)`, () => {
      for (let n = 0; n < 5; n++) {
        const kpp = randomBytes(len);
        const d = Buffer.from('00043800000000000000000000000328', 'hex');
        const expected = nodeOwf(kpp, d).toString('hex').toUpperCase();
        expect(bytesToHex(as2805DerivePek(new Uint8Array(kpp), '000438', '000000000328'))).toBe(expected);
        expect(bytesToHex(as2805DerivePek(createTdes(new Uint8Array(kpp)), '000438', '000000000328'))).toBe(expected);
        const data = randomBytes(24);
        expect(bytesToHex(as2805Owf(new Uint8Array(kpp), new Uint8Array(data)))).toBe(nodeOwf(kpp, data).toString('hex').toUpperCase());
      }
    });
  }
  it('refuses a STAN or amount that is not all digits of the right length', () => {
    expect(() => as2805PekDerivationData('12345', '000000000328')).toThrow(PrimitivesError);
    expect(() => as2805PekDerivationData('00043A', '000000000328')).toThrow(PrimitivesError);
    expect(() => as2805PekDerivationData('000438', '328')).toThrow(PrimitivesError);
    expect(() => as2805Owf(new Uint8Array(16), new Uint8Array(8))).toThrow(RangeError);
  });
});
