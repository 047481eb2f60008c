import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emulator } from '../src/index.js';

/**
 * GenerateMac / VerifyMac never answer a 500: random `MacAttributes` (every member, valid and
 * invalid KSNs, derivation types, variants, EMV modes and values), message lengths, MacLength
 * values and MACs, against keys of every kind (and of the wrong kinds), through the core.
 * Every outcome is a success or one of the operation's client errors.
 */
const ALLOWED = new Set(['ValidationException', 'VerificationFailedException', 'ResourceNotFoundException']);
const KEYS: [string, string, Record<string, boolean>][] = [
  ['TR31_M1_ISO_9797_1_MAC_KEY', 'TDES_2KEY', { Generate: true, Verify: true }],
  ['TR31_M1_ISO_9797_1_MAC_KEY', 'TDES_3KEY', { Generate: true, Verify: true }],
  ['TR31_M3_ISO_9797_3_MAC_KEY', 'TDES_3KEY', { Generate: true, Verify: true }],
  ['TR31_M6_ISO_9797_5_CMAC_KEY', 'TDES_2KEY', { Generate: true, Verify: true }],
  ['TR31_M6_ISO_9797_5_CMAC_KEY', 'AES_256', { Generate: true }],
  ['TR31_M7_HMAC_KEY', 'HMAC_SHA384', { Generate: true, Verify: true }],
  ['TR31_M0_ISO_16609_MAC_KEY', 'TDES_2KEY', { Generate: true, Verify: true }],
  ['TR31_B0_BASE_DERIVATION_KEY', 'TDES_2KEY', { DeriveKey: true }],
  ['TR31_B0_BASE_DERIVATION_KEY', 'AES_128', { DeriveKey: true }],
  ['TR31_B0_BASE_DERIVATION_KEY', 'AES_256', { DeriveKey: true }],
  ['TR31_E2_EMV_MKEY_INTEGRITY', 'TDES_2KEY', { DeriveKey: true }],
  ['TR31_E0_EMV_MKEY_APP_CRYPTOGRAMS', 'TDES_2KEY', { DeriveKey: true }],
];

const hexOf = (min: number, max: number): fc.Arbitrary<string> =>
  fc.uint8Array({ minLength: min, maxLength: max }).map((b) => Buffer.from(b).toString('hex').toUpperCase());
const ksn = fc.oneof(
  hexOf(10, 10),
  hexOf(12, 12),
  hexOf(8, 8),
  fc.constantFrom('FFFF9876543210E00000', 'FFFF9876543210E00001', 'FFFF9876543210FFFFFF', '123456789012345600000001', '1234567890123456FFFFFFFF', '123456789012345600000000'),
);
const dukpt = fc.record(
  {
    KeySerialNumber: ksn,
    DukptKeyVariant: fc.constantFrom('BIDIRECTIONAL', 'REQUEST', 'RESPONSE', 'OTHER'),
    DukptDerivationType: fc.constantFrom('TDES_2KEY', 'TDES_2KEY', 'TDES_2KEY', 'TDES_3KEY', 'AES_128', 'AES_192', 'AES_256'),
  },
  { requiredKeys: ['KeySerialNumber', 'DukptKeyVariant'] },
);
const emv = fc.record({
  MajorKeyDerivationMode: fc.constantFrom('EMV_OPTION_A', 'EMV_OPTION_B'),
  PrimaryAccountNumber: fc.stringMatching(/^[0-9]{11,20}$/),
  PanSequenceNumber: fc.oneof(fc.constantFrom('00', '01', '99'), fc.stringMatching(/^[0-9]{1,3}$/)),
  SessionKeyDerivationMode: fc.constantFrom('EMV_COMMON_SESSION_KEY', 'EMV2000', 'AMEX', 'MASTERCARD_SESSION_KEY', 'VISA', 'UNION_PAY'),
  SessionKeyDerivationValue: fc.oneof(
    fc.record({ ApplicationCryptogram: fc.oneof(hexOf(8, 8), hexOf(7, 9)) }),
    fc.record({ ApplicationTransactionCounter: fc.oneof(hexOf(2, 2), hexOf(1, 3)) }),
    fc.constant({}),
    fc.record({ ApplicationCryptogram: hexOf(8, 8), ApplicationTransactionCounter: hexOf(2, 2) }),
  ),
});
const attributes = fc.oneof(
  fc.record({ Algorithm: fc.constantFrom('ISO9797_ALGORITHM1', 'ISO9797_ALGORITHM3', 'CMAC', 'HMAC', 'HMAC_SHA224', 'HMAC_SHA256', 'HMAC_SHA384', 'HMAC_SHA512', 'AS2805_4_1') }),
  { arbitrary: fc.record({ EmvMac: emv }), weight: 4 },
  fc.record({ DukptIso9797Algorithm1: dukpt }),
  fc.record({ DukptIso9797Algorithm3: dukpt }),
  fc.record({ DukptCmac: dukpt }),
  fc.constant({}),
  fc.record({ Algorithm: fc.constant('CMAC'), DukptCmac: dukpt }),
);

describe('GenerateMac / VerifyMac robustness (fast-check, core)', () => {
  const em = Emulator.inMemory();
  const arns: string[] = [];
  beforeAll(async () => {
    for (const [KeyUsage, KeyAlgorithm, KeyModesOfUse] of KEYS) {
      const out = (await em.call('CreateKey', { Exportable: true, KeyAttributes: { KeyUsage, KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm, KeyModesOfUse } } as never)) as { Key: { KeyArn: string } };
      arns.push(out.Key.KeyArn);
    }
  });
  afterAll(async () => em.close());

  it('every outcome is a success or a client error', async () => {
    const successes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.nat(KEYS.length - 1), fc.constant(-1)),
        attributes,
        fc.oneof(hexOf(1, 70), hexOf(8, 8), hexOf(16, 16), hexOf(24, 24)),
        fc.option(fc.integer({ min: 2, max: 40 }), { nil: undefined, freq: 2 }),
        fc.option(hexOf(1, 70), { nil: undefined }),
        async (pick, attrs, MessageData, MacLength, Mac) => {
          // -1: a key of the member's kind (so that the computations are reached), else any key
          const ki = pick >= 0 ? pick : 'EmvMac' in attrs ? 10 : 'Algorithm' in attrs ? MessageData.length % 7 : 7 + (MessageData.length % 3);
          const common = { KeyIdentifier: arns[ki]!, MessageData, ...(MacLength === undefined ? {} : { MacLength }) };
          const member = Object.keys(attrs)[0] ?? 'none';
          const run = (p: Promise<unknown>) =>
            p.then(
              () => void successes.set(member, (successes.get(member) ?? 0) + 1),
              (e: { awsName?: string; message?: string }) => {
                expect(ALLOWED.has(String(e.awsName)), `${String(e.awsName)}: ${String(e.message)} for ${JSON.stringify({ ki, attrs, MacLength })}`).toBe(true);
              },
            );
          await run(em.call('GenerateMac', { ...common, GenerationAttributes: attrs } as never));
          await run(em.call('VerifyMac', { ...common, Mac: Mac ?? MessageData.slice(0, 16), VerificationAttributes: attrs } as never));
        },
      ),
      { numRuns: 1200, seed: 20261201 },
    );
    // the generator reaches the computations, not only the refusals
    for (const m of ['Algorithm', 'EmvMac', 'DukptIso9797Algorithm1', 'DukptIso9797Algorithm3', 'DukptCmac']) expect(successes.get(m) ?? 0, m).toBeGreaterThan(0);
  }, 120_000);
});
