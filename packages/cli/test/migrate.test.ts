// paycrypt migrate import: the built bin against an emulator served over HTTP from this process.
// Blocks are built here with @paycrypt/keyblock under a KEK whose clear value the test knows (imported
// by RSA-OAEP key cryptogram, node:crypto on the client side); expected KCVs come from node:crypto.
import {
  ListAliasesCommand,
  ListKeysCommand,
  ListTagsForResourceCommand,
  PaymentCryptographyClient,
} from '@aws-sdk/client-payment-cryptography';
import { Emulator, startHttpServer, type RunningServer } from '@paycrypt/emulator';
import { tr31HeaderFieldsFromAws, wrapTr31 } from '@paycrypt/keyblock';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importKek } from './oracles/kek.js';
import { tdesKcvOracle } from './oracles/kcv.js';
import { BIN, buildOnce, pooled, tempFile } from './run-cli.js';

const SOURCE_TAG = 'paycrypt:source-sha256';
let em: Emulator;
let server: RunningServer;
let client: PaymentCryptographyClient;
let kek: { arn: string; clear: Uint8Array };

interface Source {
  block: string;
  kcv: string;
  alias?: string;
}

beforeAll(async () => {
  buildOnce();
  em = Emulator.inMemory();
  server = await startHttpServer(em);
  client = new PaymentCryptographyClient({ region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 1 });
  kek = await importKek(client);
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
  await em?.close();
});

const FIELDS = tr31HeaderFieldsFromAws({ KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } as never }, 'E');

async function sources(n: number, prefix: string): Promise<Source[]> {
  const out: Source[] = [];
  for (let i = 0; i < n; i++) {
    const key = new Uint8Array(randomBytes(16));
    const block = await wrapTr31(kek.clear, { version: 'D', keyVersion: '00', keyContext: '0', optionalBlocks: [], ...FIELDS }, key);
    out.push({ block, kcv: tdesKcvOracle(Buffer.from(key).toString('hex')), ...(i % 2 === 0 ? { alias: `alias/${prefix}-${i}` } : {}) });
  }
  return out;
}

function jsonl(src: readonly Source[]): string {
  // every third line names its KEK; the others take --wrapping-key
  return src.map((s, i) => JSON.stringify({ block: s.block, ...(i % 3 === 0 ? { wrappingKey: kek.arn } : {}), ...(s.alias ? { alias: s.alias } : {}), tags: { batch: 'test' } })).join('\n') + '\n';
}

interface Child {
  code: number | null;
  lines: Record<string, unknown>[];
  stderr: string;
}

/** Runs the bin; with killAfter, SIGKILLs it once that many result lines have arrived. */
function migrate(args: string[], killAfter?: number): Promise<Child> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'migrate', 'import', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (killAfter !== undefined && !killed && out.split('\n').length - 1 >= killAfter) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      const complete = out.slice(0, out.lastIndexOf('\n') + 1);
      resolve({ code, stderr: err, lines: complete.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>) });
    });
  });
}

/** Every key of the emulator with its source tag and KCV; aliases. */
async function state(): Promise<{ bySource: Map<string, { arn: string; kcv: string }[]>; aliases: Map<string, string>; keys: number }> {
  const keys: { KeyArn?: string; KeyCheckValue?: string }[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListKeysCommand({ NextToken: token, MaxResults: 100 }));
    keys.push(...(page.Keys ?? []));
    token = page.NextToken;
  } while (token !== undefined);
  const bySource = new Map<string, { arn: string; kcv: string }[]>();
  await pooled(
    keys.map((k) => async () => {
      const tags = await client.send(new ListTagsForResourceCommand({ ResourceArn: k.KeyArn! }));
      const src = tags.Tags?.find((t) => t.Key === SOURCE_TAG)?.Value;
      if (src !== undefined) bySource.set(src, [...(bySource.get(src) ?? []), { arn: k.KeyArn!, kcv: k.KeyCheckValue! }]);
    }),
    32,
  );
  const aliases = new Map<string, string>();
  token = undefined;
  do {
    const page: { Aliases?: { AliasName?: string; KeyArn?: string }[]; NextToken?: string } = await client.send(new ListAliasesCommand({ NextToken: token, MaxResults: 100 }));
    for (const a of page.Aliases ?? []) aliases.set(a.AliasName!, a.KeyArn!);
    token = page.NextToken;
  } while (token !== undefined);
  return { bySource, aliases, keys: keys.length };
}

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Every source present exactly once with the node:crypto KCV, its alias on that key. */
async function expectAllOnce(src: readonly Source[]): Promise<void> {
  const st = await state();
  for (const s of src) {
    const found = st.bySource.get(sha(s.block));
    expect(found?.length, 'imported exactly once').toBe(1);
    expect(found![0]!.kcv).toBe(s.kcv);
    if (s.alias !== undefined) expect(st.aliases.get(s.alias)).toBe(found![0]!.arn);
  }
}

