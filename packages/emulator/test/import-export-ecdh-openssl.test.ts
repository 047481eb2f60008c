import { GetKeyCommand, ImportKeyCommand } from '@aws-sdk/client-payment-cryptography';
import { wrapTr31 } from '@paycrypt/keyblock';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasOpenssl, opensslEccRoot, opensslPki, opensslZ, opensslZWithKey, partnerKdf, partnerZ } from './ecdh-kit.js';
import { AES128_KEY, AES256_KEY, createAgreementKey, importRoot } from './ecdh-sdk-kit.js';
import { failure, harness } from './helpers.js';
import { hex } from './tr31-kit.js';

const OPENSSL = hasOpenssl();
if (!OPENSSL) console.warn('import-export-ecdh-openssl.test.ts: openssl not found; the openssl PKI / pkeyutl -derive tests are skipped');

describe.skipIf(!OPENSSL)('DiffieHellmanTr31KeyBlock with an openssl-made PKI and shared secret', () => {
  it('an openssl root and P-384 leaf work, and openssl pkeyutl -derive gives the Z node:crypto gives', async () => {
    const h = await harness('in-process');
    try {
      const pki = opensslPki();
      const rootArn = await importRoot(h.client, pki.root);
      const k = await createAgreementKey(h.client, 'P-384', 'TR31_K1_KEY_BLOCK_PROTECTION_KEY');
      const z = opensslZ(pki, k.certificate);
      expect(z.length).toBe(48);
      expect(z.equals(partnerZ(createPrivateKey(readFileSync(pki.leafKeyPath)), k.publicKey))).toBe(true);
      const info = 'DEADBEEF01';
      const block = wrapTr31(partnerKdf('NIST_SP800', 'SHA_512', z, hex(info), 24), 'D0000K1AB00E0000', hex(AES128_KEY));
      const out = await h.client.send(
        new ImportKeyCommand({
          KeyMaterial: {
            DiffieHellmanTr31KeyBlock: {
              PrivateKeyIdentifier: k.arn,
              CertificateAuthorityPublicKeyIdentifier: rootArn,
              PublicKeyCertificate: pki.leaf,
              DeriveKeyAlgorithm: 'AES_192',
              KeyDerivationFunction: 'NIST_SP800',
              KeyDerivationHashAlgorithm: 'SHA_512',
              DerivationData: { SharedInformation: info },
              WrappedKeyBlock: block,
            },
          },
        }),
      );
      expect(out.Key!.KeyCheckValue).toBe('08793E');
    } finally {
      await h.close();
    }
  });
});

describe.skipIf(!OPENSSL)('an ECC root certificate (openssl-made P-521), as in the aws-samples ECDH flow', () => {
  it('imports as ECC_NIST_P521 and serves as both CA and partner certificate; Z agrees with openssl pkeyutl', async () => {
    const h = await harness('in-process');
    try {
      const root = opensslEccRoot('P-521');
      const wrongCurve = await failure(() => importRoot(h.client, root.root, 'ECC_NIST_P384'));
      expect(wrongCurve.name).toBe('ValidationException');
      expect(wrongCurve.message).toContain('does not match');
      const rootArn = await importRoot(h.client, root.root, 'ECC_NIST_P521');
      const got = await h.client.send(new GetKeyCommand({ KeyIdentifier: rootArn }));
      expect(got.Key!.KeyAttributes!.KeyAlgorithm).toBe('ECC_NIST_P521');
      expect(got.Key!.KeyOrigin).toBe('EXTERNAL');

      const k = await createAgreementKey(h.client, 'P-521', 'TR31_K1_KEY_BLOCK_PROTECTION_KEY');
      const z = opensslZWithKey(root.dir, root.keyPath, k.certificate);
      expect(z.length).toBe(66);
      const info = '0102030405';
      const block = wrapTr31(partnerKdf('ANSI_X963', 'SHA_256', z, hex(info), 32), 'D0000K1AB00E0000', hex(AES256_KEY));
      const out = await h.client.send(
        new ImportKeyCommand({
          KeyMaterial: {
            DiffieHellmanTr31KeyBlock: {
              PrivateKeyIdentifier: k.arn,
              CertificateAuthorityPublicKeyIdentifier: rootArn,
              PublicKeyCertificate: root.root,
              DeriveKeyAlgorithm: 'AES_256',
              KeyDerivationFunction: 'ANSI_X963',
              KeyDerivationHashAlgorithm: 'SHA_256',
              DerivationData: { SharedInformation: info },
              WrappedKeyBlock: block,
            },
          },
        }),
      );
      expect(out.Key!.KeyCheckValue).toBe('0A00E3');

      // TR-34 / RSA-wrap chains need an RSA CA: an ECC root is refused there with a clear message
      const trusted = await failure(() =>
        h.client.send(
          new ImportKeyCommand({
            KeyMaterial: {
              TrustedCertificatePublicKey: {
                KeyAttributes: { KeyUsage: 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE', KeyClass: 'PUBLIC_KEY', KeyAlgorithm: 'ECC_NIST_P521', KeyModesOfUse: { Verify: true } },
                PublicKeyCertificate: root.root,
                CertificateAuthorityPublicKeyIdentifier: rootArn,
              },
            },
          }),
        ),
      );
      expect(trusted.name).toBe('ValidationException');
      expect(trusted.message).toContain('needs an RSA certificate authority');
    } finally {
      await h.close();
    }
  });
});
