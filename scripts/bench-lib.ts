// Minimal benchmark helpers for `pnpm bench`. Each package may have bench/index.ts exporting
// `run(): Promise<BenchRow[]>`; scripts/bench.ts runs them all and prints one table.
// Rule: check the result of the operation before timing it.

import { spawn, type ChildProcess } from 'node:child_process';
import { request, type Agent } from 'node:http';

export interface BenchRow {
  /** Package or area, e.g. "keyblock". */
  group: string;
  /** What was measured, e.g. "TR-31 D unwrap, AES-256 KBPK reused". */
  name: string;
  opsPerSec: number;
  /** Optional target, e.g. ">= 150,000". */
  target?: string;
}

export interface BenchOptions {
  /** Measuring time in ms (default 1000), after a warm-up of a quarter of it. */
  ms?: number;
}

function timeLoop(fn: () => unknown, ms: number): number {
  let batch = 1;
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < batch; i++) fn();
    ops += batch;
    now = performance.now();
    if (batch < 1 << 16) batch *= 2;
  }
  return (ops * 1000) / (now - start);
}

export function bench(group: string, name: string, fn: () => unknown, opts: BenchOptions & { target?: string } = {}): BenchRow {
  const ms = opts.ms ?? 1000;
  timeLoop(fn, ms / 4);
  const opsPerSec = timeLoop(fn, ms);
  return { group, name, opsPerSec, ...(opts.target ? { target: opts.target } : {}) };
}

export async function benchAsync(
  group: string,
  name: string,
  fn: () => Promise<unknown>,
  opts: BenchOptions & { target?: string; concurrency?: number } = {},
): Promise<BenchRow> {
  const ms = opts.ms ?? 1000;
  const conc = opts.concurrency ?? 1;
  const loop = async (limit: number): Promise<number> => {
    let ops = 0;
    const start = performance.now();
    const worker = async () => {
      while (performance.now() - start < limit) {
        await fn();
        ops++;
      }
    };
    await Promise.all(Array.from({ length: conc }, worker));
    return (ops * 1000) / (performance.now() - start);
  };
  await loop(ms / 4);
  const opsPerSec = await loop(ms);
  return { group, name, opsPerSec, ...(opts.target ? { target: opts.target } : {}) };
}

export function formatOps(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/**
 * One awsJson1_0 control-plane call with plain node:http, no SDK: the "plain client" side of the
 * HTTP rows. The Authorization header is SigV4-shaped (it names the region) but not signed, as an
 * emulator without --credentials-file accepts. Resolves with the body of a 200, rejects otherwise.
 */
export function controlPlanePost(agent: Agent | undefined, url: URL, target: string, body: string, region = 'us-east-1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: '/',
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `PaymentCryptographyControlPlane.${target}`,
          authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260110/${region}/payment-cryptography/aws4_request, SignedHeaders=host, Signature=0`,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString()) : reject(new Error(`${target}: HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A server as its own process (`node ARGS…`, the way it is deployed, so server and client each get
 * a core): resolves once it prints `listening on http://…`, rejects if it exits first.
 */
export function startServerProcess(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ child: ChildProcess; endpoint: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
    let out = '';
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m === null) return;
      child.stdout!.off('data', onData);
      child.removeAllListeners('exit');
      resolve({ child, endpoint: m[1]! });
    };
    child.stdout!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}
