// paycrypt emulator serve: the built bin as a real server process, spoken to with plain HTTP
// (awsJson1_0, as the AWS SDK sends it), stopped with SIGTERM, restarted on the same data dir.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand, ListKeysCommand, PaymentCryptographyClient } from '@aws-sdk/client-payment-cryptography';
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, buildOnce, json, run } from './run-cli.js';

beforeAll(buildOnce);

const started: ChildProcess[] = [];
afterEach(() => {
  for (const c of started.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function serve(args: string[]): Promise<{ child: ChildProcess; first: Record<string, unknown> }> {
  const child = spawn(process.execPath, [BIN, '--json', 'emulator', 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ child, first: JSON.parse(out.slice(0, nl)) as Record<string, unknown> });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

async function call(endpoint: string, op: string, body: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `PaymentCryptographyControlPlane.${op}` },
    body: JSON.stringify(body),
  });
  return (await r.json()) as Record<string, unknown>;
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('paycrypt emulator serve', () => {
  it('the LMK by the emulator\'s rules: a malformed one is exit 2 without its value, one inside the data directory exit 2, an unreadable file exit 3', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paycrypt-serve-lmk-'));
    const short = 'A1B2C3D4E5F60718293A4B5C6D7E8F90'; // 32 hex digits: half an AES-256 key
    const bad = run(['emulator', 'serve', '--port', '0'], { env: { PAYCRYPT_EMULATOR_LMK: short } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('PAYCRYPT_EMULATOR_LMK: expected 64 hex digits');
    expect(bad.stderr + bad.stdout).not.toContain(short);
    const inside = run(['emulator', 'serve', '--port', '0', '--data-dir', join(dir, 'state'), '--lmk-file', join(dir, 'state', 'k.lmk')], { env: { PAYCRYPT_EMULATOR_LMK: '' } });
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/must not be inside the data directory/);
    mkdirSync(join(dir, 'folder.lmk'));
    const unreadable = run(['emulator', 'serve', '--port', '0', '--lmk-file', join(dir, 'folder.lmk')], { env: { PAYCRYPT_EMULATOR_LMK: '' } });
    expect(unreadable.code).toBe(3);
    expect(unreadable.stderr).toContain('cannot read the LMK file (EISDIR)');
  });

  it('--credentials-file: the AWS SDK signed with the right secret is served as its account, a wrong secret gets 403; --allowed-host', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paycrypt-serve-creds-'));
    const file = join(dir, 'credentials');
    writeFileSync(file, 'AKIDTEAMA0000000001 team-a-secret 444455556666\n', { mode: 0o600 });
    const a = await serve(['--credentials-file', file, '--allowed-host', 'emulator.test']);
    expect(a.first).toMatchObject({ ok: true, listening: true, signatures: 'SigV4 verified, 1 credential(s)' });
    const endpoint = String(a.first.endpoint);
    const sdk = (secretAccessKey: string) => new PaymentCryptographyClient({ region: 'us-east-1', endpoint, maxAttempts: 1, credentials: { accessKeyId: 'AKIDTEAMA0000000001', secretAccessKey } });
    const good = sdk('team-a-secret');
    expect((await good.send(new ListKeysCommand({}))).Keys).toEqual([]);
    const key = await good.send(
      new CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyAlgorithm: 'TDES_2KEY', KeyClass: 'SYMMETRIC_KEY', KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyModesOfUse: { Generate: true } } }),
    );
    expect(key.Key!.KeyArn).toMatch(/^arn:aws:payment-cryptography:us-east-1:444455556666:key\//);
    const bad = sdk('not-the-secret');
    const e = await bad.send(new ListKeysCommand({})).catch((x: unknown) => x as { name: string; $metadata: { httpStatusCode: number } });
    expect(e).toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } });
    good.destroy();
    bad.destroy();
    // the Host allow-list: loopback and the added name pass, any other name is refused
    const port = new URL(endpoint).port;
    const withHost = (host: string) =>
      new Promise<string>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'PaymentCryptographyControlPlane.ListKeys' } }, (res) => {
          res.resume();
          resolve(`${res.statusCode} ${String(res.headers['x-amzn-errortype'] ?? '')}`);
        });
        req.on('error', reject);
        req.end('{}');
      });
    expect(await withHost('evil.example')).toBe('403 AccessDeniedException');
    // an allowed name gets past the Host check, to the signature check (this request is unsigned)
    expect(await withHost(`emulator.test:${port}`)).toMatch(/^403 (?!AccessDenied)\w+Exception/);
    // a missing file is a usage error (exit 2) naming the flag, never a secret
    const r = await run(['emulator', 'serve', '--port', '0', '--credentials-file', join(dir, 'absent')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--credentials-file');
    expect(await stop(a.child)).toBe(0);
  });

  it('serves the control plane, keeps keys in --data-dir across a restart, exits 0 on SIGTERM', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'paycrypt-serve-')), 'state');
    const a = await serve(['--data-dir', dir]);
    expect(a.first).toMatchObject({ ok: true, listening: true, storage: dir });
    expect(String(a.first.lmk)).toContain('(generated)');
    const endpoint = String(a.first.endpoint);
    const created = await call(endpoint, 'CreateKey', {
      Exportable: true,
      KeyAttributes: { KeyAlgorithm: 'TDES_2KEY', KeyClass: 'SYMMETRIC_KEY', KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyModesOfUse: { Generate: true, Verify: true } },
    });
    const arn = (created.Key as { KeyArn: string }).KeyArn;
    expect(arn).toMatch(/^arn:aws:payment-cryptography:/);
    expect(await stop(a.child)).toBe(0);
    expect(existsSync(`${dir}.lmk`)).toBe(true);

    const b = await serve(['--data-dir', dir]);
    expect(String(b.first.lmk)).toBe(`file ${dir}.lmk`);
    const got = await call(String(b.first.endpoint), 'GetKey', { KeyIdentifier: arn });
    expect((got.Key as { KeyArn: string }).KeyArn).toBe(arn);
    expect(await stop(b.child)).toBe(0);
  });

  it('--account-id reaches the emulator: key ARNs carry it; in memory by default', async () => {
    const srv = await serve(['--account-id', '123456789012']);
    expect(srv.first).toMatchObject({ accountId: '123456789012', storage: 'memory', lmk: 'random (not persisted)' });
    const endpoint = String(srv.first.endpoint);
    expect(await call(endpoint, 'ListKeys', {})).toEqual({ Keys: [] });
    const created = await call(endpoint, 'CreateKey', {
      Exportable: false,
      KeyAttributes: { KeyAlgorithm: 'TDES_3KEY', KeyClass: 'SYMMETRIC_KEY', KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyModesOfUse: { Generate: true, Verify: true } },
    });
    expect((created.Key as { KeyArn: string }).KeyArn).toContain(':123456789012:key/');
    expect(await stop(srv.child)).toBe(0);
  });

  it('--audit-log: one JSON line per call, created 0600, flushed on SIGTERM; a missing directory does not start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paycrypt-serve-audit-'));
    const path = join(dir, 'audit.jsonl');
    const srv = await serve(['--audit-log', path]);
    expect(srv.first).toMatchObject({ ok: true, auditLog: path });
    const listed = await call(String(srv.first.endpoint), 'ListKeys', {});
    expect(listed).toEqual({ Keys: [] });
    expect(await stop(srv.child)).toBe(0);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ transport: 'http', plane: 'control-plane', operation: 'ListKeys', account: '111122223333', outcome: 'ok', status: 200 });
    const r = run(['--json', 'emulator', 'serve', '--port', '0', '--audit-log', join(dir, 'no', 'audit.jsonl')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(/ENOENT/);
  });

  it('bad options are usage errors (exit 2) before anything starts', () => {
    const r = run(['--json', 'emulator', 'serve', '--port', '70000']);
    expect(r.code).toBe(2);
    expect(json(r).error).toMatchObject({ code: 'USAGE' });
    expect(run(['emulator', 'serve', '--account-id', '12']).code).toBe(2);
  });
});
