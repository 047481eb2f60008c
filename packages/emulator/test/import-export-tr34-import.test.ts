import { GetKeyCommand, ImportKeyCommand, type KeyAttributes, type PaymentCryptographyClient } from '@aws-sdk/client-payment-cryptography';
import { createHash, randomBytes } from 'node:crypto';
import { kcv } from '@paycrypt/primitives';
import { buildTr34KeyBlock, inspectTr34KeyBlock, type Certificate } from '@paycrypt/tr34';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_MODES_FALSE, failure, type Harness } from './helpers.js';
import { aesKcv, DAY, hex, OPAQUE, setupTr34, tdesKcv, type TestPki, type Tr34Setup } from './tr34-kit.js';

// TR-34 certificate import and ImportKey; ExportKey, BYOCA and HTTP are in import-export-tr34-export.test.ts.

describe('TR-34 ImportKey / ExportKey through the SDK', () => {
  let h: Harness;
  let pki: TestPki;
  let caArn: string;
  let clock: Tr34Setup['clock'];
  let importParameters: Tr34Setup['importParameters'];
  let importTr34: Tr34Setup['importTr34'];
  const client = (): PaymentCryptographyClient => h.client;

  beforeAll(async () => {
    ({ h, pki, caArn, clock, importParameters, importTr34 } = await setupTr34());
  });
  afterAll(async () => h.close());

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
        clock.offset = 31 * DAY;
        const expired = await failure(() => importTr34(client(), { token, hex: built.hex, nonce }));
        expect(expired.name).toBe('ValidationException');
        expect(expired.message).toMatch(/expired/);
      } finally {
        clock.offset = 0;
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
});
