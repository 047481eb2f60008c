// `pnpm bench cli`: issue 13, "migrate import reaches ≥ 70 % of the emulator's ImportKey rate measured
// with a plain HTTP client in the same run". One emulator (`paycrypt emulator serve`, a child process);
// (A) a plain keep-alive node:http client sends ImportKey for N TR-31 blocks, (B) the built bin's
// `migrate import` imports N other blocks from a file, at the same concurrency. Rounds alternate
// A B, B A, so load from other processes falls on both sides alike; each rate is all blocks over
// all time. B's time runs from spawn to its last result line: process start and the resume scan
// count. Every run works in a region of its own (the emulator keeps a state per account and
// region): B's resume scan sees only its KEK, as in a fresh account, and each region is checked
// afterwards. Every KCV is compared with node:crypto's before a number is reported.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchRow } from '../../../scripts/bench-lib.js';
import { cpuSeconds, migrateImport, plainImport, type MigrateRun, type Timed } from './clients.js';
import { buildBin, client, importKek, listKeys, makeBlocks, startEmulator, type Block } from './fixtures.js';

// blocks per run (the full migration is 5,000); two rounds of A and B each
const N = Number(process.env['PAYCRYPT_BENCH_MIGRATE_BLOCKS'] ?? 5000);
const ROUNDS = 2;
const CONCURRENCY = Number(process.env['PAYCRYPT_BENCH_MIGRATE_CONCURRENCY'] ?? 8); // migrate import's default
const WARM = 3000;
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1', 'ap-northeast-1', 'sa-east-1', 'ca-central-1'];

interface Side {
  region: string;
  arn: string;
  kekKcv: string;
  blocks: Block[];
}

async function side(endpoint: string, region: string, n: number): Promise<Side> {
  const c = client(endpoint, region);
  const kek = await importKek(c);
  const kekKcv = (await listKeys(c))[0]!.KeyCheckValue!;
  c.destroy();
  const blocks = makeBlocks(kek.clear, n);
  kek.clear.fill(0);
  return { region, arn: kek.arn, kekKcv, blocks };
}

function checkKcvs(what: string, got: readonly string[], blocks: readonly Block[]): void {
  const bad = blocks.findIndex((b, i) => got[i] !== b.kcv);
  if (bad >= 0) throw new Error(`${what}: block ${bad + 1}: KCV ${got[bad] || '(none)'}, expected ${blocks[bad]!.kcv}`);
}

/** The region holds exactly the KEK and the blocks, with the KCVs node:crypto computed (a multiset: 3-byte KCVs may collide). */
async function checkRegion(what: string, endpoint: string, s: Side): Promise<void> {
  const c = client(endpoint, s.region);
  const got = (await listKeys(c)).map((k) => k.KeyCheckValue ?? '').sort();
  c.destroy();
  const want = [s.kekKcv, ...s.blocks.map((b) => b.kcv)].sort();
  if (got.length !== want.length || got.some((k, i) => k !== want[i])) throw new Error(`${what}: ${s.region} holds ${got.length} keys, not the ${want.length} expected with their KCVs`);
}

