import { CreateKeyCommand, ExportKeyCommand, GetParametersForImportCommand, ImportKeyCommand, type KeyAttributes } from '@aws-sdk/client-payment-cryptography';
import { constants, createCipheriv, generateKeyPairSync, privateDecrypt, publicEncrypt, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { kcv } from '@paycrypt/primitives';
import { Certificate, RsaPublicKey, createCaCertificate, generateRsaKeyPair, issueCertificate } from '@paycrypt/tr34';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, harness, type Harness } from './helpers.js';

/**
 * KeyCryptogram import/export with node:crypto as the other side: `publicEncrypt` /
 * `privateDecrypt` with RSA-OAEP (oaepHash = MGF1 hash) are the independent implementation.
 */

const DAY = 86_400_000;
const K0 = { KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyModesOfUse: { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true } } as const;

function tdesKcv(key: Uint8Array): string {
  const k = key.length === 16 ? Buffer.concat([key, key.subarray(0, 8)]) : Buffer.from(key);
  const c = createCipheriv('des-ede3', k, null).setAutoPadding(false);
  return Buffer.concat([c.update(Buffer.alloc(8)), c.final()]).subarray(0, 3).toString('hex').toUpperCase();
}

function oaepEncrypt(awsCertificate: string, key: Uint8Array, hash: 'sha256' | 'sha512' = 'sha256'): string {
  const cert = new X509Certificate(Buffer.from(awsCertificate, 'base64').toString('utf8'));
  return publicEncrypt({ key: cert.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, key).toString('hex').toUpperCase();
}

function oaepDecrypt(privateKey: KeyObject, hexText: string, hash: 'sha256' | 'sha512' = 'sha256'): Buffer {
  return privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, Buffer.from(hexText, 'hex'));
}

interface Receiver {
  privateKey: KeyObject;
  certificate: Certificate;
}

