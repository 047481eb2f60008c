import {
  CreateKeyCommand,
  ExportKeyCommand,
  GetParametersForExportCommand,
  GetParametersForImportCommand,
  GetPublicKeyCertificateCommand,
  ImportKeyCommand,
  PaymentCryptographyClient,
} from '@aws-sdk/client-payment-cryptography';
import { randomBytes } from 'node:crypto';
import { buildTr34KeyBlock, openTr34KeyBlock, type Certificate } from '@paycrypt/tr34';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer } from '../src/transport/http-server.js';
import { credentials, failure, type Harness } from './helpers.js';
import { aesKcv, hex, setupTr34, tdesKcv, type TestPki, type Tr34Setup } from './tr34-kit.js';

// TR-34 ExportKey, Bring Your Own CA and an HTTP round trip; certificate import and ImportKey are in
// import-export-tr34-import.test.ts.

describe('TR-34 ImportKey / ExportKey through the SDK', () => {
  let h: Harness;
  let pki: TestPki;
  let caArn: string;
  let importParameters: Tr34Setup['importParameters'];
  let importTr34: Tr34Setup['importTr34'];
  const client = (): PaymentCryptographyClient => h.client;

  beforeAll(async () => {
    ({ h, pki, caArn, importParameters, importTr34 } = await setupTr34());
  });
  afterAll(async () => h.close());

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
