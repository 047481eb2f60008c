import { CreateKeyCommand, type KeyAlgorithm, type KeyUsage } from '@aws-sdk/client-payment-cryptography';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_PLANE_MODEL, isAwsError } from '../src/index.js';
import { dataPlaneHarness, type DataPlaneHarness } from './data-plane-kit.js';
import { shapeArb } from './robustness-kit.js';

/**
 * Card validation data under arbitrary inputs (model-shaped, edge and wrong-typed values from the
 * robustness kit) with real keys of every usage the operations touch: the answer is a result or a
 * client error, never a server error.
 */

const CLIENT = new Set(['ValidationException', 'ResourceNotFoundException', 'VerificationFailedException', 'AccessDeniedException']);

describe('card validation data: arbitrary inputs never cause a server error', () => {
  let h: DataPlaneHarness;
  const keyIds: string[] = [];
  beforeAll(async () => {
    h = await dataPlaneHarness();
    const specs: [KeyUsage, KeyAlgorithm, Record<string, boolean>][] = [
      ['TR31_C0_CARD_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true, Verify: true }],
      ['TR31_C0_CARD_VERIFICATION_KEY', 'TDES_3KEY', { Generate: true, Verify: true }],
      ['TR31_E4_EMV_MKEY_DYNAMIC_NUMBERS', 'TDES_2KEY', { DeriveKey: true }],
      ['TR31_E6_EMV_MKEY_OTHER', 'TDES_2KEY', { DeriveKey: true }],
    ];
    for (const [KeyUsage, KeyAlgorithm, KeyModesOfUse] of specs) {
      const out = await h.client.send(new CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyUsage, KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm, KeyModesOfUse } }));
      keyIds.push(out.Key!.KeyArn!);
    }
  });
  afterAll(async () => h.close());

  for (const op of ['GenerateCardValidationData', 'VerifyCardValidationData'] as const) {
    it(op, { timeout: 60_000 }, async () => {
      const input = shapeArb(`${op}Input`, 0, DATA_PLANE_MODEL.shapes);
      await fc.assert(
        fc.asyncProperty(input, fc.nat(keyIds.length), async (value, k) => {
          const v = typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(value as object), ...(k < keyIds.length ? { KeyIdentifier: keyIds[k] } : {}) } : value;
          try {
            await h.emulator.call(op, v);
          } catch (e) {
            expect(isAwsError(e), String(e)).toBe(true);
            expect(CLIENT, `${(e as Error).name}: ${(e as Error).message} for ${JSON.stringify(v)}`).toContain((e as Error).name);
          }
        }),
        { numRuns: 1500 },
      );
    });
  }

  it('model-valid inputs of every member with every key: a value that verifies, or a ValidationException', { timeout: 60_000 }, async () => {
    const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
    const hex = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9a-fA-F]{${min},${max}}$`));
    const attrs = fc.oneof(
      fc.record({ CardVerificationValue1: fc.record({ CardExpiryDate: digits(4, 4), ServiceCode: digits(3, 3) }) }),
      fc.record({ CardVerificationValue2: fc.record({ CardExpiryDate: digits(4, 4) }) }),
      fc.record({ DynamicCardVerificationCode: fc.record({ UnpredictableNumber: hex(2, 8), PanSequenceNumber: digits(2, 2), ApplicationTransactionCounter: hex(2, 4), TrackData: hex(2, 40) }) }),
      fc.record({ DynamicCardVerificationValue: fc.record({ PanSequenceNumber: digits(2, 2), CardExpiryDate: digits(4, 4), ServiceCode: digits(3, 3), ApplicationTransactionCounter: hex(2, 4) }) }),
      fc.record({ AmexCardSecurityCodeVersion1: fc.record({ CardExpiryDate: digits(4, 4) }) }),
      fc.record({ AmexCardSecurityCodeVersion2: fc.record({ CardExpiryDate: digits(4, 4), ServiceCode: digits(3, 3) }) }),
      fc.record({ CardHolderVerificationValue: fc.record({ UnpredictableNumber: hex(2, 8), PanSequenceNumber: digits(2, 2), ApplicationTransactionCounter: hex(2, 4) }) }),
    );
    const pan = fc.oneof(digits(12, 19), fc.stringMatching(/^3[47][0-9]{13}$/));
    const answers = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(attrs, pan, fc.nat(keyIds.length - 1), fc.integer({ min: 3, max: 5 }), fc.boolean(), async (a, p, k, n, verify) => {
        let name = 'ok';
        try {
          const g = await h.emulator.call('GenerateCardValidationData', { KeyIdentifier: keyIds[k], PrimaryAccountNumber: p, GenerationAttributes: a, ValidationDataLength: n });
          expect(g.ValidationData).toMatch(new RegExp(`^[0-9]{${n}}$`));
          if (verify) await h.emulator.call('VerifyCardValidationData', { KeyIdentifier: keyIds[k], PrimaryAccountNumber: p, VerificationAttributes: a, ValidationData: g.ValidationData });
        } catch (e) {
          expect(isAwsError(e), String(e)).toBe(true);
          name = (e as Error).name;
          expect(name, (e as Error).message).toBe('ValidationException');
        }
        answers.set(name, (answers.get(name) ?? 0) + 1);
      }),
      { numRuns: 1500 },
    );
    expect(answers.get('ok')).toBeGreaterThan(100);
  });
});
