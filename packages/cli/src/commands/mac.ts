import { Option, type Command } from 'commander';
import { generateMac, verifyMac, MAC_ALGORITHMS, type Iso9797Padding, type MacAlgorithm } from '@paycrypt/primitives';
import { readFileSync } from 'node:fs';
import { CliError } from '../errors.js';
import { emit, emitVerdict } from '../output.js';
import { readKey, secretOptions } from '../secrets.js';
import { choice, engineInput, examples, hex, hexInput } from './common.js';

const ALGORITHMS = Object.keys(MAC_ALGORITHMS) as MacAlgorithm[];

function messageData(opts: Record<string, unknown>): Uint8Array {
  if ((opts.data === undefined) === (opts.dataFile === undefined)) throw new CliError('USAGE', 'give one of --data HEX and --data-file PATH');
  if (opts.data !== undefined) return hexInput(String(opts.data), '--data');
  try {
    return new Uint8Array(readFileSync(String(opts.dataFile)));
  } catch (e) {
    throw new CliError('USAGE', `--data-file: cannot read ${String(opts.dataFile)} (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
}

function macOptions(cmd: Command): Command {
  secretOptions(cmd, 'key', 'the MAC key');
  return cmd
    .requiredOption('--algorithm <alg>', ALGORITHMS.join(', '))
    .addOption(new Option('--cipher <cipher>', 'TDES or AES (ISO9797_ALGORITHM1 and CMAC; default TDES, and AES for CMAC with a 32-byte key)'))
    .addOption(new Option('--padding <method>', 'ISO 9797-1 padding method 1, 2 or 3 (algorithms 1 and 3)').default('1'))
    .addOption(new Option('--data <hex>', 'the message as hex'))
    .addOption(new Option('--data-file <path>', 'the message: raw bytes of a file'));
}

function macSettings(opts: Record<string, unknown>, key: Uint8Array): { algorithm: MacAlgorithm; cipher: 'TDES' | 'AES' | undefined; padding: Iso9797Padding } {
  const algorithm = choice(String(opts.algorithm), '--algorithm', ALGORITHMS);
  const kind = MAC_ALGORITHMS[algorithm].kind;
  const padding = Number(opts.padding) as Iso9797Padding;
  if (![1, 2, 3].includes(padding)) throw new CliError('USAGE', '--padding: expected 1, 2 or 3');
  let cipher: 'TDES' | 'AES' | undefined;
  if (opts.cipher !== undefined) cipher = choice(String(opts.cipher), '--cipher', ['TDES', 'AES'] as const);
  else if (kind === 'CMAC') cipher = key.length === 32 ? 'AES' : undefined;
  else if (kind === 'CBC') cipher = 'TDES';
  if (kind === 'CMAC' && cipher === undefined) throw new CliError('USAGE', '--cipher TDES or AES is required for CMAC with a 16- or 24-byte key');
  return { algorithm, cipher, padding };
}

export function registerMac(program: Command): void {
  const mac = program.command('mac').description('MACs: ISO 9797-1 algorithms 1 and 3 (retail MAC, X9.19), CMAC, HMAC-SHA-2');
  examples(mac, 'paycrypt mac generate --algorithm CMAC --cipher AES --key-file k.hex --data 6BC1BEE22E409F96E93D7E117393172A');

  examples(
    macOptions(mac.command('generate').description('compute a MAC'))
      .addOption(new Option('--length <bytes>', 'keep the leftmost bytes only'))
      .action((opts: Record<string, unknown>) => {
        const data = messageData(opts);
        const key = readKey(opts, 'key');
        try {
          const s = macSettings(opts, key);
          const length = opts.length === undefined ? undefined : Number(opts.length);
          const value = engineInput(() => generateMac(s.algorithm, key, data, { padding: s.padding, ...(s.cipher === undefined ? {} : { cipher: s.cipher }), ...(length === undefined ? {} : { length }) }), 'mac');
          emit({ algorithm: s.algorithm, mac: hex(value) }, hex(value));
        } finally {
          key.fill(0);
        }
      }),
    'paycrypt mac generate --algorithm ISO9797_ALGORITHM3 --padding 2 --key-file mak.hex --data-file message.bin',
    'paycrypt mac generate --algorithm HMAC_SHA256 --key-env HMAC_KEY --data 48656C6C6F',
  );
  examples(
    macOptions(mac.command('verify').description('check a MAC; exit 1 when it does not match'))
      .requiredOption('--mac <hex>', 'the MAC to check (its length selects the truncation)')
      .action((opts: Record<string, unknown>) => {
        const data = messageData(opts);
        const expected = hexInput(String(opts.mac), '--mac');
        const key = readKey(opts, 'key');
        try {
          const s = macSettings(opts, key);
          const ok = engineInput(() => verifyMac(s.algorithm, key, data, expected, { padding: s.padding, ...(s.cipher === undefined ? {} : { cipher: s.cipher }) }), 'mac');
          process.exitCode = emitVerdict(ok, { algorithm: s.algorithm }, ok ? 'MAC verified' : 'MAC does not verify');
        } finally {
          key.fill(0);
        }
      }),
    'paycrypt mac verify --algorithm CMAC --cipher AES --key-file k.hex --data 6BC1BEE22E409F96E93D7E117393172A --mac 070A16B46B4D4144F79BDD9DD04A287C',
  );
}
