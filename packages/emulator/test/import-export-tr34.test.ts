import {
  CreateKeyCommand,
  ExportKeyCommand,
  GetKeyCommand,
  GetParametersForExportCommand,
  GetParametersForImportCommand,
  GetPublicKeyCertificateCommand,
  ImportKeyCommand,
  PaymentCryptographyClient,
  type KeyAttributes,
} from '@aws-sdk/client-payment-cryptography';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { kcv } from '@paycrypt/primitives';
import {
  Certificate,
  buildTr34KeyBlock,
  createCaCertificate,
  generateRsaKeyPair,
  inspectTr34KeyBlock,
  issueCertificate,
  openTr34KeyBlock,
  type RsaPrivateKey,
} from '@paycrypt/tr34';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer } from '../src/transport/http-server.js';
import { ALL_MODES_FALSE, credentials, failure, harness, type Harness } from './helpers.js';

const DAY = 86_400_000;
const OPAQUE = 'The TR-34 key block could not be verified or decrypted';

/** Independent KCVs: TDES with node:crypto (encrypt a zero block), AES-CMAC with @paycrypt/primitives. */
function tdesKcv(key: Uint8Array): string {
  const k = key.length === 16 ? Buffer.concat([key, key.subarray(0, 8)]) : Buffer.from(key);
  const c = createCipheriv('des-ede3', k, null).setAutoPadding(false);
  return Buffer.concat([c.update(Buffer.alloc(8)), c.final()]).subarray(0, 3).toString('hex').toUpperCase();
}
function aesKcv(key: Uint8Array): string {
  return Buffer.from(kcv(key, 'AES', { method: 'CMAC' })).toString('hex').toUpperCase();
}
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

interface TestPki {
  ca: Certificate;
  caKey: RsaPrivateKey;
  kdh: Certificate;
  kdhKey: RsaPrivateKey;
  krd2048: Certificate;
  krd2048Key: RsaPrivateKey;
  krd3072: Certificate;
  krd3072Key: RsaPrivateKey;
  /** an intermediate CA under `ca`, and a KDH it signed */
  intermediate: Certificate;
  subKdh: Certificate;
  subKdhKey: RsaPrivateKey;
  /** signing certificate of a CA that is not imported */
  strangerKdh: Certificate;
  strangerKdhKey: RsaPrivateKey;
}

/** Our side's PKI (the HSM of the AWS samples): RSA-2048 everywhere but the AES receiver. */
async function testPki(): Promise<TestPki> {
  const notBefore = new Date(Date.now() - DAY);
  const [caKp, kdhKp, krdKp, krd3Kp, otherCaKp, strangerKp, interKp, subKdhKp] = await Promise.all([
    generateRsaKeyPair(2048),
    generateRsaKeyPair(2048),
    generateRsaKeyPair(2048),
    generateRsaKeyPair(3072),
    generateRsaKeyPair(2048),
    generateRsaKeyPair(2048),
    generateRsaKeyPair(2048),
    generateRsaKeyPair(2048),
  ]);
  const ca = await createCaCertificate({ privateKey: caKp.privateKey, subject: { commonName: 'Test KDH CA', organization: 'paycrypt tests' }, notBefore });
  const otherCa = await createCaCertificate({ privateKey: otherCaKp.privateKey, subject: { commonName: 'Test KDH CA', organization: 'paycrypt tests' }, notBefore });
  const issuer = { certificate: ca, privateKey: caKp.privateKey };
  const intermediate = await issueCertificate({ profile: 'ca', subject: { commonName: 'Test KDH sub-CA' }, publicKey: interKp.publicKey, issuer: { certificate: ca, privateKey: caKp.privateKey }, notBefore });
  const issue = (profile: 'signing' | 'keyTransport', cn: string, publicKey: typeof kdhKp.publicKey, by = issuer): Promise<Certificate> =>
    issueCertificate({ profile, subject: { commonName: cn }, publicKey, issuer: by, notBefore, validityDays: 365 });
  return {
    ca,
    caKey: caKp.privateKey,
    kdh: await issue('signing', 'Test KDH', kdhKp.publicKey),
    kdhKey: kdhKp.privateKey,
    krd2048: await issue('keyTransport', 'Test KRD 2048', krdKp.publicKey),
    krd2048Key: krdKp.privateKey,
    krd3072: await issue('keyTransport', 'Test KRD 3072', krd3Kp.publicKey),
    krd3072Key: krd3Kp.privateKey,
    intermediate,
    subKdh: await issue('signing', 'Test KDH under the sub-CA', subKdhKp.publicKey, { certificate: intermediate, privateKey: interKp.privateKey }),
    subKdhKey: subKdhKp.privateKey,
    strangerKdh: await issue('signing', 'Test KDH', strangerKp.publicKey, { certificate: otherCa, privateKey: otherCaKp.privateKey }),
    strangerKdhKey: strangerKp.privateKey,
  };
}

