/**
 * Errors raised by @paycrypt/tr34 for bad *data* (programmer errors are TypeError/RangeError).
 *
 * - `MALFORMED`: the token, certificate or cryptogram does not parse; the message names the
 *   part that was malformed (never its content when that content is secret).
 * - `UNSUPPORTED`: well-formed but outside what this package implements (an algorithm OID, a layout).
 * - `CRYPTO_FAILED`: every secret-dependent failure (signature, messageDigest, RSA-OAEP, CBC padding,
 *   the inner key block not matching the signed data). One code, one fixed message, on purpose.
 * - `CERTIFICATE_INVALID`: a certificate does not chain to the given CA, is outside its validity,
 *   or lacks what the profile needs. Certificates are public, so the message says which check failed.
 * - `SIGNER_MISMATCH` / `RECIPIENT_MISMATCH`: the token names a different KDH / KRD than the
 *   certificates given.
 * - `NONCE_MISMATCH`: two-pass nonce missing, unexpected or different from the expected one.
 */
export type Tr34ErrorCode =
  | 'MALFORMED'
  | 'UNSUPPORTED'
  | 'CRYPTO_FAILED'
  | 'CERTIFICATE_INVALID'
  | 'SIGNER_MISMATCH'
  | 'RECIPIENT_MISMATCH'
  | 'NONCE_MISMATCH';

export class Tr34Error extends Error {
  readonly code: Tr34ErrorCode;

  constructor(code: Tr34ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'Tr34Error';
    this.code = code;
  }
}

/** The one message for every secret-dependent failure. */
export const CRYPTO_FAILED_MESSAGE = 'TR-34 verification or decryption failed';

/** The one opaque error (no cause is attached: a cause could carry detail about the secret). */
export function cryptoFailed(): Tr34Error {
  return new Tr34Error('CRYPTO_FAILED', CRYPTO_FAILED_MESSAGE);
}

export function malformed(what: string): Tr34Error {
  return new Tr34Error('MALFORMED', `malformed ${what}`);
}
