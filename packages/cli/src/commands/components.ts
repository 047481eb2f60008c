import { Option, type Command } from 'commander';
import { adjustOddParity, constantTimeEqual, kcv, randomBytes, xorBytes } from '@paycrypt/primitives';
import { read } from 'read';
import { CliError } from '../errors.js';
import { emit, writeSecretFile } from '../output.js';
import { hexBytes, readKey, readStdinOnce, secretOptions } from '../secrets.js';
import { choice, clearKeyOptions, examples, hex, hexInput, releaseClearKey } from './common.js';

type Family = 'TDES' | 'AES';
const LENGTHS: Readonly<Record<Family, readonly number[]>> = { TDES: [16, 24], AES: [16, 24, 32] };

function checkValue(family: Family, key: Uint8Array): string {
  return hex(kcv(key, family));
}

function count(v: unknown): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 2 || n > 9) throw new CliError('USAGE', '--count: expected 2 to 9 components');
  return n;
}

/**
 * Reads `n` components. On a terminal: one prompt per component on stderr, typed without echo
 * (the `read` package mutes the terminal), and the component's KCV shown at once so its
 * custodian can check it before the next one is entered. Piped: one component per line of stdin.
 */
async function readComponents(n: number, family: Family): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  if (process.stdin.isTTY === true) {
    for (let i = 1; i <= n; i++) {
      let text: string;
      try {
        text = await read({ prompt: `component ${i} of ${n} (hex, not shown): `, silent: true, replace: '', input: process.stdin, output: process.stderr });
      } catch {
        throw new CliError('USAGE', `component ${i}: input cancelled`);
      }
      const c = hexBytes(text, `component ${i}`, LENGTHS[family]);
      process.stderr.write(`\ncomponent ${i} KCV: ${checkValue(family, c)}\n`);
      out.push(c);
    }
    return out;
  }
  const lines = readStdinOnce('component')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length !== n) throw new CliError('USAGE', `expected ${n} components on stdin (one per line), got ${lines.length}`);
  lines.forEach((l, i) => out.push(hexBytes(l, `component ${i + 1}`, LENGTHS[family])));
  return out;
}

