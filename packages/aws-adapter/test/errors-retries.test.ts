import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StandardRetryStrategy } from '@smithy/util-retry';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AccessDeniedException,
  InternalServerException,
  PaymentCryptographyDataClient,
  PaymentCryptographyDataServiceException,
  ResourceNotFoundException,
  ThrottlingException,
  ValidationException,
  VerificationFailedException,
} from '../src/index.js';
import { credentials } from './kit.js';

/** A tiny local server that answers a scripted sequence of (status, error type, body). */
interface Scripted {
  status: number;
  type?: string;
  body: Record<string, unknown>;
}
let script: Scripted[] = [];
let seen: Array<{ method: string; url: string; auth: string | undefined }> = [];
let server: Server;
let endpoint: string;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let b = '';
    req.on('data', (d: Buffer) => (b += d.toString()));
    req.on('end', () => resolve(b));
  });
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    await readBody(req);
    seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization });
    const next = script.shift() ?? { status: 200, body: { KeyArn: 'x', KeyCheckValue: 'ABCDEF', ValidationData: '123' } };
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-requestid': `req-${seen.length}` };
    if (next.type !== undefined) headers['x-amzn-errortype'] = next.type;
    res.writeHead(next.status, headers).end(JSON.stringify(next.body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  script = [];
  seen = [];
});

/** no waiting between attempts (the strategy's decisions are unchanged) */
const fast = () => new StandardRetryStrategy({ maxAttempts: 3, backoff: { computeNextBackoffDelay: () => 1, setDelayBase: () => {} } });
const input = { KeyIdentifier: 'alias/cvk', PrimaryAccountNumber: '4111111111111111', GenerationAttributes: { CardVerificationValue2: { CardExpiryDate: '1230' } } };

describe('retries (@smithy/util-retry StandardRetryStrategy)', () => {
  it('503 twice then 200: retried with the default strategy, 3 attempts', async () => {
    script = [
      { status: 503, type: 'ServiceUnavailableException', body: { Message: 'busy' } },
      { status: 503, type: 'ServiceUnavailableException', body: { Message: 'busy' } },
    ];
    const c = new PaymentCryptographyDataClient({ region: 'us-east-1', endpoint, credentials });
    const out = await c.generateCardValidationData(input);
    expect(out.ValidationData).toBe('123');
    expect(out.$metadata.attempts).toBe(3);
    expect(out.$metadata.requestId).toBe('req-3');
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(Array(3).fill('POST /cardvalidationdata/generate'));
    expect(seen.every((s) => s.auth?.startsWith('AWS4-HMAC-SHA256 '))).toBe(true);
  });

  it('500 InternalServerException then 200: retried', async () => {
    script = [{ status: 500, type: 'InternalServerException', body: { Message: 'oops' } }];
    const c = new PaymentCryptographyDataClient({ region: 'us-east-1', endpoint, credentials, retryStrategy: fast() });
    expect((await c.generateCardValidationData(input)).$metadata.attempts).toBe(2);
    expect(seen).toHaveLength(2);
  });

  it('429 ThrottlingException then 200: retried', async () => {
    script = [{ status: 429, type: 'ThrottlingException', body: { Message: 'slow down' } }];
    const c = new PaymentCryptographyDataClient({ region: 'us-east-1', endpoint, credentials, retryStrategy: fast() });
    expect((await c.generateCardValidationData(input)).$metadata.attempts).toBe(2);
  });

  it('429 on every attempt: ThrottlingException after maxAttempts (3)', async () => {
    script = Array(5).fill({ status: 429, type: 'ThrottlingException', body: { Message: 'slow down' } });
    const c = new PaymentCryptographyDataClient({ region: 'us-east-1', endpoint, credentials, retryStrategy: fast() });
    const err = (await c.generateCardValidationData(input).catch((e: unknown) => e)) as ThrottlingException;
    expect(err).toBeInstanceOf(ThrottlingException);
    expect(err.$metadata).toMatchObject({ httpStatusCode: 429, requestId: 'req-3', attempts: 3 });
    expect(seen).toHaveLength(3);
  });

  it('400 is not retried; ValidationException carries message and fieldList', async () => {
    script = [{ status: 400, type: 'ValidationException', body: { message: 'bad input', fieldList: [{ path: 'PrimaryAccountNumber', message: 'too short' }] } }];
    const c = new PaymentCryptographyDataClient({ region: 'us-east-1', endpoint, credentials, retryStrategy: fast() });
    const err = (await c.generateCardValidationData(input).catch((e: unknown) => e)) as ValidationException;
    expect(err).toBeInstanceOf(ValidationException);
    expect(err.message).toBe('bad input');
    expect(err.fieldList).toEqual([{ path: 'PrimaryAccountNumber', message: 'too short' }]);
    expect(err.$metadata).toMatchObject({ httpStatusCode: 400, requestId: 'req-1', attempts: 1 });
    expect(seen).toHaveLength(1);
  });
});

