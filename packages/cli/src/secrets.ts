import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { CliError } from './errors.js';

/**
 * Key material comes from a file, an environment variable named by a flag, or stdin — never
 * from argv (see argv-guard.ts). Files and variables hold hex digits; whitespace is ignored.
 * Error messages name the flag and the expected length, never the content.
 */

let stdinTaken: string | undefined;

/** Reads all of stdin once (a second secret from stdin is a usage error). */
export function readStdinOnce(role: string): string {
  if (stdinTaken !== undefined) {
    throw new CliError('SECRET_SOURCE', `--${role}-file -: stdin is already used by --${stdinTaken}-file -; give one of them as a file`);
  }
  stdinTaken = role;
  try {
    return readFileSync(0, 'utf8');
  } catch {
    throw new CliError('SECRET_SOURCE', `--${role}-file -: could not read stdin`);
  }
}

/** Adds `--ROLE-file PATH` and `--ROLE-env NAME` to a command. */
export function secretOptions(cmd: Command, role: string, what: string): Command {
  return cmd
    .addOption(new Option(`--${role}-file <path>`, `${what}: file of hex digits ("-" = stdin)`))
    .addOption(new Option(`--${role}-env <name>`, `${what}: name of an environment variable holding hex digits`));
}

function camel(s: string): string {
  return s.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** The text of a secret, or undefined when neither flag is given. */
export function secretText(opts: Record<string, unknown>, role: string): string | undefined {
  const file = opts[`${camel(role)}File`] as string | undefined;
  const env = opts[`${camel(role)}Env`] as string | undefined;
  if (file !== undefined && env !== undefined) throw new CliError('USAGE', `give one of --${role}-file and --${role}-env, not both`);
  if (file !== undefined) {
    if (file === '-') return readStdinOnce(role);
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new CliError('SECRET_SOURCE', `--${role}-file: cannot read ${file} (${why})`);
    }
  }
  if (env !== undefined) {
    const v = process.env[env];
    if (v === undefined || v === '') throw new CliError('SECRET_SOURCE', `--${role}-env: environment variable ${env} is not set`);
    return v;
  }
  return undefined;
}

export function hexBytes(text: string, label: string, lengths?: readonly number[]): Uint8Array {
  const hex = text.replace(/\s+/g, '');
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) {
    throw new CliError('INVALID_KEY', `${label}: expected an even number of hex digits`);
  }
  const bytes = new Uint8Array(Buffer.from(hex, 'hex'));
  if (lengths !== undefined && !lengths.includes(bytes.length)) {
    bytes.fill(0);
    throw new CliError('INVALID_KEY', `${label}: expected ${lengths.join(', ')} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/** A key from --ROLE-file / --ROLE-env; required. */
export function readKey(opts: Record<string, unknown>, role: string, lengths?: readonly number[]): Uint8Array {
  const text = secretText(opts, role);
  if (text === undefined) throw new CliError('USAGE', `missing --${role}-file PATH (or "-" for stdin) or --${role}-env NAME`);
  return hexBytes(text, `--${role}`, lengths);
}

/** A key if one of its flags is given. */
export function readOptionalKey(opts: Record<string, unknown>, role: string, lengths?: readonly number[]): Uint8Array | undefined {
  const text = secretText(opts, role);
  return text === undefined ? undefined : hexBytes(text, `--${role}`, lengths);
}

/** A decimal secret (a PIN): digits only, surrounding whitespace ignored. */
export function readDigits(opts: Record<string, unknown>, role: string, min: number, max: number): string {
  const text = secretText(opts, role);
  if (text === undefined) throw new CliError('USAGE', `missing --${role}-file PATH (or "-" for stdin) or --${role}-env NAME`);
  const d = text.trim();
  if (!/^\d+$/.test(d) || d.length < min || d.length > max) throw new CliError('INVALID_INPUT', `--${role}: expected ${min} to ${max} decimal digits`);
  return d;
}