export async function run(): Promise<BenchRow[]> {
  buildBin();
  const { child, endpoint } = await startEmulator();
  const dir = mkdtempSync(join(tmpdir(), 'paycrypt-bench-migrate-'));
  try {
    const warm = await side(endpoint, REGIONS[0]!, WARM + 50);
    const sides: Side[] = [];
    for (let i = 0; i < 2 * ROUNDS; i++) sides.push(await side(endpoint, REGIONS[i + 1]!, N));

    // warm-up: the server's JIT, and the bin's files in the page cache
    checkKcvs('warm-up', (await plainImport(endpoint, warm.region, warm.arn, warm.blocks.slice(0, WARM), CONCURRENCY)).kcvs, warm.blocks.slice(0, WARM));
    const w = await migrateImport(join(dir, 'warm.jsonl'), endpoint, warm.region, warm.arn, warm.blocks.slice(WARM), CONCURRENCY);
    if (w.code !== 0) throw new Error(`migrate import (warm-up) exited with ${w.code}: ${w.stderr.trim()}`);

    const plainRuns: Timed[] = [];
    const cliRuns: MigrateRun[] = [];
    const verbose = process.env['PAYCRYPT_BENCH_VERBOSE'] !== undefined;
    const runPlain = async (s: Side): Promise<void> => {
      const s0 = cpuSeconds(child.pid);
      const c0 = process.cpuUsage();
      const r = await plainImport(endpoint, s.region, s.arn, s.blocks, CONCURRENCY);
      const c = process.cpuUsage(c0);
      if (verbose) console.error(`A: ${Math.round(N / r.seconds)}/s, client ${Math.round((c.user + c.system) / N)} µs/op, server ${Math.round((1e6 * ((cpuSeconds(child.pid) ?? 0) - (s0 ?? 0))) / N)} µs/op`);
      checkKcvs('plain client', r.kcvs, s.blocks);
      plainRuns.push(r);
    };
    const runCli = async (s: Side, k: number): Promise<void> => {
      const s0 = cpuSeconds(child.pid);
      const r = await migrateImport(join(dir, `run${k}.jsonl`), endpoint, s.region, s.arn, s.blocks, CONCURRENCY);
      if (verbose) console.error(`B: ${Math.round(N / r.seconds)}/s, bin ${Math.round((1e6 * (r.cpu ?? 0)) / N)} µs/op (start included), server ${Math.round((1e6 * ((cpuSeconds(child.pid) ?? 0) - (s0 ?? 0))) / N)} µs/op, first line ${r.firstLine.toFixed(2)} s, second half ${Math.round(N / 2 / (r.seconds - r.halfLine))}/s`);
      if (r.code !== 0 || !r.stderr.includes(`${N} imported, 0 skipped, 0 failed`)) throw new Error(`migrate import exited with ${r.code}: ${r.stderr.trim()}`);
      checkKcvs('migrate import', r.kcvs, s.blocks);
      cliRuns.push(r);
    };
    for (let r = 0; r < ROUNDS; r++) {
      const [a, b] = [sides[2 * r]!, sides[2 * r + 1]!];
      if (r % 2 === 0) await runPlain(a), await runCli(b, r);
      else await runCli(b, r), await runPlain(a);
    }
    for (let r = 0; r < ROUNDS; r++) {
      await checkRegion('plain client', endpoint, sides[2 * r]!);
      await checkRegion('migrate import', endpoint, sides[2 * r + 1]!);
    }

    const total = N * ROUNDS;
    const rateA = total / plainRuns.reduce((s, r) => s + r.seconds, 0);
    const rateB = total / cliRuns.reduce((s, r) => s + r.seconds, 0);
    // the bin's second half: process start and the JIT's warm-up are behind it
    const steadyB = total / 2 / cliRuns.reduce((s, r) => s + r.seconds - r.halfLine, 0);
    const start = cliRuns.reduce((s, r) => s + r.firstLine, 0) / ROUNDS;
    const pct = (x: number): string => `${Math.round((100 * x) / rateA)} %`;
    const each = (runs: Timed[]): string => runs.map((r) => Math.round(N / r.seconds).toLocaleString('en-US')).join(', ');
    const size = `${ROUNDS}×${N.toLocaleString('en-US')} blocks`;
    return [
      { group: 'cli', name: `ImportKey TR-31, plain node:http keep-alive client, ${CONCURRENCY} in flight, ${size} (A; runs ${each(plainRuns)}/s)`, opsPerSec: rateA },
      {
        group: 'cli',
        name: `migrate import, built bin, ${CONCURRENCY} in flight, ${size}, spawn → last result line (B; runs ${each(cliRuns)}/s; first line after ${start.toFixed(2)} s; second halves ${pct(steadyB)} of A): B/A = ${pct(rateB)}`,
        opsPerSec: rateB,
        target: '≥ 70 % of A',
      },
    ];
  } finally {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
