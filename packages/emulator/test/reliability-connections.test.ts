import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Emulator } from '../src/index.js';
import { HTTP_DEFAULTS, startHttpServer } from '../src/transport/http-server.js';

/** Issue 11 item 7: idle connections are closed; the number of connections is bounded. */
const open = (port: number): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
const closed = (s: Socket): Promise<number> => {
  const t0 = Date.now();
  return new Promise((resolve) => (s.destroyed ? resolve(0) : s.once('close', () => resolve(Date.now() - t0))));
};
const REQUEST = 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: PaymentCryptographyControlPlane.ListKeys\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\n\r\n{}';

describe('reliability: connection timeouts and limit (issue 11 item 7)', () => {
  it('defaults close an idle connection within 60 s', () => {
    expect(HTTP_DEFAULTS.idleTimeoutMs).toBeLessThanOrEqual(60_000);
    expect(HTTP_DEFAULTS.keepAliveTimeoutMs).toBeLessThanOrEqual(60_000);
    expect(HTTP_DEFAULTS.headersTimeoutMs).toBeLessThanOrEqual(60_000);
  });

  it('200 connections that never send a byte, a half-sent request and an idle kept-alive connection are all closed', async () => {
    const em = Emulator.inMemory();
    const s = await startHttpServer(em, { idleTimeoutMs: 400, headersTimeoutMs: 600, requestTimeoutMs: 800, keepAliveTimeoutMs: 300 });
    try {
      const silent = await Promise.all(Array.from({ length: 200 }, () => open(s.port)));
      const partial = await open(s.port);
      // trickles header bytes (so the inactivity timer never fires): the header timeout must act
      const trickle = setInterval(() => partial.writable && partial.write('X-A: b\r\n'), 100);
      partial.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      const kept = await open(s.port);
      let answer = '';
      kept.on('data', (d) => (answer += d.toString()));
      kept.write(REQUEST);
      const t0 = Date.now();
      await Promise.all([...silent, partial, kept].map(closed));
      clearInterval(trickle);
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(answer).toMatch(/^HTTP\/1.1 200/);
      expect(await new Promise((r) => s.server.getConnections((_e, n) => r(n)))).toBe(0);
    } finally {
      await s.close();
      await em.close();
    }
  });

  it('past maxConnections new connections are dropped; requests work again once they close', async () => {
    const em = Emulator.inMemory();
    const s = await startHttpServer(em, { maxConnections: 5, idleTimeoutMs: 60_000 });
    try {
      const held = await Promise.all(Array.from({ length: 5 }, () => open(s.port)));
      await new Promise((r) => setTimeout(r, 50));
      const extra = await open(s.port).catch(() => undefined);
      if (extra !== undefined) expect(await closed(extra)).toBeLessThan(2_000);
      for (const h of held) h.destroy();
      await new Promise((r) => setTimeout(r, 100));
      const r = await fetch(s.endpoint, { method: 'POST', headers: { 'x-amz-target': 'PaymentCryptographyControlPlane.ListKeys' }, body: '{}' });
      expect(r.status).toBe(200);
    } finally {
      await s.close();
      await em.close();
    }
  });

  it('paycrypt-emulator: --idle-timeout-ms and --max-connections are used; a bad value is refused', async () => {
    const bin = new URL('../src/bin/paycrypt-emulator.ts', import.meta.url).pathname;
    const child = spawn(process.execPath, ['--import', 'tsx', bin, '--port', '0', '--idle-timeout-ms', '300', '--max-connections', '50', '--headers-timeout-ms', '500'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const endpoint = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (c) => reject(new Error(`exited ${c}`)));
      });
      const sock = await open(Number(endpoint));
      expect(await closed(sock)).toBeLessThan(3_000);
    } finally {
      child.kill();
    }
    const bad = spawn(process.execPath, ['--import', 'tsx', bin, '--port', '0', '--idle-timeout-ms', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    bad.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    expect(await new Promise((r) => bad.on('exit', r))).toBe(1);
    expect(err).toMatch(/--idle-timeout-ms: expected a positive integer/);
  }, 60_000);
});
