/**
 * Every failure the command reports: a stable `code` (printed in `--json` output, safe to match
 * on in scripts) and the process exit code it maps to. Messages name flags, files and lengths,
 * never key material.
 */
export type CliErrorCode =
  /** Bad or missing flags and arguments (exit 2). */
  | 'USAGE'
  /** A flag that would put key material on the command line (exit 2). */
  | 'SECRET_IN_ARGV'
  /** A key or PIN could not be read from its file, environment variable or stdin (exit 2). */
  | 'SECRET_SOURCE'
  /** Key material of the wrong form or length (exit 2). */
  | 'INVALID_KEY'
  /** A non-secret input (PAN, KSN, header, data) of the wrong form (exit 2). */
  | 'INVALID_INPUT'
  /** A key block that does not parse, or that a strict parser refuses (exit 1). */
  | 'KEY_BLOCK_INVALID'
  /** The key block's authenticator does not verify: wrong KBPK or a modified block (exit 1). */
  | 'MAC_VERIFICATION_FAILED'
  /** A CVV, PVV, PIN offset, MAC, ARQC or KCV does not match (exit 1). */
  | 'VERIFICATION_FAILED'
  /** The emulator or another service could not be started or reached (exit 3). */
  | 'SERVICE_ERROR'
  /** An unexpected failure inside paycrypt (exit 3). */
  | 'INTERNAL';

export const EXIT = { ok: 0, verification: 1, usage: 2, service: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const EXIT_OF: Readonly<Record<CliErrorCode, ExitCode>> = {
  USAGE: EXIT.usage,
  SECRET_IN_ARGV: EXIT.usage,
  SECRET_SOURCE: EXIT.usage,
  INVALID_KEY: EXIT.usage,
  INVALID_INPUT: EXIT.usage,
  KEY_BLOCK_INVALID: EXIT.verification,
  MAC_VERIFICATION_FAILED: EXIT.verification,
  VERIFICATION_FAILED: EXIT.verification,
  SERVICE_ERROR: EXIT.service,
  INTERNAL: EXIT.service,
};

export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly exitCode: ExitCode;
  /** Extra machine-readable facts for `--json` (never secret). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: CliErrorCode, message: string, options?: { details?: Record<string, unknown>; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.code = code;
    this.exitCode = EXIT_OF[code];
    this.details = options?.details;
  }
}

export function usage(message: string): CliError {
  return new CliError('USAGE', message);
}
