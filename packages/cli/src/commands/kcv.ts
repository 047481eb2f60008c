import { Option, type Command } from 'commander';
import { constantTimeEqual, hmacSha, kcv, type HmacHash } from '@paycrypt/primitives';
import { CliError } from '../errors.js';
import { emit, emitVerdict } from '../output.js';
import { readKey, secretOptions } from '../secrets.js';
import { choice, examples, hex, hexInput } from './common.js';

const ALGORITHMS = ['TDES', 'AES', 'HMAC_SHA224', 'HMAC_SHA256', 'HMAC_SHA384', 'HMAC_SHA512'] as const;
const METHODS = ['ANSI_X9_24', 'CMAC', 'HMAC'] as const;

/**
 * Key check values as AWS Payment Cryptography reports them:
 * ANSI_X9_24 = TDES/AES-ECB of a zero block, CMAC = CMAC of a zero block (X9.143 / AWS for AES),
 * HMAC = HMAC(key, empty message) with the key's hash (the service model's description of
 * KeyCheckValueAlgorithm HMAC); leftmost 3 bytes unless --length says otherwise.
 */
export function computeKcv(key: Uint8Array, algorithm: (typeof ALGORITHMS)[number], method: (typeof METHODS)[number], length: number): Uint8Array {
  if (algorithm.startsWith('HMAC_')) {
    if (method !== 'HMAC') throw new CliError('USAGE', `--method: ${algorithm} keys have HMAC check values only`);
    return hmacSha(algorithm.slice(5) as HmacHash, key, new Uint8Array(0)).subarray(0, length);
  }
  if (method === 'HMAC') throw new CliError('USAGE', '--method HMAC needs an --algorithm HMAC_SHA*');
  const lengths = algorithm === 'TDES' ? [16, 24] : [16, 24, 32];
  if (!lengths.includes(key.length)) throw new CliError('INVALID_KEY', `--key: ${algorithm} expects ${lengths.join(', ')} bytes, got ${key.length}`);
  return kcv(key, algorithm as 'TDES' | 'AES', { method, length });
}

export function registerKcv(program: Command): void {
  const cmd = program
    .command('kcv')
    .description('key check value of a key: ANSI X9.24 (ECB of zeros), CMAC (of a zero block) or HMAC (of the empty message)')
    .requiredOption('--algorithm <alg>', `key algorithm: ${ALGORITHMS.join(', ')}`)
    .addOption(new Option('--method <method>', 'ANSI_X9_24, CMAC or HMAC (default: ANSI_X9_24 for TDES, CMAC for AES, HMAC for HMAC keys)'))
    .addOption(new Option('--length <bytes>', 'bytes of check value to show').default('3'))
    .addOption(new Option('--expect <kcv>', 'compare with this check value (hex); exit 1 when it differs'));
  secretOptions(cmd, 'key', 'the key');
  examples(
    cmd.action((opts: Record<string, unknown>) => {
      const algorithm = choice(String(opts.algorithm), '--algorithm', ALGORITHMS);
      const method = opts.method === undefined ? (algorithm === 'TDES' ? 'ANSI_X9_24' : algorithm === 'AES' ? 'CMAC' : 'HMAC') : choice(String(opts.method), '--method', METHODS);
      const length = Number(opts.length);
      const max = algorithm === 'TDES' ? 8 : algorithm === 'AES' ? 16 : 28;
      if (!Number.isInteger(length) || length < 1 || length > max) throw new CliError('USAGE', `--length: expected 1 to ${max}`);
      const key = readKey(opts, 'key');
      let value: Uint8Array;
      try {
        value = computeKcv(key, algorithm, method, length);
      } finally {
        key.fill(0);
      }
      const fields = { kcv: hex(value), algorithm, method };
      if (opts.expect === undefined) {
        emit(fields, `${hex(value)} (${method})`);
        return;
      }
      const expected = hexInput(String(opts.expect), '--expect');
      const ok = expected.length === value.length && constantTimeEqual(expected, value);
      process.exitCode = emitVerdict(ok, fields, ok ? `${hex(value)} (${method}): matches` : `KCV ${hex(value)} (${method}) does not match the expected ${hex(expected)}`);
    }),
    'paycrypt kcv --algorithm TDES --key-file key.hex',
    'paycrypt kcv --algorithm AES --method CMAC --length 5 --key-env AES_KEY',
    'paycrypt kcv --algorithm TDES --key-file - --expect 08D7B4 < key.hex',
  );
}
