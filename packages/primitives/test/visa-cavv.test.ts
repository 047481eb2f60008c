import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateCvv, generateVisaCavv, hexToBytes, verifyVisaCavv, visaCavvCvvInput } from '../src/index.js';
import { nodeCvvMethod } from './emv-oracle.js';
import { loadVectors } from './vectors.js';

interface Entry {
  id: string;
  family: string;
  inputs: {
    cvk: string;
    pan: string;
    upn: string;
    authResultCode: string;
    secondFactorAuthResultCode: string;
    aws: { CardVerificationValue1: { CardExpiryDate: string; ServiceCode: string } };
  };
  expected: { cavv: string };
}

const h = hexToBytes;
const cavv = loadVectors<Entry[]>('card-validation-extra.json').filter((e) => e.family === 'cavv');

describe('Visa CAVV by the CVV method (jPOS layout; candidate, not confirmed against AWS)', () => {
  it('has the 2 jpos-cavv-* entries', () => expect(cavv.length).toBe(2));
  for (const v of cavv) {
    const i = v.inputs;
    const input = { pan: i.pan, unpredictableNumber: i.upn, authenticationResultCode: i.authResultCode, secondFactorAuthenticationResultCode: i.secondFactorAuthResultCode };
    it(`${v.id}: jPOS's value (a peer implementation, not AWS output), CAVV ${v.expected.cavv}`, () => {
      expect(generateVisaCavv(h(i.cvk), input)).toBe(v.expected.cavv);
      expect(verifyVisaCavv(h(i.cvk), input, v.expected.cavv)).toBe(true);
      expect(verifyVisaCavv(h(i.cvk), input, v.expected.cavv === '000' ? '001' : '000')).toBe(false);
      // the AWS CardVerificationValue1 fields that carry it
      const aws = i.aws.CardVerificationValue1;
      expect(visaCavvCvvInput(input)).toEqual({ pan: i.pan, expiry: aws.CardExpiryDate, serviceCode: aws.ServiceCode });
      expect(generateCvv(h(i.cvk), { pan: i.pan, expiry: aws.CardExpiryDate, serviceCode: aws.ServiceCode })).toBe(v.expected.cavv);
    });
  }

  it('agrees with an independent node:crypto CVV method', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.stringMatching(/^[0-9]{12,19}$/), fc.stringMatching(/^[0-9]{4}$/), fc.stringMatching(/^[0-9]$/), fc.stringMatching(/^[0-9]{2}$/), (cvk, pan, upn, arc, sfarc) => {
        const got = generateVisaCavv(cvk, { pan, unpredictableNumber: upn, authenticationResultCode: arc, secondFactorAuthenticationResultCode: sfarc });
        expect(got).toBe(nodeCvvMethod(cvk, pan + upn + arc + sfarc, 3));
      }),
      { numRuns: 100 },
    );
  });
});
