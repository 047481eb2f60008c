import { GetParametersForImportCommand, ImportKeyCommand, type PaymentCryptographyClient } from '@aws-sdk/client-payment-cryptography';
import { constants, publicEncrypt, randomBytes, X509Certificate } from 'node:crypto';

/**
 * Test and bench setup: a random AES-128 K0 KEK imported into the service by RSA-3072 OAEP-SHA256
 * key cryptogram, encrypted here with node:crypto to the service's wrapping certificate; answers
 * its ARN and clear value (blocks under it are then built test-side).
 */
export async function importKek(c: PaymentCryptographyClient): Promise<{ arn: string; clear: Uint8Array }> {
  const params = await c.send(new GetParametersForImportCommand({ KeyMaterialType: 'KEY_CRYPTOGRAM', WrappingKeyAlgorithm: 'RSA_3072' }));
  const cert = new X509Certificate(Buffer.from(params.WrappingKeyCertificate!, 'base64').toString('utf8'));
  const clear = new Uint8Array(randomBytes(16));
  const cryptogram = publicEncrypt({ key: cert.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, clear).toString('hex').toUpperCase();
  const out = await c.send(
    new ImportKeyCommand({
      KeyMaterial: {
        KeyCryptogram: {
          KeyAttributes: { KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_128', KeyModesOfUse: { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true } },
          Exportable: true,
          WrappedKeyCryptogram: cryptogram,
          ImportToken: params.ImportToken!,
        },
      },
    }),
  );
  return { arn: out.Key!.KeyArn!, clear };
}
