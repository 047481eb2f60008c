// migrate import's two ways to the control plane (src/commands/migrate-wire.ts):
// - the wire path (an emulator over HTTP): its SigV4 signature recomputed here with node:crypto from
//   the request as received (AWS SigV4: canonical request, string to sign, HMAC chain), accepted by
//   an emulator that verifies signatures and refused by one with another secret; its error answers
//   read as the SDK reads them; a reset on a reused keep-alive socket retried once, no other.
// - the SDK path (target aws), against the same emulator, giving the same result lines.
import { PaymentCryptographyClient } from '@aws-sdk/client-payment-cryptography';
import { EMULATOR_CREDENTIALS } from '@paycrypt/aws-adapter';
import { Emulator, startHttpServer, type RunningServer } from '@paycrypt/emulator';
import { tr31HeaderFieldsFromAws, wrapTr31 } from '@paycrypt/keyblock';
import { spawn } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isServiceFault, serviceErrorText } from '../src/service.js';
import { wireCalls } from '../src/commands/migrate-wire.js';
import { importKek } from './oracles/kek.js';
import { tdesKcvOracle } from './oracles/kcv.js';
import { BIN, buildOnce, tempFile } from './run-cli.js';

const sha256 = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');
const hmac = (key: Buffer | string, s: string): Buffer => createHmac('sha256', key).update(s).digest();

