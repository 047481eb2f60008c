import { ListKeysCommand, PaymentCryptographyClient } from '@aws-sdk/client-payment-cryptography';
import fc from 'fast-check';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emulator } from '../src/emulator.js';
import { CONTROL_PLANE_MODEL, DATA_PLANE_MODEL } from '../src/index.js';
import { handleRequest } from '../src/protocol/router.js';
import { startHttpServer, type RunningServer } from '../src/transport/http-server.js';
import { auditLines, botoCalls, expectNoSecrets, type AuditLine } from './audit-kit.js';
import { hasBoto3 } from './data-plane-kit.js';
import { failure } from './helpers.js';

/**
 * Requests refused before or by the router get their audit line too, with what was known when
 * they were refused: SigV4 failures (no account, no region), a refused Host (no operation), a body
 * that is not JSON, a body too large, an unknown operation, a scope region that is no region.
 * Each line's request id is the answer's x-amzn-RequestId.
 */
const AKID = 'AKIDAUDITALICE';
const SECRET = 'audit-secret-0123456789abcdef';
const ACCOUNT = '444455556666';
const ARN = 'arn:aws:payment-cryptography:us-east-1:111122223333:key/abcdefghijklmnop';
const runBoto = it.runIf(hasBoto3());

interface Raw {
  status: number;
  type: string | undefined;
  requestId: string | undefined;
}

function raw(port: number, opts: { path?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port, method: 'POST', path: opts.path ?? '/', headers: { host: `127.0.0.1:${port}`, ...opts.headers }, setHost: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['x-amzn-errortype'] as string | undefined, requestId: res.headers['x-amzn-requestid'] as string | undefined }));
    });
    r.on('error', reject);
    r.end(opts.body ?? '{}');
  });
}

const target = (op: string) => ({ 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `PaymentCryptographyControlPlane.${op}` });
const scope = (akid: string, region: string) => ({ authorization: `AWS4-HMAC-SHA256 Credential=${akid}/20250101/${region}/payment-cryptography/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}` });

