import { Option, type Command } from 'commander';
import { CliError } from '../errors.js';
import { writeSecretFile, type Fields } from '../output.js';

/** `Examples:` text after a command's help. */
export function examples(cmd: Command, ...lines: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}

/** --print-key and --key-out: the only ways a clear key leaves the process. */
export function clearKeyOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--print-key', 'print the clear key (hex) on stdout'))
    .addOption(new Option('--key-out <path>', 'write the clear key (hex) to a new file, mode 0600').conflicts('printKey'));
}

/** Adds `key` to the output when asked for, or writes it to --key-out; never otherwise. */
export function releaseClearKey(opts: { printKey?: boolean; keyOut?: string }, keyHex: string, fields: Fields): Fields {
  if (opts.keyOut !== undefined) {
    writeSecretFile(opts.keyOut, keyHex, '--key-out');
    return { ...fields, keyFile: opts.keyOut };
  }
  if (opts.printKey === true) return { ...fields, key: keyHex };
  return fields;
}

export function hexInput(value: string, label: string, lengths?: readonly number[]): Uint8Array {
  const hex = value.replace(/\s+/g, '');
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) throw new CliError('INVALID_INPUT', `${label}: expected an even number of hex digits`);
  const b = new Uint8Array(Buffer.from(hex, 'hex'));
  if (lengths !== undefined && !lengths.includes(b.length)) throw new CliError('INVALID_INPUT', `${label}: expected ${lengths.join(' or ')} bytes, got ${b.length}`);
  return b;
}

export function digits(value: string, label: string, min: number, max: number): string {
  if (!/^\d+$/.test(value) || value.length < min || value.length > max) {
    throw new CliError('INVALID_INPUT', min === max ? `${label}: expected ${min} digits` : `${label}: expected ${min} to ${max} digits`);
  }
  return value;
}

export function choice<T extends string>(value: string, label: string, allowed: readonly T[]): T {
  const v = value.toUpperCase();
  if (!(allowed as readonly string[]).includes(v)) throw new CliError('USAGE', `${label}: expected one of ${allowed.join(', ')}`);
  return v as T;
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex').toUpperCase();
}

/** Turns an engine error (PrimitivesError / KeyBlockError / RangeError) into a usage error with its message. */
export function engineInput<T>(f: () => T, label: string): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as { code?: unknown }).code;
    throw new CliError('INVALID_INPUT', `${label}: ${e instanceof Error ? e.message : 'invalid'}`, { details: typeof code === 'string' ? { engineCode: code } : {} });
  }
}
