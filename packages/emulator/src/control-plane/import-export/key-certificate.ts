import { derToPem, issueCertificateDer, type KeyUsageName } from '@paycrypt/tr34';
import type { EccEmulatorCa, EmulatorCa } from './emulator-ca.js';

/**
 * Certificates for the key pairs of GetPublicKeyCertificate (@paycrypt/tr34's issuer, which takes
 * any SubjectPublicKeyInfo), with keyUsage bits derived from the key's modes of use. An RSA CA
 * signs with sha512WithRSAEncryption, an ECC CA with ECDSA and its curve's hash (SHA-256 for
 * P-256, SHA-384 for P-384, SHA-512 for P-521): emulator-ca.ts picks the CA of the key's kind.
 */

/** Key usage bits for the AWS modes of use of a key pair. */
export function keyUsageForModes(modes: { Sign?: boolean; Verify?: boolean; Encrypt?: boolean; Decrypt?: boolean; Wrap?: boolean; Unwrap?: boolean; DeriveKey?: boolean }): KeyUsageName[] {
  const out: KeyUsageName[] = [];
  if (modes.Sign === true || modes.Verify === true) out.push('digitalSignature');
  if (modes.Encrypt === true || modes.Decrypt === true || modes.Wrap === true || modes.Unwrap === true) out.push('keyEncipherment', 'dataEncipherment');
  if (modes.DeriveKey === true) out.push('keyAgreement');
  return out;
}

export interface KeyCertificateOptions {
  ca: EmulatorCa | EccEmulatorCa;
  /** DER SubjectPublicKeyInfo (RSA or EC) */
  publicKeySpki: Uint8Array;
  commonName: string;
  keyUsage: readonly KeyUsageName[];
  notBefore: Date;
  validityDays: number;
}

/** A leaf certificate for `publicKeySpki` signed by the CA; answered as base64 of its PEM. */
export async function issueKeyCertificate(o: KeyCertificateOptions): Promise<string> {
  const ca = o.ca;
  const signer =
    'certificateDer' in ca
      ? { issuer: { certificateDer: ca.certificateDer, privateKey: ca.privateKey }, signatureHash: ca.signatureHash }
      : { issuer: { certificate: ca.certificate, privateKey: ca.privateKey }, signatureHash: 'SHA-512' as const };
  const der = await issueCertificateDer({
    subject: { commonName: o.commonName, organization: 'paycrypt emulator' },
    publicKeySpki: o.publicKeySpki,
    ...signer,
    keyUsage: o.keyUsage,
    notBefore: o.notBefore,
    validityDays: o.validityDays,
  });
  return Buffer.from(derToPem(der, 'CERTIFICATE'), 'utf8').toString('base64');
}
