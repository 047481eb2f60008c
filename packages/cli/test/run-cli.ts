// Runs the BUILT bin (dist/paycrypt.js) as a child process with plain node: real argv, real
// files, real stdin. The bundle is rebuilt once per test file so the tests see the current source.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(PACKAGE_DIR, 'dist', 'paycrypt.js');
export const VECTORS_DIR = join(PACKAGE_DIR, '..', '..', 'test-vectors');

let built = false;
/** Rebuilds the bin if any source is newer; flock keeps test files running in parallel from racing. */
export function buildOnce(): void {
  if (built) return;
  mkdirSync(join(PACKAGE_DIR, 'dist'), { recursive: true });
  execFileSync('flock', [join(PACKAGE_DIR, 'dist', '.build.lock'), process.execPath, join(PACKAGE_DIR, 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
  built = true;
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  env?: Record<string, string>;
}

export function run(args: readonly string[], options: RunOptions = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input: options.input ?? '',
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The same, asynchronously (for many vectors: a few processes at a time). */
export function runAsync(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...options.env }, encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1;
      resolve({ code, stdout, stderr });
    });
    child.stdin!.end(options.input ?? '');
  });
}

/** Runs `jobs` with at most `limit` at once, keeping their order. */
export async function pooled<T>(jobs: readonly (() => Promise<T>)[], limit = 3): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return out;
}

export function json(r: Run): Record<string, unknown> {
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

const dir = mkdtempSync(join(tmpdir(), 'paycrypt-cli-test-'));
let n = 0;
/** Writes a temporary file (e.g. a key as hex) and returns its path. */
export function tempFile(content: string): string {
  const p = join(dir, `f${n++}`);
  writeFileSync(p, content, { mode: 0o600 });
  return p;
}
export function tempPath(): string {
  return join(dir, `out${n++}`);
}

export function vectors<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(join(VECTORS_DIR, name), 'utf8')) as T;
}
