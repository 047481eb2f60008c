import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boto3Calls, dataPlaneHarness, hasBoto3, kekByValue, tr31Block, type Boto3Result, type DataPlaneHarness } from './data-plane-kit.js';
import {
  addDigits,
  ALL4,
  clearBlock8,
  DEC_TABLE,
  decodeBlock8,
  decryptIso4,
  encryptIso4,
  ibmNatural,
  PIN_VECTORS,
  pinKeys,
  PVK,
  tdes,
  visaPvv,
  type PinKeys,
} from './data-plane-pin-kit.js';

/**
 * GeneratePinData through boto3 over HTTP, every GenerationAttributes member. Expected values:
 * the Visa PVV and IBM 3624 vectors of test-vectors/pin.json (psec test_pin.py); random outputs
 * (VisaPin, Ibm3624RandomPin, ISO 1/3/4 fill) are checked by decrypting test-side with node:crypto
 * and recomputing PVV / natural PIN test-side (data-plane-pin-kit.ts).
 */
const PVV_VECTORS = PIN_VECTORS.filter((v) => v.description === 'Visa PVV');
// IBM vectors whose validation data AWS accepts (decimal digits): data = the unpadded digits
const IBM_VECTORS = PIN_VECTORS.filter((v) => v.description.startsWith('IBM 3624') && /^[0-9]+$/.test(String(v.inputs.validation_data).replace(/F+$/, '')))
  .map((v) => {
    const full = String(v.inputs.validation_data);
    const pad = String(v.inputs.pad);
    const data = full.slice(0, Number(v.inputs.pan_verify_length));
    const [offKey] = Object.keys(v.expected).filter((k) => k.startsWith('pin_for_offset_'));
    return { v, data, pad, full, offset: offKey!.slice('pin_for_offset_'.length), pin: v.expected[offKey!]! };
  })
  .filter((x) => x.data.padEnd(16, x.pad) === x.full && /^[0-9]+$/.test(x.data));

const run = it.runIf(hasBoto3());
let h: DataPlaneHarness;
let k: PinKeys;

beforeAll(async () => {
  h = await dataPlaneHarness();
  k = await pinKeys(h);
});
afterAll(async () => h?.close());

const gen = (params: Record<string, unknown>) => ({ op: 'generate_pin_data', params });
const ok = (r: Boto3Result | undefined) => {
  if (r?.ok === undefined) throw new Error(JSON.stringify(r));
  return r.ok as { EncryptedPinBlock: string; PinData: { PinOffset?: string; VerificationValue?: string }; EncryptionKeyArn: string; EncryptionKeyCheckValue: string; GenerationKeyArn: string; GenerationKeyCheckValue: string };
};
const ibmAttrs = (data: string, pad: string) => ({ DecimalizationTable: DEC_TABLE, PinValidationDataPadCharacter: pad, PinValidationData: data });

