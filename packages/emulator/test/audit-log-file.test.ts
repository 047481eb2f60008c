import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Emulator } from '../src/emulator.js';
import { readAudit } from './audit-kit.js';

/**
 * The audit log's file: created 0600 and appended to, its directory required, flushed by close,
 * a failing disk (/dev/full: every write is ENOSPC) reported once without failing a call, and the
 * `--audit-log` flag of the paycrypt-emulator bin.
 */
const BIN = new URL('../src/bin/paycrypt-emulator.ts', import.meta.url).pathname;
const tmp = (): string => mkdtempSync(join(tmpdir(), 'paycrypt-audit-'));
const CVK = { Exportable: true, KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } } } as const;

describe('audit log file', () => {
  it('is created 0600 and appended to by the next emulator; an existing file keeps its mode', async () => {
    const path = join(tmp(), 'audit.jsonl');
    const a = Emulator.inMemory({ auditLog: path });
    await a.call('ListKeys', {});
    await a.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const b = Emulator.inMemory({ auditLog: path });
    await b.call('ListAliases', {});
    await b.close();
    expect(readAudit(path).map((l) => l.operation)).toEqual(['ListKeys', 'ListAliases']);

    const loose = join(tmp(), 'loose.jsonl');
    writeFileSync(loose, '');
    chmodSync(loose, 0o644);
    const c = Emulator.inMemory({ auditLog: loose });
    await c.close();
    expect(statSync(loose).mode & 0o777).toBe(0o644);
  });

  it('a missing directory fails the start, naming the errno code, and creates nothing', () => {
    const dir = join(tmp(), 'missing');
    expect(() => Emulator.inMemory({ auditLog: join(dir, 'audit.jsonl') })).toThrow(/ENOENT.*directory must exist/);
    expect(existsSync(dir)).toBe(false);
  });

  it('close() flushes every line of calls not awaited one by one', async () => {
    const path = join(tmp(), 'audit.jsonl');
    const em = Emulator.inMemory({ auditLog: path });
    const n = 400;
    await Promise.all(Array.from({ length: n }, () => em.call('ListKeys', {})));
    await em.close();
    const lines = readAudit(path);
    expect(lines).toHaveLength(n);
    expect(new Set(lines.map((l) => l.requestId)).size).toBe(n);
    // after close nothing more is written, and it is counted
    await em.call('ListKeys', {});
    expect(em.audit!.dropped).toBe(1);
    expect(readAudit(path)).toHaveLength(n);
  });

  it.runIf(existsSync('/dev/full'))('a failing disk never fails a call: one report with the errno code, dropped lines counted at close', async () => {
    const logged: string[] = [];
    const em = Emulator.inMemory({ auditLog: '/dev/full', log: (l) => logged.push(l) });
    const key = await em.call('CreateKey', CVK);
    for (let i = 0; i < 5; i++) await em.call('GetKey', { KeyIdentifier: key.Key!.KeyArn! });
    await em.audit!.flush();
    await expect(em.call('GetKey', { KeyIdentifier: key.Key!.KeyArn! })).resolves.toMatchObject({ Key: { KeyArn: key.Key!.KeyArn } });
    await em.close();
    expect(logged).toEqual(['audit log /dev/full: write failed (ENOSPC); further audit lines are dropped', 'audit log /dev/full: 7 line(s) were not written']);
    expect(em.audit!.dropped).toBe(7);
  });

  it('the bin takes --audit-log and flushes it on SIGTERM', async () => {
    const path = join(tmp(), 'audit.jsonl');
    const child = spawn(process.execPath, ['--import', 'tsx', BIN, '--port', '0', '--audit-log', path], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const endpoint = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/\S+) .*audit log: /.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
      });
      const r = await fetch(`${endpoint}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'PaymentCryptographyControlPlane.CreateKey' },
        body: JSON.stringify(CVK),
      });
      const arn = ((await r.json()) as { Key: { KeyArn: string } }).Key.KeyArn;
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const lines = readAudit(path);
      expect(lines).toEqual([
        {
          time: lines[0]!.time,
          requestId: r.headers.get('x-amzn-requestid'),
          transport: 'http',
          plane: 'control-plane',
          operation: 'CreateKey',
          account: '111122223333',
          region: 'us-east-1',
          keyArn: arn,
          outcome: 'ok',
          status: 200,
        },
      ]);
      expect(statSync(path).mode & 0o777).toBe(0o600);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('the bin refuses to start when the audit log cannot be opened', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', BIN, '--port', '0', '--audit-log', join(tmp(), 'no', 'audit.jsonl')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(err).toMatch(/paycrypt-emulator: audit log .*ENOENT/);
  });
});
