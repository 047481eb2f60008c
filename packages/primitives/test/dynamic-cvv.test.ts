import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PrimitivesError, dcvvFromIccKey, dcvvInputDigits, generateDcvv, hexToBytes, verifyDcvv } from '../src/index.js';
import { nodeCvvMethod, nodeJposOptionB, nodeOptionA } from './emv-oracle.js';
import { loadVectors } from './vectors.js';

interface Entry {
  id: string;
  family: string;
  source: string;
  inputs: Record<string, string>;
  expected: Record<string, string>;
}

const h = hexToBytes;
const dcvv = loadVectors<Entry[]>('card-validation-extra.json').filter((e) => e.family === 'dcvv');

describe('Visa dCVV (candidate, not confirmed against AWS): jPOS test values', () => {
  it('has the 4 jpos-dcvv-* entries', () => expect(dcvv.map((e) => e.id).sort()).toEqual(['jpos-dcvv-opta-pan12', 'jpos-dcvv-opta-pan16', 'jpos-dcvv-optb-pan12', 'jpos-dcvv-optb-pan19']));

  for (const v of dcvv) {
    const i = v.inputs;
    const input = { expiry: i.expiry!, serviceCode: i.serviceCode!, atc: h(i.atc!) };
    it(`${v.id}: jPOS's value (a peer implementation, not AWS output), option ${i.option}, dCVV ${v.expected.dcvv}`, () => {
      expect(dcvvInputDigits({ ...input, pan: i.pan! })).toBe(i.cvvInputDigits);
      if (i.option === 'A') {
        expect(generateDcvv(h(i.imkAc!), { pan: i.pan!, panSequenceNumber: i.psn! }, input)).toBe(v.expected.dcvv);
        expect(verifyDcvv(h(i.imkAc!), { pan: i.pan!, panSequenceNumber: i.psn! }, input, v.expected.dcvv!)).toBe(true);
        expect(verifyDcvv(h(i.imkAc!), { pan: i.pan! }, input, v.expected.dcvv!)).toBe(true); // PSN defaults to 00
        const wrong = String((Number(v.expected.dcvv) + 1) % 1000).padStart(3, '0');
        expect(verifyDcvv(h(i.imkAc!), { pan: i.pan!, panSequenceNumber: i.psn! }, input, wrong)).toBe(false);
      } else {
        // jPOS's Option B hashes PANs of any length (EMV and AWS use Option B only above 16
        // digits), so the ICC key comes from the test's own node:crypto computation of jPOS's rule.
        const icc = nodeJposOptionB(h(i.imkAc!), i.pan!, i.psn!);
        expect(dcvvFromIccKey(icc, { ...input, pan: i.pan! })).toBe(v.expected.dcvv);
      }
    });
  }
});

describe('dCVV against an independent node:crypto computation', () => {
  it('agrees for random IMK, PAN, PSN, ATC, expiry, service code and length', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.stringMatching(/^[0-9]{12,19}$/),
        fc.stringMatching(/^[0-9]{2}$/),
        fc.uint8Array({ minLength: 2, maxLength: 2 }),
        fc.stringMatching(/^[0-9]{4}$/),
        fc.stringMatching(/^[0-9]{3}$/),
        fc.constantFrom(3, 4, 5) as fc.Arbitrary<3 | 4 | 5>,
        (imk, pan, psn, atc, expiry, serviceCode, digits) => {
          const icc = nodeOptionA(imk, pan, psn);
          const data = Buffer.from(atc).toString('hex').toUpperCase() + pan.slice(4) + expiry + serviceCode;
          const want = nodeCvvMethod(icc, data, digits);
          expect(generateDcvv(imk, { pan, panSequenceNumber: psn }, { atc, expiry, serviceCode }, digits)).toBe(want);
          expect(verifyDcvv(imk, { pan, panSequenceNumber: psn }, { atc, expiry, serviceCode }, want)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a hex ATC with A–F digits goes into the data as nibbles', () => {
    const imk = h('0123456789ABCDEFFEDCBA9876543210');
    const input = { atc: h('006D'), expiry: '2512', serviceCode: '101' };
    expect(dcvvInputDigits({ ...input, pan: '4111111111111111' })).toBe('006D1111111111112512101');
    expect(generateDcvv(imk, { pan: '4111111111111111', panSequenceNumber: '01' }, input)).toBe(
      nodeCvvMethod(nodeOptionA(imk, '4111111111111111', '01'), '006D1111111111112512101', 3),
    );
  });

  it('bad input is typed and names the field, never the value', () => {
    const imk = new Uint8Array(16);
    let err: unknown;
    try {
      generateDcvv(imk, { pan: '4111111111111111' }, { atc: h('0001'), expiry: '25X2', serviceCode: '101' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PrimitivesError);
    expect((err as PrimitivesError).field).toBe('expiry');
    expect(() => generateDcvv(imk, { pan: '4111111111111111' }, { atc: h('01'), expiry: '2512', serviceCode: '101' })).toThrow('"atc" expected 2 bytes, got 1');
    expect(() => generateDcvv(imk, { pan: '4111111111111111' }, { atc: h('0001'), expiry: '2512', serviceCode: '101' }, 6 as 3)).toThrow(RangeError);
    expect(() => verifyDcvv(imk, { pan: '4111111111111111' }, { atc: h('0001'), expiry: '2512', serviceCode: '101' }, '12')).toThrow(PrimitivesError);
  });
});