/** AWS SigV4 of a received request (header-based, no query), node:crypto only. */
function sigv4Oracle(req: { method: string; path: string; headers: IncomingMessage['headers'] }, body: string, secret: string): { ok: boolean; scope: string[] } {
  const auth = String(req.headers['authorization']);
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
  if (m === null) return { ok: false, scope: [] };
  const [, , date, region, service, signedHeaders, signature] = m as unknown as string[];
  const names = signedHeaders!.split(';');
  const canonicalHeaders = names.map((n) => `${n}:${String(req.headers[n]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonical = [req.method, req.path, '', canonicalHeaders, signedHeaders, sha256(body)].join('\n');
  const amzDate = String(req.headers['x-amz-date']);
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date!), region!), service!), 'aws4_request');
  return { ok: hmac(key, toSign).toString('hex') === signature, scope: [region!, service!, names.join(';')] };
}

/** A local HTTP server answering each request with `answer(request, body, nth request on its socket)`. */
async function fakeService(answer: (req: IncomingMessage, body: string, nth: number, res: import('node:http').ServerResponse) => void): Promise<{ server: Server; port: number }> {
  const perSocket = new WeakMap<object, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const nth = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, nth);
      answer(req, Buffer.concat(chunks).toString('utf8'), nth, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

const creds = async () => ({ accessKeyId: 'AKIDWIRETEST', secretAccessKey: 'wire-test-secret' });

describe('migrate import wire path (awsJson1_0, SigV4)', () => {
  it('signs as SigV4 says (node:crypto recomputes the signature) and sends the awsJson1_0 request', async () => {
    let seen: { ok: boolean; scope: string[]; target: unknown; type: unknown; body: unknown } | undefined;
    const { server, port } = await fakeService((req, body, _n, res) => {
      seen = { ...sigv4Oracle({ method: req.method!, path: req.url!, headers: req.headers }, body, 'wire-test-secret'), target: req.headers['x-amz-target'], type: req.headers['content-type'], body: JSON.parse(body) };
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'req-1' }).end('{"Keys":[],"NextToken":null}');
    });
    const cp = await wireCalls({ protocol: 'http:', hostname: '127.0.0.1', port, path: '/' }, 'eu-west-3', creds, 2);
    const out = await cp.call('ListKeys', { MaxResults: 7 });
    await cp.close();
    server.close();
    expect(seen).toMatchObject({ ok: true, target: 'PaymentCryptographyControlPlane.ListKeys', type: 'application/x-amz-json-1.0', body: { MaxResults: 7 } });
    expect(seen!.scope.slice(0, 2)).toEqual(['eu-west-3', 'payment-cryptography']);
    // the headers that make the request what it is are under the signature
    for (const h of ['host', 'x-amz-date', 'x-amz-target', 'content-type']) expect(seen!.scope[2]!.split(';')).toContain(h);
    expect(out.Keys).toEqual([]);
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.requestId).toBe('req-1');
  });

  it('reads error answers as the SDK does: type without namespace, $fault from the status', async () => {
    const answers = [
      (res: import('node:http').ServerResponse) => res.writeHead(400, { 'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/' }).end('{"message":"bad KeyArn"}'),
      (res: import('node:http').ServerResponse) => res.writeHead(404).end('{"__type":"com.amazonaws.paymentcryptography#ResourceNotFoundException","Message":"no such key"}'),
      (res: import('node:http').ServerResponse) => res.writeHead(500).end('{"__type":"InternalServerException","message":"boom"}'),
      (res: import('node:http').ServerResponse) => res.writeHead(502).end('<html>bad gateway</html>'),
      (res: import('node:http').ServerResponse) => res.writeHead(400).end('{"__type":"ThrottlingException","message":"slow down"}'),
    ];
    let i = 0;
    const { server, port } = await fakeService((_req, _body, _n, res) => answers[i++]!(res));
    const cp = await wireCalls({ protocol: 'http:', hostname: '127.0.0.1', port, path: '/' }, 'us-east-1', creds, 1);
    const errors: Record<string, unknown>[] = [];
    for (let k = 0; k < answers.length; k++) errors.push(await cp.call('ListAliases', {}).then(() => ({}), (e: Record<string, unknown>) => e));
    await cp.close();
    server.close();
    expect(errors.map((e) => [e['name'], e['$fault'], (e['$metadata'] as { httpStatusCode?: number })?.httpStatusCode, e['message']])).toEqual([
      ['ValidationException', 'client', 400, 'bad KeyArn'],
      ['ResourceNotFoundException', 'client', 404, 'no such key'],
      ['InternalServerException', 'server', 500, 'boom'],
      ['HTTP502', 'server', 502, 'HTTP 502'],
      ['ThrottlingException', 'client', 400, 'slow down'],
    ]);
    // what the command makes of them: input errors (exit 1) versus the service's (exit 3)
    expect(errors.map((e) => isServiceFault(e))).toEqual([false, false, true, true, true]);
    expect(serviceErrorText(errors[0])).toBe('ValidationException: bad KeyArn');
  });

  it('retries a request once when its reused keep-alive socket is closed unanswered; a fresh socket is not retried', async () => {
    let requests = 0;
    const { server, port } = await fakeService((_req, _body, nth, res) => {
      requests++;
      if (nth === 2) res.socket!.destroy(); // the second request on a connection: closed, never answered
      else res.writeHead(200).end('{"Aliases":[]}');
    });
    const cp = await wireCalls({ protocol: 'http:', hostname: '127.0.0.1', port, path: '/' }, 'us-east-1', creds, 1);
    await cp.call('ListAliases', {});
    await expect(cp.call('ListAliases', {})).resolves.toMatchObject({ Aliases: [] });
    expect(requests).toBe(3); // first; second (closed); the retry on a new connection
    await cp.close();
    server.close();

    const dead = await fakeService((_req, _body, _n, res) => res.socket!.destroy());
    const cp2 = await wireCalls({ protocol: 'http:', hostname: '127.0.0.1', port: dead.port, path: '/' }, 'us-east-1', creds, 1);
    const e = await cp2.call('ListAliases', {}).then(() => undefined, (x: unknown) => x);
    await cp2.close();
    dead.server.close();
    expect(e).toBeInstanceOf(Error);
    expect(isServiceFault(e)).toBe(true); // no answer: the service's problem, exit 3
  });

  it('a request whose socket stays silent past the timeout fails with TimeoutError, on a fresh and on a reused socket', async () => {
    const { server, port } = await fakeService((_req, _body, nth, res) => {
      if (nth === 1) res.writeHead(200).end('{"Aliases":[]}'); // the first answer, then silence
    });
    const cp = await wireCalls({ protocol: 'http:', hostname: '127.0.0.1', port, path: '/' }, 'us-east-1', creds, 1, { timeoutMs: 300 });
    await expect(cp.call('ListAliases', {})).resolves.toMatchObject({ Aliases: [] });
    const t0 = performance.now();
    const e = await cp.call('ListAliases', {}).then(() => undefined, (x: unknown) => x);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(250);
    expect(e).toMatchObject({ name: 'TimeoutError', message: 'no answer within 0.3 s' });
    expect(isServiceFault(e)).toBe(true);
    const silent = await fakeService(() => {});
    const cp2 = await wireCalls({ protocol: 'http:', hostname: '127.0.0.1', port: silent.port, path: '/' }, 'us-east-1', creds, 1, { timeoutMs: 300 });
    await expect(cp2.call('ListKeys', {})).rejects.toMatchObject({ name: 'TimeoutError' });
    await cp.close();
    await cp2.close();
    server.closeAllConnections();
    silent.server.closeAllConnections();
    server.close();
    silent.server.close();
  });
});

// ---- the built bin against emulators over HTTP --------------------------------------------------

interface Run {
  code: number | null;
  lines: Record<string, unknown>[];
  stderr: string;
}

function migrate(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'migrate', 'import', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, stderr: err, lines: out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>) }));
  });
}

const FIELDS = tr31HeaderFieldsFromAws({ KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } as never }, 'E');

async function withEmulator(options: Parameters<typeof Emulator.inMemory>[0]): Promise<{ em: Emulator; server: RunningServer; kekArn: string; blocks: { block: string; kcv: string }[] }> {
  const em = Emulator.inMemory(options);
  const server = await startHttpServer(em);
  const c = new PaymentCryptographyClient({ region: 'us-east-1', endpoint: server.endpoint, credentials: EMULATOR_CREDENTIALS, maxAttempts: 1 });
  const { arn: kekArn, clear } = await importKek(c);
  c.destroy();
  const blocks = Array.from({ length: 12 }, () => {
    const key = new Uint8Array(randomBytes(16));
    return { block: wrapTr31(clear, { version: 'D', keyVersion: '00', keyContext: '0', optionalBlocks: [], ...FIELDS }, key), kcv: tdesKcvOracle(Buffer.from(key).toString('hex')) };
  });
  return { em, server, kekArn, blocks };
}

describe('paycrypt migrate import: wire path and SDK path against an HTTP emulator', () => {
  let verifying: Awaited<ReturnType<typeof withEmulator>>;
  let plain: Awaited<ReturnType<typeof withEmulator>>;
  beforeAll(async () => {
    buildOnce();
    verifying = await withEmulator({ credentials: { [EMULATOR_CREDENTIALS.accessKeyId]: { secretAccessKey: EMULATOR_CREDENTIALS.secretAccessKey, accountId: '111122223333' } } });
    plain = await withEmulator({});
  }, 60_000);
  afterAll(async () => {
    for (const e of [verifying, plain]) {
      await e?.server.close();
      await e?.em.close();
    }
  });

  const file = (e: Awaited<ReturnType<typeof withEmulator>>, from: number, to: number): string =>
    tempFile(e.blocks.slice(from, to).map((b, i) => JSON.stringify({ block: b.block, ...(i === 0 ? { alias: `alias/wire-${from}` } : {}) })).join('\n') + '\n');

  it('an emulator that verifies SigV4 accepts the wire path; the KCVs are node:crypto\'s', async () => {
    const r = await migrate([file(verifying, 0, 6), '--endpoint', verifying.server.endpoint, '--wrapping-key', verifying.kekArn, '--concurrency', '3']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines).toHaveLength(6);
    for (const l of r.lines) expect(l).toMatchObject({ status: 'imported', keyCheckValue: verifying.blocks[(l.line as number) - 1]!.kcv });
    expect(r.lines.find((l) => l.line === 1)).toMatchObject({ alias: 'alias/wire-0' });
  }, 30_000);

  it('a signature under another secret is refused before anything is imported (exit 3)', async () => {
    const em = Emulator.inMemory({ credentials: { [EMULATOR_CREDENTIALS.accessKeyId]: { secretAccessKey: 'another-secret', accountId: '111122223333' } } });
    const server = await startHttpServer(em);
    const r = await migrate([file(verifying, 6, 7), '--endpoint', server.endpoint, '--wrapping-key', verifying.kekArn]);
    await server.close();
    await em.close();
    expect(r.code).toBe(3);
    expect(r.lines).toHaveLength(0);
    expect(r.stderr).toContain('cannot list the existing keys: InvalidSignatureException');
    expect(r.stderr).not.toContain(EMULATOR_CREDENTIALS.secretAccessKey);
  }, 30_000);

  it('target aws takes the SDK path to the same kind of emulator: the same result lines, and a rerun skips', async () => {
    const env = { AWS_ACCESS_KEY_ID: 'AKIDSDKPATH', AWS_SECRET_ACCESS_KEY: 'sdk-path-secret', AWS_REGION: 'us-east-1' };
    const f = file(plain, 0, 8);
    const sdk = await migrate([f, '--target', 'aws', '--endpoint', plain.server.endpoint, '--wrapping-key', plain.kekArn], env);
    expect(sdk.code, sdk.stderr).toBe(0);
    expect(sdk.lines.map((l) => [l.line, l.status, l.keyCheckValue]).sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual(
      plain.blocks.slice(0, 8).map((b, i) => [i + 1, 'imported', b.kcv]),
    );
    const wire = await migrate([f, '--target', 'emulator', '--endpoint', plain.server.endpoint, '--wrapping-key', plain.kekArn]);
    expect(wire.code, wire.stderr).toBe(0);
    expect(wire.lines.every((l) => l.status === 'skipped')).toBe(true);
    expect(new Map(wire.lines.map((l) => [l.line, l.keyArn]))).toEqual(new Map(sdk.lines.map((l) => [l.line, l.keyArn])));
  }, 30_000);
});
