import { X509Certificate } from 'node:crypto';
import { awsCertificateToDer } from '@paycrypt/tr34';
import type { RequestContext } from '../core/context.js';
import { validationError } from '../core/errors.js';
import { asymmetricKeyAlgorithm } from '../keys/key-algorithms.js';

/**
 * Certificates read with node:crypto's X509Certificate, for the key types @paycrypt/tr34's
 * RSA-only `Certificate` does not take (ECC roots, ECDH partner certificates).
 * Certificates are public: messages say which check failed.
 */

/** A certificate given as AWS's base64 of PEM (or PEM/DER accepted by awsCertificateToDer). */
export function parseX509(text: string, field: string): X509Certificate {
  let der: Uint8Array;
  try {
    der = awsCertificateToDer(text);
  } catch {
    throw validationError(`${field} is not a base64-encoded PEM certificate`);
  }
  try {
    return new X509Certificate(der);
  } catch {
    throw validationError(`${field} is not a valid X.509 certificate`);
  }
}

export function checkX509Validity(cert: X509Certificate, ctx: RequestContext, what: string): void {
  if (ctx.now < Date.parse(cert.validFrom)) throw validationError(`${what} is not valid yet (notBefore ${new Date(cert.validFrom).toISOString()})`);
  if (ctx.now > Date.parse(cert.validTo)) throw validationError(`${what} has expired (notAfter ${new Date(cert.validTo).toISOString()})`);
}

/** The AWS KeyAlgorithm of an EC certificate's key, or undefined for another key type or curve. */
export function eccKeyAlgorithm(cert: X509Certificate): string | undefined {
  const algorithm = asymmetricKeyAlgorithm(cert.publicKey);
  return algorithm?.startsWith('ECC_') === true ? algorithm : undefined;
}

/** AWS's certificate string (base64 of the PEM text). */
export function x509ToAwsBase64(cert: X509Certificate): string {
  return Buffer.from(cert.toString(), 'utf8').toString('base64');
}