export function registerComponents(program: Command): void {
  const comp = program.command('components').description('key ceremony: combine clear key components by XOR, or split a key into components');
  examples(comp, 'paycrypt components combine --algorithm TDES --count 2', 'paycrypt components split --algorithm AES --count 3 --key-file key.hex --out-prefix comp');

  const combine = comp
    .command('combine')
    .description('combine 2-9 clear components (XOR); each is entered in turn (not echoed on a terminal, one per line when piped) and its KCV shown; prints the KCV of the key')
    .requiredOption('--algorithm <alg>', 'TDES or AES')
    .addOption(new Option('--count <n>', 'number of components').default('2'))
    .addOption(new Option('--component-kcvs <list>', 'expected KCV of each component, comma-separated; exit 1 on any difference'))
    .addOption(new Option('--expect-kcv <kcv>', 'expected KCV of the combined key; exit 1 when it differs'))
    .addOption(new Option('--adjust-parity', 'set odd parity on the combined TDES key (KCVs are unchanged)'));
  clearKeyOptions(combine);
  examples(
    combine.action(async (opts: Record<string, unknown>) => {
      const family = choice(String(opts.algorithm), '--algorithm', ['TDES', 'AES'] as const);
      const n = count(opts.count);
      const expectedEach = opts.componentKcvs === undefined ? undefined : String(opts.componentKcvs).split(',').map((s) => s.trim().toUpperCase());
      if (expectedEach !== undefined && expectedEach.length !== n) throw new CliError('USAGE', `--component-kcvs: expected ${n} values`);
      const parts = await readComponents(n, family);
      try {
        if (!parts.every((p) => p.length === parts[0]!.length)) throw new CliError('INVALID_KEY', 'components differ in length');
        const kcvs = parts.map((p) => checkValue(family, p));
        const components = kcvs.map((k, i) => ({ component: i + 1, kcv: k }));
        const wrong = expectedEach === undefined ? [] : kcvs.flatMap((k, i) => (k === expectedEach[i] ? [] : [i + 1]));
        if (wrong.length > 0) {
          throw new CliError('VERIFICATION_FAILED', `component ${wrong.join(', ')}: KCV differs from the one given in --component-kcvs`, { details: { components } });
        }
        let key: Uint8Array = parts[0]!.slice();
        for (const p of parts.slice(1)) {
          const next = xorBytes(key, p);
          key.fill(0);
          key = next;
        }
        if (opts.adjustParity === true) {
          if (family !== 'TDES') throw new CliError('USAGE', '--adjust-parity is for TDES keys');
          const adjusted = adjustOddParity(key);
          key.fill(0);
          key = adjusted;
        }
        const keyKcv = checkValue(family, key);
        if (opts.expectKcv !== undefined) {
          const want = hexInput(String(opts.expectKcv), '--expect-kcv');
          const got = hexInput(keyKcv, 'kcv');
          if (want.length !== got.length || !constantTimeEqual(want, got)) {
            key.fill(0);
            throw new CliError('VERIFICATION_FAILED', `combined key KCV ${keyKcv} differs from --expect-kcv`, { details: { components, kcv: keyKcv } });
          }
        }
        const fields = releaseClearKey(opts, hex(key), { algorithm: family, keyLength: key.length, components, kcv: keyKcv });
        key.fill(0);
        emit(fields, [
          ...components.map((c) => `component ${c.component} KCV: ${c.kcv}`),
          `combined key KCV: ${keyKcv}${opts.expectKcv === undefined ? '' : ' (matches)'}`,
          ...(typeof fields.key === 'string' ? [`key: ${fields.key}`] : []),
          ...(typeof fields.keyFile === 'string' ? [`key written: ${fields.keyFile}`] : []),
        ]);
      } finally {
        for (const p of parts) p.fill(0);
      }
    }),
    'paycrypt components combine --algorithm TDES --count 3 --key-out kek.hex',
    'printf "%s\\n%s\\n" "$C1" "$C2" | paycrypt --json components combine --algorithm AES --expect-kcv 9A4212',
  );

  const split = comp
    .command('split')
    .description('split a key into N random components whose XOR is the key; prints each KCV')
    .requiredOption('--algorithm <alg>', 'TDES or AES')
    .addOption(new Option('--count <n>', 'number of components').default('2'))
    .addOption(new Option('--out-prefix <path>', 'write component i to PATH.i (new files, mode 0600)'))
    .addOption(new Option('--print-components', 'print the clear components on stdout').conflicts('outPrefix'));
  secretOptions(split, 'key', 'the key to split');
  examples(
    split.action((opts: Record<string, unknown>) => {
      const family = choice(String(opts.algorithm), '--algorithm', ['TDES', 'AES'] as const);
      const n = count(opts.count);
      if (opts.outPrefix === undefined && opts.printComponents !== true) throw new CliError('USAGE', 'say where the components go: --out-prefix PATH or --print-components');
      const key = readKey(opts, 'key', LENGTHS[family]);
      const parts: Uint8Array[] = [];
      try {
        let last: Uint8Array = key.slice();
        for (let i = 1; i < n; i++) {
          const r = randomBytes(key.length);
          parts.push(r);
          const next = xorBytes(last, r);
          last.fill(0);
          last = next;
        }
        parts.push(last);
        const components = parts.map((p, i) => {
          const entry: Record<string, unknown> = { component: i + 1, kcv: checkValue(family, p) };
          if (opts.outPrefix !== undefined) {
            const path = `${String(opts.outPrefix)}.${i + 1}`;
            writeSecretFile(path, hex(p), '--out-prefix');
            entry.file = path;
          } else entry.value = hex(p);
          return entry;
        });
        const keyKcv = checkValue(family, key);
        emit({ algorithm: family, kcv: keyKcv, components }, [
          ...components.map((c) => `component ${String(c.component)} KCV: ${String(c.kcv)}${c.file !== undefined ? ` -> ${String(c.file)}` : ` value: ${String(c.value)}`}`),
          `key KCV: ${keyKcv}`,
        ]);
      } finally {
        key.fill(0);
        for (const p of parts) p.fill(0);
      }
    }),
    'paycrypt components split --algorithm TDES --count 3 --key-file kek.hex --out-prefix kek-component',
  );
}
