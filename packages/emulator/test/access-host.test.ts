import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emulator } from '../src/emulator.js';
import { allowedHostSet, normalizeHost, startHttpServer, type RunningServer } from '../src/transport/http-server.js';

/**
 * The Host allow-list (issue 11, "Access", against DNS rebinding): on by default, loopback names
 * and the bound address; other Host headers answer 403 AccessDeniedException.
 */
interface Raw {
  status: number;
  type: string | undefined;
  body: string;
}

function listKeys(port: number, host: string | undefined): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'PaymentCryptographyControlPlane.ListKeys' };
    if (host !== undefined) headers['host'] = host;
    const r = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['x-amzn-errortype'] as string | undefined, body: Buffer.concat(chunks).toString('utf8') }));
    });
    r.on('error', reject);
    r.end('{}');
  });
}

describe('Host allow-list', () => {
  let em: Emulator;
  let server: RunningServer;
  let open: RunningServer;
  beforeAll(async () => {
    em = Emulator.inMemory();
    server = await startHttpServer(em, { allowedHosts: ['emulator.team.example'] });
    open = await startHttpServer(em, { allowedHosts: ['*'] });
  });
  afterAll(async () => {
    await server.close();
    await open.close();
    await em.close();
  });

  it('loopback names, the bound address and --allowed-host names are served, with or without a port', async () => {
    const p = server.port;
    for (const h of ['localhost', `localhost:${p}`, 'LOCALHOST.', `127.0.0.1:${p}`, '127.0.0.1', `[::1]:${p}`, '[::1]', 'emulator.team.example', `emulator.team.example:${p}`]) {
      const r = await listKeys(p, h);
      expect(r.status, h).toBe(200);
    }
  });

  it('a foreign Host (DNS rebinding) is 403 AccessDeniedException; none is 400 (node)', async () => {
    // node refuses an HTTP/1.1 request without Host itself (requireHostHeader)
    expect((await listKeys(server.port, undefined)).status).toBe(400);
    for (const h of ['evil.example', `evil.example:${server.port}`, 'localhost.evil.example', '127.0.0.1.nip.io', '10.0.0.1', 'emulator.team.example.evil', '']) {
      const r = await listKeys(server.port, h);
      expect(r.status, String(h)).toBe(403);
      expect(r.type, String(h)).toBe('AccessDeniedException');
      expect(JSON.parse(r.body), String(h)).toMatchObject({ __type: 'AccessDeniedException' });
    }
  });

  it("'*' turns the check off", async () => {
    expect((await listKeys(open.port, 'evil.example')).status).toBe(200);
  });

  it('normalises names and adds interface addresses for a wildcard bind', () => {
    expect(normalizeHost('[::1]:8443')).toBe('::1');
    expect(normalizeHost('Example.COM.:80')).toBe('example.com');
    expect(normalizeHost('fe80::1')).toBe('fe80::1');
    expect([...allowedHostSet('127.0.0.1')!].sort()).toEqual(['127.0.0.1', '::1', 'localhost']);
    expect(allowedHostSet('10.1.2.3', ['a.example'])!.has('10.1.2.3')).toBe(true);
    const wild = allowedHostSet('0.0.0.0')!;
    expect(wild.has('0.0.0.0')).toBe(false);
    expect(wild.size).toBeGreaterThan(3);
    expect(allowedHostSet('::', ['*'])).toBeUndefined();
  });

  it('the bin: --allowed-host is repeatable', async () => {
    const bin = join(import.meta.dirname, '../src/bin/paycrypt-emulator.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', bin, '--port', '0', '--allowed-host', 'a.example', '--allowed-host', 'b.example'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      expect((await listKeys(port, 'a.example')).status).toBe(200);
      expect((await listKeys(port, `b.example:${port}`)).status).toBe(200);
      expect((await listKeys(port, 'c.example')).status).toBe(403);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
