import { describe, expect, it } from 'vitest';
import { Emulator, handleRequest } from '../src/index.js';
import { nestedDeeperThan, withoutNulls } from '../src/emulator.js';
import { startHttpServer } from '../src/transport/http-server.js';

/** Issue 11 item 6: deep JSON answers 400, never a stack overflow (500, which the SDK retries). */
const AUTH = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260110/us-east-1/payment-cryptography/aws4_request, SignedHeaders=host, Signature=0';
const nest = (levels: number) => `${'{"x":'.repeat(levels)}1${'}'.repeat(levels)}`;
const nestArrays = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('reliability: JSON nesting limit (issue 11 item 6)', () => {
  it('over HTTP: 5,000 and 100,000 levels in an unknown member → 400 SerializationException, both planes; 60 levels pass', async () => {
    const em = Emulator.inMemory();
    const s = await startHttpServer(em);
    const post = async (path: string, body: string, target?: string) => {
      const r = await fetch(`${s.endpoint}${path}`, {
        method: 'POST',
        headers: { authorization: AUTH, 'content-type': 'application/x-amz-json-1.0', ...(target ? { 'x-amz-target': `PaymentCryptographyControlPlane.${target}` } : {}) },
        body,
      });
      return { status: r.status, type: r.headers.get('x-amzn-errortype') };
    };
    try {
      for (const levels of [5_000, 100_000]) {
        for (const inner of [nest(levels), nestArrays(levels)]) {
          expect(await post('/', `{"Unknown":${inner}}`, 'ListKeys')).toEqual({ status: 400, type: 'SerializationException' });
          expect(await post('/keys/alias%2Fx/encrypt', `{"Unknown":${inner}}`)).toEqual({ status: 400, type: 'SerializationException' });
        }
      }
      // strings with brackets do not count; escaped quotes are handled
      expect((await post('/', `{"Unknown":"${'[{'.repeat(1000)}\\"${'{'.repeat(1000)}"}`, 'ListKeys')).status).toBe(200);
      expect((await post('/', `{"Unknown":${nest(60)}}`, 'ListKeys')).status).toBe(200);
    } finally {
      await s.close();
      await em.close();
    }
  });

  it('the limit is configurable; in-process call() and withoutNulls are safe at any depth', async () => {
    const em = Emulator.inMemory({ maxJsonDepth: 8 });
    const r = await handleRequest(em, { method: 'POST', headers: { 'x-amz-target': 'PaymentCryptographyControlPlane.ListKeys', authorization: AUTH }, body: `{"Unknown":${nest(8)}}` });
    expect([r.status, r.headers['x-amzn-errortype']]).toEqual([400, 'SerializationException']);
    const ok = await handleRequest(em, { method: 'POST', headers: { 'x-amz-target': 'PaymentCryptographyControlPlane.ListKeys', authorization: AUTH }, body: `{"Unknown":${nest(6)}}` });
    expect(ok.status).toBe(200);
    let deep: Record<string, unknown> = {};
    const top = deep;
    for (let i = 0; i < 200_000; i++) deep = (deep.x = {}) as Record<string, unknown>;
    await expect(em.call('ListKeys', { Unknown: top })).rejects.toMatchObject({ awsName: 'ValidationException' });
    expect(nestedDeeperThan(top, 64)).toBe(true);
    const copy = withoutNulls({ a: top, b: null, c: [1, null, { d: null, e: 2 }], ['__proto__']: 1 }) as Record<string, any>;
    expect(copy.b).toBeUndefined();
    expect(copy.c).toEqual([1, null, { e: 2 }]);
    // a computed ['__proto__'] member is an own property: it stays one, the prototype is untouched
    expect(Object.prototype.hasOwnProperty.call(copy, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(copy.a.x.x.x).toBeDefined();
    await em.close();
  });
});
