import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, TdesDukptBdk, TdesDukptDeriver, tdesDukptTransactionKey, tdesDukptWorkingKey, type TdesDukptKeyVariant } from '../src/index.js';
import { loadVectors } from './vectors.js';

/**
 * TdesDukptDeriver (host derivation remembering each terminal's bit walk): the published
 * X9.24-1:2009 A.4 transaction keys and PIN-variant encrypted PIN blocks (test-vectors/dukpt.json),
 * then differential against tdesDukptTransactionKey / tdesDukptWorkingKey for arbitrary KSN orders.
 */
interface V {
  description: string;
  inputs: Record<string, string>;
  expected: Record<string, string>;
}
const A4 = (loadVectors('dukpt.json') as unknown as V[]).filter((v) => v.description.startsWith('TDES DUKPT') && v.expected.transaction_key !== undefined && v.inputs.bdk === '0123456789ABCDEFFEDCBA9876543210');

describe('TdesDukptDeriver', () => {
  it('reproduces the X9.24-1 A.4 transaction keys and PIN blocks, in order and shuffled', async () => {
    expect(A4.length).toBeGreaterThanOrEqual(30);
    const { TdesCipher } = await import('../src/index.js');
    const d = new TdesDukptDeriver(hexToBytes('0123456789ABCDEFFEDCBA9876543210'));
    for (const order of [A4, [...A4].reverse(), [...A4].sort((a, b) => (a.inputs.ksn! < b.inputs.ksn! ? 1 : -1))]) {
      for (const v of order) {
        expect(bytesToHex(d.transactionKey(v.inputs.ksn!)), v.inputs.ksn).toBe(v.expected.transaction_key);
        if (v.expected.encrypted_pinblock !== undefined) {
          const pin = new TdesCipher(d.workingKey(v.inputs.ksn!, 'PIN'));
          const out = new Uint8Array(8);
          pin.encryptBlockInto(hexToBytes(v.inputs.clear_pinblock!), 0, out, 0);
          expect(bytesToHex(out)).toBe(v.expected.encrypted_pinblock);
        }
      }
    }
  });

  it('equals tdesDukptWorkingKey for arbitrary KSN sequences over several devices (LRU of 2)', () => {
    const bdkBytes = hexToBytes('0123456789ABCDEFFEDCBA9876543210');
    const bdk = new TdesDukptBdk(bdkBytes);
    const variants: TdesDukptKeyVariant[] = ['PIN', 'MAC_REQUEST', 'MAC_RESPONSE', 'DATA_REQUEST', 'DATA_RESPONSE'];
    const device = fc.constantFrom('FFFF9876543210E', 'FFFF987654321', '0102030405060708091');
    const ksnArb = fc.tuple(device, fc.integer({ min: 1, max: (1 << 21) - 1 })).filter(([, c]) => popcountOk(c)).map(([dev, c]) => {
      const base = hexToBytes(dev.padEnd(20, '0'));
      base[7] = base[7]! & 0xe0;
      base[7] = base[7]! | ((c >>> 16) & 0x1f);
      base[8] = (c >>> 8) & 0xff;
      base[9] = c & 0xff;
      return bytesToHex(base);
    });
    fc.assert(
      fc.property(fc.array(fc.tuple(ksnArb, fc.constantFrom(...variants)), { minLength: 1, maxLength: 12 }), (seq) => {
        const d = new TdesDukptDeriver(bdk, { maxDevices: 2 });
        for (const [ksn, variant] of seq) {
          expect(bytesToHex(d.workingKey(ksn, variant))).toBe(bytesToHex(tdesDukptWorkingKey(bdk, ksn, variant)));
          expect(bytesToHex(d.transactionKey(ksn))).toBe(bytesToHex(tdesDukptTransactionKey(bdkBytes, ksn)));
        }
        expect(d.size).toBeLessThanOrEqual(2);
        d.dispose();
        expect(() => d.transactionKey(seq[0]![0])).toThrow(TypeError);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects KSNs the one-shot functions reject (counter 0, too many bits, wrong length)', () => {
    const d = new TdesDukptDeriver(hexToBytes('0123456789ABCDEFFEDCBA9876543210'));
    for (const ksn of ['FFFF9876543210E00000', 'FFFF9876543210E007FF', 'FFFF9876543210E0']) {
      expect(() => d.transactionKey(ksn)).toThrow();
      expect(() => tdesDukptTransactionKey(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), ksn)).toThrow();
    }
  });
});

function popcountOk(c: number): boolean {
  let n = 0;
  for (let x = c; x !== 0; x &= x - 1) n++;
  return n <= 10;
}
