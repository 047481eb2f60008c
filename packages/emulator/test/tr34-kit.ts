import {
  GetParametersForImportCommand,
  ImportKeyCommand,
  type ImportKeyCommandOutput,
  type PaymentCryptographyClient,
} from '@aws-sdk/client-payment-cryptography';
import { createCipheriv } from 'node:crypto';
import { kcv } from '@paycrypt/primitives';
import { Certificate, createCaCertificate, generateRsaKeyPair, issueCertificate, type RsaPrivateKey } from '@paycrypt/tr34';
import { harness, type Harness } from './helpers.js';

/**
 * Shared setup of the TR-34 ImportKey / ExportKey tests (import-export-tr34-import.test.ts and
 * import-export-tr34-export.test.ts): our side's test PKI, independent KCVs, and an emulator
 * with the test root CA imported plus the token helpers bound to it.
 */

export const DAY = 86_400_000;
export const OPAQUE = 'The TR-34 key block could not be verified or decrypted';

/** Independent KCVs: TDES with node:crypto (encrypt a zero block), AES-CMAC with @paycrypt/primitives. */
export function tdesKcv(key: Uint8Array): string {
  const k = key.length === 16 ? Buffer.concat([key, key.subarray(0, 8)]) : Buffer.from(key);
  const c = createCipheriv('des-ede3', k, null).setAutoPadding(false);
  return Buffer.concat([c.update(Buffer.alloc(8)), c.final()]).subarray(0, 3).toString('hex').toUpperCase();
}
export function aesKcv(key: Uint8Array): string {
  return Buffer.from(kcv(key, 'AES', { method: 'CMAC' })).toString('hex').toUpperCase();
}
export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

export interface TestPki {
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
export async function testPki(): Promise<TestPki> {
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

type ImportMaterialType = 'TR34_KEY_BLOCK' | 'KEY_CRYPTOGRAM';
export interface Tr34Block {
  token: string;
  hex: string;
  nonce?: Uint8Array;
  kdh?: Certificate;
  ca?: string;
}

export interface Tr34Setup {
  h: Harness;
  pki: TestPki;
  /** ARN of `pki.ca`, imported as RootCertificatePublicKey */
  caArn: string;
  /** the emulator's clock runs `clock.offset` ms ahead of Date.now() */
  clock: { offset: number };
  /** GetParametersForImport, one token per type and algorithm (reused, as AWS allows) */
  importParameters(algorithm?: 'RSA_2048' | 'RSA_3072', type?: ImportMaterialType): Promise<{ token: string; krd: Certificate }>;
  /** ImportKey of a TR-34 block, signed by `pki.kdh` under `caArn` unless told otherwise */
  importTr34(c: PaymentCryptographyClient, block: Tr34Block): Promise<ImportKeyCommandOutput>;
}

/** An in-process emulator (clock with an offset), the test PKI, and the test CA imported as root. */
export async function setupTr34(): Promise<Tr34Setup> {
  const clock = { offset: 0 };
  const [h, pki] = await Promise.all([harness('in-process', { clock: () => Date.now() + clock.offset }), testPki()]);
  const out = await h.client.send(
    new ImportKeyCommand({
      KeyMaterial: {
        RootCertificatePublicKey: {
          KeyAttributes: { KeyUsage: 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE', KeyClass: 'PUBLIC_KEY', KeyAlgorithm: 'RSA_2048', KeyModesOfUse: { Verify: true } },
          PublicKeyCertificate: pki.ca.toAwsBase64(),
        },
      },
    }),
  );
  const caArn = out.Key!.KeyArn!;

  /** Import tokens are reusable (AWS: one token for many keys): one per type and algorithm keeps RSA generation down. */
  const importTokens = new Map<string, Promise<{ token: string; krd: Certificate }>>();
  function importParameters(algorithm: 'RSA_2048' | 'RSA_3072' = 'RSA_2048', type: ImportMaterialType = 'TR34_KEY_BLOCK'): Promise<{ token: string; krd: Certificate }> {
    let p = importTokens.get(`${type}/${algorithm}`);
    if (p === undefined) {
      p = h.client
        .send(new GetParametersForImportCommand({ KeyMaterialType: type, WrappingKeyAlgorithm: algorithm }))
        .then((out) => ({ token: out.ImportToken!, krd: Certificate.parse(out.WrappingKeyCertificate!) }));
      importTokens.set(`${type}/${algorithm}`, p);
    }
    return p;
  }

  function importTr34(c: PaymentCryptographyClient, block: Tr34Block): Promise<ImportKeyCommandOutput> {
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

  return { h, pki, caArn, clock, importParameters, importTr34 };
}
