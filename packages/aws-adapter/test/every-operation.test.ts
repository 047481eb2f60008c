import { CreateKeyCommand, type KeyAttributes } from '@aws-sdk/client-payment-cryptography';
import { DATA_OPERATION_NAMES } from '@paycrypt/emulator';
import { createCipheriv } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaymentCryptography, PaymentCryptographyDataServiceException, ResourceNotFoundException, type DataPlaneOperation } from '../src/index.js';
import { EXPIRY, hmacSha256Oracle, importByValue, kekByValue, PAN } from './kit.js';

/**
 * Every data-plane operation through the adapter's client against the emulator in-process: a
 * success where a key set-up is cheap (expected values from node:crypto where one exists), an
 * expected error (a missing key) for the rest. The list is checked against the model's.
 */
const pc = createPaymentCryptography({ target: 'emulator', env: {} });
const called = new Set<DataPlaneOperation>();
const MISSING = 'alias/adapter-missing-key';
const keys: Record<string, string> = {};
const hmacClear = new Uint8Array(32).map((_, i) => i + 1);
const aesClear = new Uint8Array(16).map((_, i) => 0xa0 + i);

async function create(name: string, attrs: KeyAttributes): Promise<void> {
  keys[name] = (await pc.controlPlane.send(new CreateKeyCommand({ Exportable: true, KeyAttributes: attrs }))).Key!.KeyArn!;
}

