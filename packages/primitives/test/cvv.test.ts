import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CardVerificationKey,
  PrimitivesError,
  bytesToHex,
  generateCardVerificationValue,
  generateCvv,
  generateCvv2,
  generateIcvv,
  hexToBytes,
  verifyCardVerificationValue,
  verifyCvv,
  verifyCvv2,
  verifyIcvv,
} from '../src/index.js';
import { loadVectors } from './vectors.js';

interface Vector {
  description: string;
  inputs: Record<string, string | number>;
  expected: Record<string, string>;
  published?: boolean;
}

const vectors = loadVectors<Vector[]>('cvv.json');
const label = (v: Vector, i: number) =>
  `#${i} ${v.published === false ? '[regression value, not published] ' : ''}${v.description}`;

function cvkOf(i: Vector['inputs']): Uint8Array {
  return hexToBytes(typeof i.cvk === 'string' ? i.cvk : `${i.cvk_a}${i.cvk_b}`);
}

/** The CVV core computed independently with node:crypto (DES as 2-key EDE with K‖K). */
function nodeCvvBlock(cvk: Uint8Array, data: string): string {
  const ka = cvk.subarray(0, 8);
  const ecb = (key: Uint8Array, block: Uint8Array) => {
    const c = createCipheriv('des-ede-ecb', key, null);
    c.setAutoPadding(false);
    return new Uint8Array(Buffer.concat([c.update(block), c.final()]));
  };
  const d = hexToBytes(data.padEnd(32, '0'));
  const step1 = ecb(Buffer.concat([ka, ka]), d.subarray(0, 8));
  for (let i = 0; i < 8; i++) step1[i] = step1[i]! ^ d[8 + i]!;
  return bytesToHex(ecb(cvk, step1));
}

describe('cvv.json (every entry)', () => {
  it('has the 16 entries of the shared file', () => {
    expect(vectors).toHaveLength(16);
  });
  vectors.forEach((v, n) => {
    it(label(v, n), () => {
      const i = v.inputs;
      const e = v.expected;
      const cvk = cvkOf(i);
      const expiry = (i.expiry_yymm ?? i.expiry ?? i.expiry_as_entered ?? i.expiry_field) as string;
      const input = { pan: i.pan as string, expiry, serviceCode: i.service_code as string };
      const digits = (i.digits as 3 | 4 | undefined) ?? 3;
      const want = e.cvv ?? e.cvc ?? e.cvv2 ?? e.value;
      expect(want).toBeDefined();
      expect(generateCvv(cvk, input, digits)).toBe(want);
      expect(verifyCvv(cvk, input, want!)).toBe(true);
      const data = `${input.pan}${input.expiry}${input.serviceCode}`;
      if (e.input_digits !== undefined) expect(data.padEnd(32, '0')).toBe(e.input_digits);
      if (e.final_block !== undefined) {
        expect(bytesToHex(new CardVerificationKey(cvk).cvvBlock(hexToBytes(data.padEnd(32, '0'))))).toBe(e.final_block);
      }
      if (input.serviceCode === '000') expect(generateCvv2(cvk, input)).toBe(want);
      if (input.serviceCode === '999') expect(generateIcvv(cvk, input)).toBe(want);
    });
  });
});

