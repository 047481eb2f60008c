import { describe, expect, it } from 'vitest';
import { cvc3FromIccKey, generateCvc3, hexToBytes, verifyCvc3 } from '../src/index.js';
import { nodeJposOptionB } from './emv-oracle.js';
import { loadVectors } from './vectors.js';

interface Entry {
  id: string;
  family: string;
  notes: string;
  inputs: Record<string, string>;
  expected: { cvc3: string };
}

const h = hexToBytes;
const cvc3 = loadVectors<Entry[]>('card-validation-extra.json').filter((e) => e.family === 'cvc3');
/** jPOS accepts a 2-byte "track" as the IVCVC3 itself; our API always MACs the track data. */
const ivcvc3Given = (e: Entry) => e.inputs.trackData!.length === 4;

describe('Mastercard CVC3: jPOS test values (a peer implementation, not AWS output)', () => {
  it('has the 5 jpos-cvc3-* entries', () => expect(cvc3.length).toBe(5));

  for (const v of cvc3.filter((e) => !ivcvc3Given(e))) {
    const i = v.inputs;
    const input = { trackData: h(i.trackData!), unpredictableNumber: h(i.un!), atc: h(i.atc!) };
    const card = { pan: i.pan!, panSequenceNumber: i.psn! };
    const n = v.expected.cvc3.length;
    it(`${v.id}: jPOS's value, option ${i.option}, last ${n} digits ${v.expected.cvc3}`, () => {
      if (i.option === 'A') {
        expect(generateCvc3(h(i.imkCvc3!), card, input).slice(-n)).toBe(v.expected.cvc3);
        expect(verifyCvc3(h(i.imkCvc3!), card, input, v.expected.cvc3)).toBe(true);
        expect(verifyCvc3(h(i.imkCvc3!), card, input, v.expected.cvc3.replace(/.$/, (d) => String((Number(d) + 1) % 10)))).toBe(false);
      } else {
        // jPOS's Option B hashes PANs of 16 digits or fewer too (EMV and AWS do not); the ICC
        // key comes from the test's own node:crypto computation of jPOS's rule.
        const icc = nodeJposOptionB(h(i.imkCvc3!), i.pan!, i.psn!);
        expect(cvc3FromIccKey(icc, input).slice(-n)).toBe(v.expected.cvc3);
      }
    });
  }

  it.skip('jpos-cvc3-testgeneratecvc3_optiona_ivcvc3: IVCVC3 given directly (not in our API: trackData is always MACed)', () => {});
});