// PAYCRYPT_MIGRATE_BLOCKS=5000 for the full size (about 4 times slower than the default)
const N = Number(process.env['PAYCRYPT_MIGRATE_BLOCKS'] ?? 300);

describe('paycrypt migrate import', () => {
  it(`imports ${N} TR-31 blocks with the right KCVs; a second run imports nothing`, async () => {
    const src = await sources(N, 'first');
    const file = tempFile(jsonl(src));
    const common = [file, '--target', 'emulator', '--endpoint', server.endpoint, '--region', 'us-east-1', '--wrapping-key', kek.arn, '--concurrency', '16'];
    const a = await migrate(common);
    if (process.env['PAYCRYPT_MIGRATE_BLOCKS'] !== undefined) console.log(`first run: ${a.stderr.trim()}`);
    expect(a.code, a.stderr).toBe(0);
    expect(a.lines).toHaveLength(N);
    expect(a.lines.every((l) => l.status === 'imported')).toBe(true);
    expect(new Set(a.lines.map((l) => l.line)).size).toBe(N);
    for (const l of a.lines) expect(l.keyCheckValue).toBe(src[(l.line as number) - 1]!.kcv);
    expect(a.stderr).not.toContain('\u2588'); // no progress bar in a pipe
    expect(a.stderr).toContain(`${N} imported, 0 skipped, 0 failed`);
    await expectAllOnce(src);
    const before = (await state()).keys;

    const b = await migrate(common);
    expect(b.code, b.stderr).toBe(0);
    expect(b.lines).toHaveLength(N);
    expect(b.lines.every((l) => l.status === 'skipped')).toBe(true);
    expect((await state()).keys).toBe(before);
  }, 60_000);

  it('killed with SIGKILL halfway and rerun: nothing missing, nothing twice', async () => {
    const src = await sources(N, 'killed');
    const file = tempFile(jsonl(src));
    const common = [file, '--endpoint', server.endpoint, '--wrapping-key', kek.arn, '--concurrency', '8'];
    const a = await migrate(common, N / 3);
    expect(a.code).toBe(null); // killed
    expect(a.lines.length).toBeGreaterThanOrEqual(N / 3);
    expect(a.lines.length).toBeLessThan(N);
    const b = await migrate(common);
    if (process.env['PAYCRYPT_MIGRATE_BLOCKS'] !== undefined) console.log(`killed after ${a.lines.length} results; rerun: ${b.stderr.trim()}`);
    expect(b.code, b.stderr).toBe(0);
    expect(b.lines).toHaveLength(N);
    const skipped = b.lines.filter((l) => l.status === 'skipped').length;
    expect(skipped).toBeGreaterThanOrEqual(a.lines.length);
    expect(b.lines.filter((l) => l.status === 'imported').length).toBe(N - skipped);
    await expectAllOnce(src);
  }, 60_000);

  it('CSV; a bad line fails alone (exit 1, no key material in the message); an unreachable service exits 3', async () => {
    const [good, other] = await sources(2, 'csv');
    const tampered = good!.block.slice(0, -4) + (good!.block.endsWith('0000') ? '1111' : '0000');
    const csv = `block,wrappingKey,alias,tags\n${good!.block},${kek.arn},alias/csv-good,"team=cards;env=test"\n${tampered},${kek.arn},,\n"${other!.block}",${kek.arn},,\n`;
    const r = await migrate([tempFile(csv), '--format', 'csv', '--endpoint', server.endpoint]);
    expect(r.code).toBe(1);
    const byLine = new Map(r.lines.map((l) => [l.line, l]));
    expect(byLine.get(2)).toMatchObject({ status: 'imported', alias: 'alias/csv-good', keyCheckValue: good!.kcv });
    expect(byLine.get(3)).toMatchObject({ status: 'failed', error: { code: 'IMPORT_FAILED' } });
    expect(JSON.stringify(byLine.get(3))).not.toContain(tampered.slice(16, 48));
    expect(byLine.get(4)).toMatchObject({ status: 'imported', keyCheckValue: other!.kcv });

    const down = await migrate([tempFile(jsonl([good!])), '--target', 'emulator', '--endpoint', 'http://127.0.0.1:9', '--wrapping-key', kek.arn]);
    expect(down.code).toBe(3);
    expect(down.stderr).toContain('cannot list the existing keys');
  }, 60_000);

  it('shows a progress bar with rate and ETA on a terminal (script(1)), none in a pipe', async () => {
    const src = await sources(40, 'tty');
    const file = tempFile(jsonl(src));
    const screen = await new Promise<string>((resolve) => {
      const child = spawn('script', ['-qfec', `${process.execPath} ${BIN} migrate import ${file} --endpoint ${server.endpoint} --wrapping-key ${kek.arn} --concurrency 2 >/dev/null`, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', () => resolve(out));
    });
    expect(screen).toMatch(/import .*\| 40\/40 \| [\d.]+\/s \| ETA /);
    expect(screen).toContain('40 imported, 0 skipped, 0 failed');
  }, 30_000);
});
