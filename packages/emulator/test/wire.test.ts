import { GetKeyCommand, ImportKeyCommand, ListKeysCommand } from '@aws-sdk/client-payment-cryptography';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROL_PLANE, Emulator, CONTROL_OPERATION_NAMES, CONTROL_PLANE_MODEL } from '../src/index.js';
import { startHttpServer, type RunningServer } from '../src/transport/http-server.js';
import { notImplemented } from '../src/core/registry.js';
import { failure, harness } from './helpers.js';

const AUTH = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260110/eu-central-1/payment-cryptography/aws4_request, SignedHeaders=host, Signature=00';

function post(server: RunningServer, headers: Record<string, string>, body: string | Buffer, method = 'POST') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: server.host, port: server.port, path: '/', method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('registry', () => {
  it('every operation of the newest control-plane model has a handler or an explicit not-implemented entry', () => {
    expect(CONTROL_OPERATION_NAMES).toHaveLength(32);
    for (const op of CONTROL_OPERATION_NAMES) {
      const entry = CONTROL_PLANE[op];
      expect(entry, op).toBeDefined();
      expect(['handler', 'not-implemented'], op).toContain(entry.kind);
    }
    expect(Object.keys(CONTROL_PLANE).sort()).toEqual([...CONTROL_OPERATION_NAMES].sort());
    // every operation has a real handler now; the not-implemented path is tested below with a replaced table
    expect(CONTROL_OPERATION_NAMES.filter((op) => CONTROL_PLANE[op].kind === 'not-implemented')).toEqual([]);
  });

  it('the committed model knows the 20 SDK operations and the 12 newer ones', () => {
    expect(CONTROL_OPERATION_NAMES.filter((op) => CONTROL_PLANE_MODEL.operations[op].inSdk)).toHaveLength(20);
    expect(CONTROL_OPERATION_NAMES.filter((op) => !CONTROL_PLANE_MODEL.operations[op].inSdk)).toHaveLength(12);
  });

  it('does not read /work/shared at run time', () => {
    for (const f of ['../src/model/control-plane.generated.ts', '../src/model/data-plane.generated.ts', '../src/emulator.ts']) {
      expect(readFileSync(new URL(f, import.meta.url), 'utf8')).not.toContain('/work/shared');
    }
  });
});

