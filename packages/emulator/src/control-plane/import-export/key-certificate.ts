import { derToPem, issueCertificateDer, type KeyUsageName } from '@paycrypt/tr34';
import type { EmulatorCa } from './emulator-ca.js';

/**
 * Certificates for the key pairs of GetPublicKeyCertificate, signed by the emulator CA with
 * sha512WithRSAEncryption (@paycrypt/tr34's issuer, which takes any SubjectPublicKeyInfo, so ECC
 * keys are certified too), with keyUsage bits derived from the key's modes of use.
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
  ca: EmulatorCa;
  /** DER SubjectPublicKeyInfo (RSA or EC) */
  publicKeySpki: Uint8Array;
  commonName: string;
  keyUsage: readonly KeyUsageName[];
  notBefore: Date;
  validityDays: number;
}

/** A leaf certificate for `publicKeySpki` signed by the CA; answered as base64 of its PEM. */
export async function issueKeyCertificate(o: KeyCertificateOptions): Promise<string> {
  const der = await issueCertificateDer({
    subject: { commonName: o.commonName, organization: 'paycrypt emulator' },
    publicKeySpki: o.publicKeySpki,
    issuer: { certificate: o.ca.certificate, privateKey: o.ca.privateKey },
    keyUsage: o.keyUsage,
    notBefore: o.notBefore,
    validityDays: o.validityDays,
    signatureHash: 'SHA-512',
  });
  return Buffer.from(derToPem(der, 'CERTIFICATE'), 'utf8').toString('base64');
}