describe('GeneratePinData (boto3 over HTTP)', () => {
  it('has the published vectors it needs', () => {
    expect(PVV_VECTORS.length).toBe(4);
    expect(IBM_VECTORS.length).toBeGreaterThanOrEqual(6);
  });

  it('the test-side oracle reproduces the published ISO 0 / ISO 3 / ISO 4 blocks, PVVs and IBM 3624 PINs of pin.json', () => {
    const iso0 = PIN_VECTORS.filter((v) => v.description === 'ISO 9564-1 format 0 PIN block');
    expect(iso0.length).toBeGreaterThanOrEqual(10);
    for (const v of iso0) expect(clearBlock8(0, String(v.inputs.pin), String(v.inputs.pan)), v.source).toBe(v.expected.pinblock);
    for (const v of PIN_VECTORS.filter((x) => x.description === 'ISO 9564-1 format 3 PIN block decode')) {
      expect(decodeBlock8(3, String(v.inputs.pinblock), String(v.inputs.pan)).pin).toBe(v.expected.pin);
    }
    const x4 = PIN_VECTORS.find((v) => v.description === 'ISO 9564-1 format 4 (AES) PIN block')!;
    expect(encryptIso4(String(x4.inputs.key), '1234', String(x4.inputs.pan), 'full', String(x4.inputs.pin_field).slice(16))).toBe(x4.expected.encrypted_pinblock);
    const d4 = PIN_VECTORS.find((v) => v.description === 'ISO 9564-1 format 4 decipher (18-digit PAN)')!;
    expect(decryptIso4(String(d4.inputs.key), String(d4.inputs.encrypted_pinblock), String(d4.inputs.pan), 'full').pin).toBe(d4.expected.pin);
    for (const v of PVV_VECTORS) expect(visaPvv(PVK, String(v.inputs.pan), String(v.inputs.pin), Number(v.inputs.pvki))).toBe(v.expected.pvv);
    for (const x of IBM_VECTORS) expect(addDigits(ibmNatural(PVK, x.data, x.pad, DEC_TABLE, 4), x.offset, 1)).toBe(x.pin);
  });

  run('VisaPinVerificationValue: PVV of a PEK-encrypted ISO 0 block = psec vectors', async () => {
    const blocks = PVV_VECTORS.map((v) => tdes(k.pekTdes.clear, clearBlock8(0, String(v.inputs.pin), String(v.inputs.pan))));
    const res = await boto3Calls(
      h.endpoint,
      PVV_VECTORS.map((v, i) =>
        gen({
          GenerationKeyIdentifier: k.pvkVisa.arn,
          EncryptionKeyIdentifier: k.pekTdes.arn,
          PrimaryAccountNumber: String(v.inputs.pan),
          PinBlockFormat: 'ISO_FORMAT_0',
          GenerationAttributes: { VisaPinVerificationValue: { EncryptedPinBlock: blocks[i], PinVerificationKeyIndex: Number(v.inputs.pvki) } },
        }),
      ),
    );
    res.forEach((r, i) => {
      const o = ok(r);
      expect(o.PinData.VerificationValue).toBe(PVV_VECTORS[i]!.expected.pvv);
      expect(o.EncryptedPinBlock).toBe(blocks[i]);
      expect([o.GenerationKeyArn, o.GenerationKeyCheckValue, o.EncryptionKeyArn, o.EncryptionKeyCheckValue]).toEqual([k.pvkVisa.arn, k.pvkVisa.kcv, k.pekTdes.arn, k.pekTdes.kcv]);
    });
  });

  run('Ibm3624PinOffset (ISO 0 and ISO 3 input) and Ibm3624PinFromOffset = psec vectors', async () => {
    const pan = '1122334455667788';
    const calls = IBM_VECTORS.flatMap((x) => [
      gen({ GenerationKeyIdentifier: k.pvkIbm.arn, EncryptionKeyIdentifier: k.pekTdes.arn, PrimaryAccountNumber: pan, PinBlockFormat: 'ISO_FORMAT_0', GenerationAttributes: { Ibm3624PinOffset: { EncryptedPinBlock: tdes(k.pekTdes.clear, clearBlock8(0, x.pin, pan)), ...ibmAttrs(x.data, x.pad) } } }),
      gen({ GenerationKeyIdentifier: k.pvkIbm.arn, EncryptionKeyIdentifier: k.pekTdes.arn, PrimaryAccountNumber: pan, PinBlockFormat: 'ISO_FORMAT_3', GenerationAttributes: { Ibm3624PinOffset: { EncryptedPinBlock: tdes(k.pekTdes.clear, clearBlock8(3, x.pin, pan)), ...ibmAttrs(x.data, x.pad) } } }),
      gen({ GenerationKeyIdentifier: k.pvkIbm.arn, EncryptionKeyIdentifier: k.pekTdes.arn, PrimaryAccountNumber: pan, PinBlockFormat: 'ISO_FORMAT_0', GenerationAttributes: { Ibm3624PinFromOffset: { PinOffset: x.offset, ...ibmAttrs(x.data, x.pad) } } }),
    ]);
    const res = await boto3Calls(h.endpoint, calls);
    IBM_VECTORS.forEach((x, i) => {
      expect(ok(res[3 * i]).PinData.PinOffset).toBe(x.offset);
      expect(ok(res[3 * i + 1]).PinData.PinOffset).toBe(x.offset);
      const from = ok(res[3 * i + 2]);
      expect(from.PinData.PinOffset).toBe(x.offset);
      expect(from.EncryptedPinBlock).toBe(tdes(k.pekTdes.clear, clearBlock8(0, x.pin, pan))); // ISO 0 is deterministic
    });
  });

  run('Ibm3624PinFromOffset in ISO 1, ISO 3 and ISO 4 (AES PEK, full-PAN field): random fill, decrypted test-side', async () => {
    const x = IBM_VECTORS[0]!;
    const pan = '4111111111111111';
    const base = { GenerationKeyIdentifier: k.pvkIbm.arn, PrimaryAccountNumber: pan, GenerationAttributes: { Ibm3624PinFromOffset: { PinOffset: x.offset, ...ibmAttrs(x.data, x.pad) } } };
    const res = await boto3Calls(h.endpoint, [
      gen({ ...base, EncryptionKeyIdentifier: k.pekTdes.arn, PinBlockFormat: 'ISO_FORMAT_1' }),
      gen({ ...base, EncryptionKeyIdentifier: k.pekTdes.arn, PinBlockFormat: 'ISO_FORMAT_1' }),
      gen({ ...base, EncryptionKeyIdentifier: k.pekTdes.arn, PinBlockFormat: 'ISO_FORMAT_3' }),
      gen({ ...base, EncryptionKeyIdentifier: k.pekAes.arn, PinBlockFormat: 'ISO_FORMAT_4' }),
      gen({ ...base, EncryptionKeyIdentifier: k.pekAes.arn, PinBlockFormat: 'ISO_FORMAT_4' }),
    ]);
    const b = res.map((r) => ok(r).EncryptedPinBlock);
    expect(decodeBlock8(1, tdes(k.pekTdes.clear, b[0]!, true)).pin).toBe(x.pin);
    expect(decodeBlock8(3, tdes(k.pekTdes.clear, b[2]!, true), pan).pin).toBe(x.pin);
    expect(decryptIso4(k.pekAes.clear, b[3]!, pan, 'full').pin).toBe(x.pin);
    expect(b[0]).not.toBe(b[1]); // random fill
    expect(b[3]).not.toBe(b[4]);
    expect(b[3]).toMatch(/^[0-9A-F]{32}$/);
  });

  run('Ibm3624NaturalPin: the natural PIN (offset 0000 vector) and offset all zeros', async () => {
    const x = IBM_VECTORS.find((y) => y.offset === '0000')!;
    const [r] = await boto3Calls(h.endpoint, [
      gen({ GenerationKeyIdentifier: k.pvkIbm.arn, EncryptionKeyIdentifier: k.pekTdes.arn, PrimaryAccountNumber: '5432101234567890', PinBlockFormat: 'ISO_FORMAT_0', GenerationAttributes: { Ibm3624NaturalPin: ibmAttrs(x.data, x.pad) } }),
    ]);
    expect(decodeBlock8(0, tdes(k.pekTdes.clear, ok(r).EncryptedPinBlock, true), '5432101234567890').pin).toBe(x.pin);
    expect(ok(r).PinData.PinOffset).toBe('0000');
  });

  run('Ibm3624RandomPin and VisaPin: random PINs of PinDataLength, offset / PVV recomputed test-side', async () => {
    const pan = '4012345678909';
    const x = IBM_VECTORS[0]!;
    const res = await boto3Calls(h.endpoint, [
      gen({ GenerationKeyIdentifier: k.pvkIbm.arn, EncryptionKeyIdentifier: k.pekTdes.arn, PrimaryAccountNumber: pan, PinBlockFormat: 'ISO_FORMAT_0', GenerationAttributes: { Ibm3624RandomPin: ibmAttrs(x.data, x.pad) } }),
      gen({ GenerationKeyIdentifier: k.pvkIbm.arn, EncryptionKeyIdentifier: k.pekTdes.arn, PrimaryAccountNumber: pan, PinBlockFormat: 'ISO_FORMAT_0', PinDataLength: 6, GenerationAttributes: { Ibm3624RandomPin: ibmAttrs(x.data, x.pad) } }),
      gen({ GenerationKeyIdentifier: k.pvkVisa.arn, EncryptionKeyIdentifier: k.pekTdes.arn, PrimaryAccountNumber: pan, PinBlockFormat: 'ISO_FORMAT_0', GenerationAttributes: { VisaPin: { PinVerificationKeyIndex: 1 } } }),
      gen({ GenerationKeyIdentifier: k.pvkVisa.arn, EncryptionKeyIdentifier: k.pekAes.arn, PrimaryAccountNumber: pan, PinBlockFormat: 'ISO_FORMAT_4', PinDataLength: 12, GenerationAttributes: { VisaPin: { PinVerificationKeyIndex: 6 } } }),
    ]);
    for (const [i, n] of [[0, 4], [1, 6]] as const) {
      const o = ok(res[i]);
      const pin = decodeBlock8(0, tdes(k.pekTdes.clear, o.EncryptedPinBlock, true), pan).pin;
      expect(pin).toHaveLength(n);
      expect(o.PinData.PinOffset).toBe(addDigits(pin, ibmNatural(PVK, x.data, x.pad, DEC_TABLE, n), -1));
    }
    const v1 = ok(res[2]);
    const pin1 = decodeBlock8(0, tdes(k.pekTdes.clear, v1.EncryptedPinBlock, true), pan).pin;
    expect(v1.PinData.VerificationValue).toBe(visaPvv(PVK, pan, pin1, 1));
    const v2 = ok(res[3]);
    const pin2 = decryptIso4(k.pekAes.clear, v2.EncryptedPinBlock, pan, 'full').pin;
    expect(pin2).toHaveLength(12);
    expect(v2.PinData.VerificationValue).toBe(visaPvv(PVK, pan, pin2, 6));
  });

  run('EncryptionWrappedKey: a TR-31 PEK under the KEK (answers the KEK ARN and the PEK KCV); ECDH refused', async () => {
    const kek = await kekByValue(h.client);
    const block = await tr31Block(h.client, k.pekTdes2.clear, 'TR31_P0_PIN_ENCRYPTION_KEY', 'TDES_2KEY', ALL4);
    const x = IBM_VECTORS[0]!;
    const pan = '4012345678909';
    const base = { GenerationKeyIdentifier: k.pvkIbm.arn, EncryptionKeyIdentifier: kek.arn, PrimaryAccountNumber: pan, PinBlockFormat: 'ISO_FORMAT_0', GenerationAttributes: { Ibm3624PinFromOffset: { PinOffset: x.offset, ...ibmAttrs(x.data, x.pad) } } };
    const ecdh = { DiffieHellmanSymmetricKey: { CertificateAuthorityPublicKeyIdentifier: k.pvkIbm.arn, PublicKeyCertificate: 'AAAA', KeyAlgorithm: 'AES_128', KeyDerivationFunction: 'NIST_SP800', KeyDerivationHashAlgorithm: 'SHA_256', SharedInformation: '0102' } };
    const [r, e] = await boto3Calls(h.endpoint, [
      gen({ ...base, EncryptionWrappedKey: { WrappedKeyMaterial: { Tr31KeyBlock: block } } }),
      gen({ ...base, EncryptionWrappedKey: { WrappedKeyMaterial: ecdh } }),
    ]);
    const o = ok(r);
    expect(o.EncryptionKeyArn).toBe(kek.arn);
    expect(o.EncryptionKeyCheckValue).toBe(k.pekTdes2.kcv);
    expect(decodeBlock8(0, tdes(k.pekTdes2.clear, o.EncryptedPinBlock, true), pan).pin).toBe(x.pin);
    expect(e?.error?.code).toBe('ValidationException');
  });

  run('errors: wrong key usage, Visa PVK for IBM, TDES PEK for ISO 4, missing PAN, undecodable block', async () => {
    const x = IBM_VECTORS[0]!;
    const ibm = { Ibm3624PinFromOffset: { PinOffset: x.offset, ...ibmAttrs(x.data, x.pad) } };
    const pan = '4012345678909';
    const res = await boto3Calls(h.endpoint, [
      gen({ GenerationKeyIdentifier: k.pekTdes.arn, EncryptionKeyIdentifier: k.pekTdes.arn, PrimaryAccountNumber: pan, PinBlockFormat: 'ISO_FORMAT_0', GenerationAttributes: ibm }),
      gen({ GenerationKeyIdentifier: k.pvkVisa.arn, EncryptionKeyIdentifier: k.pekTdes.arn, PrimaryAccountNumber: pan, PinBlockFormat: 'ISO_FORMAT_0', GenerationAttributes: ibm }),
      gen({ GenerationKeyIdentifier: k.pvkIbm.arn, EncryptionKeyIdentifier: k.pvkIbm.arn, PrimaryAccountNumber: pan, PinBlockFormat: 'ISO_FORMAT_0', GenerationAttributes: ibm }),
      gen({ GenerationKeyIdentifier: k.pvkIbm.arn, EncryptionKeyIdentifier: k.pekTdes.arn, PrimaryAccountNumber: pan, PinBlockFormat: 'ISO_FORMAT_4', GenerationAttributes: ibm }),
      gen({ GenerationKeyIdentifier: k.pvkIbm.arn, EncryptionKeyIdentifier: k.pekTdes.arn, PinBlockFormat: 'ISO_FORMAT_0', GenerationAttributes: ibm }),
      gen({ GenerationKeyIdentifier: k.pvkVisa.arn, EncryptionKeyIdentifier: k.pekTdes.arn, PinBlockFormat: 'ISO_FORMAT_1', GenerationAttributes: { VisaPin: { PinVerificationKeyIndex: 1 } } }),
      gen({ GenerationKeyIdentifier: k.pvkVisa.arn, EncryptionKeyIdentifier: k.pekTdes.arn, PrimaryAccountNumber: pan, PinBlockFormat: 'ISO_FORMAT_0', GenerationAttributes: { VisaPinVerificationValue: { EncryptedPinBlock: tdes(k.pekTdes.clear, 'FFFFFFFFFFFFFFFF'), PinVerificationKeyIndex: 1 } } }),
    ]);
    for (const r of res) expect(r.error?.code, JSON.stringify(r)).toBe('ValidationException');
    expect(res[0]!.error!.message).toMatch(/KeyUsage TR31_P0_PIN_ENCRYPTION_KEY is not allowed/);
    expect(res[6]!.error!.message).toBe('Pin block provided is invalid. Please check your input to ensure all field values are correct.');
    expect(res[6]!.error!.status).toBe(400);
  });
});
