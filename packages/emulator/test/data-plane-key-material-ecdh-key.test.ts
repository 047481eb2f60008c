import { createCipheriv, createDecipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAwsError } from '../src/index.js';
import { boto3Calls, dataPlaneHarness, hasBoto3, importByValue, type DataPlaneHarness, type ImportedKey } from './data-plane-kit.js';
import { clearBlock8, decodeBlock8 } from './data-plane-pin-kit.js';
import { ecdhSetup, publishedKcv, type EcdhSetup } from './data-plane-key-material-kit.js';
import { withBadSignature, type Curve, type KdfHash, type KdfName } from './ecdh-kit.js';
import { TDES_KEY } from './ecdh-sdk-kit.js';
import { hex, KEK_MODES, nodeKcv, toHex } from './tr31-kit.js';

/**
 * The `DiffieHellmanSymmetricKey` dynamic key (PIN select / reveal): the operation's key
 * identifier is the emulator's K3 key; the key it derives with the partner is computed test-side
 * (node:crypto ECDH + the test's KDF) and the PIN blocks / ciphertexts are checked with
 * node:crypto TDES / AES against the published ISO 9564 format 0 block of test-vectors/pin.json.
 */

interface PinVector {
  description: string;
  inputs: { pin: string; pan: string; pvk?: string; pvki?: string };
  expected: { pinblock?: string; pvv?: string };
}
const PIN_VECTORS = JSON.parse(readFileSync(new URL('../../../test-vectors/pin.json', import.meta.url), 'utf8')) as PinVector[];
const ISO0 = PIN_VECTORS.find((v) => v.description === 'ISO 9564-1 format 0 PIN block' && v.inputs.pan === '4012345678909')!;
/** psec test_generate_visa_pvv (test-vectors/pin.json): PVK, PVKI 1, PIN 4524 → PVV 8523 */
const PVV = PIN_VECTORS.find((v) => v.description === 'Visa PVV' && v.inputs.pin === '4524')!;
const PAN = ISO0.inputs.pan;
const CLEAR_BLOCK = ISO0.expected.pinblock!; // 041274EDCBA9876F (PIN 1234)

/** TDES-ECB with node:crypto (a 2-key key extended to K1 K2 K1). */
function tdes(key: Uint8Array, dataHex: string, decrypt = false): string {
  const k = key.length === 16 ? Buffer.concat([key, key.subarray(0, 8)]) : Buffer.from(key);
  const c = decrypt ? createDecipheriv('des-ede3-ecb', k, null) : createCipheriv('des-ede3-ecb', k, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(Buffer.from(dataHex, 'hex')), c.final()]).toString('hex').toUpperCase();
}
function aesEcb(key: Uint8Array, dataHex: string, decrypt = false): string {
  const name = `aes-${key.length * 8}-ecb`;
  const c = decrypt ? createDecipheriv(name, key, null) : createCipheriv(name, key, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(Buffer.from(dataHex, 'hex')), c.final()]).toString('hex').toUpperCase();
}

const INFO = toHex(new Uint8Array(Buffer.from('pin reveal session 42')));

