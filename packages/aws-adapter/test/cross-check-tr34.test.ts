import { ExportKeyCommand, GetParametersForExportCommand, ImportKeyCommand } from '@aws-sdk/client-payment-cryptography';
import { createCaCertificate, generateRsaKeyPair, issueCertificate, Tr34Error } from '@paycrypt/tr34';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createPaymentCryptography, openExportedTr34KeyBlock } from '../src/index.js';
import { importByValue, kekByValue, tdesKcvOracle } from './kit.js';

/**
 * A TR-34 export from the service (the emulator through the adapter) opened with the receiver's
 * private key: a TDES key imported by value, so its KCV is computed by node:crypto in the kit.
 */
const pc = createPaymentCryptography({ target: 'emulator', env: {} });
afterAll(() => pc.close());

describe('openExportedTr34KeyBlock', () => {
  it('opens a one-pass X9_TR34_2012 export; KCV = node:crypto = the service KCV', async () => {
    const notBefore = new Date(Date.now() - 86_400_000);
    const [caKp, krdKp] = await Promise.all([generateRsaKeyPair(2048), generateRsaKeyPair(2048)]);
    const ca = await createCaCertificate({ privateKey: caKp.privateKey, subject: { commonName: 'Adapter test CA' }, notBefore });
    const krd = await issueCertificate({ profile: 'keyTransport', subject: { commonName: 'Adapter test KRD' }, publicKey: krdKp.publicKey, issuer: { certificate: ca, privateKey: caKp.privateKey }, notBefore, validityDays: 30 });
    const caArn = (
      await pc.controlPlane.send(
        new ImportKeyCommand({
          KeyMaterial: { RootCertificatePublicKey: { KeyAttributes: { KeyUsage: 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE', KeyClass: 'PUBLIC_KEY', KeyAlgorithm: 'RSA_2048', KeyModesOfUse: { Verify: true } }, PublicKeyCertificate: ca.toAwsBase64() } },
        }),
      )
    ).Key!.KeyArn!;
    const kek = await kekByValue(pc.controlPlane);
    const clear = new Uint8Array(randomBytes(16));
    const key = await importByValue(pc.controlPlane, kek, clear, 'TR31_K0_KEY_ENCRYPTION_KEY', 'TDES_2KEY', { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true });
    const params = await pc.controlPlane.send(new GetParametersForExportCommand({ KeyMaterialType: 'TR34_KEY_BLOCK', SigningKeyAlgorithm: 'RSA_2048' }));
    const wrapped = (
      await pc.controlPlane.send(
        new ExportKeyCommand({
          ExportKeyIdentifier: key.arn,
          KeyMaterial: { Tr34KeyBlock: { CertificateAuthorityPublicKeyIdentifier: caArn, WrappingKeyCertificate: krd.toAwsBase64(), ExportToken: params.ExportToken!, KeyBlockFormat: 'X9_TR34_2012' } },
        }),
      )
    ).WrappedKey!;
    const openOptions = { krdPrivateKey: krdKp.privateKey, krdCertificate: krd, kdhCertificate: params.SigningKeyCertificate!, trustAnchors: [params.SigningKeyCertificateChain!] };
    const o = await openExportedTr34KeyBlock(wrapped.KeyMaterial!, openOptions, { KeyCheckValue: wrapped.KeyCheckValue!, KeyCheckValueAlgorithm: wrapped.KeyCheckValueAlgorithm });
    expect(o.layout).toBe('X9_TR34_2012');
    expect(o.mode).toBe('one-pass');
    expect(o.header.keyUsage).toBe('K0');
    expect(o.keyAttributes?.KeyAlgorithm).toBe('TDES_2KEY');
    expect(o.keyCheckValue).toBe(tdesKcvOracle(clear));
    expect(o.kcvMatches).toBe(true);

    // a token with its last byte (inside the KDH signature) changed: the TR-34 error, before any decryption
    const t = wrapped.KeyMaterial!;
    const tampered = t.slice(0, -2) + (t.slice(-2) === '00' ? '01' : '00');
    await expect(openExportedTr34KeyBlock(tampered, openOptions)).rejects.toBeInstanceOf(Tr34Error);
  });
});
