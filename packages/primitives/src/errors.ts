/**
 * Errors raised by @paycrypt/primitives for bad *data* (as opposed to programmer errors,
 * which are TypeError/RangeError). The `code` is stable; messages never contain key bytes.
 */
export type PrimitivesErrorCode =
  | 'INVALID_HEX'
  | 'INVALID_LENGTH'
  | 'INVALID_INPUT'
  | 'INVALID_KSN'
  | 'INVALID_PAN'
  | 'INVALID_PIN'
  | 'INVALID_PIN_BLOCK'
  | 'UNSUPPORTED'
  | 'VERIFICATION_FAILED';

export class PrimitivesError extends Error {
  readonly code: PrimitivesErrorCode;
  /** The input field the error is about, when there is one (`"ksn"`, `"pan"`, …). */
  readonly field: string | undefined;

  constructor(code: PrimitivesErrorCode, message: string, options?: { field?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PrimitivesError';
    this.code = code;
    this.field = options?.field;
  }
}