describe('wire protocol over HTTP', () => {
  let em: Emulator;
  let server: RunningServer;
  beforeAll(async () => {
    em = Emulator.inMemory({ operations: { ...CONTROL_PLANE, GetPublicKeyCertificate: notImplemented() } });
    server = await startHttpServer(em, { maxBodyBytes: 4096 });
  });
  afterAll(async () => server.close());

  const base = { 'content-type': 'application/x-amz-json-1.0', authorization: AUTH };

  it('answers a GetKey of an unknown key with 404, both error-type header and __type, and a request id', async () => {
    const r = await post(
      server,
      { ...base, 'x-amz-target': 'PaymentCryptographyControlPlane.GetKey' },
      JSON.stringify({ KeyIdentifier: 'arn:aws:payment-cryptography:eu-central-1:111122223333:key/abcdefghijklmnop' }),
    );
    expect(r.status).toBe(404);
    expect(r.headers['x-amzn-errortype']).toBe('ResourceNotFoundException');
    expect(r.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    const body = JSON.parse(r.body);
    expect(body.__type).toBe('ResourceNotFoundException');
    expect(body.ResourceId).toContain('key/abcdefghijklmnop');
  });

  it('reads the region from the SigV4 credential scope and writes timestamps as epoch seconds', async () => {
    const r = await post(
      server,
      { ...base, 'x-amz-target': 'PaymentCryptographyControlPlane.CreateKey' },
      JSON.stringify({
        Exportable: true,
        KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true } },
      }),
    );
    expect(r.status).toBe(200);
    const key = JSON.parse(r.body).Key;
    expect(key.KeyArn).toContain(':eu-central-1:111122223333:key/');
    expect(typeof key.CreateTimestamp).toBe('number');
    expect(Math.abs(key.CreateTimestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(Object.keys(key.KeyAttributes.KeyModesOfUse)).toHaveLength(9);
  });

  it('a 12-digit access key id selects the account', async () => {
    const r = await post(
      server,
      { ...base, authorization: AUTH.replace('AKIDEXAMPLE', '444455556666'), 'x-amz-target': 'PaymentCryptographyControlPlane.CreateKey' },
      JSON.stringify({ Exportable: true, KeyAttributes: { KeyUsage: 'TR31_B0_BASE_DERIVATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_128', KeyModesOfUse: { DeriveKey: true } } }),
    );
    expect(JSON.parse(r.body).Key.KeyArn).toContain(':444455556666:key/');
  });

  const bad: Array<[string, Record<string, string>, string, number, string, string?]> = [
    ['malformed JSON', { 'x-amz-target': 'PaymentCryptographyControlPlane.ListKeys' }, '{"a":', 400, 'SerializationException'],
    ['a JSON array body', { 'x-amz-target': 'PaymentCryptographyControlPlane.ListKeys' }, '[1]', 400, 'SerializationException'],
    ['no target', {}, '{}', 400, 'UnknownOperationException'],
    ['an unknown operation', { 'x-amz-target': 'PaymentCryptographyControlPlane.Nope' }, '{}', 400, 'UnknownOperationException'],
    ['another service prefix', { 'x-amz-target': 'TrentService.ListKeys' }, '{}', 400, 'UnknownOperationException'],
    ['a GET', { 'x-amz-target': 'PaymentCryptographyControlPlane.ListKeys' }, '', 400, 'UnknownOperationException', 'GET'],
    ['an oversized body', { 'x-amz-target': 'PaymentCryptographyControlPlane.ListKeys' }, `{"x":"${'a'.repeat(10_000)}"}`, 413, 'RequestEntityTooLargeException'],
    ['a wrong member type', { 'x-amz-target': 'PaymentCryptographyControlPlane.ListKeys' }, '{"MaxResults":"ten"}', 400, 'ValidationException'],
    ['a not-implemented operation', { 'x-amz-target': 'PaymentCryptographyControlPlane.GetPublicKeyCertificate' }, JSON.stringify({ KeyIdentifier: 'alias/x-y' }), 501, 'NotImplementedException'],
  ];
  it.each(bad)('answers %s with a clean error', async (_what, headers, body, status, name, method) => {
    const r = await post(server, { ...base, ...headers }, body, method);
    expect(r.status).toBe(status);
    expect(r.headers['x-amzn-errortype']).toBe(name);
    expect(JSON.parse(r.body).__type).toBe(name);
    // the server is still alive
    const ok = await post(server, { ...base, 'x-amz-target': 'PaymentCryptographyControlPlane.ListKeys' }, '{}');
    expect(ok.status).toBe(200);
  });

  it('accepts an empty body as {} and ignores unknown members', async () => {
    expect((await post(server, { ...base, 'x-amz-target': 'PaymentCryptographyControlPlane.ListKeys' }, '')).status).toBe(200);
    expect((await post(server, { ...base, 'x-amz-target': 'PaymentCryptographyControlPlane.ListKeys' }, '{"Whatever":1}')).status).toBe(200);
  });
});

describe('SDK sees not-implemented operations and error metadata', () => {
  it.each(['in-process', 'http'] as const)('a not-implemented entry (replaced table) answers NotImplementedException 501 (%s)', async (t) => {
    const h = await harness(t, { operations: { ...CONTROL_PLANE, ImportKey: notImplemented() } });
    try {
      const e = await failure(() =>
        h.client.send(new ImportKeyCommand({ KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: 'alias/kek', WrappedKeyBlock: 'D0112'.padEnd(112, '0') } } })),
      );
      expect(e.name).toBe('NotImplementedException');
      expect(e.$metadata.httpStatusCode).toBe(501);
      expect(e.message).toBe('ImportKey is not implemented by this emulator yet');
      const e2 = await failure(() => h.client.send(new ImportKeyCommand({ KeyMaterial: {} as never })));
      expect(e2.name).toBe('ValidationException'); // validation runs first
      expect((await h.client.send(new ListKeysCommand({}))).Keys).toEqual([]);
      expect(await failure(() => h.client.send(new GetKeyCommand({} as never)))).toHaveProperty('name', 'ValidationException');
    } finally {
      await h.close();
    }
  });
});