beforeAll(async () => {
  const kek = await kekByValue(pc.controlPlane);
  keys['hmac'] = (await importByValue(pc.controlPlane, kek, hmacClear, 'TR31_M7_HMAC_KEY', 'HMAC_SHA256', { Generate: true, Verify: true })).arn;
  keys['aes'] = (await importByValue(pc.controlPlane, kek, aesClear, 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', 'AES_128', { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true })).arn;
  await create('aes2', { KeyUsage: 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_128', KeyModesOfUse: { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true } });
  await create('cvk', { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } });
  await create('pek', { KeyUsage: 'TR31_P0_PIN_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true } });
  await create('pek2', { KeyUsage: 'TR31_P0_PIN_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true } });
  await create('pvk', { KeyUsage: 'TR31_V2_VISA_PIN_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } });
});
afterAll(() => pc.close());

const d = () => pc.dataPlane;

async function expectMissingKey(op: DataPlaneOperation, p: Promise<unknown>): Promise<void> {
  called.add(op);
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ResourceNotFoundException);
  expect((err as PaymentCryptographyDataServiceException).$metadata.httpStatusCode).toBe(404);
}

describe('every data-plane operation through the client (emulator in-process)', () => {
  it('card validation: Generate + Verify', async () => {
    const g = await d().generateCardValidationData({ KeyIdentifier: keys['cvk']!, PrimaryAccountNumber: PAN, GenerationAttributes: { CardVerificationValue2: { CardExpiryDate: EXPIRY } } });
    called.add('GenerateCardValidationData');
    const v = await d().verifyCardValidationData({ KeyIdentifier: keys['cvk']!, PrimaryAccountNumber: PAN, VerificationAttributes: { CardVerificationValue2: { CardExpiryDate: EXPIRY } }, ValidationData: g.ValidationData });
    called.add('VerifyCardValidationData');
    expect(v.KeyArn).toBe(keys['cvk']);
  });

  it('MAC: GenerateMac = HMAC-SHA256 by node:crypto; VerifyMac accepts it', async () => {
    const msg = '00112233445566778899';
    const g = await d().generateMac({ KeyIdentifier: keys['hmac']!, MessageData: msg, GenerationAttributes: { Algorithm: 'HMAC_SHA256' } });
    called.add('GenerateMac');
    expect(g.Mac).toBe(hmacSha256Oracle(hmacClear, msg));
    await d().verifyMac({ KeyIdentifier: keys['hmac']!, MessageData: msg, Mac: g.Mac, VerificationAttributes: { Algorithm: 'HMAC_SHA256' } });
    called.add('VerifyMac');
  });

  it('encryption: EncryptData = AES-128-ECB by node:crypto; DecryptData; ReEncryptData', async () => {
    const plain = '00112233445566778899AABBCCDDEEFF';
    const e = await d().encryptData({ KeyIdentifier: keys['aes']!, PlainText: plain, EncryptionAttributes: { Symmetric: { Mode: 'ECB' } } });
    called.add('EncryptData');
    const c = createCipheriv('aes-128-ecb', aesClear, null).setAutoPadding(false);
    expect(e.CipherText).toBe(Buffer.concat([c.update(Buffer.from(plain, 'hex')), c.final()]).toString('hex').toUpperCase());
    const p = await d().decryptData({ KeyIdentifier: keys['aes']!, CipherText: e.CipherText, DecryptionAttributes: { Symmetric: { Mode: 'ECB' } } });
    called.add('DecryptData');
    expect(p.PlainText).toBe(plain);
    const r = await d().reEncryptData({ IncomingKeyIdentifier: keys['aes']!, OutgoingKeyIdentifier: keys['aes2']!, CipherText: e.CipherText, IncomingEncryptionAttributes: { Symmetric: { Mode: 'ECB' } }, OutgoingEncryptionAttributes: { Symmetric: { Mode: 'ECB' } } });
    called.add('ReEncryptData');
    const back = await d().decryptData({ KeyIdentifier: keys['aes2']!, CipherText: r.CipherText, DecryptionAttributes: { Symmetric: { Mode: 'ECB' } } });
    expect(back.PlainText).toBe(plain);
  });

  it('PIN: GeneratePinData (Visa PIN + PVV), VerifyPinData, TranslatePinData', async () => {
    const g = await d().generatePinData({ GenerationKeyIdentifier: keys['pvk']!, EncryptionKeyIdentifier: keys['pek']!, GenerationAttributes: { VisaPin: { PinVerificationKeyIndex: 1 } }, PrimaryAccountNumber: PAN, PinBlockFormat: 'ISO_FORMAT_0' });
    called.add('GeneratePinData');
    expect(g.PinData.VerificationValue).toMatch(/^[0-9]{4}$/);
    await d().verifyPinData({ VerificationKeyIdentifier: keys['pvk']!, EncryptionKeyIdentifier: keys['pek']!, VerificationAttributes: { VisaPin: { PinVerificationKeyIndex: 1, VerificationValue: g.PinData.VerificationValue! } }, EncryptedPinBlock: g.EncryptedPinBlock, PrimaryAccountNumber: PAN, PinBlockFormat: 'ISO_FORMAT_0' });
    called.add('VerifyPinData');
    const t = await d().translatePinData({ IncomingKeyIdentifier: keys['pek']!, OutgoingKeyIdentifier: keys['pek2']!, IncomingTranslationAttributes: { IsoFormat0: { PrimaryAccountNumber: PAN } }, OutgoingTranslationAttributes: { IsoFormat0: { PrimaryAccountNumber: PAN } }, EncryptedPinBlock: g.EncryptedPinBlock });
    called.add('TranslatePinData');
    expect(t.KeyArn).toBe(keys['pek2']);
    // the translated block verifies under the outgoing PEK
    await d().verifyPinData({ VerificationKeyIdentifier: keys['pvk']!, EncryptionKeyIdentifier: keys['pek2']!, VerificationAttributes: { VisaPin: { PinVerificationKeyIndex: 1, VerificationValue: g.PinData.VerificationValue! } }, EncryptedPinBlock: t.PinBlock, PrimaryAccountNumber: PAN, PinBlockFormat: 'ISO_FORMAT_0' });
  });

  it('EMV cryptograms, EMV PIN change, AS2805 KEK validation, key material translation: ResourceNotFoundException for a missing key', async () => {
    const session = { EmvCommon: { PrimaryAccountNumber: PAN, PanSequenceNumber: '00', ApplicationTransactionCounter: '0001' } };
    await expectMissingKey('GenerateAuthRequestCryptogram', d().generateAuthRequestCryptogram({ KeyIdentifier: MISSING, TransactionData: '0000000010000000000000000840', MajorKeyDerivationMode: 'EMV_OPTION_A', SessionKeyDerivationAttributes: session }));
    await expectMissingKey('VerifyAuthRequestCryptogram', d().verifyAuthRequestCryptogram({ KeyIdentifier: MISSING, TransactionData: '0000000010000000000000000840', AuthRequestCryptogram: '0123456789ABCDEF', MajorKeyDerivationMode: 'EMV_OPTION_A', SessionKeyDerivationAttributes: session }));
    await expectMissingKey(
      'GenerateMacEmvPinChange',
      d().generateMacEmvPinChange({
        NewPinPekIdentifier: MISSING,
        NewEncryptedPinBlock: '0123456789ABCDEF',
        PinBlockFormat: 'ISO_FORMAT_0',
        SecureMessagingIntegrityKeyIdentifier: MISSING,
        SecureMessagingConfidentialityKeyIdentifier: MISSING,
        MessageData: '00112233445566778899AABBCCDDEEFF',
        DerivationMethodAttributes: { EmvCommon: { MajorKeyDerivationMode: 'EMV_OPTION_A', PrimaryAccountNumber: PAN, PanSequenceNumber: '00', ApplicationCryptogram: '0123456789ABCDEF', Mode: 'ECB', PinBlockPaddingType: 'NO_PADDING', PinBlockLengthPosition: 'NONE' } },
      }),
    );
    await expectMissingKey('GenerateAs2805KekValidation', d().generateAs2805KekValidation({ KeyIdentifier: MISSING, KekValidationType: { KekValidationRequest: { DeriveKeyAlgorithm: 'TDES_2KEY' } }, RandomKeySendVariantMask: 'VARIANT_MASK_82C0' }));
    await expectMissingKey(
      'TranslateKeyMaterial',
      d().translateKeyMaterial({
        IncomingKeyMaterial: {
          DiffieHellmanTr31KeyBlock: {
            PrivateKeyIdentifier: MISSING,
            CertificateAuthorityPublicKeyIdentifier: MISSING,
            PublicKeyCertificate: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t',
            DeriveKeyAlgorithm: 'AES_128',
            KeyDerivationFunction: 'NIST_SP800',
            KeyDerivationHashAlgorithm: 'SHA_256',
            DerivationData: { SharedInformation: '00112233' },
            WrappedKeyBlock: 'D0112P0AE00E0000' + '0'.repeat(96),
          },
        },
        OutgoingKeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: MISSING } },
      }),
    );
  });

  it('covered every operation of the model', () => {
    expect([...called].sort()).toEqual([...DATA_OPERATION_NAMES].sort());
  });
});
