import {
  CreateKeyCommand,
  GetKeyCommand,
  GetParametersForExportCommand,
  GetParametersForImportCommand,
  GetPublicKeyCertificateCommand,
  type GetParametersForImportInput,
} from '@aws-sdk/client-payment-cryptography';
import { createHash, X509Certificate } from 'node:crypto';
import { verifyCertificateChain } from '@paycrypt/tr34';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, harness, type Harness } from './helpers.js';
import { opensslFiles, pem } from './openssl-files.js';

const DAY = 86_400_000;

const openssl = opensslFiles('paycrypt-params-');

describe('GetParametersForImport / GetParametersForExport / GetPublicKeyCertificate (SDK in-process)', () => {
  let h: Harness;
  let offset = 0; // emulator clock = real time + offset
  beforeAll(async () => {
    h = await harness('in-process', { clock: () => Date.now() + offset });
  });
  afterAll(async () => {
    await h.close();
    openssl.cleanup();
  });

  it('import parameters: RSA-2048 keyEncipherment certificate by an RSA-4096 sha512WithRSA CA, token, 30 days', async () => {
    const t0 = Date.now();
    const out = await h.client.send(new GetParametersForImportCommand({ KeyMaterialType: 'TR34_KEY_BLOCK', WrappingKeyAlgorithm: 'RSA_2048' }));
    expect(out.ImportToken).toMatch(/^import-token-[0-9a-z]{16}$/);
    expect(out.WrappingKeyAlgorithm).toBe('RSA_2048');
    expect(out.WrappingKeyCertificate).toMatch(/^LS0tLS1CRUdJTi/); // base64("-----BEGIN")
    expect(out.WrappingKeyCertificateChain).toMatch(/^LS0tLS1CRUdJTi/);
    const until = out.ParametersValidUntilTimestamp!.getTime();
    expect(until).toBeGreaterThanOrEqual(Math.floor(t0 / 1000) * 1000 + 30 * DAY - 1000);
    expect(until).toBeLessThanOrEqual(Date.now() + 30 * DAY + 1000);

    const ca = new X509Certificate(pem(out.WrappingKeyCertificateChain!));
    const leaf = new X509Certificate(pem(out.WrappingKeyCertificate!));
    expect(ca.publicKey.asymmetricKeyDetails?.modulusLength).toBe(4096);
    expect(ca.ca).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(leaf.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.ca).toBe(false);

    const text = openssl.run(['x509', '-in', 'leaf.pem', '-noout', '-text'], { 'leaf.pem': pem(out.WrappingKeyCertificate!) });
    if (text !== undefined) {
      expect(text).toContain('Signature Algorithm: sha512WithRSAEncryption');
      expect(text).toMatch(/Key Usage: critical\s+Key Encipherment/);
      const verified = openssl.run(['verify', '-CAfile', 'ca.pem', 'leaf.pem'], { 'ca.pem': pem(out.WrappingKeyCertificateChain!) });
      expect(verified?.trim()).toBe('leaf.pem: OK');
    }
  });

  it('KEY_CRYPTOGRAM accepts RSA_2048/3072/4096; other types and algorithms are refused', async () => {
    const out = await h.client.send(new GetParametersForImportCommand({ KeyMaterialType: 'KEY_CRYPTOGRAM', WrappingKeyAlgorithm: 'RSA_3072' }));
    expect(new X509Certificate(pem(out.WrappingKeyCertificate!)).publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    for (const bad of [
      { KeyMaterialType: 'TR31_KEY_BLOCK', WrappingKeyAlgorithm: 'RSA_2048' },
      { KeyMaterialType: 'ROOT_PUBLIC_KEY_CERTIFICATE', WrappingKeyAlgorithm: 'RSA_2048' },
      { KeyMaterialType: 'KEY_CRYPTOGRAM', WrappingKeyAlgorithm: 'AES_128' },
      { KeyMaterialType: 'TR34_KEY_BLOCK', WrappingKeyAlgorithm: 'ECC_NIST_P256' },
    ] as const) {
      const e = await failure(() => h.client.send(new GetParametersForImportCommand(bad)));
      expect(e.name).toBe('ValidationException');
    }
  });

  it('export parameters: RSA-2048 digitalSignature certificate by the same CA; only RSA_2048', async () => {
    const imp = await h.client.send(new GetParametersForImportCommand({ KeyMaterialType: 'TR34_KEY_BLOCK', WrappingKeyAlgorithm: 'RSA_2048' }));
    const out = await h.client.send(new GetParametersForExportCommand({ KeyMaterialType: 'TR34_KEY_BLOCK', SigningKeyAlgorithm: 'RSA_2048' }));
    expect(out.ExportToken).toMatch(/^export-token-[0-9a-z]{16}$/);
    expect(out.SigningKeyAlgorithm).toBe('RSA_2048');
    expect(out.SigningKeyCertificateChain).toBe(imp.WrappingKeyCertificateChain); // one CA per account × region
    const ca = new X509Certificate(pem(out.SigningKeyCertificateChain!));
    const leaf = new X509Certificate(pem(out.SigningKeyCertificate!));
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(out.ParametersValidUntilTimestamp!.getTime() - Date.now()).toBeGreaterThan(30 * DAY - 60_000);
    const text = openssl.run(['x509', '-in', 'signer.pem', '-noout', '-text'], { 'signer.pem': pem(out.SigningKeyCertificate!) });
    if (text !== undefined) expect(text).toMatch(/Key Usage: critical\s+Digital Signature/);

    const e = await failure(() => h.client.send(new GetParametersForExportCommand({ KeyMaterialType: 'TR34_KEY_BLOCK', SigningKeyAlgorithm: 'RSA_3072' })));
    expect(e.name).toBe('ValidationException');
  });

  it('ReuseLastGeneratedToken returns the last token while ≥ 7 days remain, a new one after', async () => {
    const reuse = { KeyMaterialType: 'KEY_CRYPTOGRAM', WrappingKeyAlgorithm: 'RSA_2048', ReuseLastGeneratedToken: true } as GetParametersForImportInput;
    const first = await h.client.send(new GetParametersForImportCommand({ KeyMaterialType: 'KEY_CRYPTOGRAM', WrappingKeyAlgorithm: 'RSA_2048' }));
    const again = await h.client.send(new GetParametersForImportCommand(reuse));
    expect(again.ImportToken).toBe(first.ImportToken);
    expect(again.WrappingKeyCertificate).toBe(first.WrappingKeyCertificate);
    expect(again.ParametersValidUntilTimestamp).toEqual(first.ParametersValidUntilTimestamp);
    // without the flag: a new token
    const fresh = await h.client.send(new GetParametersForImportCommand({ KeyMaterialType: 'KEY_CRYPTOGRAM', WrappingKeyAlgorithm: 'RSA_2048' }));
    expect(fresh.ImportToken).not.toBe(first.ImportToken);
    // another KeyMaterialType is not "the same" token
    const other = await h.client.send(new GetParametersForImportCommand({ ...reuse, KeyMaterialType: 'TR34_KEY_BLOCK' }));
    expect(other.ImportToken).not.toBe(fresh.ImportToken);
    try {
      offset = 22 * DAY; // 8 days left: still reused
      const late = await h.client.send(new GetParametersForImportCommand(reuse));
      expect(late.ImportToken).toBe(fresh.ImportToken);
      offset = 24 * DAY; // 6 days left: a new token
      const renewed = await h.client.send(new GetParametersForImportCommand(reuse));
      expect(renewed.ImportToken).not.toBe(fresh.ImportToken);
      expect(renewed.ParametersValidUntilTimestamp!.getTime()).toBeGreaterThan(fresh.ParametersValidUntilTimestamp!.getTime() + 23 * DAY);
    } finally {
      offset = 0;
    }
  });

  it('ReuseLastGeneratedToken also applies to export tokens', async () => {
    const first = await h.client.send(new GetParametersForExportCommand({ KeyMaterialType: 'TR34_KEY_BLOCK', SigningKeyAlgorithm: 'RSA_2048' }));
    const again = await h.client.send(
      new GetParametersForExportCommand({ KeyMaterialType: 'TR34_KEY_BLOCK', SigningKeyAlgorithm: 'RSA_2048', ReuseLastGeneratedToken: true } as never),
    );
    expect(again.ExportToken).toBe(first.ExportToken);
    expect(again.SigningKeyCertificate).toBe(first.SigningKeyCertificate);
  });

  describe('GetPublicKeyCertificate', () => {
    it('RSA signing key pair: 90-day certificate of its own public key, chain verifies, cached', async () => {
      const key = (
        await h.client.send(
          new CreateKeyCommand({
            Exportable: false,
            KeyAttributes: { KeyUsage: 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE', KeyClass: 'ASYMMETRIC_KEY_PAIR', KeyAlgorithm: 'RSA_2048', KeyModesOfUse: { Sign: true } },
          }),
        )
      ).Key!;
      const out = await h.client.send(new GetPublicKeyCertificateCommand({ KeyIdentifier: key.KeyArn }));
      const ca = new X509Certificate(pem(out.KeyCertificateChain!));
      const leaf = new X509Certificate(pem(out.KeyCertificate!));
      expect(leaf.verify(ca.publicKey)).toBe(true);
      expect(leaf.checkIssued(ca)).toBe(true);
      const days = (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / DAY;
      expect(days).toBe(90);
      // the certified key is the key pair's: the emulator's RSA KCV is SHA-1 of the SPKI DER (NOTE in key-material.ts)
      const spki = leaf.publicKey.export({ type: 'spki', format: 'der' });
      expect(createHash('sha1').update(spki).digest('hex').slice(0, 8).toUpperCase()).toBe(key.KeyCheckValue);
      // the same chain check as the TR-34 engine does (RSA)
      const path = await verifyCertificateChain(out.KeyCertificate!, { trustAnchors: [out.KeyCertificateChain!] });
      expect(path).toHaveLength(2);
      const text = openssl.run(['verify', '-CAfile', 'ca.pem', 'key.pem'], { 'ca.pem': pem(out.KeyCertificateChain!), 'key.pem': pem(out.KeyCertificate!) });
      if (text !== undefined) expect(text.trim()).toBe('key.pem: OK');
      const details = openssl.run(['x509', '-in', 'key.pem', '-noout', '-text'], {});
      if (details !== undefined) expect(details).toMatch(/Key Usage: critical\s+Digital Signature/);

      const again = await h.client.send(new GetPublicKeyCertificateCommand({ KeyIdentifier: key.KeyArn }));
      expect(again.KeyCertificate).toBe(out.KeyCertificate);
      try {
        offset = 59 * DAY; // 31 days left: cached
        expect((await h.client.send(new GetPublicKeyCertificateCommand({ KeyIdentifier: key.KeyArn }))).KeyCertificate).toBe(out.KeyCertificate);
        offset = 61 * DAY; // 29 days left: a new certificate
        const renewed = await h.client.send(new GetPublicKeyCertificateCommand({ KeyIdentifier: key.KeyArn }));
        expect(renewed.KeyCertificate).not.toBe(out.KeyCertificate);
        expect(new X509Certificate(pem(renewed.KeyCertificate!)).publicKey.export({ type: 'spki', format: 'der' })).toEqual(spki);
      } finally {
        offset = 0;
      }
    });

    it('ECC key-agreement key pair: an EC public key certified with keyAgreement', async () => {
      const key = (
        await h.client.send(
          new CreateKeyCommand({
            Exportable: false,
            KeyAttributes: { KeyUsage: 'TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT', KeyClass: 'ASYMMETRIC_KEY_PAIR', KeyAlgorithm: 'ECC_NIST_P256', KeyModesOfUse: { DeriveKey: true } },
            DeriveKeyUsage: 'TR31_K1_KEY_BLOCK_PROTECTION_KEY',
          }),
        )
      ).Key!;
      const out = await h.client.send(new GetPublicKeyCertificateCommand({ KeyIdentifier: key.KeyArn }));
      const ca = new X509Certificate(pem(out.KeyCertificateChain!));
      const leaf = new X509Certificate(pem(out.KeyCertificate!));
      expect(leaf.publicKey.asymmetricKeyType).toBe('ec');
      expect(leaf.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
      expect(leaf.verify(ca.publicKey)).toBe(true);
      const spki = leaf.publicKey.export({ type: 'spki', format: 'der' });
      expect(createHash('sha1').update(spki).digest('hex').slice(0, 8).toUpperCase()).toBe(key.KeyCheckValue);
      const text = openssl.run(['x509', '-in', 'ec.pem', '-noout', '-text'], { 'ec.pem': pem(out.KeyCertificate!) });
      if (text !== undefined) expect(text).toMatch(/Key Usage: critical\s+Key Agreement/);
    });

    it('symmetric keys and imported public keys have no key-pair certificate', async () => {
      const key = (
        await h.client.send(
          new CreateKeyCommand({
            Exportable: true,
            KeyAttributes: { KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true } },
          }),
        )
      ).Key!;
      const e = await failure(() => h.client.send(new GetPublicKeyCertificateCommand({ KeyIdentifier: key.KeyArn })));
      expect(e.name).toBe('ValidationException');
      const missing = await failure(() => h.client.send(new GetPublicKeyCertificateCommand({ KeyIdentifier: key.KeyArn!.replace(/key\/.*/, 'key/aaaaaaaaaaaaaaaa') })));
      expect(missing.name).toBe('ResourceNotFoundException');
      expect((await h.client.send(new GetKeyCommand({ KeyIdentifier: key.KeyArn }))).Key!.KeyState).toBe('CREATE_COMPLETE');
    });
  });
});
