import { CreateKeyCommand, ExportKeyCommand } from '@aws-sdk/client-payment-cryptography';
import { KeyBlockError } from '@paycrypt/keyblock';
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCardValidationData, checkMac, checkVisaPvv, createPaymentCryptography, expectedCardValidationData, expectedMac, expectedVisaPvv, openExportedKeyBlock } from '../src/index.js';
import { aesCmacKcvOracle, cvvOracle, EXPIRY, hmacSha256Oracle, importByValue, kekByValue, PAN, pinFromIso0Block, retailMacOracle, tdesKcvOracle, visaPvvOracle, type Kek } from './kit.js';

/**
 * The cross-check helpers on service answers (the emulator through the adapter), with every
 * expected value also computed by node:crypto in the test kit.
 */
const pc = createPaymentCryptography({ target: 'emulator', env: {} });
let kek: Kek;
const cvkClear = new Uint8Array(randomBytes(16));
const macClear = new Uint8Array(randomBytes(16));
const hmacClear = new Uint8Array(randomBytes(32));
const pvkClear = new Uint8Array(randomBytes(16));
const pekClear = new Uint8Array(randomBytes(16));
const keys: Record<string, { arn: string; kcv: string }> = {};

beforeAll(async () => {
  kek = await kekByValue(pc.controlPlane);
  keys['cvk'] = await importByValue(pc.controlPlane, kek, cvkClear, 'TR31_C0_CARD_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true, Verify: true });
  keys['retail'] = await importByValue(pc.controlPlane, kek, macClear, 'TR31_M3_ISO_9797_3_MAC_KEY', 'TDES_2KEY', { Generate: true, Verify: true });
  keys['hmac'] = await importByValue(pc.controlPlane, kek, hmacClear, 'TR31_M7_HMAC_KEY', 'HMAC_SHA256', { Generate: true, Verify: true });
  keys['pvk'] = await importByValue(pc.controlPlane, kek, pvkClear, 'TR31_V2_VISA_PIN_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true, Verify: true });
  keys['pek'] = await importByValue(pc.controlPlane, kek, pekClear, 'TR31_P0_PIN_ENCRYPTION_KEY', 'TDES_2KEY', { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true });
});
afterAll(() => pc.close());

const exportUnder = async (arn: string) =>
  (await pc.controlPlane.send(new ExportKeyCommand({ ExportKeyIdentifier: arn, KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kek.arn } } }))).WrappedKey!;

