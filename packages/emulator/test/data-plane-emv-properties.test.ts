import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAwsError } from '../src/core/errors.js';
import { dataPlaneHarness, importByValue, type DataPlaneHarness, type ImportedKey } from './data-plane-kit.js';
import { buf, commonSessionKey, encryptedPinBlock, hex, iccMkOptionA, pad2, retailMac, tdesEcb } from './emv-test-crypto.js';

/**
 * fast-check properties of the EMV data-plane operations through the in-process core
 * (`emulator.call`). Round trips (generate → verify), tampering (one bit of TransactionData or of
 * the ARQC → INVALID_AUTH_REQUEST_CRYPTOGRAM), and ARQC / ARPC method 1 / PIN-change outputs
 * recomputed test-side with node:crypto des-ede (emv-test-crypto.ts), not with the code under test.
 */

const IMK_AC = '0123456789ABCDEFFEDCBA9876543210';
const IMK_SMI = 'FEDCBA98765432100123456789ABCDEF';
const IMK_SMC = '89ABCDEF0123456776543210FEDCBA98';
const PEK = '4567456789ABCDEF0123456789ABCDEF';
const DERIVE = { DeriveKey: true };

const hexOf = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => hex(Buffer.from(b)));
const digits = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));
const SCHEMES = ['EmvCommon', 'Mastercard', 'Visa', 'Amex', 'Emv2000'] as const;

const arqcCase = fc.record({
  scheme: fc.constantFrom(...SCHEMES),
  pan: digits(12, 19),
  psn: digits(2, 2),
  atc: hexOf(2),
  un: hexOf(4),
  optionB: fc.boolean(),
  data: fc.integer({ min: 1, max: 16 }).chain((blocks) => hexOf(8 * blocks)),
});
type ArqcCase = typeof arqcCase extends fc.Arbitrary<infer T> ? T : never;

function sessionKeyAttributes(c: ArqcCase): Record<string, unknown> {
  const base = { PrimaryAccountNumber: c.pan, PanSequenceNumber: c.psn };
  if (c.scheme === 'Visa' || c.scheme === 'Amex') return { [c.scheme]: base };
  if (c.scheme === 'Mastercard') return { Mastercard: { ...base, ApplicationTransactionCounter: c.atc, UnpredictableNumber: c.un } };
  return { [c.scheme]: { ...base, ApplicationTransactionCounter: c.atc } };
}
const mode = (c: ArqcCase) => (c.optionB && c.pan.length > 16 ? 'EMV_OPTION_B' : 'EMV_OPTION_A');
const flipBit = (h: string, bit: number): string => {
  const b = buf(h);
  const at = (bit >> 3) % b.length;
  b[at] = b[at]! ^ (1 << (bit & 7));
  return hex(b);
};

