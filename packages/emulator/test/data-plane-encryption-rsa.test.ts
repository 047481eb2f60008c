import { CreateKeyCommand, GetPublicKeyCertificateCommand } from '@aws-sdk/client-payment-cryptography';
import { constants, createPrivateKey, privateDecrypt, publicEncrypt, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boto3Calls, dataPlaneHarness, hasBoto3, importByValue, kekByValue, tr31Block, type Boto3Call, type DataPlaneHarness } from './data-plane-kit.js';
import { clearKeyOf, toHex } from './tr31-kit.js';

/**
 * EncryptData / DecryptData with `Asymmetric` (D1 RSA key pairs) through boto3 over HTTP. The
 * oracle is node:crypto (OpenSSL): the test encrypts to the public key from GetPublicKeyCertificate
 * and the emulator decrypts; the emulator encrypts and the test decrypts with the private key read
 * test-side (clearKeyOf: the record's PKCS#8). PKCS#1 v1.5 output is checked test-side on the raw
 * RSA result (Node refuses PKCS#1 v1.5 decryption), RFC 8017 §7.2.1 layout.
 */

const D1 = 'TR31_D1_ASYMMETRIC_KEY_FOR_DATA_ENCRYPTION';
const OAEP = { OAEP_SHA1: 'sha1', OAEP_SHA256: 'sha256', OAEP_SHA512: 'sha512' } as const;
const FAILED = /^CipherText could not be decrypted with the given key and padding\.$/;

const enc = (KeyIdentifier: string, PlainText: string, Asymmetric: Record<string, unknown>, extra: Record<string, unknown> = {}): Boto3Call => ({
  op: 'encrypt_data',
  params: { KeyIdentifier, PlainText, EncryptionAttributes: { Asymmetric }, ...extra },
});
const dec = (KeyIdentifier: string, CipherText: string, Asymmetric: Record<string, unknown>): Boto3Call => ({
  op: 'decrypt_data',
  params: { KeyIdentifier, CipherText, DecryptionAttributes: { Asymmetric } },
});

/** RFC 8017 §7.2.2 by hand on the raw RSA result: 00 02 PS(≥ 8 non-zero) 00 M. */
function pkcs1Message(em: Buffer): Buffer {
  expect(em[0]).toBe(0);
  expect(em[1]).toBe(2);
  const sep = em.indexOf(0, 2);
  expect(sep).toBeGreaterThanOrEqual(10);
  return em.subarray(sep + 1);
}

