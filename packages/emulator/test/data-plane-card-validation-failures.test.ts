import { CreateKeyCommand, StopKeyUsageCommand } from '@aws-sdk/client-payment-cryptography';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emulator, isAwsError } from '../src/index.js';
import { handleRequest } from '../src/protocol/router.js';
import { boto3Calls, dataPlaneHarness, hasBoto3, importByValue, type Boto3Call, type DataPlaneHarness } from './data-plane-kit.js';

/**
 * Card validation data: failure paths through boto3 (mismatch, key rules, disabled key, bad
 * input, unpublished members), the in-process transports, and `strictAlgorithms`.
 * Expected values: the published Visa CVV2 example of test-vectors/cvv.json (CVK
 * 0123456789ABCDEFFEDCBA9876543210, PAN 4123456789012345, expiry 0225 → 221) and the pyemv
 * HSM-checked CVC3 digits of test-vectors/dynamic-card-verification-code.json.
 */

const CVK = '0123456789ABCDEFFEDCBA9876543210';
const PAN = '4123456789012345';
const CVV2 = { CardVerificationValue2: { CardExpiryDate: '0225' } };
const CVV2_VALUE = '221'; // cvv.json, published
const IMK = '01234567899876543210012345678998';
const CVC3 = { DynamicCardVerificationCode: { UnpredictableNumber: '00000899', PanSequenceNumber: '00', ApplicationTransactionCounter: '005E', TrackData: '5123456789012345D35121010000000000000F' } };
const CVC3_PAN = '5123456789012345';
const CVC3_LAST3 = '488'; // dynamic-card-verification-code.json, pyemv HSM test
const DCVV = { DynamicCardVerificationValue: { PanSequenceNumber: '00', CardExpiryDate: '1310', ServiceCode: '226', ApplicationTransactionCounter: '3210' } };
const AMEX1 = { AmexCardSecurityCodeVersion1: { CardExpiryDate: '2512' } };
const AMEX2 = { AmexCardSecurityCodeVersion2: { CardExpiryDate: '2512', ServiceCode: '101' } };

const gen = (KeyIdentifier: string, PrimaryAccountNumber: string, GenerationAttributes: object, ValidationDataLength?: number): Boto3Call => ({
  op: 'generate_card_validation_data',
  params: { KeyIdentifier, PrimaryAccountNumber, GenerationAttributes, ...(ValidationDataLength === undefined ? {} : { ValidationDataLength }) },
});
const ver = (KeyIdentifier: string, PrimaryAccountNumber: string, VerificationAttributes: object, ValidationData: string): Boto3Call => ({
  op: 'verify_card_validation_data',
  params: { KeyIdentifier, PrimaryAccountNumber, VerificationAttributes, ValidationData },
});

