import { Option, type Command } from 'commander';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CliError, EXIT } from '../errors.js';
import { parseInput, type Entry } from './migrate-input.js';
import type { ControlPlane } from './migrate-wire.js';
import { isServiceFault, serviceErrorText, serviceOptions, type ServiceFlags } from '../service.js';
import { examples } from './common.js';

/** The tag every imported key carries: the SHA-256 of its (encrypted) key block. A rerun skips what it finds. */
export const SOURCE_TAG = 'paycrypt:source-sha256';
const FLUSH_MS = 25;

type Result = Record<string, unknown> & { line: number; status: 'imported' | 'skipped' | 'failed' };

interface Known {
  arn: string;
  kcv: string | undefined;
}

async function pool(n: number, count: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, count) }, async () => {
    while (next < count) await work(next++);
  }));
}

/** Keys already imported (by their source tag) and the aliases of the account (listed side by side). */
async function inventory(cp: ControlPlane, concurrency: number): Promise<{ bySource: Map<string, Known>; aliases: Map<string, string | undefined> }> {
  const [bySource, aliases] = await Promise.all([importedKeys(cp, concurrency), allAliases(cp)]);
  return { bySource, aliases };
}

async function importedKeys(cp: ControlPlane, concurrency: number): Promise<Map<string, Known>> {
  const keys: { KeyArn?: string; KeyCheckValue?: string; KeyState?: string }[] = [];
  let token: string | undefined;
  do {
    const page = await cp.call('ListKeys', { MaxResults: 100, NextToken: token });
    keys.push(...(page.Keys ?? []));
    token = page.NextToken;
  } while (token !== undefined);
  const bySource = new Map<string, Known>();
  const live = keys.filter((k) => k.KeyArn !== undefined && k.KeyState !== 'DELETE_PENDING' && k.KeyState !== 'DELETE_COMPLETE');
  await pool(concurrency, live.length, async (i) => {
    const k = live[i]!;
    let t: string | undefined;
    do {
      const page = await cp.call('ListTagsForResource', { ResourceArn: k.KeyArn!, NextToken: t });
      for (const tag of page.Tags ?? []) if (tag.Key === SOURCE_TAG && tag.Value !== undefined) bySource.set(tag.Value, { arn: k.KeyArn!, kcv: k.KeyCheckValue });
      t = page.NextToken;
    } while (t !== undefined);
  });
  return bySource;
}

async function allAliases(cp: ControlPlane): Promise<Map<string, string | undefined>> {
  const aliases = new Map<string, string | undefined>();
  let token: string | undefined;
  do {
    const page: { Aliases?: { AliasName?: string; KeyArn?: string }[]; NextToken?: string } = await cp.call('ListAliases', { MaxResults: 100, NextToken: token });
    for (const a of page.Aliases ?? []) if (a.AliasName !== undefined) aliases.set(a.AliasName, a.KeyArn);
    token = page.NextToken;
  } while (token !== undefined);
  return aliases;
}