describe.runIf(hasBoto3())('EncryptData / DecryptData — Asymmetric RSA, through boto3', () => {
  let h: DataPlaneHarness;
  const pairs: Record<string, { arn: string; kcv: string; pub: KeyObject; priv: KeyObject; k: number }> = {};

  beforeAll(async () => {
    h = await dataPlaneHarness();
    for (const [alg, k] of [['RSA_2048', 256], ['RSA_3072', 384]] as const) {
      const out = await h.client.send(
        new CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyUsage: D1, KeyClass: 'ASYMMETRIC_KEY_PAIR', KeyAlgorithm: alg, KeyModesOfUse: { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true } } }),
      );
      const arn = out.Key!.KeyArn!;
      const cert = await h.client.send(new GetPublicKeyCertificateCommand({ KeyIdentifier: arn }));
      const pub = new X509Certificate(Buffer.from(cert.KeyCertificate!, 'base64').toString('utf8')).publicKey;
      const priv = createPrivateKey({ key: Buffer.from(clearKeyOf(h.emulator, arn)), format: 'der', type: 'pkcs8' });
      pairs[alg] = { arn, kcv: out.Key!.KeyCheckValue!, pub, priv, k };
    }
  }, 120_000);
  afterAll(async () => h?.close());

  it('DecryptData recovers what node:crypto encrypted (OAEP SHA-1/256/512, PKCS1, raw) — RSA-2048 and RSA-3072', async () => {
    const calls: Boto3Call[] = [];
    const expected: { name: string; pt: string; kcv: string }[] = [];
    for (const [alg, p] of Object.entries(pairs)) {
      for (const [name, hash] of Object.entries(OAEP)) {
        const hLen = { sha1: 20, sha256: 32, sha512: 64 }[hash];
        for (const len of [1, 16, p.k - 2 * hLen - 2]) {
          const pt = randomBytes(len);
          const ct = publicEncrypt({ key: p.pub, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, pt);
          calls.push(dec(p.arn, toHex(ct), { PaddingType: name }));
          expected.push({ name: `${alg} ${name} ${len}`, pt: toHex(pt), kcv: p.kcv });
        }
      }
      for (const len of [1, 24, p.k - 11]) {
        const pt = randomBytes(len);
        const ct = publicEncrypt({ key: p.pub, padding: constants.RSA_PKCS1_PADDING }, pt);
        calls.push(dec(p.arn, toHex(ct), { PaddingType: 'PKCS1' }));
        expected.push({ name: `${alg} PKCS1 ${len}`, pt: toHex(pt), kcv: p.kcv });
      }
      const raw = Buffer.concat([Buffer.from([0x00, 0x5a]), randomBytes(p.k - 2)]);
      calls.push(dec(p.arn, toHex(publicEncrypt({ key: p.pub, padding: constants.RSA_NO_PADDING }, raw)), {}));
      expected.push({ name: `${alg} no padding`, pt: toHex(raw), kcv: p.kcv });
    }
    const results = await boto3Calls(h.endpoint, calls);
    results.forEach((r, i) => {
      const e = expected[i]!;
      expect(r.error, e.name).toBeUndefined();
      expect(r.ok!.PlainText, e.name).toBe(e.pt);
      expect(r.ok!.KeyCheckValue, e.name).toBe(e.kcv);
    });
  });

  it('EncryptData output decrypts with node:crypto (OAEP, raw) and has the RFC 8017 PKCS#1 v1.5 layout', async () => {
    const p = pairs.RSA_2048!;
    const pt = randomBytes(32);
    const raw = Buffer.concat([Buffer.from([0x01]), randomBytes(p.k - 1)]);
    const calls = [
      ...Object.keys(OAEP).map((name) => enc(p.arn, toHex(pt), { PaddingType: name })),
      enc(p.arn, toHex(pt), { PaddingType: 'PKCS1' }),
      enc(p.arn, toHex(raw), {}),
    ];
    const results = await boto3Calls(h.endpoint, calls);
    Object.values(OAEP).forEach((hash, i) => {
      const ct = Buffer.from(String(results[i]!.ok?.CipherText), 'hex');
      expect(ct.length).toBe(p.k);
      expect(privateDecrypt({ key: p.priv, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, ct).equals(pt), hash).toBe(true);
      expect(results[i]!.ok?.KeyArn).toBe(p.arn);
    });
    const pkcs1 = Buffer.from(String(results[3]!.ok?.CipherText), 'hex');
    expect(pkcs1Message(privateDecrypt({ key: p.priv, padding: constants.RSA_NO_PADDING }, pkcs1)).equals(pt)).toBe(true);
    const rawCt = Buffer.from(String(results[4]!.ok?.CipherText), 'hex');
    expect(rawCt.equals(publicEncrypt({ key: p.pub, padding: constants.RSA_NO_PADDING }, raw))).toBe(true);
  });

  it('refusals: too long for the padding, wrong ciphertext length, tampered ciphertext (one opaque message), wrong key, dynamic key', async () => {
    const p = pairs.RSA_2048!;
    const good = publicEncrypt({ key: p.pub, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from('secret'));
    const tampered = Buffer.from(good);
    tampered[100] = tampered[100]! ^ 1;
    const pkcs1 = publicEncrypt({ key: p.pub, padding: constants.RSA_PKCS1_PADDING }, Buffer.from('secret'));
    const aes = await importByValue(h.client, randomBytes(16).toString('hex'), 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', 'AES_128', { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true });
    const kek = await kekByValue(h.client);
    const block = await tr31Block(h.client, randomBytes(16).toString('hex'), 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', 'AES_128', { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true });
    const cases: [string, Boto3Call, RegExp][] = [
      ['OAEP-SHA512 message too long', enc(p.arn, '00'.repeat(p.k - 2 * 64 - 1), { PaddingType: 'OAEP_SHA512' }), /at most 126 bytes/],
      ['PKCS1 message too long', enc(p.arn, '00'.repeat(p.k - 10), { PaddingType: 'PKCS1' }), /at most 245 bytes/],
      ['raw RSA needs exactly k bytes', enc(p.arn, '00'.repeat(32), {}), /exactly 256 bytes/],
      ['raw RSA value ≥ n', enc(p.arn, 'FF'.repeat(p.k), {}), /out of range/],
      ['ciphertext of the wrong length', dec(p.arn, '00'.repeat(128), { PaddingType: 'OAEP_SHA256' }), /must be 256 bytes/],
      ['tampered OAEP', dec(p.arn, toHex(tampered), { PaddingType: 'OAEP_SHA256' }), FAILED],
      ['OAEP hash mismatch', dec(p.arn, toHex(good), { PaddingType: 'OAEP_SHA1' }), FAILED],
      ['OAEP ciphertext as PKCS1', dec(p.arn, toHex(good), { PaddingType: 'PKCS1' }), FAILED],
      ['PKCS1 ciphertext as OAEP', dec(p.arn, toHex(pkcs1), { PaddingType: 'OAEP_SHA256' }), FAILED],
      ['ciphertext ≥ n', dec(p.arn, 'FF'.repeat(p.k), { PaddingType: 'PKCS1' }), FAILED],
      ['D0 key with Asymmetric', enc(aes.arn, '00'.repeat(16), { PaddingType: 'OAEP_SHA256' }), /KeyUsage TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY is not allowed/],
      ['RSA key with Symmetric', { op: 'encrypt_data', params: { KeyIdentifier: p.arn, PlainText: '00'.repeat(16), EncryptionAttributes: { Symmetric: { Mode: 'CBC' } } } }, /KeyUsage TR31_D1/],
      ['WrappedKey with Asymmetric', enc(kek.arn, '00'.repeat(16), { PaddingType: 'OAEP_SHA256' }, { WrappedKey: { WrappedKeyMaterial: { Tr31KeyBlock: block } } }), /Symmetric attributes only/],
    ];
    const results = await boto3Calls(h.endpoint, cases.map((c) => c[1]));
    results.forEach((r, i) => {
      const [name, , msg] = cases[i]!;
      expect(r.error?.code, name).toBe('ValidationException');
      expect(r.error?.status, name).toBe(400);
      expect(r.error?.message, name).toMatch(msg);
    });
  });

  it('in process: emulator.call DecryptData (OAEP-SHA256)', async () => {
    const p = pairs.RSA_3072!;
    const ct = publicEncrypt({ key: p.pub, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from('0123456789ABCDEF', 'hex'));
    const out = (await h.emulator.call('DecryptData', { KeyIdentifier: p.arn, CipherText: toHex(ct), DecryptionAttributes: { Asymmetric: { PaddingType: 'OAEP_SHA256' } } })) as { PlainText: string };
    expect(out.PlainText).toBe('0123456789ABCDEF');
  });
});