describe('KeyCryptogram ImportKey / ExportKey through the SDK (node:crypto OAEP on the other side)', () => {
  let h: Harness;
  let caArn: string;
  let r2048: Receiver;
  let r3072: Receiver;
  let stranger: Receiver;

  beforeAll(async () => {
    const notBefore = new Date(Date.now() - DAY);
    const [hh, caKp, otherKp] = await Promise.all([harness('in-process'), generateRsaKeyPair(2048), generateRsaKeyPair(2048)]);
    h = hh;
    const ca = await createCaCertificate({ privateKey: caKp.privateKey, subject: { commonName: 'Test receiver CA' }, notBefore });
    const other = await createCaCertificate({ privateKey: otherKp.privateKey, subject: { commonName: 'Test receiver CA' }, notBefore });
    const receiver = async (bits: 2048 | 3072, issuer = { certificate: ca, privateKey: caKp.privateKey }): Promise<Receiver> => {
      const kp = generateKeyPairSync('rsa', { modulusLength: bits });
      const spki = kp.publicKey.export({ type: 'spki', format: 'der' });
      const certificate = await issueCertificate({ profile: 'keyTransport', subject: { commonName: `receiver ${bits}` }, publicKey: RsaPublicKey.fromSpki(new Uint8Array(spki)), issuer, notBefore });
      return { privateKey: kp.privateKey, certificate };
    };
    [r2048, r3072, stranger] = await Promise.all([receiver(2048), receiver(3072), receiver(2048, { certificate: other, privateKey: otherKp.privateKey })]);
    caArn = (
      await h.client.send(
        new ImportKeyCommand({
          KeyMaterial: {
            RootCertificatePublicKey: {
              KeyAttributes: { KeyUsage: 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE', KeyClass: 'PUBLIC_KEY', KeyAlgorithm: 'RSA_2048', KeyModesOfUse: { Verify: true } },
              PublicKeyCertificate: ca.toAwsBase64(),
            },
          },
        }),
      )
    ).Key!.KeyArn!;
  });
  afterAll(async () => h.close());

  /** Import tokens are reusable: one per type and algorithm keeps RSA generation down. */
  const tokens = new Map<string, Promise<{ token: string; certificate: string }>>();
  function importParameters(algorithm: 'RSA_2048' | 'RSA_3072' = 'RSA_2048', type: 'KEY_CRYPTOGRAM' | 'TR34_KEY_BLOCK' = 'KEY_CRYPTOGRAM') {
    let p = tokens.get(`${type}/${algorithm}`);
    if (p === undefined) {
      p = h.client
        .send(new GetParametersForImportCommand({ KeyMaterialType: type, WrappingKeyAlgorithm: algorithm }))
        .then((out) => ({ token: out.ImportToken!, certificate: out.WrappingKeyCertificate! }));
      tokens.set(`${type}/${algorithm}`, p);
    }
    return p;
  }

  function importCryptogram(token: string, cryptogram: string, attrs: Partial<KeyAttributes> & { KeyAlgorithm: KeyAttributes['KeyAlgorithm'] }, extra: Record<string, unknown> = {}) {
    return h.client.send(
      new ImportKeyCommand({
        KeyMaterial: { KeyCryptogram: { KeyAttributes: { ...K0, ...attrs } as KeyAttributes, Exportable: true, WrappedKeyCryptogram: cryptogram, ImportToken: token, ...extra } },
      }),
    );
  }

  function exportCryptogram(keyArn: string, receiver: Receiver, spec?: 'RSA_OAEP_SHA_256' | 'RSA_OAEP_SHA_512') {
    return h.client.send(
      new ExportKeyCommand({
        ExportKeyIdentifier: keyArn,
        KeyMaterial: {
          KeyCryptogram: {
            CertificateAuthorityPublicKeyIdentifier: caArn,
            WrappingKeyCertificate: receiver.certificate.toAwsBase64(),
            ...(spec === undefined ? {} : { WrappingSpec: spec }),
          },
        },
      }),
    );
  }

  it('round trip: node encrypts TDES_3KEY to the import certificate, the emulator exports it back to our certificate', async () => {
    const { token, certificate } = await importParameters();
    const clear = new Uint8Array(randomBytes(24));
    const imported = (await importCryptogram(token, oaepEncrypt(certificate, clear), { KeyAlgorithm: 'TDES_3KEY' })).Key!;
    expect(imported.KeyOrigin).toBe('EXTERNAL');
    expect(imported.Exportable).toBe(true);
    expect(imported.KeyAttributes!.KeyAlgorithm).toBe('TDES_3KEY');
    expect(imported.KeyCheckValue).toBe(tdesKcv(clear));

    const wrapped = (await exportCryptogram(imported.KeyArn!, r2048)).WrappedKey!;
    expect(wrapped.WrappedKeyMaterialFormat).toBe('KEY_CRYPTOGRAM');
    expect(wrapped.KeyMaterial).toMatch(/^[0-9A-F]{512}$/);
    expect(wrapped.WrappingKeyArn).toBe(caArn);
    expect(wrapped.KeyCheckValue).toBe(imported.KeyCheckValue);
    expect(Buffer.from(oaepDecrypt(r2048.privateKey, wrapped.KeyMaterial!)).equals(Buffer.from(clear))).toBe(true);
  });

  it('RSA_OAEP_SHA_512 both ways', async () => {
    const { token, certificate } = await importParameters('RSA_2048');
    const clear = new Uint8Array(randomBytes(16));
    const imported = (await importCryptogram(token, oaepEncrypt(certificate, clear, 'sha512'), { KeyAlgorithm: 'TDES_2KEY' }, { WrappingSpec: 'RSA_OAEP_SHA_512' })).Key!;
    expect(imported.KeyCheckValue).toBe(tdesKcv(clear));
    // a SHA-256 cryptogram under the SHA-512 spec does not decode: the opaque failure
    const e = await failure(() => importCryptogram(token, oaepEncrypt(certificate, clear, 'sha256'), { KeyAlgorithm: 'TDES_2KEY' }, { WrappingSpec: 'RSA_OAEP_SHA_512' }));
    expect(e.name).toBe('ValidationException');
    expect(e.message).toBe('The key cryptogram could not be decrypted with the wrapping key of ImportToken');

    const wrapped = (await exportCryptogram(imported.KeyArn!, r3072, 'RSA_OAEP_SHA_512')).WrappedKey!;
    expect(Buffer.from(oaepDecrypt(r3072.privateKey, wrapped.KeyMaterial!, 'sha512')).equals(Buffer.from(clear))).toBe(true);
  });

  it('AES-128: import needs an RSA-3072 token, export an RSA-3072 certificate; the KCV is the CMAC one', async () => {
    const clear = new Uint8Array(randomBytes(16));
    const weak = await importParameters('RSA_2048');
    const refused = await failure(() => importCryptogram(weak.token, oaepEncrypt(weak.certificate, clear), { KeyAlgorithm: 'AES_128' }));
    expect(refused.name).toBe('ValidationException');
    expect(refused.message).toMatch(/weaker/);

    const strong = await importParameters('RSA_3072');
    const imported = (await importCryptogram(strong.token, oaepEncrypt(strong.certificate, clear), { KeyAlgorithm: 'AES_128' })).Key!;
    expect(imported.KeyCheckValue).toBe(Buffer.from(kcv(clear, 'AES', { method: 'CMAC' })).toString('hex').toUpperCase());
    expect((await failure(() => exportCryptogram(imported.KeyArn!, r2048))).message).toMatch(/weaker/);
    const wrapped = (await exportCryptogram(imported.KeyArn!, r3072)).WrappedKey!;
    expect(Buffer.from(oaepDecrypt(r3072.privateKey, wrapped.KeyMaterial!)).equals(Buffer.from(clear))).toBe(true);
  });

  it('the unwrapped length must match KeyAttributes.KeyAlgorithm', async () => {
    const { token, certificate } = await importParameters();
    const e = await failure(() => importCryptogram(token, oaepEncrypt(certificate, new Uint8Array(randomBytes(16))), { KeyAlgorithm: 'TDES_3KEY' }));
    expect(e.name).toBe('ValidationException');
    expect(e.message).toMatch(/^Actual KeyAlgorithm of the WrappedKey is mismatching/);
    const long = await failure(() => importCryptogram(token, oaepEncrypt(certificate, new Uint8Array(randomBytes(24))), { KeyAlgorithm: 'TDES_2KEY' }));
    expect(long.message).toMatch(/^Actual KeyAlgorithm of the WrappedKey is mismatching/);
  });

  it('refuses bad attributes, other algorithms, unknown/wrong-type tokens and tampered cryptograms', async () => {
    const { token, certificate } = await importParameters();
    const good = oaepEncrypt(certificate, new Uint8Array(randomBytes(16)));
    expect((await failure(() => importCryptogram(token, good, { KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Sign: true } }))).name).toBe('ValidationException');
    expect((await failure(() => importCryptogram(token, good, { KeyAlgorithm: 'HMAC_SHA256', KeyUsage: 'TR31_M7_HMAC_KEY', KeyModesOfUse: { Generate: true } }))).name).toBe(
      'ValidationException',
    );
    expect((await failure(() => importCryptogram('import-token-bbbbbbbbbbbbbbbb', good, { KeyAlgorithm: 'TDES_2KEY' }))).name).toBe('ResourceNotFoundException');
    const tr34Token = (await importParameters('RSA_2048', 'TR34_KEY_BLOCK')).token;
    expect((await failure(() => importCryptogram(tr34Token, good, { KeyAlgorithm: 'TDES_2KEY' }))).message).toMatch(/TR34_KEY_BLOCK/);
    const flipped = good.slice(0, 100) + (good[100] === 'F' ? 'E' : 'F') + good.slice(101);
    const e = await failure(() => importCryptogram(token, flipped, { KeyAlgorithm: 'TDES_2KEY' }));
    expect(e.message).toBe('The key cryptogram could not be decrypted with the wrapping key of ImportToken');
    // the genuine cryptogram still imports
    expect((await importCryptogram(token, good, { KeyAlgorithm: 'TDES_2KEY' })).Key!.KeyAttributes!.KeyAlgorithm).toBe('TDES_2KEY');
  });

  it('export refuses AES-256, non-exportable keys and certificates of another CA', async () => {
    const create = async (KeyAlgorithm: 'AES_256' | 'TDES_2KEY', Exportable = true) =>
      (await h.client.send(new CreateKeyCommand({ Exportable, KeyAttributes: { ...K0, KeyAlgorithm } }))).Key!.KeyArn!;
    const aes = await failure(async () => exportCryptogram(await create('AES_256'), r3072));
    expect(aes.name).toBe('ValidationException');
    const locked = await failure(async () => exportCryptogram(await create('TDES_2KEY', false), r2048));
    expect(locked.message).toMatch(/not exportable/);
    const tdes = await create('TDES_2KEY');
    const other = await failure(() => exportCryptogram(tdes, stranger));
    expect(other.message).toMatch(/does not chain/);
    // and a created key's export decrypts to a key with the KCV the emulator reports
    const wrapped = (await exportCryptogram(tdes, r2048)).WrappedKey!;
    expect(tdesKcv(oaepDecrypt(r2048.privateKey, wrapped.KeyMaterial!))).toBe(wrapped.KeyCheckValue);
  });
});