describe('EMV data plane properties (in-process core)', () => {
  let h: DataPlaneHarness;
  let ac: ImportedKey;
  let smi: ImportedKey;
  let smc: ImportedKey;
  let pek: ImportedKey;

  beforeAll(async () => {
    h = await dataPlaneHarness();
    ac = await importByValue(h.client, IMK_AC, 'TR31_E0_EMV_MKEY_APP_CRYPTOGRAMS', 'TDES_2KEY', DERIVE);
    smi = await importByValue(h.client, IMK_SMI, 'TR31_E2_EMV_MKEY_INTEGRITY', 'TDES_2KEY', DERIVE);
    smc = await importByValue(h.client, IMK_SMC, 'TR31_E1_EMV_MKEY_CONFIDENTIALITY', 'TDES_2KEY', DERIVE);
    pek = await importByValue(h.client, PEK, 'TR31_P0_PIN_ENCRYPTION_KEY', 'TDES_2KEY', { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true });
  });
  afterAll(async () => h.close());

  const generate = async (c: ArqcCase): Promise<string> =>
    (
      await h.emulator.call('GenerateAuthRequestCryptogram', {
        KeyIdentifier: ac.arn,
        TransactionData: c.data,
        MajorKeyDerivationMode: mode(c),
        SessionKeyDerivationAttributes: sessionKeyAttributes(c),
      })
    ).AuthRequestCryptogram;
  const verify = (c: ArqcCase, arqc: string, data = c.data, AuthResponseAttributes?: Record<string, unknown>) =>
    h.emulator.call('VerifyAuthRequestCryptogram', {
      KeyIdentifier: ac.arn,
      TransactionData: data,
      AuthRequestCryptogram: arqc,
      MajorKeyDerivationMode: mode(c),
      SessionKeyDerivationAttributes: sessionKeyAttributes(c),
      ...(AuthResponseAttributes === undefined ? {} : { AuthResponseAttributes }),
    });
  const refused = async (p: Promise<unknown>): Promise<void> => {
    const e = await p.then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(isAwsError(e) && e.awsName === 'VerificationFailedException' && e.members.Reason === 'INVALID_AUTH_REQUEST_CRYPTOGRAM').toBe(true);
  };

  it('a generated ARQC always verifies (every scheme, Option A and B, any aligned data)', async () => {
    await fc.assert(
      fc.asyncProperty(arqcCase, async (c) => {
        const arqc = await generate(c);
        expect(arqc).toMatch(/^[0-9A-F]{16}$/);
        expect((await verify(c, arqc)).KeyArn).toBe(ac.arn);
      }),
      { numRuns: 150 },
    );
  });

  it('one flipped bit of TransactionData or of the ARQC fails with INVALID_AUTH_REQUEST_CRYPTOGRAM', async () => {
    await fc.assert(
      fc.asyncProperty(arqcCase, fc.nat(), fc.boolean(), async (c, bit, inData) => {
        const arqc = await generate(c);
        if (inData) await refused(verify(c, arqc, flipBit(c.data, bit)));
        else await refused(verify(c, flipBit(arqc, bit % 64)));
      }),
      { numRuns: 150 },
    );
  });

  it('ARQC and ARPC method 1 match a node:crypto recomputation (Visa: ICC MK; EmvCommon: common session key)', async () => {
    const opA = arqcCase.filter((c) => c.scheme === 'Visa' || c.scheme === 'EmvCommon').map((c) => ({ ...c, optionB: false }));
    await fc.assert(
      fc.asyncProperty(opA, hexOf(2), async (c, arc) => {
        const mk = iccMkOptionA(IMK_AC, c.pan, c.psn);
        const key = c.scheme === 'Visa' ? mk : commonSessionKey(mk, Buffer.concat([buf(c.atc), Buffer.alloc(6)]));
        const arqc = hex(retailMac(key, buf(c.data)));
        expect(await generate(c)).toBe(arqc);
        const block = buf(arqc);
        block[0] = block[0]! ^ buf(arc)[0]!;
        block[1] = block[1]! ^ buf(arc)[1]!;
        const out = await verify(c, arqc, c.data, { ArpcMethod1: { AuthResponseCode: arc } });
        expect(out.AuthResponseValue).toBe(hex(tdesEcb(key, block)));
      }),
      { numRuns: 100 },
    );
  });

  it('GenerateMacEmvPinChange (Mastercard) matches a node:crypto recomputation for any PIN, ARQC and message', async () => {
    await fc.assert(
      fc.asyncProperty(
        digits(16, 16),
        digits(4, 12),
        hexOf(8),
        fc.integer({ min: 8, max: 64 }).chain((n) => hexOf(n)),
        fc.constantFrom(0 as const, 1 as const, 3 as const),
        async (pan, pin, cryptogram, message, format) => {
          const out = await h.emulator.call('GenerateMacEmvPinChange', {
            NewPinPekIdentifier: pek.arn,
            NewEncryptedPinBlock: encryptedPinBlock(PEK, format, pin, pan),
            PinBlockFormat: `ISO_FORMAT_${format}`,
            SecureMessagingIntegrityKeyIdentifier: smi.arn,
            SecureMessagingConfidentialityKeyIdentifier: smc.arn,
            MessageData: message,
            DerivationMethodAttributes: { Mastercard: { MajorKeyDerivationMode: 'EMV_OPTION_A', PrimaryAccountNumber: pan, PanSequenceNumber: '00', ApplicationCryptogram: cryptogram } },
          });
          const smcKey = commonSessionKey(iccMkOptionA(IMK_SMC, pan, '00'), buf(cryptogram));
          const smiKey = commonSessionKey(iccMkOptionA(IMK_SMI, pan, '00'), buf(cryptogram));
          const target = buf(`2${pin.length.toString(16)}${pin}`.padEnd(16, 'F'));
          const enc = tdesEcb(smcKey, target);
          expect(out.EncryptedPinBlock).toBe(hex(enc));
          expect(out.Mac).toBe(hex(retailMac(smiKey, pad2(Buffer.concat([buf(message), enc])))));
        },
      ),
      { numRuns: 60 },
    );
  });
});