describe('TR-34 ImportKey / ExportKey through the SDK', () => {
  let h: Harness;
  let pki: TestPki;
  let caArn: string;
  let offset = 0;
  const client = (): PaymentCryptographyClient => h.client;

  beforeAll(async () => {
    [h, pki] = await Promise.all([harness('in-process', { clock: () => Date.now() + offset }), testPki()]);
    const out = await client().send(
      new ImportKeyCommand({
        KeyMaterial: {
          RootCertificatePublicKey: {
            KeyAttributes: { KeyUsage: 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE', KeyClass: 'PUBLIC_KEY', KeyAlgorithm: 'RSA_2048', KeyModesOfUse: { Verify: true } },
            PublicKeyCertificate: pki.ca.toAwsBase64(),
          },
        },
      }),
    );
    caArn = out.Key!.KeyArn!;
  });
  afterAll(async () => h.close());

  /** Import tokens are reusable (AWS: one token for many keys): one per type and algorithm keeps RSA generation down. */
  const importTokens = new Map<string, Promise<{ token: string; krd: Certificate }>>();
  function importParameters(algorithm: 'RSA_2048' | 'RSA_3072' = 'RSA_2048', type: 'TR34_KEY_BLOCK' | 'KEY_CRYPTOGRAM' = 'TR34_KEY_BLOCK') {
    let p = importTokens.get(`${type}/${algorithm}`);
    if (p === undefined) {
      p = client()
        .send(new GetParametersForImportCommand({ KeyMaterialType: type, WrappingKeyAlgorithm: algorithm }))
        .then((out) => ({ token: out.ImportToken!, krd: Certificate.parse(out.WrappingKeyCertificate!) }));
      importTokens.set(`${type}/${algorithm}`, p);
    }
    return p;
  }

  function importTr34(c: PaymentCryptographyClient, block: { token: string; hex: string; nonce?: Uint8Array; kdh?: Certificate; ca?: string }) {
    return c.send(
      new ImportKeyCommand({
        KeyMaterial: {
          Tr34KeyBlock: {
            CertificateAuthorityPublicKeyIdentifier: block.ca ?? caArn,
            SigningKeyCertificate: (block.kdh ?? pki.kdh).toAwsBase64(),
            ImportToken: block.token,
            WrappedKeyBlock: block.hex,
            KeyBlockFormat: 'X9_TR34_2012',
            ...(block.nonce === undefined ? {} : { RandomNonce: hex(block.nonce) }),
          },
        },
      }),
    );
  }

  describe('certificate import', () => {
    it('the root certificate is a PUBLIC_KEY key of origin EXTERNAL, not exportable', async () => {
      const key = (await client().send(new GetKeyCommand({ KeyIdentifier: caArn }))).Key!;
      expect(key.KeyAttributes).toEqual({
        KeyUsage: 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE',
        KeyClass: 'PUBLIC_KEY',
        KeyAlgorithm: 'RSA_2048',
        KeyModesOfUse: { ...ALL_MODES_FALSE, Verify: true },
      });
      expect(key.KeyOrigin).toBe('EXTERNAL');
      expect(key.Exportable).toBe(false);
      expect(key.KeyCheckValue).toBe(createHash('sha1').update(pki.ca.publicKey.spki).digest('hex').slice(0, 8).toUpperCase());
    });

    it('refuses a root whose KeyAlgorithm differs, a non-self-signed root, wrong modes', async () => {
      const root = (attrs: Partial<KeyAttributes>, cert = pki.ca) =>
        client().send(
          new ImportKeyCommand({
            KeyMaterial: {
              RootCertificatePublicKey: {
                KeyAttributes: { KeyUsage: 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE', KeyClass: 'PUBLIC_KEY', KeyAlgorithm: 'RSA_2048', KeyModesOfUse: { Verify: true }, ...attrs },
                PublicKeyCertificate: cert.toAwsBase64(),
              },
            },
          }),
        );
      expect((await failure(() => root({ KeyAlgorithm: 'RSA_4096' }))).message).toMatch(/does not match/);
      expect((await failure(() => root({}, pki.kdh))).message).toMatch(/self-signed/);
      expect((await failure(() => root({ KeyModesOfUse: { Verify: true, Sign: true } }))).name).toBe('ValidationException');
      expect((await failure(() => root({ KeyClass: 'ASYMMETRIC_KEY_PAIR' }))).name).toBe('ValidationException');
    });

    it('a trusted certificate must be signed by the named root', async () => {
      const trusted = (cert: Certificate) =>
        client().send(
          new ImportKeyCommand({
            KeyMaterial: {
              TrustedCertificatePublicKey: {
                KeyAttributes: { KeyUsage: 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE', KeyClass: 'PUBLIC_KEY', KeyAlgorithm: 'RSA_2048', KeyModesOfUse: { Verify: true } },
                PublicKeyCertificate: cert.toAwsBase64(),
                CertificateAuthorityPublicKeyIdentifier: caArn,
              },
            },
          }),
        );
      const ok = await trusted(pki.kdh);
      expect(ok.Key!.KeyAttributes!.KeyClass).toBe('PUBLIC_KEY');
      expect(ok.Key!.KeyOrigin).toBe('EXTERNAL');
      const e = await failure(() => trusted(pki.strangerKdh));
      expect(e.name).toBe('ValidationException');
      expect(e.message).toMatch(/does not chain/);
    });
  });

  describe('import', () => {
    it('a KDH signed by an intermediate CA imported as trusted under the root chains to the root', async () => {
      const sub = await client().send(
        new ImportKeyCommand({
          KeyMaterial: {
            TrustedCertificatePublicKey: {
              KeyAttributes: { KeyUsage: 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE', KeyClass: 'PUBLIC_KEY', KeyAlgorithm: 'RSA_2048', KeyModesOfUse: { Verify: true } },
              PublicKeyCertificate: pki.intermediate.toAwsBase64(),
              CertificateAuthorityPublicKeyIdentifier: caArn,
            },
          },
        }),
      );
      const { token, krd } = await importParameters();
      const key = new Uint8Array(randomBytes(16));
      const nonce = new Uint8Array(randomBytes(8));
      const built = await buildTr34KeyBlock({ kdhCertificate: pki.subKdh, kdhPrivateKey: pki.subKdhKey, krdCertificate: krd, key, header: 'B9999K0TB00E0000', nonce });
      expect((await importTr34(client(), { token, hex: built.hex, nonce, kdh: pki.subKdh })).Key!.KeyCheckValue).toBe(tdesKcv(key));
      expect((await importTr34(client(), { token, hex: built.hex, nonce, kdh: pki.subKdh, ca: sub.Key!.KeyArn! })).Key!.KeyCheckValue).toBe(tdesKcv(key));
    });

    it('two-pass TDES_2KEY K0: attributes from the header, KCV of the clear key', async () => {
      const { token, krd } = await importParameters();
      const key = new Uint8Array(randomBytes(16));
      const nonce = new Uint8Array(randomBytes(8));
      const built = await buildTr34KeyBlock({ kdhCertificate: pki.kdh, kdhPrivateKey: pki.kdhKey, krdCertificate: krd, key, header: 'B9999K0TB00E0000', nonce });
      const out = await importTr34(client(), { token, hex: built.hex, nonce });
      const k = out.Key!;
      expect(k.KeyAttributes).toEqual({
        KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY',
        KeyClass: 'SYMMETRIC_KEY',
        KeyAlgorithm: 'TDES_2KEY',
        KeyModesOfUse: { ...ALL_MODES_FALSE, Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true },
      });
      expect(k.KeyOrigin).toBe('EXTERNAL');
      expect(k.Exportable).toBe(true);
      expect(k.KeyCheckValueAlgorithm).toBe('ANSI_X9_24');
      expect(k.KeyCheckValue).toBe(tdesKcv(key));
      // the token can be used again (AWS: one token for many keys)
      const key2 = new Uint8Array(randomBytes(16));
      const again = await buildTr34KeyBlock({ kdhCertificate: pki.kdh, kdhPrivateKey: pki.kdhKey, krdCertificate: krd, key: key2, header: 'B9999K0TB00E0000', nonce });
      expect((await importTr34(client(), { token, hex: again.hex, nonce })).Key!.KeyCheckValue).toBe(tdesKcv(key2));
    });

    it('one-pass TDES_3KEY P0, exportability N → Exportable false; Enabled, Tags and KCV method from the input', async () => {
      const { token, krd } = await importParameters();
      const key = new Uint8Array(randomBytes(24));
      const built = await buildTr34KeyBlock({ kdhCertificate: pki.kdh, kdhPrivateKey: pki.kdhKey, krdCertificate: krd, key, header: 'B9999P0TB00N0000' });
      expect(inspectTr34KeyBlock(built.hex).mode).toBe('one-pass');
      const out = await client().send(
        new ImportKeyCommand({
          KeyMaterial: {
            Tr34KeyBlock: {
              CertificateAuthorityPublicKeyIdentifier: caArn,
              SigningKeyCertificate: pki.kdh.toAwsBase64(),
              ImportToken: token,
              WrappedKeyBlock: built.hex,
              KeyBlockFormat: 'X9_TR34_2012',
            },
          },
          Enabled: false,
          Tags: [{ Key: 'source', Value: 'tr34' }],
          KeyCheckValueAlgorithm: 'CMAC',
        }),
      );
      const k = out.Key!;
      expect(k.KeyAttributes!.KeyUsage).toBe('TR31_P0_PIN_ENCRYPTION_KEY');
      expect(k.KeyAttributes!.KeyAlgorithm).toBe('TDES_3KEY');
      expect(k.Exportable).toBe(false);
      expect(k.Enabled).toBe(false);
      expect(k.KeyCheckValueAlgorithm).toBe('CMAC');
      expect(k.KeyCheckValue).toBe(Buffer.from(kcv(key, 'TDES', { method: 'CMAC' })).toString('hex').toUpperCase());
    });

    it('AES-128 needs an RSA-3072 wrapping key', async () => {
      const key = new Uint8Array(randomBytes(16));
      const nonce = new Uint8Array(randomBytes(16));
      const p3 = await importParameters('RSA_3072');
      const built = await buildTr34KeyBlock({ kdhCertificate: pki.kdh, kdhPrivateKey: pki.kdhKey, krdCertificate: p3.krd, key, header: 'D9999K1AB00E0000', nonce });
      const k = (await importTr34(client(), { token: p3.token, hex: built.hex, nonce })).Key!;
      expect(k.KeyAttributes!.KeyAlgorithm).toBe('AES_128');
      expect(k.KeyAttributes!.KeyUsage).toBe('TR31_K1_KEY_BLOCK_PROTECTION_KEY');
      expect(k.KeyCheckValue).toBe(aesKcv(key));

      const p2 = await importParameters('RSA_2048');
      const weak = await buildTr34KeyBlock({ kdhCertificate: pki.kdh, kdhPrivateKey: pki.kdhKey, krdCertificate: p2.krd, key, header: 'D9999K1AB00E0000', nonce });
      const e = await failure(() => importTr34(client(), { token: p2.token, hex: weak.hex, nonce }));
      expect(e.name).toBe('ValidationException');
      expect(e.message).toMatch(/weaker/);
    });

    it('failure paths: token, CA chain, tampering, nonce', async () => {
      const { token, krd } = await importParameters();
      const key = new Uint8Array(randomBytes(16));
      const nonce = new Uint8Array(randomBytes(8));
      const built = await buildTr34KeyBlock({ kdhCertificate: pki.kdh, kdhPrivateKey: pki.kdhKey, krdCertificate: krd, key, header: 'B9999K0TB00E0000', nonce });

      const unknown = await failure(() => importTr34(client(), { token: 'import-token-aaaaaaaaaaaaaaaa', hex: built.hex, nonce }));
      expect(unknown.name).toBe('ResourceNotFoundException');

      const cryptogramToken = (await importParameters('RSA_2048', 'KEY_CRYPTOGRAM')).token;
      expect((await failure(() => importTr34(client(), { token: cryptogramToken, hex: built.hex, nonce }))).message).toMatch(/KEY_CRYPTOGRAM/);

      // signed by a KDH whose CA is not the imported one
      const stranger = await buildTr34KeyBlock({ kdhCertificate: pki.strangerKdh, kdhPrivateKey: pki.strangerKdhKey, krdCertificate: krd, key, header: 'B9999K0TB00E0000', nonce });
      const chain = await failure(() => importTr34(client(), { token, hex: stranger.hex, nonce, kdh: pki.strangerKdh }));
      expect(chain.name).toBe('ValidationException');
      expect(chain.message).toMatch(/SigningKeyCertificate does not chain/);

      // SigningKeyCertificate is not the signer of the token
      const wrongSigner = await failure(() => importTr34(client(), { token, hex: built.hex, nonce, kdh: pki.krd2048 }));
      expect(wrongSigner.name).toBe('ValidationException');

      // the last byte of the signature, a byte of the encrypted content: one opaque message
      const flip = (s: string, at: number): string => s.slice(0, at) + (s[at] === '0' ? '1' : '0') + s.slice(at + 1);
      const tamperedSig = await failure(() => importTr34(client(), { token, hex: flip(built.hex, built.hex.length - 1), nonce }));
      expect(tamperedSig.name).toBe('ValidationException');
      expect(tamperedSig.message).toBe(OPAQUE);

      const wrongNonce = new Uint8Array(nonce);
      wrongNonce[0]! ^= 1;
      const n = await failure(() => importTr34(client(), { token, hex: built.hex, nonce: wrongNonce }));
      expect(n.name).toBe('ValidationException');
      expect(n.message).toMatch(/RandomNonce/);
      expect((await failure(() => importTr34(client(), { token, hex: built.hex }))).name).toBe('ValidationException');

      // the token still works for the genuine block
      expect((await importTr34(client(), { token, hex: built.hex, nonce })).Key!.KeyCheckValue).toBe(tdesKcv(key));

      try {
        offset = 31 * DAY;
        const expired = await failure(() => importTr34(client(), { token, hex: built.hex, nonce }));
        expect(expired.name).toBe('ValidationException');
        expect(expired.message).toMatch(/expired/);
      } finally {
        offset = 0;
      }
    });

    it('a flipped bit inside the encrypted content is the same opaque failure', async () => {
      const { token, krd } = await importParameters();
      const key = new Uint8Array(randomBytes(16));
      const built = await buildTr34KeyBlock({ kdhCertificate: pki.kdh, kdhPrivateKey: pki.kdhKey, krdCertificate: krd, key, header: 'B9999K0TB00E0000' });
      // the ciphertext ends right before the SignerInfos SET: 31 82 LLLL, 30 82 LLLL, 02 01 01, then the sid
      const info = inspectTr34KeyBlock(built.hex);
      expect(info.mode).toBe('one-pass');
      const sidAt = built.hex.indexOf(hex(info.kdhIssuerAndSerialNumber));
      expect(built.hex.slice(sidAt - 22, sidAt - 18)).toBe('3182');
      expect(built.hex.slice(sidAt - 6, sidAt)).toBe('020101');
      const at = sidAt - 28; // inside the last ciphertext block
      const tampered = built.hex.slice(0, at) + (built.hex[at] === 'A' ? 'B' : 'A') + built.hex.slice(at + 1);
      const e = await failure(() => importTr34(client(), { token, hex: tampered }));
      expect(e.message).toBe(OPAQUE);
    });
  });

  describe('export', () => {
    let exportToken: Promise<{ token: string; signer: string; chain: string }> | undefined;
    function exportParameters(): Promise<{ token: string; signer: string; chain: string }> {
      exportToken ??= client()
        .send(new GetParametersForExportCommand({ KeyMaterialType: 'TR34_KEY_BLOCK', SigningKeyAlgorithm: 'RSA_2048' }))
        .then((p) => ({ token: p.ExportToken!, signer: p.SigningKeyCertificate!, chain: p.SigningKeyCertificateChain! }));
      return exportToken;
    }
    async function createKey(keyAlgorithm: 'TDES_2KEY' | 'TDES_3KEY' | 'AES_128' | 'AES_256', exportable = true) {
      return (
        await client().send(
          new CreateKeyCommand({
            Exportable: exportable,
            KeyAttributes: { KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: keyAlgorithm, KeyModesOfUse: { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true } },
          }),
        )
      ).Key!;
    }
    function exportTr34(keyArn: string, token: string, krd: Certificate, extra: Record<string, unknown> = {}) {
      return client().send(
        new ExportKeyCommand({
          ExportKeyIdentifier: keyArn,
          KeyMaterial: {
            Tr34KeyBlock: {
              CertificateAuthorityPublicKeyIdentifier: caArn,
              WrappingKeyCertificate: krd.toAwsBase64(),
              ExportToken: token,
              KeyBlockFormat: 'X9_TR34_2012',
              ...extra,
            },
          },
        }),
      );
    }

    it('two-pass TDES export opens with @paycrypt/tr34 and the receiver key; KCV matches', async () => {
      const key = await createKey('TDES_2KEY');
      const p = await exportParameters();
      const nonce = new Uint8Array(randomBytes(8));
      const out = (await exportTr34(key.KeyArn!, p.token, pki.krd2048, { RandomNonce: hex(nonce) })).WrappedKey!;
      expect(out.WrappedKeyMaterialFormat).toBe('TR34_KEY_BLOCK');
      expect(out.KeyMaterial).toMatch(/^[0-9A-F]+$/);
      expect(out.WrappingKeyArn).toBe(caArn);
      expect(out.KeyCheckValue).toBe(key.KeyCheckValue);
      expect(out.KeyCheckValueAlgorithm).toBe('ANSI_X9_24');
      const opened = await openTr34KeyBlock(out.KeyMaterial!, {
        krdPrivateKey: pki.krd2048Key,
        krdCertificate: pki.krd2048,
        kdhCertificate: p.signer,
        trustAnchors: [p.chain],
        expectedNonce: nonce,
      });
      expect(opened.mode).toBe('two-pass');
      expect(opened.layout).toBe('X9_TR34_2012');
      expect(opened.contentEncryption).toBe('des-ede3-cbc');
      expect(opened.headerString).toBe('B0016K0TB00E0000');
      expect(tdesKcv(opened.key)).toBe(key.KeyCheckValue);
    });

    it('one-pass export with KeyBlockHeaders: narrowed mode and exportability, key version, optional block', async () => {
      const key = await createKey('TDES_3KEY');
      const p = await exportParameters();
      const out = (
        await exportTr34(key.KeyArn!, p.token, pki.krd2048, {
          KeyBlockHeaders: { KeyModesOfUse: { Encrypt: true, Wrap: true }, KeyExportability: 'NON_EXPORTABLE', KeyVersion: '07', OptionalBlocks: { KS: '00604B120F9292800000' } },
        })
      ).WrappedKey!;
      const opened = await openTr34KeyBlock(out.KeyMaterial!, { krdPrivateKey: pki.krd2048Key, krdCertificate: pki.krd2048, kdhCertificate: p.signer, trustAnchors: [p.chain] });
      expect(opened.mode).toBe('one-pass');
      expect(opened.header.modeOfUse).toBe('E');
      expect(opened.header.exportability).toBe('N');
      expect(opened.header.keyVersion).toBe('07');
      expect(opened.header.optionalBlocks.map((b) => [b.id, b.data])).toEqual([['KS', '00604B120F9292800000']]);
      expect(tdesKcv(opened.key)).toBe(key.KeyCheckValue);

      const widen = await failure(() => exportTr34(key.KeyArn!, p.token, pki.krd2048, { KeyBlockHeaders: { KeyModesOfUse: { NoRestrictions: true } } }));
      expect(widen.name).toBe('ValidationException');
    });

    it('AES-128 goes to an RSA-3072 receiver only; AES-256 never; non-exportable keys never', async () => {
      const p = await exportParameters();
      const aes = await createKey('AES_128');
      const out = (await exportTr34(aes.KeyArn!, p.token, pki.krd3072)).WrappedKey!;
      const opened = await openTr34KeyBlock(out.KeyMaterial!, { krdPrivateKey: pki.krd3072Key, krdCertificate: pki.krd3072, kdhCertificate: p.signer, trustAnchors: [p.chain] });
      expect(opened.contentEncryption).toBe('aes128-cbc');
      expect(opened.headerString.slice(0, 9)).toBe('D0016K0AB');
      expect(aesKcv(opened.key)).toBe(aes.KeyCheckValue);

      const weak = await failure(() => exportTr34(aes.KeyArn!, p.token, pki.krd2048));
      expect(weak.name).toBe('ValidationException');
      const aes256 = await createKey('AES_256');
      expect((await failure(() => exportTr34(aes256.KeyArn!, p.token, pki.krd3072))).name).toBe('ValidationException');
      const locked = await createKey('TDES_2KEY', false);
      const e = await failure(() => exportTr34(locked.KeyArn!, p.token, pki.krd2048));
      expect(e.name).toBe('ValidationException');
      expect(e.message).toMatch(/not exportable/);
    });

    it('the receiver certificate must chain to the CA; the export token must exist', async () => {
      const key = await createKey('TDES_2KEY');
      const p = await exportParameters();
      const chain = await failure(() => exportTr34(key.KeyArn!, p.token, pki.strangerKdh));
      expect(chain.message).toMatch(/WrappingKeyCertificate does not chain/);
      const unknown = await failure(() => exportTr34(key.KeyArn!, 'export-token-aaaaaaaaaaaaaaaa', pki.krd2048));
      expect(unknown.name).toBe('ResourceNotFoundException');
      const importToken = (await importParameters()).token;
      expect((await failure(() => exportTr34(key.KeyArn!, importToken, pki.krd2048))).name).toBe('ValidationException');
    });
  });

  describe('Bring Your Own CA: key pairs made with CreateKey instead of tokens (newest model)', () => {
    async function keyPair(usage: 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE' | 'TR31_K2_TR34_ASYMMETRIC_KEY') {
      const modes = usage === 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE' ? { Sign: true } : { Decrypt: true, Unwrap: true };
      const key = (
        await client().send(new CreateKeyCommand({ Exportable: false, KeyAttributes: { KeyUsage: usage, KeyClass: 'ASYMMETRIC_KEY_PAIR', KeyAlgorithm: 'RSA_2048', KeyModesOfUse: modes } }))
      ).Key!;
      // any certificate of the key pair will do; the emulator CA's is at hand
      const cert = await client().send(new GetPublicKeyCertificateCommand({ KeyIdentifier: key.KeyArn }));
      return { arn: key.KeyArn!, certificate: cert.KeyCertificate!, chain: cert.KeyCertificateChain! };
    }

    it('export signed by a TR31_S0 key pair, import wrapped to a TR31_K2 key pair', async () => {
      const signer = await keyPair('TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE');
      const key = (
        await client().send(
          new CreateKeyCommand({
            Exportable: true,
            KeyAttributes: { KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true } },
          }),
        )
      ).Key!;
      const nonce = new Uint8Array(randomBytes(8));
      const exportWith = (tr34: Record<string, unknown>) =>
        client().send(
          new ExportKeyCommand({
            ExportKeyIdentifier: key.KeyArn,
            KeyMaterial: {
              Tr34KeyBlock: {
                CertificateAuthorityPublicKeyIdentifier: caArn,
                WrappingKeyCertificate: pki.krd2048.toAwsBase64(),
                KeyBlockFormat: 'X9_TR34_2012',
                RandomNonce: hex(nonce),
                ...tr34,
              } as never,
            },
          }),
        );
      const out = await exportWith({ SigningKeyIdentifier: signer.arn, SigningKeyCertificate: signer.certificate });
      const opened = await openTr34KeyBlock(out.WrappedKey!.KeyMaterial!, {
        krdPrivateKey: pki.krd2048Key,
        krdCertificate: pki.krd2048,
        kdhCertificate: signer.certificate,
        trustAnchors: [signer.chain],
        expectedNonce: nonce,
      });
      expect(tdesKcv(opened.key)).toBe(key.KeyCheckValue);

      const other = await keyPair('TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE');
      const mismatch = await failure(() => exportWith({ SigningKeyIdentifier: signer.arn, SigningKeyCertificate: other.certificate }));
      expect(mismatch.message).toMatch(/do not match/);
      expect((await failure(() => exportWith({ SigningKeyIdentifier: signer.arn }))).name).toBe('ValidationException');

      const receiver = await keyPair('TR31_K2_TR34_ASYMMETRIC_KEY');
      const clear = new Uint8Array(randomBytes(16));
      const built = await buildTr34KeyBlock({ kdhCertificate: pki.kdh, kdhPrivateKey: pki.kdhKey, krdCertificate: receiver.certificate, key: clear, header: 'B9999K0TB00E0000', nonce });
      const importWith = (tr34: Record<string, unknown>) =>
        client().send(
          new ImportKeyCommand({
            KeyMaterial: {
              Tr34KeyBlock: {
                CertificateAuthorityPublicKeyIdentifier: caArn,
                SigningKeyCertificate: pki.kdh.toAwsBase64(),
                WrappedKeyBlock: built.hex,
                KeyBlockFormat: 'X9_TR34_2012',
                RandomNonce: hex(nonce),
                ...tr34,
              } as never,
            },
          }),
        );
      const imported = await importWith({ WrappingKeyIdentifier: receiver.arn, WrappingKeyCertificate: receiver.certificate });
      expect(imported.Key!.KeyCheckValue).toBe(tdesKcv(clear));
      // a signing key cannot unwrap
      expect((await failure(() => importWith({ WrappingKeyIdentifier: signer.arn, WrappingKeyCertificate: signer.certificate }))).name).toBe('ValidationException');
      // a token and a key pair at once
      const { token } = await importParameters();
      expect((await failure(() => importWith({ ImportToken: token, WrappingKeyIdentifier: receiver.arn, WrappingKeyCertificate: receiver.certificate }))).message).toMatch(/either/);
    });
  });

  it('over HTTP: a two-pass TR-34 import and an export round trip', async () => {
    const server = await startHttpServer(h.emulator);
    const c = new PaymentCryptographyClient({ region: 'us-east-1', endpoint: server.endpoint, credentials, maxAttempts: 1 });
    try {
      const p = await c.send(new GetParametersForImportCommand({ KeyMaterialType: 'TR34_KEY_BLOCK', WrappingKeyAlgorithm: 'RSA_2048' }));
      const key = new Uint8Array(randomBytes(16));
      const nonce = new Uint8Array(randomBytes(8));
      const built = await buildTr34KeyBlock({ kdhCertificate: pki.kdh, kdhPrivateKey: pki.kdhKey, krdCertificate: p.WrappingKeyCertificate!, key, header: 'B9999K0TB00E0000', nonce });
      const imported = (await importTr34(c, { token: p.ImportToken!, hex: built.hex, nonce })).Key!;
      expect(imported.KeyCheckValue).toBe(tdesKcv(key));

      const e = await c.send(new GetParametersForExportCommand({ KeyMaterialType: 'TR34_KEY_BLOCK', SigningKeyAlgorithm: 'RSA_2048' }));
      const out = await c.send(
        new ExportKeyCommand({
          ExportKeyIdentifier: imported.KeyArn,
          KeyMaterial: {
            Tr34KeyBlock: {
              CertificateAuthorityPublicKeyIdentifier: caArn,
              WrappingKeyCertificate: pki.krd2048.toAwsBase64(),
              ExportToken: e.ExportToken,
              KeyBlockFormat: 'X9_TR34_2012',
              RandomNonce: hex(nonce),
            },
          },
        }),
      );
      const opened = await openTr34KeyBlock(out.WrappedKey!.KeyMaterial!, {
        krdPrivateKey: pki.krd2048Key,
        krdCertificate: pki.krd2048,
        kdhCertificate: e.SigningKeyCertificate!,
        trustAnchors: [e.SigningKeyCertificateChain!],
        expectedNonce: nonce,
      });
      expect(hex(opened.key)).toBe(hex(key));
    } finally {
      c.destroy();
      await server.close();
    }
  });
});