describe('error classes from the wire', () => {
  const cases: Array<[Scripted, new (...a: never[]) => PaymentCryptographyDataServiceException, Record<string, unknown>]> = [
    [{ status: 400, type: 'VerificationFailedException', body: { Reason: 'INVALID_MAC', Message: 'MAC verification failed' } }, VerificationFailedException, { Reason: 'INVALID_MAC', Message: 'MAC verification failed', $fault: 'client' }],
    [{ status: 404, type: 'ResourceNotFoundException', body: { ResourceId: 'alias/cvk', Message: 'not found' } }, ResourceNotFoundException, { ResourceId: 'alias/cvk', $fault: 'client' }],
    [{ status: 403, type: 'AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/', body: { Message: 'denied' } }, AccessDeniedException, { Message: 'denied' }],
    [{ status: 500, type: 'com.amazonaws.paymentcryptographydata#InternalServerException', body: { Message: 'x' } }, InternalServerException, { $fault: 'server' }],
  ];
  for (const [scripted, cls, fields] of cases) {
    it(`${cls.name} (HTTP ${scripted.status}) with its members and $metadata`, async () => {
      // 5xx would be retried: script the same answer for every attempt
      script = Array(3).fill(scripted);
      const c = new PaymentCryptographyDataClient({ region: 'us-east-1', endpoint, credentials, retryStrategy: fast() });
      const err = (await c.verifyMac({ KeyIdentifier: 'alias/mac', MessageData: '00', Mac: '0000', VerificationAttributes: { Algorithm: 'HMAC_SHA256' } }).catch((e: unknown) => e)) as PaymentCryptographyDataServiceException;
      expect(err).toBeInstanceOf(cls);
      expect(err.name).toBe(cls.name);
      expect(err).toMatchObject(fields);
      expect(err.$metadata.httpStatusCode).toBe(scripted.status);
      expect(err.$metadata.requestId).toMatch(/^req-\d$/);
    });
  }
  it('an unmodelled error keeps its name on the base class; the body __type is read when the header is absent', async () => {
    script = [{ status: 400, body: { __type: 'SerializationException', message: 'bad json' } }];
    const c = new PaymentCryptographyDataClient({ region: 'us-east-1', endpoint, credentials, retryStrategy: fast() });
    const err = (await c.generateCardValidationData(input).catch((e: unknown) => e)) as PaymentCryptographyDataServiceException;
    expect(err).toBeInstanceOf(PaymentCryptographyDataServiceException);
    expect(err.name).toBe('SerializationException');
    expect(err.message).toBe('bad json');
  });
  it('a connection refused is retried, then surfaces as the network error', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    let calls = 0;
    const c = new PaymentCryptographyDataClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials,
      retryStrategy: fast(),
      transport: async (req) => {
        calls++;
        const res = await fetch(req.url, { method: req.method, body: req.body });
        return { status: res.status, headers: {}, body: await res.text() };
      },
    });
    const err = await c.generateCardValidationData(input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(calls).toBe(3);
  });
});