describe('CVV core against node:crypto', () => {
  it('the TDES steps agree with an independent node:crypto computation', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.stringMatching(/^[0-9]{12,19}$/),
        fc.stringMatching(/^[0-9]{4}$/),
        fc.stringMatching(/^[0-9]{3}$/),
        (cvk, pan, expiry, serviceCode) => {
          const data = `${pan}${expiry}${serviceCode}`;
          const ours = new CardVerificationKey(cvk).cvvBlock(hexToBytes(data.padEnd(32, '0')));
          expect(bytesToHex(ours)).toBe(nodeCvvBlock(cvk, data));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('CVV properties', () => {
  const cvk = new CardVerificationKey(hexToBytes('0123456789ABCDEFFEDCBA9876543210'));
  it('verify accepts what generate made and rejects every other value (3 and 4 digits)', () => {
    const card = { pan: '4123456789012345', expiry: '0328', serviceCode: '101' };
    for (const digits of [3, 4] as const) {
      const good = generateCvv(cvk, card, digits);
      let accepted = 0;
      for (let x = 0; x < 10 ** digits; x++) {
        const value = String(x).padStart(digits, '0');
        if (verifyCvv(cvk, card, value)) {
          accepted++;
          expect(value).toBe(good);
        }
      }
      expect(accepted).toBe(1);
    }
  });

  it('CVV2 and iCVV: generate/verify round trip on random cards, one-digit changes rejected', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{12,19}$/), fc.stringMatching(/^[0-9]{4}$/), fc.integer({ min: 0, max: 2 }), (pan, expiry, pos) => {
        for (const variant of ['CVV2', 'ICVV'] as const) {
          const card = { pan, expiry };
          const v = generateCardVerificationValue(cvk, variant, card);
          expect(v).toMatch(/^[0-9]{3}$/);
          expect(verifyCardVerificationValue(cvk, variant, card, v)).toBe(true);
          const wrong = v.slice(0, pos) + String((Number(v[pos]) + 1) % 10) + v.slice(pos + 1);
          expect(verifyCardVerificationValue(cvk, variant, card, wrong)).toBe(false);
        }
        expect(verifyCvv2(cvk, { pan, expiry }, generateCvv2(cvk, { pan, expiry }))).toBe(true);
        expect(verifyIcvv(cvk, { pan, expiry }, generateIcvv(cvk, { pan, expiry }))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('the expiry is used verbatim: MMYY and YYMM give different CVV2s for the CyberChef card', () => {
    const key = hexToBytes('0123456789ABCDEFFEDCBA9876543210');
    expect(generateCvv2(key, { pan: '4123456789012345', expiry: '0225' })).toBe('221'); // published (CyberChef)
    expect(generateCvv2(key, { pan: '4123456789012345', expiry: '2502' })).not.toBe('221');
  });
});

describe('CVV bad input: typed errors naming the field', () => {
  const key = hexToBytes('0123456789ABCDEFFEDCBA9876543210');
  const cases: Array<[string, () => unknown, string, string]> = [
    ['PAN with a letter', () => generateCvv2(key, { pan: '41234567890123A5', expiry: '0328' }), 'INVALID_PAN', 'pan'],
    ['PAN too short', () => generateCvv2(key, { pan: '41234567890', expiry: '0328' }), 'INVALID_PAN', 'pan'],
    ['PAN too long', () => generateCvv2(key, { pan: '41234567890123456789', expiry: '0328' }), 'INVALID_PAN', 'pan'],
    ['expiry of 3 digits', () => generateCvv2(key, { pan: '4123456789012345', expiry: '328' }), 'INVALID_INPUT', 'expiry'],
    ['expiry with a slash', () => generateCvv2(key, { pan: '4123456789012345', expiry: '03/2' }), 'INVALID_INPUT', 'expiry'],
    ['service code of 2 digits', () => generateCvv(key, { pan: '4123456789012345', expiry: '0328', serviceCode: '10' }), 'INVALID_INPUT', 'serviceCode'],
    ['value with a letter', () => verifyCvv2(key, { pan: '4123456789012345', expiry: '0328' }, '03A'), 'INVALID_INPUT', 'value'],
  ];
  for (const [name, fn, code, field] of cases) {
    it(name, () => {
      let err: unknown;
      try {
        fn();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PrimitivesError);
      expect((err as PrimitivesError).code).toBe(code);
      expect((err as PrimitivesError).field).toBe(field);
      expect((err as Error).message).not.toMatch(/4123456789/);
    });
  }
  it('a CVK that is not double length is a RangeError', () => {
    expect(() => generateCvv2(new Uint8Array(24), { pan: '4123456789012345', expiry: '0328' })).toThrow('"cvk" expected 16 bytes, got 24');
  });
});