describe('card validation data: failures, transports, strictAlgorithms', () => {
  let h: DataPlaneHarness;
  let cvk: { arn: string; kcv: string };
  let cvkGenOnly: { arn: string; kcv: string };
  let cvkVerOnly: { arn: string; kcv: string };
  let e4: { arn: string; kcv: string };
  let e6: { arn: string; kcv: string };
  beforeAll(async () => {
    h = await dataPlaneHarness();
    cvk = await importByValue(h.client, CVK, 'TR31_C0_CARD_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true, Verify: true });
    cvkGenOnly = await importByValue(h.client, CVK, 'TR31_C0_CARD_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true });
    cvkVerOnly = await importByValue(h.client, CVK, 'TR31_C0_CARD_VERIFICATION_KEY', 'TDES_2KEY', { Verify: true });
    e4 = await importByValue(h.client, IMK, 'TR31_E4_EMV_MKEY_DYNAMIC_NUMBERS', 'TDES_2KEY', { DeriveKey: true });
    e6 = await importByValue(h.client, IMK, 'TR31_E6_EMV_MKEY_OTHER', 'TDES_2KEY', { DeriveKey: true });
  });
  afterAll(async () => h.close());

  it.runIf(hasBoto3())('a mismatch is VerificationFailedException 400, Reason INVALID_VALIDATION_DATA, for every implemented member', async () => {
    const results = await boto3Calls(h.endpoint, [
      ver(cvk.arn, PAN, CVV2, '222'),
      ver(cvk.arn, PAN, { CardVerificationValue1: { CardExpiryDate: '0225', ServiceCode: '101' } }, CVV2_VALUE),
      ver(e4.arn, CVC3_PAN, CVC3, '489'),
      ver(e6.arn, PAN, DCVV, '0000'),
      ver(cvk.arn, '371234567890123', AMEX1, '231'),
      ver(cvk.arn, '371234567890123', AMEX2, '58869'),
      ver(cvk.arn, PAN, CVV2, CVV2_VALUE), // control: the right value verifies
    ]);
    for (const r of results.slice(0, 6)) {
      expect(r.error?.code).toBe('VerificationFailedException');
      expect(r.error?.status).toBe(400);
      expect(r.error?.fields.Reason).toBe('INVALID_VALIDATION_DATA');
      expect(r.error?.message).toBe('Card validation data verification failed.');
    }
    expect(results[6]!.ok?.KeyCheckValue).toBe(cvk.kcv);
  });

  it.runIf(hasBoto3())('key rules: wrong usage, wrong modes of use, TDES_3KEY for CVV; Verify-only keys verify and Generate-only keys generate', async () => {
    const cvk3 = await importByValue(h.client, `${CVK}89ABCDEF01234567`, 'TR31_C0_CARD_VERIFICATION_KEY', 'TDES_3KEY', { Generate: true, Verify: true });
    const results = await boto3Calls(h.endpoint, [
      gen(e4.arn, PAN, CVV2), // E4 key for CVV
      gen(cvk.arn, CVC3_PAN, CVC3), // C0 key for CVC3
      gen(e4.arn, PAN, DCVV), // E4 key for dCVV (needs E6)
      ver(cvkGenOnly.arn, PAN, CVV2, CVV2_VALUE),
      gen(cvkVerOnly.arn, PAN, CVV2),
      gen(cvk3.arn, PAN, CVV2), // the CVV method takes a double-length key
      ver(cvkVerOnly.arn, PAN, CVV2, CVV2_VALUE),
      gen(cvkGenOnly.arn, PAN, CVV2),
      gen(cvk3.arn, '371234567890123', AMEX1, 4), // Amex CSC accepts TDES 2- or 3-key
    ]);
    for (const r of results.slice(0, 6)) {
      expect(r.error?.code, JSON.stringify(r)).toBe('ValidationException');
      expect(r.error?.status).toBe(400);
    }
    expect(results[0]!.error?.message).toMatch(/KeyUsage TR31_E4_EMV_MKEY_DYNAMIC_NUMBERS is not allowed/);
    expect(results[2]!.error?.message).toMatch(/TR31_E6_EMV_MKEY_OTHER/);
    expect(results[3]!.error?.message).toMatch(/KeyModesOfUse/);
    expect(results[5]!.error?.message).toMatch(/KeyAlgorithm TDES_3KEY/);
    expect(results[6]!.ok?.KeyCheckValue).toBe(cvkVerOnly.kcv);
    expect(results[7]!.ok?.ValidationData).toBe(CVV2_VALUE);
    expect(results[8]!.ok?.ValidationData).toMatch(/^\d{4}$/);
  });

  it.runIf(hasBoto3())('bad input and unpublished members are ValidationException naming the problem; unknown keys are 404', async () => {
    const results = await boto3Calls(h.endpoint, [
      gen(cvk.arn, PAN, CVV2, 5), // the CVV method gives 3 or 4 digits
      ver(cvk.arn, PAN, CVV2, '22100'),
      gen(e4.arn, CVC3_PAN, { DynamicCardVerificationCode: { ...CVC3.DynamicCardVerificationCode, TrackData: '5123F' } }), // odd hex
      gen(cvk.arn, PAN, AMEX1), // not an Amex PAN
      gen(e6.arn, PAN, { CardHolderVerificationValue: { UnpredictableNumber: '1234', PanSequenceNumber: '00', ApplicationTransactionCounter: '0001' } }),
      ver(e6.arn, PAN, { DiscoverDynamicCardVerificationCode: { CardExpiryDate: '2512', UnpredictableNumber: '1234', ApplicationTransactionCounter: '0001' } }, '123'),
      gen(cvk.arn, PAN, {}), // no union member
      gen(cvk.arn, PAN, { ...CVV2, ...AMEX1 }), // two union members
      gen('alias/no-such-cvk', PAN, CVV2),
      ver('alias/no-such-cvk', PAN, CVV2, CVV2_VALUE),
      gen(cvk.arn, PAN, CVV2, 6),
    ]);
    for (const r of results.slice(0, 8)) {
      expect(r.clientValidation === undefined ? r.error?.code : 'ValidationException', JSON.stringify(r)).toBe('ValidationException');
    }
    expect(results[0]!.error?.message).toMatch(/ValidationDataLength 5 is not supported for CardVerificationValue2/);
    expect(results[1]!.error?.message).toMatch(/length of 5 is not supported for CardVerificationValue2/);
    expect(results[2]!.error?.message).toMatch(/TrackData/);
    expect(results[3]!.error?.message).toMatch(/AmexCardSecurityCodeVersion1 needs a 15-digit American Express/);
    expect(results[3]!.error?.message).not.toContain(PAN);
    expect(results[4]!.error?.message).toMatch(/CardHolderVerificationValue .*no public algorithm/);
    expect(results[5]!.error?.message).toMatch(/DiscoverDynamicCardVerificationCode .*no public algorithm/);
    for (const r of results.slice(8, 10)) {
      expect(r.error?.code).toBe('ResourceNotFoundException');
      expect(r.error?.status).toBe(404);
    }
    // out of the model's range: boto3 may refuse it client-side; the emulator refuses it too
    const last = results[10]!;
    expect(last.clientValidation ?? last.error?.code).toMatch(/ValidationException|ValidationDataLength|range/);
  });

  it.runIf(hasBoto3())('a key whose usage was stopped is refused', async () => {
    const k = await importByValue(h.client, CVK, 'TR31_C0_CARD_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true, Verify: true });
    await h.client.send(new StopKeyUsageCommand({ KeyIdentifier: k.arn }));
    const [g, v] = await boto3Calls(h.endpoint, [gen(k.arn, PAN, CVV2), ver(k.arn, PAN, CVV2, CVV2_VALUE)]);
    for (const r of [g!, v!]) {
      expect(r.error?.code).toBe('ValidationException');
      expect(r.error?.message).toMatch(/disabled/);
    }
  });

  it('through the core (emulator.call) and the in-process router: CVV2 of the published example, CVC3 digits, a mismatch', async () => {
    const em = h.emulator;
    const out = await em.call('GenerateCardValidationData', { KeyIdentifier: cvk.arn, PrimaryAccountNumber: PAN, GenerationAttributes: CVV2 });
    expect(out).toEqual({ KeyArn: cvk.arn, KeyCheckValue: cvk.kcv, ValidationData: CVV2_VALUE });
    const cvc3 = await em.call('GenerateCardValidationData', { KeyIdentifier: e4.arn, PrimaryAccountNumber: CVC3_PAN, GenerationAttributes: CVC3, ValidationDataLength: 3 });
    expect(cvc3.ValidationData).toBe(CVC3_LAST3);
    const err = await em.call('VerifyCardValidationData', { KeyIdentifier: cvk.arn, PrimaryAccountNumber: PAN, VerificationAttributes: CVV2, ValidationData: '999' }).catch((e: unknown) => e);
    expect(isAwsError(err) && err.name).toBe('VerificationFailedException');
    const res = await handleRequest(em, {
      method: 'POST',
      path: '/cardvalidationdata/verify',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ KeyIdentifier: cvk.arn, PrimaryAccountNumber: PAN, VerificationAttributes: CVV2, ValidationData: CVV2_VALUE }),
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ KeyArn: cvk.arn, KeyCheckValue: cvk.kcv });
    const bad = await handleRequest(em, {
      method: 'POST',
      path: '/cardvalidationdata/verify',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ KeyIdentifier: cvk.arn, PrimaryAccountNumber: PAN, VerificationAttributes: CVV2, ValidationData: '000' }),
    });
    expect(bad.status).toBe(400);
    expect(bad.headers['x-amzn-errortype']).toBe('VerificationFailedException');
    expect(JSON.parse(bad.body)).toMatchObject({ Reason: 'INVALID_VALIDATION_DATA', Message: 'Card validation data verification failed.' });
  });

  it('strictAlgorithms: dCVV and Amex CSC answer a ValidationException; CVV2 and CVC3 still compute', async () => {
    const strict = await dataPlaneHarness(Emulator.inMemory({ strictAlgorithms: true }));
    try {
      const c0 = await importByValue(strict.client, CVK, 'TR31_C0_CARD_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true, Verify: true });
      const k4 = await importByValue(strict.client, IMK, 'TR31_E4_EMV_MKEY_DYNAMIC_NUMBERS', 'TDES_2KEY', { DeriveKey: true });
      const k6 = await importByValue(strict.client, IMK, 'TR31_E6_EMV_MKEY_OTHER', 'TDES_2KEY', { DeriveKey: true });
      const em = strict.emulator;
      const refused = [
        { id: k6.arn, pan: PAN, attrs: DCVV, member: 'DynamicCardVerificationValue' },
        { id: c0.arn, pan: '371234567890123', attrs: AMEX1, member: 'AmexCardSecurityCodeVersion1' },
        { id: c0.arn, pan: '371234567890123', attrs: AMEX2, member: 'AmexCardSecurityCodeVersion2' },
      ];
      for (const r of refused) {
        for (const call of [
          em.call('GenerateCardValidationData', { KeyIdentifier: r.id, PrimaryAccountNumber: r.pan, GenerationAttributes: r.attrs }),
          em.call('VerifyCardValidationData', { KeyIdentifier: r.id, PrimaryAccountNumber: r.pan, VerificationAttributes: r.attrs, ValidationData: '123' }),
        ]) {
          const e = await (call as Promise<unknown>).catch((x: unknown) => x);
          expect(isAwsError(e) && e.name).toBe('ValidationException');
          expect((e as Error).message).toContain(r.member);
          expect((e as Error).message).toMatch(/not confirmed against AWS/);
        }
      }
      const ok = await em.call('GenerateCardValidationData', { KeyIdentifier: c0.arn, PrimaryAccountNumber: PAN, GenerationAttributes: CVV2 });
      expect(ok.ValidationData).toBe(CVV2_VALUE);
      const c3 = await em.call('GenerateCardValidationData', { KeyIdentifier: k4.arn, PrimaryAccountNumber: CVC3_PAN, GenerationAttributes: CVC3 });
      expect(c3.ValidationData).toBe(CVC3_LAST3);
    } finally {
      await strict.close();
    }
  });

  it('a C0 key created by CreateKey (value unknown to the test) generates and verifies its own CVV2', async () => {
    const created = await h.client.send(
      new CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } } }),
    );
    const arn = created.Key!.KeyArn!;
    const g = await h.emulator.call('GenerateCardValidationData', { KeyIdentifier: arn, PrimaryAccountNumber: PAN, GenerationAttributes: CVV2, ValidationDataLength: 4 });
    expect(g.ValidationData).toMatch(/^\d{4}$/);
    expect(g.KeyCheckValue).toBe(created.Key!.KeyCheckValue);
    await expect(h.emulator.call('VerifyCardValidationData', { KeyIdentifier: arn, PrimaryAccountNumber: PAN, VerificationAttributes: CVV2, ValidationData: g.ValidationData })).resolves.toEqual({ KeyArn: arn, KeyCheckValue: g.KeyCheckValue });
  });
});