/** The line of the answer `r` (by request id): exactly one. */
function lineOf(lines: AuditLine[], r: Raw): AuditLine {
  const found = lines.filter((l) => l.requestId === r.requestId);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('audit lines of refused requests', () => {
  let path: string;
  let em: Emulator;
  let server: RunningServer;
  beforeAll(async () => {
    path = join(mkdtempSync(join(tmpdir(), 'paycrypt-audit-')), 'audit.jsonl');
    em = Emulator.inMemory({ auditLog: path });
    server = await startHttpServer(em, { maxBodyBytes: 4096 });
  });
  afterAll(async () => {
    await server?.close();
    await em?.close();
  });

  it('Host refused, body not JSON (both planes), body too large, unknown operation, a scope region that is no region', async () => {
    const p = server.port;
    const host = await raw(p, { headers: { ...target('ListKeys'), host: 'evil.example' } });
    const json = await raw(p, { headers: target('GetKey'), body: `{"KeyIdentifier": "${ARN}"` });
    const dataJson = await raw(p, { path: `/keys/${encodeURIComponent(ARN)}/encrypt`, headers: { 'content-type': 'application/json' }, body: '{"PlainText": "00' });
    const large = await raw(p, { headers: target('CreateKey'), body: Buffer.alloc(8192, 0x20) });
    const unknown = await raw(p, { headers: target('NoSuchOperation') });
    const region = await raw(p, { headers: { ...target('ListKeys'), ...scope('AKIDEXAMPLE', '..') } });
    expect([host, json, dataJson, large, unknown, region].map((r) => [r.status, r.type])).toEqual([
      [403, 'AccessDeniedException'],
      [400, 'SerializationException'],
      [400, 'SerializationException'],
      [413, 'RequestEntityTooLargeException'],
      [400, 'UnknownOperationException'],
      [400, 'InvalidSignatureException'],
    ]);
    const lines = await auditLines(em, path);
    expect(lines).toHaveLength(6);
    const base = (l: AuditLine) => ({ time: l.time, requestId: l.requestId, transport: 'http' });
    let l = lineOf(lines, host);
    expect(l).toEqual({ ...base(l), outcome: 'AccessDeniedException', status: 403 });
    l = lineOf(lines, json);
    expect(l).toEqual({ ...base(l), plane: 'control-plane', operation: 'GetKey', account: '111122223333', region: 'us-east-1', outcome: 'SerializationException', status: 400 });
    // the data plane's URI label still names the key
    l = lineOf(lines, dataJson);
    expect(l).toEqual({ ...base(l), plane: 'data-plane', operation: 'EncryptData', account: '111122223333', region: 'us-east-1', keyIdentifier: ARN, outcome: 'SerializationException', status: 400 });
    l = lineOf(lines, large);
    expect(l).toEqual({ ...base(l), plane: 'control-plane', operation: 'CreateKey', outcome: 'RequestEntityTooLargeException', status: 413 });
    l = lineOf(lines, unknown);
    expect(l).toEqual({ ...base(l), account: '111122223333', region: 'us-east-1', outcome: 'UnknownOperationException', status: 400 });
    l = lineOf(lines, region);
    expect(l).toEqual({ ...base(l), plane: 'control-plane', operation: 'ListKeys', account: '111122223333', outcome: 'InvalidSignatureException', status: 400 });
    expect(readFileSync(path, 'utf8')).not.toContain('evil.example');
  });
});

describe('audit lines with SigV4 verification', () => {
  let path: string;
  let em: Emulator;
  let server: RunningServer;
  beforeAll(async () => {
    path = join(mkdtempSync(join(tmpdir(), 'paycrypt-audit-')), 'audit.jsonl');
    em = Emulator.inMemory({ auditLog: path, credentials: { [AKID]: { secretAccessKey: SECRET, accountId: ACCOUNT } } });
    server = await startHttpServer(em);
  });
  afterAll(async () => {
    await server?.close();
    await em?.close();
  });

  const sdk = (secretAccessKey: string) =>
    new PaymentCryptographyClient({ region: 'ap-southeast-2', endpoint: server.endpoint, credentials: { accessKeyId: AKID, secretAccessKey }, maxAttempts: 1 });

  it('a verified call carries the credential and its account; refused ones neither account nor region', async () => {
    const good = sdk(SECRET);
    const bad = sdk('not-the-secret');
    const ok = await good.send(new ListKeysCommand({}));
    const wrong = await failure(() => bad.send(new ListKeysCommand({})));
    good.destroy();
    bad.destroy();
    expect(wrong.name).toBe('InvalidSignatureException');
    const missing = await raw(server.port, { headers: target('ListKeys') });
    const unknownKey = await raw(server.port, { headers: { ...target('ListKeys'), ...scope('AKIDNOBODY', 'us-east-1'), 'x-amz-date': '20250101T000000Z' } });
    expect([missing.type, unknownKey.type]).toEqual(['MissingAuthenticationTokenException', 'UnrecognizedClientException']);

    const lines = await auditLines(em, path);
    expect(lines).toHaveLength(4);
    const common = { transport: 'http', plane: 'control-plane', operation: 'ListKeys' };
    expect(lines[0]).toEqual({ time: lines[0]!.time, requestId: ok.$metadata.requestId, ...common, account: ACCOUNT, region: 'ap-southeast-2', accessKeyId: AKID, outcome: 'ok', status: 200 });
    expect(lines[1]).toEqual({ time: lines[1]!.time, requestId: (wrong.$metadata as { requestId?: string }).requestId, ...common, outcome: 'InvalidSignatureException', status: 403 });
    expect(lineOf(lines, missing)).toEqual({ time: lines[2]!.time, requestId: missing.requestId, ...common, outcome: 'MissingAuthenticationTokenException', status: 403 });
    expect(lineOf(lines, unknownKey)).toEqual({ time: lines[3]!.time, requestId: unknownKey.requestId, ...common, outcome: 'UnrecognizedClientException', status: 403 });
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('not-the-secret');
    expect(text).not.toContain('AKIDNOBODY');
  });

  runBoto('boto3 with an unknown access key: the data-plane line names the operation, nothing of the body', async () => {
    const from = (await auditLines(em, path)).length;
    const [r] = await botoCalls(server.endpoint, [
      { op: 'generate_card_validation_data', params: { KeyIdentifier: ARN, PrimaryAccountNumber: '4123456789012345', GenerationAttributes: { CardVerificationValue2: { CardExpiryDate: '1230' } } } },
    ]);
    expect(r).toMatchObject({ error: 'UnrecognizedClientException', status: 403 });
    const lines = (await auditLines(em, path)).slice(from);
    expect(lines).toEqual([{ time: lines[0]!.time, requestId: r!.requestId, transport: 'http', plane: 'data-plane', operation: 'GenerateCardValidationData', outcome: 'UnrecognizedClientException', status: 403 }]);
    expect(readFileSync(path, 'utf8')).not.toContain('4123456789012345');
  });
});

describe('audit lines of random requests', () => {
  let path: string;
  let em: Emulator;
  beforeAll(() => {
    path = join(mkdtempSync(join(tmpdir(), 'paycrypt-audit-')), 'audit.jsonl');
    em = Emulator.inMemory({ auditLog: path });
  });
  afterAll(async () => em?.close());

  const controlOps = Object.keys(CONTROL_PLANE_MODEL.operations);
  const dataRoutes = Object.values(DATA_PLANE_MODEL.operations).map((o) => o.http!.uri);
  const secret = fc.uint8Array({ minLength: 8, maxLength: 40 }).map((b) => Buffer.from(b).toString('hex').toUpperCase());
  /** a member value: a secret, or a structure that puts it in key-identifier members too */
  const value = (s: string) => fc.constantFrom<unknown>(s, { KeyIdentifier: s, WrappingKeyIdentifier: s, WrappedKeyBlock: s }, [s], { Tr31KeyBlock: { WrappingKeyIdentifier: s, WrappedKeyBlock: s } }, null);
  const members = ['KeyIdentifier', 'KeyArn', 'AliasName', 'ResourceArn', 'KeyMaterial', 'PrimaryAccountNumber', 'EncryptedPinBlock', 'PlainText', 'Tags', 'ImportKeyMaterial'];
  const request = secret.chain((s) =>
    fc.record({
      secret: fc.constant(s),
      control: fc.boolean(),
      op: fc.constantFrom(...controlOps, 'NoSuch'),
      route: fc.constantFrom(...dataRoutes),
      body: fc.oneof(fc.dictionary(fc.constantFrom(...members), value(s)).map((o) => JSON.stringify(o)), fc.constant(`{"KeyIdentifier": "${s}"`)),
    }),
  );

  it('every request, valid or not, gets exactly one well-formed line and none of its secret values', async () => {
    const seen: { requestId: string; secret: string }[] = [];
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const res = r.control
          ? await handleRequest(em, { method: 'POST', path: '/', headers: { 'x-amz-target': `PaymentCryptographyControlPlane.${r.op}` }, body: r.body })
          : await handleRequest(em, { method: 'POST', path: r.route.replace(/\{[^}]+\}/g, encodeURIComponent(r.secret)), headers: {}, body: r.body });
        expect(res.status).toBeLessThan(500);
        seen.push({ requestId: res.headers['x-amzn-requestid']!, secret: r.secret });
      }),
      { numRuns: 150 },
    );
    const lines = await auditLines(em, path);
    expect(lines.map((l) => l.requestId)).toEqual(seen.map((s) => s.requestId));
    expectNoSecrets(readFileSync(path, 'utf8'), seen.map((s) => s.secret));
  });
});
