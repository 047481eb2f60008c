import { CreateKeyCommand, PaymentCryptographyClient } from '@aws-sdk/client-payment-cryptography';
import { Emulator, inProcessHandler } from '@paycrypt/emulator';
import { ServiceException } from '@smithy/smithy-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GenerateCardValidationDataCommand,
  inProcessDataPlaneTransport,
  PaymentCryptographyDataClient,
  ResourceNotFoundException,
  serializeRequest,
  ValidationException,
  VerificationFailedException,
  VerifyCardValidationDataCommand,
} from '../src/index.js';
import { credentials, cvvOracle, EXPIRY, importByValue, kekByValue, PAN, tdesKcvOracle } from './kit.js';

const emulator = Emulator.inMemory();
const control = new PaymentCryptographyClient({ region: 'us-east-1', endpoint: 'http://emulator.local', credentials, requestHandler: inProcessHandler(emulator), maxAttempts: 1 });
const data = new PaymentCryptographyDataClient({ region: 'us-east-1', endpoint: 'http://emulator.local', credentials, transport: inProcessDataPlaneTransport(emulator) });
const cvkClear = new Uint8Array(Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex'));
let cvk: { arn: string; kcv: string };

beforeAll(async () => {
  const kek = await kekByValue(control);
  cvk = await importByValue(control, kek, cvkClear, 'TR31_C0_CARD_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true, Verify: true });
});
afterAll(async () => {
  control.destroy();
  await emulator.close();
});

describe('restJson1 serialization from the model', () => {
  it('fills URI labels, percent-encoded as the SDKs do (encodeURIComponent plus !\'()*)', () => {
    const arn = 'arn:aws:payment-cryptography:us-east-1:111122223333:key/abcdefghijklmnop';
    const r = serializeRequest('EncryptData', { KeyIdentifier: arn, PlainText: '00', EncryptionAttributes: { Symmetric: { Mode: 'ECB' } } });
    expect(r.method).toBe('POST');
    expect(r.path).toBe('/keys/arn%3Aaws%3Apayment-cryptography%3Aus-east-1%3A111122223333%3Akey%2Fabcdefghijklmnop/encrypt');
    expect(JSON.parse(r.body)).toEqual({ PlainText: '00', EncryptionAttributes: { Symmetric: { Mode: 'ECB' } } });
    expect(serializeRequest('ReEncryptData', { IncomingKeyIdentifier: "a!b'c(d)e*f g" } as never).path).toBe('/keys/a%21b%27c%28d%29e%2Af%20g/reencrypt');
    expect(serializeRequest('GenerateMac', { KeyIdentifier: 'alias/x' } as never).path).toBe('/mac/generate');
  });
  it('refuses an empty URI label before sending', () => {
    expect(() => serializeRequest('DecryptData', { KeyIdentifier: '' } as never)).toThrow(TypeError);
  });
});

describe('PaymentCryptographyDataClient against the emulator in-process', () => {
  it('the imported CVK has the KCV node:crypto computes', () => {
    expect(cvk.kcv).toBe(tdesKcvOracle(cvkClear));
  });

  it('GenerateCardValidationData (send + command, and the plain method) = the CVV2 computed with node:crypto', async () => {
    const input = { KeyIdentifier: cvk.arn, PrimaryAccountNumber: PAN, GenerationAttributes: { CardVerificationValue2: { CardExpiryDate: EXPIRY } } };
    const a = await data.send(new GenerateCardValidationDataCommand(input));
    const b = await data.generateCardValidationData(input);
    const expected = cvvOracle(cvkClear, PAN, EXPIRY, '000');
    expect(a.ValidationData).toBe(expected);
    expect(b.ValidationData).toBe(expected);
    expect(a.KeyCheckValue).toBe(cvk.kcv);
    expect(a.$metadata.httpStatusCode).toBe(200);
    expect(a.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.$metadata.attempts).toBe(1);
  });

  it('VerificationFailedException carries Reason and $metadata', async () => {
    const right = cvvOracle(cvkClear, PAN, EXPIRY, '000');
    const wrong = right === '000' ? '001' : '000';
    const err = await data
      .send(new VerifyCardValidationDataCommand({ KeyIdentifier: cvk.arn, PrimaryAccountNumber: PAN, VerificationAttributes: { CardVerificationValue2: { CardExpiryDate: EXPIRY } }, ValidationData: wrong }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VerificationFailedException);
    expect(err).toBeInstanceOf(ServiceException);
    const v = err as VerificationFailedException;
    expect(v.name).toBe('VerificationFailedException');
    expect(v.Reason).toBe('INVALID_VALIDATION_DATA');
    expect(v.$fault).toBe('client');
    expect(v.$metadata.httpStatusCode).toBe(400);
    expect(v.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const ok = await data.verifyCardValidationData({ KeyIdentifier: cvk.arn, PrimaryAccountNumber: PAN, VerificationAttributes: { CardVerificationValue2: { CardExpiryDate: EXPIRY } }, ValidationData: right });
    expect(ok.KeyCheckValue).toBe(cvk.kcv);
  });

  it('ValidationException for an invalid member (the emulator sends no fieldList; errors.test.ts checks its parsing)', async () => {
    const err = await data.generateCardValidationData({ KeyIdentifier: cvk.arn, PrimaryAccountNumber: '12', GenerationAttributes: { CardVerificationValue2: { CardExpiryDate: EXPIRY } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationException);
    const v = err as ValidationException;
    expect(v.$metadata.httpStatusCode).toBe(400);
    expect(v.message).toMatch(/primaryAccountNumber/i);
    expect(v.$fault).toBe('client');
  });

  it('ResourceNotFoundException for a key that does not exist', async () => {
    const missing = 'arn:aws:payment-cryptography:us-east-1:111122223333:key/doesnotexist00000';
    const err = await data.generateCardValidationData({ KeyIdentifier: missing, PrimaryAccountNumber: PAN, GenerationAttributes: { CardVerificationValue2: { CardExpiryDate: EXPIRY } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect((err as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
  });

  it('a key created in the emulator (not imported) answers through the client too', async () => {
    const k = (await control.send(new CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } } }))).Key!;
    const out = await data.generateCardValidationData({ KeyIdentifier: k.KeyArn!, PrimaryAccountNumber: PAN, GenerationAttributes: { CardVerificationValue2: { CardExpiryDate: EXPIRY } } });
    expect(out.ValidationData).toMatch(/^[0-9]{3}$/);
    expect(out.KeyArn).toBe(k.KeyArn);
  });
});
