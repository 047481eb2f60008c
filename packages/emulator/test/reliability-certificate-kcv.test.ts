import { describe, expect, it } from 'vitest';
import { Emulator } from '../src/index.js';

/**
 * Issue 11 item 10: ImportKey of a RootCertificatePublicKey with KeyCheckValueAlgorithm
 * ANSI_X9_24 or CMAC, as the AWS sample projects send it (key-import-export/tr34/import_app/
 * import_raw_key_tr34.py, rsa/import_app/POC_ImportKey_RsaWrapUsingAPI.py), is accepted.
 * NOTE: the answer's KCV is the emulator's public-key KCV, reported as SHA_1.
 */
describe('reliability: certificate imports accept KeyCheckValueAlgorithm (issue 11 item 10)', () => {
  it.each(['ANSI_X9_24', 'CMAC', 'HMAC', 'SHA_1'])('RootCertificatePublicKey with KeyCheckValueAlgorithm %s', async (kcvAlgorithm) => {
    const em = Emulator.inMemory();
    try {
      const params = await em.call('GetParametersForImport', { KeyMaterialType: 'KEY_CRYPTOGRAM', WrappingKeyAlgorithm: 'RSA_2048' });
      const root = params.WrappingKeyCertificateChain!; // the emulator CA: a self-signed RSA certificate
      const out = await em.call('ImportKey', {
        KeyCheckValueAlgorithm: kcvAlgorithm,
        KeyMaterial: {
          RootCertificatePublicKey: {
            KeyAttributes: { KeyUsage: 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE', KeyClass: 'PUBLIC_KEY', KeyAlgorithm: 'RSA_4096', KeyModesOfUse: { Verify: true } },
            PublicKeyCertificate: root,
          },
        },
      });
      expect(out.Key!.KeyCheckValueAlgorithm).toBe('SHA_1');
      expect(out.Key!.KeyCheckValue).toMatch(/^[0-9A-F]{8}$/);
      // CreateKey of a symmetric key still refuses a KCV method that does not fit it
      await expect(
        em.call('CreateKey', {
          Exportable: true,
          KeyCheckValueAlgorithm: 'HMAC',
          KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true } },
        }),
      ).rejects.toMatchObject({ awsName: 'ValidationException' });
    } finally {
      await em.close();
    }
  });
});