export function registerMigrate(program: Command): void {
  const migrate = program.command('migrate').description('bulk operations against a service (AWS Payment Cryptography or the emulator)');
  const imp = migrate
    .command('import')
    .description(`import TR-31 key blocks listed in FILE (JSON lines, or CSV with a header row: block, wrappingKey, alias, tags). One JSON line of result per input on stdout; a progress bar on a terminal (stderr). Resumable: every key gets the tag ${SOURCE_TAG} = SHA-256 of its block, and a rerun skips blocks already imported. Exit 1 when a line failed, 3 on a service error.`)
    .argument('<file>', 'input file ("-" = stdin)')
    .addOption(new Option('--format <format>', 'jsonl or csv (default: from the extension, .csv = csv)').choices(['jsonl', 'csv']))
    .addOption(new Option('--wrapping-key <arn-or-alias>', 'the KEK for lines that name none'))
    .addOption(new Option('--concurrency <n>', 'ImportKey calls in flight').default('8'))
    .addOption(new Option('--no-progress', 'no progress bar, even on a terminal'));
  serviceOptions(imp, undefined);
  examples(
    imp.action(async (file: string, opts: ServiceFlags & { format?: 'jsonl' | 'csv'; wrappingKey?: string; concurrency: string; progress: boolean }) => {
      const concurrency = Number(opts.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw new CliError('USAGE', '--concurrency: expected an integer from 1 to 256');
      let text: string;
      try {
        text = readFileSync(file === '-' ? 0 : file, 'utf8');
      } catch (e) {
        throw new CliError('USAGE', `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
      }
      const format = opts.format ?? (/\.csv$/i.test(file) ? 'csv' : 'jsonl');
      const entries = parseInput(text, format);
      const cp = await (await import('./migrate-wire.js')).controlPlane(opts, concurrency);
      const close = (): Promise<void> => cp.close();
      let inv: Awaited<ReturnType<typeof inventory>>;
      try {
        inv = await inventory(cp, concurrency);
      } catch (e) {
        await close();
        throw new CliError('SERVICE_ERROR', `cannot list the existing keys: ${serviceErrorText(e)}`);
      }
      const counts = { imported: 0, skipped: 0, failed: 0 };
      let serviceFault = false;
      const started = Date.now();
      let bar: import('cli-progress').SingleBar | undefined;
      if (opts.progress !== false && process.stderr.isTTY === true) {
        const { SingleBar, Presets } = await import('../progress.js');
        bar = new SingleBar(
          { format: 'import {bar} {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted} | failed {failed}', stream: process.stderr, hideCursor: true, etaBuffer: 200, fps: 10 },
          Presets.shades_classic,
        );
        bar.start(entries.length, 0, { rate: '0.0', failed: 0 });
      }
      const inRun = new Map<string, number>();
      // result lines go out in batches (at most every FLUSH_MS, or when 64 KiB wait), not one
      // write(2) each: a pipe write wakes the reader every time. A rerun relies on the resume
      // tag, not on stdout, so lines lost with a killed process cost nothing.
      let pending = '';
      let timer: NodeJS.Timeout | undefined;
      const flush = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        if (pending !== '') process.stdout.write(pending);
        pending = '';
      };
      const done = (r: Result): void => {
        counts[r.status]++;
        pending += `${JSON.stringify(r)}\n`;
        if (pending.length >= 65_536) flush();
        else timer ??= setTimeout(flush, FLUSH_MS);
        if (bar !== undefined) {
          const secs = (Date.now() - started) / 1000;
          bar.increment(1, { rate: (secs > 0 ? (counts.imported + counts.skipped + counts.failed) / secs : 0).toFixed(1), failed: counts.failed });
        }
      };
      const fail = (e: Entry, code: string, message: string, extra: Record<string, unknown> = {}): void =>
        done({ line: e.line, status: 'failed', ...(e.alias ? { alias: e.alias } : {}), ...extra, error: { code, message } });

      const assignAlias = async (alias: string, arn: string): Promise<void> => {
        if (inv.aliases.has(alias)) await cp.call('UpdateAlias', { AliasName: alias, KeyArn: arn });
        else await cp.call('CreateAlias', { AliasName: alias, KeyArn: arn });
        inv.aliases.set(alias, arn);
      };

      await pool(concurrency, entries.length, async (i) => {
        const e = entries[i]!;
        if (e.error !== undefined) return fail(e, 'INVALID_INPUT', e.error);
        const wrappingKey = e.wrappingKey ?? opts.wrappingKey;
        if (wrappingKey === undefined) return fail(e, 'INVALID_INPUT', 'no wrapping key (give wrappingKey on the line or --wrapping-key)');
        if (e.alias !== undefined && !/^alias\/[a-zA-Z0-9/_-]+$/.test(e.alias)) return fail(e, 'INVALID_INPUT', 'alias: expected alias/NAME');
        const source = createHash('sha256').update(e.block!).digest('hex');
        const first = inRun.get(source);
        if (first !== undefined) return fail(e, 'DUPLICATE', `the same block as line ${first}`);
        inRun.set(source, e.line);
        try {
          const known = inv.bySource.get(source);
          if (known !== undefined) {
            // already imported (an earlier run): only the alias may be missing (killed between the calls)
            if (e.alias !== undefined && inv.aliases.get(e.alias) !== known.arn) {
              const other = inv.aliases.get(e.alias);
              if (other !== undefined) return fail(e, 'ALIAS_IN_USE', `${e.alias} names another key`, { keyArn: known.arn });
              await assignAlias(e.alias, known.arn);
            }
            return done({ line: e.line, status: 'skipped', keyArn: known.arn, ...(known.kcv ? { keyCheckValue: known.kcv } : {}), ...(e.alias ? { alias: e.alias } : {}), reason: 'already imported' });
          }
          if (e.alias !== undefined && inv.aliases.get(e.alias) !== undefined) return fail(e, 'ALIAS_IN_USE', `${e.alias} names another key`);
          const out = await cp.call('ImportKey', {
            KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: wrappingKey, WrappedKeyBlock: e.block! } },
            Tags: [...e.tags.filter((t) => t.Key !== SOURCE_TAG), { Key: SOURCE_TAG, Value: source }],
          });
          const arn = out.Key!.KeyArn!;
          inv.bySource.set(source, { arn, kcv: out.Key!.KeyCheckValue });
          if (e.alias !== undefined) {
            try {
              await assignAlias(e.alias, arn);
            } catch (err) {
              if (isServiceFault(err)) serviceFault = true;
              return fail(e, isServiceFault(err) ? 'SERVICE_ERROR' : 'ALIAS_FAILED', `imported, but the alias was not set: ${serviceErrorText(err)}`, { keyArn: arn });
            }
          }
          return done({ line: e.line, status: 'imported', keyArn: arn, keyCheckValue: out.Key!.KeyCheckValue, ...(e.alias ? { alias: e.alias } : {}) });
        } catch (err) {
          if (isServiceFault(err)) serviceFault = true;
          return fail(e, isServiceFault(err) ? 'SERVICE_ERROR' : 'IMPORT_FAILED', serviceErrorText(err));
        }
      });
      flush();
      bar?.stop();
      await close();
      const secs = (Date.now() - started) / 1000;
      process.stderr.write(`paycrypt: ${counts.imported} imported, ${counts.skipped} skipped, ${counts.failed} failed in ${secs.toFixed(1)} s\n`);
      process.exitCode = serviceFault ? EXIT.service : counts.failed > 0 ? EXIT.verification : EXIT.ok;
    }),
    'paycrypt migrate import keys.jsonl --target emulator --endpoint http://127.0.0.1:8443 --concurrency 16',
    'paycrypt migrate import keys.csv --target aws --region eu-west-1 --profile payments --wrapping-key alias/migration-kek',
  );
}
