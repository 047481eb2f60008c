/**
 * Errors raised by @paycrypt/keyblock for bad key blocks, headers or KBPKs.
 * Programmer errors (an argument of the wrong type) are TypeError/RangeError instead.
 *
 * Messages name fields, positions and lengths, never key or KBPK bytes. A MAC failure is one
 * opaque error with one fixed message, whatever the cause (wrong KBPK, tampered block).
 */
export type KeyBlockErrorCode =
  /** Not a key block at all: too short, non-printable characters, non-digit length fields. */
  | 'INVALID_FORMAT'
  /** Length field differs from the real length, or a part is not a multiple of the cipher block. */
  | 'INVALID_LENGTH'
  /** Version character not A, B, C, D or E. */
  | 'UNSUPPORTED_VERSION'
  /** A fixed header field holds a value outside the X9.143 tables. */
  | 'INVALID_HEADER_FIELD'
  /** Optional block structure or content (length, duplicate ID, PB position, per-ID format). */
  | 'INVALID_OPTIONAL_BLOCK'
  /** Encrypted payload or authenticator is not (upper-case) hex. */
  | 'INVALID_HEX'
  /** The KBPK's algorithm or length does not fit the version (TDES for A/B/C, AES for D/E). */
  | 'KBPK_MISMATCH'
  /** The authenticator does not verify (wrong KBPK or a modified block). Fixed message. */
  | 'MAC_VERIFICATION_FAILED'
  /** After a valid MAC: the key-length field is not whole bytes or exceeds the payload. */
  | 'INVALID_PAYLOAD'
  /** The key length does not fit the header's algorithm (e.g. TDES needs 16 or 24 bytes). */
  | 'INVALID_KEY_LENGTH'
  /** Rejected by the opt-in policy: usage × algorithm × mode of use, or a weaker KBPK. */
  | 'POLICY_VIOLATION'
  /** A header that AWS Payment Cryptography cannot represent (or an unknown AWS name). */
  | 'NOT_REPRESENTABLE';

export class KeyBlockError extends Error {
  readonly code: KeyBlockErrorCode;
  /** The header field or optional block the error is about, when there is one. */
  readonly field: string | undefined;

  constructor(code: KeyBlockErrorCode, message: string, options?: { field?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KeyBlockError';
    this.code = code;
    this.field = options?.field;
  }
}

/** The one message used for every authenticator failure (secret-dependent: never more precise). */
export const MAC_FAILURE_MESSAGE = 'key block MAC verification failed';

export function macFailure(): KeyBlockError {
  return new KeyBlockError('MAC_VERIFICATION_FAILED', MAC_FAILURE_MESSAGE);
}