describe('DiffieHellmanSymmetricKey (ECDH-derived dynamic key)', () => {
  let h: DataPlaneHarness;
  let s: EcdhSetup;
  let pek: ImportedKey;
  let pvk: ImportedKey;

  beforeAll(async () => {
    h = await dataPlaneHarness();
    s = await ecdhSetup(h, {
      'pek-P-256': ['P-256', 'TR31_P0_PIN_ENCRYPTION_KEY'],
      'pek-P-521': ['P-521', 'TR31_P0_PIN_ENCRYPTION_KEY'],
      'dek-P-384': ['P-384', 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY'],
      'kbpk-P-256': ['P-256', 'TR31_K1_KEY_BLOCK_PROTECTION_KEY'],
      'none-P-256': ['P-256', undefined as unknown as string],
    });
    pek = await importByValue(h.client, TDES_KEY, 'TR31_P0_PIN_ENCRYPTION_KEY', 'TDES_2KEY', KEK_MODES);
    pvk = await importByValue(h.client, PVV.inputs.pvk!, 'TR31_V2_VISA_PIN_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true, Verify: true });
  }, 60_000);
  afterAll(() => h.close());

  interface Dh {
    name: string;
    curve: Curve;
    kdf: KdfName;
    hash: KdfHash;
    alg: string;
    info?: string;
  }
  const wrapped = (d: Dh, over: Record<string, unknown> = {}, kcvAlgorithm?: string) => ({
    WrappedKeyMaterial: {
      DiffieHellmanSymmetricKey: {
        CertificateAuthorityPublicKeyIdentifier: s.rootArn,
        PublicKeyCertificate: s.pki.leaves[d.curve].certificate,
        KeyAlgorithm: d.alg,
        KeyDerivationFunction: d.kdf,
        KeyDerivationHashAlgorithm: d.hash,
        SharedInformation: d.info ?? INFO,
        ...over,
      },
    },
    ...(kcvAlgorithm === undefined ? {} : { KeyCheckValueAlgorithm: kcvAlgorithm }),
  });
  const partner = (d: Dh): Buffer => s.partnerKey(d.name, d.curve, d.kdf, d.hash, d.alg, d.info ?? INFO);
  const iso0 = { IsoFormat0: { PrimaryAccountNumber: PAN } };
  /** PIN reveal: stored PEK → the ECDH-derived key. */
  const reveal = (d: Dh, over: Record<string, unknown> = {}, kcvAlgorithm?: string, keyName = d.name) => ({
    op: 'translate_pin_data',
    params: {
      IncomingKeyIdentifier: pek.arn,
      OutgoingKeyIdentifier: s.keys[keyName]!.arn,
      IncomingTranslationAttributes: iso0,
      OutgoingTranslationAttributes: iso0,
      EncryptedPinBlock: tdes(hex(TDES_KEY), CLEAR_BLOCK),
      OutgoingWrappedKey: wrapped(d, over, kcvAlgorithm),
    },
  });

  it.runIf(hasBoto3())('PIN reveal and PIN select through TranslatePinData: blocks open / are made with the partner-derived key (TDES_2KEY, TDES_3KEY; both KDFs)', async () => {
    const out: Dh = { name: 'pek-P-256', curve: 'P-256', kdf: 'NIST_SP800', hash: 'SHA_256', alg: 'TDES_2KEY' };
    const inc: Dh = { name: 'pek-P-521', curve: 'P-521', kdf: 'ANSI_X963', hash: 'SHA_512', alg: 'TDES_3KEY', info: 'C0FFEE' };
    const [r1, r2, r3] = await boto3Calls(h.endpoint, [
      reveal(out),
      reveal(out, {}, 'CMAC'),
      {
        op: 'translate_pin_data',
        params: {
          IncomingKeyIdentifier: s.keys['pek-P-521']!.arn,
          OutgoingKeyIdentifier: pek.arn,
          IncomingTranslationAttributes: iso0,
          OutgoingTranslationAttributes: iso0,
          EncryptedPinBlock: tdes(partner(inc), CLEAR_BLOCK),
          IncomingWrappedKey: wrapped(inc),
        },
      },
    ]);
    const k = partner(out);
    expect(r1!.ok, JSON.stringify(r1)).toBeDefined();
    expect(tdes(k, r1!.ok!.PinBlock as string, true)).toBe(CLEAR_BLOCK);
    expect(r1!.ok!.KeyArn).toBe(s.keys['pek-P-256']!.arn);
    expect(r1!.ok!.KeyCheckValue).toBe(nodeKcv(k, 'TDES', 'ANSI_X9_24'));
    expect(r2!.ok!.KeyCheckValue).toBe(nodeKcv(k, 'TDES', 'CMAC'));
    expect(r3!.ok, JSON.stringify(r3)).toBeDefined();
    expect(tdes(hex(TDES_KEY), r3!.ok!.PinBlock as string, true)).toBe(CLEAR_BLOCK);
    expect(r3!.ok).toMatchObject({ KeyArn: pek.arn, KeyCheckValue: publishedKcv(TDES_KEY, 'ANSI_X9_24') });
  });

  it.runIf(hasBoto3())('VerifyPinData / GeneratePinData with EncryptionWrappedKey: the psec PVV verifies a block under the derived key; a generated PIN decodes under it', async () => {
    const d: Dh = { name: 'pek-P-256', curve: 'P-256', kdf: 'ANSI_X963', hash: 'SHA_384', alg: 'TDES_2KEY' };
    const k = partner(d);
    const pan = PVV.inputs.pan;
    const visa = (pvv: string) => ({ VisaPin: { PinVerificationKeyIndex: Number(PVV.inputs.pvki), VerificationValue: pvv } });
    const verify = (pvv: string, block: string) => ({
      op: 'verify_pin_data',
      params: { VerificationKeyIdentifier: pvk.arn, EncryptionKeyIdentifier: s.keys['pek-P-256']!.arn, PrimaryAccountNumber: pan, PinBlockFormat: 'ISO_FORMAT_0', EncryptedPinBlock: block, VerificationAttributes: visa(pvv), EncryptionWrappedKey: wrapped(d) },
    });
    const block = tdes(k, clearBlock8(0, PVV.inputs.pin, pan));
    const [good, bad, gen] = await boto3Calls(h.endpoint, [
      verify(PVV.expected.pvv!, block),
      verify(PVV.expected.pvv === '0000' ? '1111' : '0000', block),
      {
        op: 'generate_pin_data',
        params: { GenerationKeyIdentifier: pvk.arn, EncryptionKeyIdentifier: s.keys['pek-P-256']!.arn, PrimaryAccountNumber: pan, PinBlockFormat: 'ISO_FORMAT_0', PinDataLength: 4, GenerationAttributes: { VisaPin: { PinVerificationKeyIndex: 1 } }, EncryptionWrappedKey: wrapped(d) },
      },
    ]);
    expect(good!.ok, JSON.stringify(good)).toMatchObject({ VerificationKeyArn: pvk.arn, EncryptionKeyArn: s.keys['pek-P-256']!.arn, EncryptionKeyCheckValue: nodeKcv(k, 'TDES', 'ANSI_X9_24') });
    expect(bad!.error).toMatchObject({ code: 'VerificationFailedException', status: 400, fields: { Reason: 'INVALID_PIN' } });
    expect(gen!.ok, JSON.stringify(gen)).toBeDefined();
    const pin = decodeBlock8(0, tdes(k, gen!.ok!.EncryptedPinBlock as string, true), pan).pin;
    expect(pin).toMatch(/^\d{4}$/);
    const pvv = (gen!.ok!.PinData as { VerificationValue: string }).VerificationValue;
    const [again] = await boto3Calls(h.endpoint, [verify(pvv, gen!.ok!.EncryptedPinBlock as string)]);
    expect(again!.ok, JSON.stringify(again)).toBeDefined();
  });

  it.runIf(hasBoto3())('EncryptData / DecryptData with a D0 key derived by ECDH (AES_192, ECB), checked with node:crypto AES', async () => {
    const d: Dh = { name: 'dek-P-384', curve: 'P-384', kdf: 'NIST_SP800', hash: 'SHA_384', alg: 'AES_192' };
    const k = partner(d);
    const plain = '00112233445566778899AABBCCDDEEFF';
    const [enc, dec] = await boto3Calls(h.endpoint, [
      { op: 'encrypt_data', params: { KeyIdentifier: s.keys['dek-P-384']!.arn, PlainText: plain, EncryptionAttributes: { Symmetric: { Mode: 'ECB' } }, WrappedKey: wrapped(d) } },
      { op: 'decrypt_data', params: { KeyIdentifier: s.keys['dek-P-384']!.arn, CipherText: aesEcb(k, plain), DecryptionAttributes: { Symmetric: { Mode: 'ECB' } }, WrappedKey: wrapped(d) } },
    ]);
    expect(enc!.ok, JSON.stringify(enc)).toBeDefined();
    expect(enc!.ok!.CipherText).toBe(aesEcb(k, plain));
    expect(enc!.ok!.KeyCheckValue).toBe(nodeKcv(k, 'AES', 'CMAC'));
    expect(dec!.ok!.PlainText).toBe(plain);
  });

  it.runIf(hasBoto3())('refuses: derived key of the wrong usage, weak ECC key, HMAC for a PEK, no DeriveKeyUsage, not a K3 key, wrong CA, bad certificate', async () => {
    const d: Dh = { name: 'pek-P-256', curve: 'P-256', kdf: 'NIST_SP800', hash: 'SHA_256', alg: 'TDES_2KEY' };
    const cases: [string, ReturnType<typeof reveal>, RegExp][] = [
      ['K3 key derives a K1 key, not a PEK', reveal({ ...d, name: 'kbpk-P-256' }), /KeyUsage TR31_K1_KEY_BLOCK_PROTECTION_KEY is not allowed/],
      ['P-256 cannot derive AES-256', reveal({ ...d, alg: 'AES_256' }), /weaker/],
      ['HMAC key for a PEK', reveal({ ...d, alg: 'HMAC_SHA256' }), /KeyAlgorithm HMAC_SHA256 is not valid for a TR31_P0_PIN_ENCRYPTION_KEY/],
      ['K3 key without DeriveKeyUsage', reveal({ ...d, name: 'none-P-256' }), /DeriveKeyUsage \(none\)/],
      ['KeyIdentifier is a PEK, not a K3 key', { ...reveal(d), params: { ...reveal(d).params, OutgoingKeyIdentifier: pek.arn } }, /TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT/],
      ['CA is not a certificate authority key', reveal(d, { CertificateAuthorityPublicKeyIdentifier: pek.arn }), /not an imported TR31_S0/],
      ['certificate of another PKI', reveal(d, { PublicKeyCertificate: s.pki.stranger.certificate }), /not signed by the certificate authority/],
      ['bad certificate signature', reveal(d, { PublicKeyCertificate: withBadSignature(s.pki.leaves['P-256'].certificate) }), /signature does not verify/],
      ['certificate on another curve', reveal(d, { PublicKeyCertificate: s.pki.leaves['P-521'].certificate }), /P-256/],
      ['SHA_1 KCV for a TDES key', reveal(d, {}, 'SHA_1'), /KeyCheckValueAlgorithm SHA_1/],
    ];
    const res = await boto3Calls(h.endpoint, [...cases.map((c) => c[1]), reveal({ ...d, info: 'ABCDEF' }, { SharedInformation: 'ABCDEF' })]);
    cases.forEach(([what, , message], i) => {
      const r = res[i]!;
      expect(r.error, `${what}: ${JSON.stringify(r)}`).toBeDefined();
      expect([r.error!.code, r.error!.status], what).toEqual(['ValidationException', 400]);
      expect(r.error!.message, what).toMatch(message);
    });
    // another SharedInformation derives another key: the block does not open under the partner's key
    const other = res[cases.length]!.ok!.PinBlock as string;
    expect(tdes(partner(d), other, true)).not.toBe(CLEAR_BLOCK);
    expect(tdes(partner({ ...d, info: 'ABCDEF' }), other, true)).toBe(CLEAR_BLOCK);
  });

  it('through the core (emulator.call): PIN reveal, and an empty SharedInformation refused', async () => {
    const d: Dh = { name: 'pek-P-521', curve: 'P-521', kdf: 'ANSI_X963', hash: 'SHA_256', alg: 'AES_128' };
    // an AES derived key: PIN reveal to ISO format 0 is refused (format 0 needs a TDES key); format 4 is tested by decrypting
    const input = (over: Record<string, unknown> = {}) => ({ ...reveal(d, over).params, OutgoingTranslationAttributes: { IsoFormat4: { PrimaryAccountNumber: PAN } } });
    const out = await h.emulator.call('TranslatePinData', input());
    const k = partner(d);
    expect(out.KeyArn).toBe(s.keys['pek-P-521']!.arn);
    expect(out.KeyCheckValue).toBe(nodeKcv(k, 'AES', 'CMAC'));
    // ISO 9564-1 format 4: the PIN field (4 ‖ n ‖ PIN ‖ A…, then random) is recovered as D(D(block) ⊕ PAN field)
    const panField = Buffer.from(`0${PAN.slice(-13, -1)}`.padEnd(32, '0'), 'hex');
    const inner = Buffer.from(aesEcb(k, out.PinBlock, true), 'hex');
    for (let i = 0; i < 16; i++) inner[i]! ^= panField[i]!;
    expect(aesEcb(k, inner.toString('hex'), true).slice(0, 16)).toBe('441234AAAAAAAAAA');
    const err = await h.emulator.call('TranslatePinData', input({ SharedInformation: '' })).catch((e: unknown) => e);
    expect(isAwsError(err) && err.name).toBe('ValidationException');
  });
});
