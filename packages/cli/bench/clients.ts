// The two sides of the comparison: (A) a plain keep-alive node:http client sending ImportKey,
// (B) the built `paycrypt migrate import` as a child process. Both import every block and return
// the KCV the service answered for each, so the caller can check them.
import { spawn } from 'node:child_process';
import { Agent } from 'node:http';
import { controlPlanePost } from '../../../scripts/bench-lib.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { BIN, SOURCE_TAG, type Block } from './fixtures.js';

export interface Timed {
  /** the service's KCV per block, in input order */
  kcvs: string[];
  seconds: number;
}

/** (A) ImportKey of every block, `concurrency` in flight over keep-alive sockets; the same request body the CLI sends. */
export async function plainImport(endpoint: string, region: string, kekArn: string, blocks: readonly Block[], concurrency: number): Promise<Timed> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(endpoint);
  const kcvs: string[] = new Array(blocks.length);
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < blocks.length) {
        const i = next++;
        const b = blocks[i]!;
        const body = JSON.stringify({ KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kekArn, WrappedKeyBlock: b.block } }, Tags: [{ Key: SOURCE_TAG, Value: b.source }] });
        const out = JSON.parse(await controlPlanePost(agent, url, 'ImportKey', body, region)) as { Key?: { KeyCheckValue?: string } };
        kcvs[i] = out.Key?.KeyCheckValue ?? '';
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return { kcvs, seconds };
}

/** user + system CPU seconds of a live process (Linux /proc; undefined elsewhere) */
export function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return undefined;
  }
}

export interface MigrateRun extends Timed {
  code: number | null;
  stderr: string;
  /** spawn → first result line, s (process start, bundle load, the resume scan) */
  firstLine: number;
  /** the bin's CPU seconds up to its last result line */
  cpu: number | undefined;
  /** spawn → the result line half-way, s */
  halfLine: number;
}

/** (B) `node dist/paycrypt.js migrate import FILE`: seconds from spawn to the last result line. */
export function migrateImport(file: string, endpoint: string, region: string, kekArn: string, blocks: readonly Block[], concurrency: number): Promise<MigrateRun> {
  writeFileSync(file, blocks.map((b) => JSON.stringify({ block: b.block })).join('\n') + '\n');
  return new Promise((resolve, reject) => {
    const args = [BIN, 'migrate', 'import', file, '--target', 'emulator', '--endpoint', endpoint, '--region', region, '--wrapping-key', kekArn, '--concurrency', String(concurrency)];
    const start = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const kcvs: string[] = new Array(blocks.length).fill('');
    // while the bin runs, only line ends are counted and times taken (this process shares the two
    // cores with the bin and the emulator); the lines are parsed after it exits
    const chunks: Buffer[] = [];
    let lines = 0;
    let first = 0;
    let last = 0;
    let stderr = '';
    let cpu: number | undefined;
    let half = 0;
    child.stdout.on('data', (d: Buffer) => {
      const now = performance.now();
      chunks.push(d);
      let n = 0;
      for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) n++;
      if (n === 0) return;
      if (lines === 0) first = now;
      if (lines < Math.ceil(blocks.length / 2) && lines + n >= Math.ceil(blocks.length / 2)) half = now;
      lines += n;
      last = now;
      if (lines === blocks.length) cpu = cpuSeconds(child.pid);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      for (const l of Buffer.concat(chunks).toString().split('\n')) {
        if (l === '') continue;
        const r = JSON.parse(l) as { line: number; status: string; keyCheckValue?: string };
        // input line n holds blocks[n - 1]
        if (r.status === 'imported') kcvs[r.line - 1] = r.keyCheckValue ?? '';
      }
      resolve({ code, stderr, kcvs, seconds: (last - start) / 1000, firstLine: (first - start) / 1000, halfLine: (half - start) / 1000, cpu });
    });
  });
}
