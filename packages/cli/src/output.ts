import { writeFileSync } from 'node:fs';
import { CliError, EXIT, type ExitCode } from './errors.js';

/** Whether this run prints JSON (decided from argv before parsing, so usage errors are JSON too). */
export const jsonMode = { on: false };

export type Fields = Record<string, unknown>;

/** Prints a success: the JSON object, or `human` lines (default: "key: value" per field). */
export function emit(fields: Fields, human?: string | readonly string[]): void {
  if (jsonMode.on) {
    process.stdout.write(`${JSON.stringify({ ok: true, ...fields })}\n`);
    return;
  }
  const lines = human === undefined ? Object.entries(fields).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`) : human;
  process.stdout.write(typeof lines === 'string' ? `${lines}\n` : lines.length === 0 ? '' : `${lines.join('\n')}\n`);
}

/** Prints a result that can be a mismatch and returns the exit code (1 when not verified). */
export function emitVerdict(verified: boolean, fields: Fields, human: string): ExitCode {
  if (verified) {
    emit({ verified: true, ...fields }, human);
    return EXIT.ok;
  }
  const e = new CliError('VERIFICATION_FAILED', human, { details: fields });
  report(e);
  return e.exitCode;
}

/** Prints a failure: `{"ok":false,"error":{code,message,...}}` on stdout in JSON mode, else on stderr. */
export function report(e: CliError): void {
  if (jsonMode.on) {
    process.stdout.write(`${JSON.stringify({ ok: false, error: { code: e.code, message: e.message, ...(e.details ?? {}) } })}\n`);
  } else {
    process.stderr.write(`paycrypt: ${e.message}\n`);
  }
}

/** Writes clear key material to a new file, readable by the owner only; refuses to overwrite. */
export function writeSecretFile(path: string, hex: string, flag: string): void {
  try {
    writeFileSync(path, `${hex}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? 'unwritable';
    throw new CliError('USAGE', `${flag}: cannot create ${path} (${why}; an existing file is never overwritten)`);
  }
}

export { EXIT };
