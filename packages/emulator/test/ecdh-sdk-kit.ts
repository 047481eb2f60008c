import { CreateKeyCommand, GetPublicKeyCertificateCommand, ImportKeyCommand, type DeriveKeyUsage, type PaymentCryptographyClient } from '@aws-sdk/client-payment-cryptography';
import type { KeyObject } from 'node:crypto';
import { publicKeyOfAwsCertificate, type Curve } from './ecdh-kit.js';

/**
 * The emulator side of the DiffieHellmanTr31KeyBlock tests (import-export-ecdh-sdk.test.ts and
 * import-export-ecdh-openssl.test.ts): agreement keys and root certificates made through the SDK,
 * and the published keys those tests wrap. The partner side is in ecdh-kit.ts.
 */

// Published KCVs (test-vectors/kcv.json, also used by import-export-tr31.test.ts).
export const TDES_KEY = '0123456789ABCDEFFEDCBA9876543210'; // ANSI_X9_24 → 08D7B4
export const AES128_KEY = '3F419E1CB7079442AA37474C2EFBF8B8'; // CMAC → 08793E
export const AES256_KEY = 'BE19E6A07A760F10EF8E83A226B63AAD141F463FDDD4F47DB244B4023EC3CACC'; // CMAC → 0A00E3

const CURVES: Record<Curve, string> = { 'P-256': 'ECC_NIST_P256', 'P-384': 'ECC_NIST_P384', 'P-521': 'ECC_NIST_P521' };

export interface AgreementKey {
  arn: string;
  /** the emulator's public key, from GetPublicKeyCertificate */
  publicKey: KeyObject;
  certificate: string;
}

export async function createAgreementKey(client: PaymentCryptographyClient, curve: Curve, deriveKeyUsage?: string): Promise<AgreementKey> {
  const out = await client.send(
    new CreateKeyCommand({
      Exportable: true,
      KeyAttributes: { KeyUsage: 'TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT', KeyClass: 'ASYMMETRIC_KEY_PAIR', KeyAlgorithm: CURVES[curve] as never, KeyModesOfUse: { DeriveKey: true } },
      ...(deriveKeyUsage === undefined ? {} : { DeriveKeyUsage: deriveKeyUsage as DeriveKeyUsage }),
    }),
  );
  const arn = out.Key!.KeyArn!;
  const cert = await client.send(new GetPublicKeyCertificateCommand({ KeyIdentifier: arn }));
  return { arn, publicKey: publicKeyOfAwsCertificate(cert.KeyCertificate!), certificate: cert.KeyCertificate! };
}

export async function importRoot(client: PaymentCryptographyClient, certificate: string, keyAlgorithm = 'RSA_2048'): Promise<string> {
  const out = await client.send(
    new ImportKeyCommand({
      KeyMaterial: {
        RootCertificatePublicKey: {
          KeyAttributes: { KeyUsage: 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE', KeyClass: 'PUBLIC_KEY', KeyAlgorithm: keyAlgorithm as 'RSA_2048', KeyModesOfUse: { Verify: true } },
          PublicKeyCertificate: certificate,
        },
      },
    }),
  );
  return out.Key!.KeyArn!;
}