describe('openExportedKeyBlock', () => {
  it('a CVK known in clear: header, attributes, KCV = node:crypto KCV = the service KCV', async () => {
    const w = await exportUnder(keys['cvk']!.arn);
    const o = openExportedKeyBlock(kek.clear, w.KeyMaterial!, { KeyCheckValue: w.KeyCheckValue!, KeyCheckValueAlgorithm: w.KeyCheckValueAlgorithm });
    expect(o.header.version).toBe('D');
    expect(o.header.keyUsage).toBe('C0');
    expect(o.header.algorithm).toBe('T');
    expect(o.keyLength).toBe(16);
    expect(o.keyAttributes).toMatchObject({ KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyAlgorithm: 'TDES_2KEY' });
    expect(o.keyCheckValueAlgorithm).toBe('ANSI_X9_24');
    expect(o.keyCheckValue).toBe(tdesKcvOracle(cvkClear));
    expect(o.kcvMatches).toBe(true);
    expect(JSON.stringify(o)).not.toContain(Buffer.from(cvkClear).toString('hex').toUpperCase());
  });

  it('a key created by the service (clear unknown to the test): AES KCV = CMAC KCV; a wrong service KCV does not match', async () => {
    const k = (await pc.controlPlane.send(new CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyUsage: 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_128', KeyModesOfUse: { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true } } }))).Key!;
    const w = await exportUnder(k.KeyArn!);
    const o = openExportedKeyBlock(kek.clear, w.KeyMaterial!, { KeyCheckValue: k.KeyCheckValue! });
    expect(o.keyCheckValueAlgorithm).toBe('CMAC');
    expect(o.kcvMatches).toBe(true);
    const flipped = (k.KeyCheckValue![0] === '0' ? '1' : '0') + k.KeyCheckValue!.slice(1);
    expect(openExportedKeyBlock(kek.clear, w.KeyMaterial!, { KeyCheckValue: flipped }).kcvMatches).toBe(false);
    expect(openExportedKeyBlock(kek.clear, w.KeyMaterial!).kcvMatches).toBeUndefined();
  });

  it('an AES key known in clear: CMAC KCV = node:crypto one-block CMAC = the service KCV', async () => {
    const aes = new Uint8Array(randomBytes(16));
    const k = await importByValue(pc.controlPlane, kek, aes, 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', 'AES_128', { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true });
    const w = await exportUnder(k.arn);
    const o = openExportedKeyBlock(kek.clear, w.KeyMaterial!, { KeyCheckValue: k.kcv });
    expect(o.keyCheckValue).toBe(aesCmacKcvOracle(aes));
    expect(o.kcvMatches).toBe(true);
  });

  it('an HMAC key known in clear: HMAC KCV = node:crypto HMAC(key, empty)[0..3] = the service KCV', async () => {
    const w = await exportUnder(keys['hmac']!.arn);
    const o = openExportedKeyBlock(kek.clear, w.KeyMaterial!, { KeyCheckValue: keys['hmac']!.kcv });
    expect(o.header.algorithm).toBe('H');
    expect(o.keyAttributes?.KeyAlgorithm).toBe('HMAC_SHA256');
    expect(o.keyCheckValueAlgorithm).toBe('HMAC');
    expect(o.keyCheckValue).toBe(createHmac('sha256', hmacClear).update(Buffer.alloc(0)).digest('hex').slice(0, 6).toUpperCase());
    expect(o.kcvMatches).toBe(true);
  });

  it('the wrong KEK: the opaque key-block error, nothing of the key in it', async () => {
    const w = await exportUnder(keys['cvk']!.arn);
    const wrong = new Uint8Array(randomBytes(16));
    let err: unknown;
    try {
      openExportedKeyBlock(wrong, w.KeyMaterial!);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KeyBlockError);
    expect(String((err as Error).message)).not.toMatch(/[0-9A-F]{16}/);
  });
});

describe('card validation and MAC expected values vs the service', () => {
  it('CVV2 and CVV1: expected = node:crypto = the service answer', async () => {
    const cvv2Attrs = { CardVerificationValue2: { CardExpiryDate: EXPIRY } };
    const s2 = await pc.dataPlane.generateCardValidationData({ KeyIdentifier: keys['cvk']!.arn, PrimaryAccountNumber: PAN, GenerationAttributes: cvv2Attrs });
    expect(expectedCardValidationData(cvkClear, PAN, cvv2Attrs)).toBe(cvvOracle(cvkClear, PAN, EXPIRY, '000'));
    expect(checkCardValidationData(cvkClear, PAN, cvv2Attrs, s2.ValidationData)).toEqual({ expected: s2.ValidationData, matches: true });
    const cvv1Attrs = { CardVerificationValue1: { CardExpiryDate: EXPIRY, ServiceCode: '101' } };
    const s1 = await pc.dataPlane.generateCardValidationData({ KeyIdentifier: keys['cvk']!.arn, PrimaryAccountNumber: PAN, GenerationAttributes: cvv1Attrs });
    expect(s1.ValidationData).toBe(cvvOracle(cvkClear, PAN, EXPIRY, '101'));
    expect(checkCardValidationData(cvkClear, PAN, cvv1Attrs, s1.ValidationData).matches).toBe(true);
    const other = s1.ValidationData === '000' ? '001' : '000';
    expect(checkCardValidationData(cvkClear, PAN, cvv1Attrs, other).matches).toBe(false);
  });

  it('HMAC-SHA256 and ISO 9797-1 algorithm 3 MACs: expected = node:crypto = the service answer', async () => {
    const msg = '4E6F77206973207468652074696D6520666F7220616C6C20';
    const h = await pc.dataPlane.generateMac({ KeyIdentifier: keys['hmac']!.arn, MessageData: msg, GenerationAttributes: { Algorithm: 'HMAC_SHA256' } });
    expect(expectedMac(hmacClear, 'HMAC_SHA256', 'HMAC_SHA256', msg)).toBe(hmacSha256Oracle(hmacClear, msg));
    expect(checkMac(hmacClear, 'HMAC_SHA256', 'HMAC_SHA256', msg, h.Mac)).toEqual({ expected: h.Mac, matches: true });
    const r = await pc.dataPlane.generateMac({ KeyIdentifier: keys['retail']!.arn, MessageData: msg, GenerationAttributes: { Algorithm: 'ISO9797_ALGORITHM3' } });
    expect(expectedMac(macClear, 'TDES_2KEY', 'ISO9797_ALGORITHM3', msg)).toBe(retailMacOracle(macClear, msg));
    expect(checkMac(macClear, 'TDES_2KEY', 'ISO9797_ALGORITHM3', msg, r.Mac).matches).toBe(true);
    expect(checkMac(macClear, 'TDES_2KEY', 'ISO9797_ALGORITHM3', msg, '0'.repeat(r.Mac.length)).matches).toBe(false);
  });

  it('Visa PVV: expected = node:crypto = the service answer for the PIN it generated', async () => {
    const g = await pc.dataPlane.generatePinData({ GenerationKeyIdentifier: keys['pvk']!.arn, EncryptionKeyIdentifier: keys['pek']!.arn, GenerationAttributes: { VisaPin: { PinVerificationKeyIndex: 1 } }, PrimaryAccountNumber: PAN, PinBlockFormat: 'ISO_FORMAT_0' });
    const pin = pinFromIso0Block(pekClear, g.EncryptedPinBlock, PAN);
    expect(pin).toMatch(/^[0-9]{4,12}$/);
    const pvv = g.PinData.VerificationValue!;
    expect(expectedVisaPvv(pvkClear, PAN, pin, 1)).toBe(visaPvvOracle(pvkClear, PAN, pin, 1));
    expect(checkVisaPvv(pvkClear, PAN, pin, 1, pvv)).toEqual({ expected: pvv, matches: true });
    expect(checkVisaPvv(pvkClear, PAN, pin, 2, pvv).matches).toBe(visaPvvOracle(pvkClear, PAN, pin, 2) === pvv);
  });
});
