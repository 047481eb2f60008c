import { request, Agent } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROL_OPERATION_NAMES, CONTROL_PLANE_MODEL, isAwsError, type ControlOperationName as OperationName } from '../src/index.js';
import { startHttpServer, type RunningServer } from '../src/transport/http-server.js';
import { CALL_TIMEOUT_MS, CLIENT_ERRORS, NOT_IMPLEMENTED_RE, PROTOCOL_ERRORS, cheapen, em, ids, mutatedExample, raw, repair, seed, shapeArb, withTimeout } from './robustness-kit.js';

/**
 * Robustness properties of the control plane: for every operation of the newest model, arbitrary
 * inputs (random JSON, and values shaped after the model with edge and wrong-typed members and
 * identifiers of existing and missing keys) either succeed or fail with one of the AWS client
 * errors the model lists for that operation — never InternalServerException, never a hang.
 * Over raw HTTP, random requests always get a 2xx/4xx answer (501 only for the explicit
 * not-implemented material type) with the error name in `x-amzn-errortype`.
 *
 * Before each run the seeded keys and aliases are put back (repair()). The generators, the seed
 * and the cost control are in robustness-kit.ts.
 */

const NUM_RUNS = 120;
const counts = new Map<string, { ok: number; failed: number }>();

const show = (v: unknown): string => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 400 ? `${s.slice(0, 400)}…` : s;
};

/** Call the core; pass if it succeeds or fails with an AWS client error the model lists for `op`. */
async function checkCall(op: OperationName, input: unknown): Promise<void> {
  raw.last = undefined;
  const c = counts.get(op) ?? { ok: 0, failed: 0 };
  counts.set(op, c);
  try {
    await withTimeout(em.call(op, input), op);
    c.ok++;
    return;
  } catch (e) {
    c.failed++;
    if (!isAwsError(e)) throw new Error(`${op} threw a non-AWS error ${String(e)} for ${show(input)}`);
    if (e.awsName === 'NotImplementedException' && NOT_IMPLEMENTED_RE.test(e.message)) return;
    const listed = CONTROL_PLANE_MODEL.operations[op].errors.includes(e.awsName) && CLIENT_ERRORS.has(e.awsName);
    if (!listed) {
      const r = raw.last;
      const detail = r instanceof Error ? `${r.name}: ${r.message}\n${r.stack ?? ''}` : String(r);
      throw new Error(`${op} answered ${e.awsName} (${e.message}) for ${show(input)}; raw: ${detail}`);
    }
  }
}

beforeAll(seed, 60_000);

describe('control-plane core: arbitrary inputs never cause a server error', () => {
  it.each(CONTROL_OPERATION_NAMES.map((op) => [op]))('%s', { timeout: 60_000 }, async (op) => {
    const inputShape = CONTROL_PLANE_MODEL.operations[op].input!;
    const shaped = shapeArb(inputShape).map((v) => cheapen(op, v));
    const named = fc.dictionary(fc.constantFrom(...Object.keys((CONTROL_PLANE_MODEL.shapes[inputShape] as { m: Record<string, string> }).m), 'x'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 });
    const parts: fc.WeightedArbitrary<unknown>[] = [
      { weight: 5, arbitrary: shaped },
      { weight: 2, arbitrary: named.map((v) => cheapen(op, v)) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    ];
    const mutated = mutatedExample(op);
    if (mutated !== undefined) parts.push({ weight: 5, arbitrary: mutated.map((v) => cheapen(op, v)) });
    await fc.assert(
      fc.asyncProperty(fc.oneof(...parts), async (v) => {
        await repair();
        await checkCall(op, v);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('reached both outcomes', () => {
    // every operation was exercised; the seeded identifiers let many succeed (not asserted per op:
    // some, e.g. AssociateMpaTeam, only succeed with inputs too specific for random generation)
    const ok = [...counts.values()].reduce((n, c) => n + c.ok, 0);
    expect(counts.size).toBe(CONTROL_OPERATION_NAMES.length);
    expect(ok).toBeGreaterThan(100);
    console.log(`robustness: ${[...counts].map(([op, c]) => `${op} ${c.ok}/${c.ok + c.failed}`).join(', ')}`);
  });
});

describe('regression: a JSON null member is the member not set', () => {
  it('null NextToken / MaxResults / KeyState / KeyArn / subject fields answer as if absent (were InternalServerException)', async () => {
    await repair();
    const input = { NextToken: null, MaxResults: null, KeyState: null };
    expect(await em.call('ListKeys', input)).toEqual(await em.call('ListKeys', {}));
    expect(input).toEqual({ NextToken: null, MaxResults: null, KeyState: null }); // the caller's object is not modified
    expect(await em.call('ListAliases', { KeyArn: ids.cvk, NextToken: null })).toEqual(await em.call('ListAliases', { KeyArn: ids.cvk }));
    expect(await em.call('ListTagsForResource', { ResourceArn: ids.cvk, NextToken: null })).toEqual(await em.call('ListTagsForResource', { ResourceArn: ids.cvk }));
    expect((await em.call('UpdateAlias', { AliasName: 'alias/seeded', KeyArn: null })).Alias).toEqual({ AliasName: 'alias/seeded' });
    const csr = await em.call('GetCertificateSigningRequest', { KeyIdentifier: ids.rsa, SigningAlgorithm: 'SHA256', CertificateSubject: { CommonName: 'n', Country: null, City: null } });
    expect(Buffer.from(csr.CertificateSigningRequest!, 'base64').toString('utf8')).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);
  });
});

// ---- the same over raw HTTP ---------------------------------------------------------------------

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('HTTP transport: random requests always get a 2xx/4xx answer', () => {
  let server: RunningServer;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  beforeAll(async () => {
    server = await startHttpServer(em, { maxBodyBytes: 64 * 1024 });
  });
  afterAll(async () => {
    agent.destroy();
    await server.close();
  });

  const send = (method: string, headers: Record<string, string>, body: Uint8Array): Promise<RawAnswer> =>
    new Promise((resolve, reject) => {
      const req = request({ host: server.host, port: server.port, method, path: '/', headers: { ...headers, 'content-length': String(body.byteLength) }, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.setTimeout(CALL_TIMEOUT_MS, () => req.destroy(new Error(`${method}: no answer within ${CALL_TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(body);
    });

  it('random methods, targets, headers and bodies', { timeout: 60_000 }, async () => {
    const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 });
    const prefix = 'PaymentCryptographyControlPlane.';
    const target = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...CONTROL_OPERATION_NAMES).map((op) => prefix + op) },
      { weight: 1, arbitrary: fc.constantFrom('', prefix, `${prefix}__proto__`, `${prefix}constructor`, `${prefix}hasOwnProperty`, 'Other.ListKeys', prefix.toLowerCase() + 'ListKeys') },
      { weight: 1, arbitrary: printable },
    );
    const scope = (akid: string, region: string): string => `AWS4-HMAC-SHA256 Credential=${akid}/20260101/${region}/payment-cryptography/aws4_request, SignedHeaders=host, Signature=00`;
    const authorization = fc.oneof(
      fc.constant(undefined),
      fc.constant(scope('AKIDEXAMPLE', 'us-east-1')),
      fc.tuple(fc.constantFrom('AKIDEXAMPLE', '999988887777', '12345', ''), fc.constantFrom('us-east-1', 'eu-west-1', '..', 'US-EAST-1', 'a', 'x'.repeat(300))).map(([a, r]) => scope(a, r)),
      printable,
    );
    const extraHeaders = fc.dictionary(
      fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/).filter((h) => !['host', 'content-length', 'transfer-encoding', 'connection', 'expect', 'upgrade', 'x-amz-target', 'authorization'].includes(h)),
      printable,
      { maxKeys: 3 },
    );
    const anyOp = fc.constantFrom(...CONTROL_OPERATION_NAMES);
    const shapedBody = (t: string): fc.Arbitrary<string> => {
      const own = CONTROL_OPERATION_NAMES.find((op) => prefix + op === t);
      return (own === undefined ? anyOp : fc.oneof({ weight: 4, arbitrary: fc.constant(own) }, { weight: 1, arbitrary: anyOp })).chain((op) =>
        fc.oneof(shapeArb(CONTROL_PLANE_MODEL.operations[op].input!), mutatedExample(op) ?? shapeArb(CONTROL_PLANE_MODEL.operations[op].input!)).map((v) => JSON.stringify(cheapen(op, v)) ?? ''),
      );
    };
    const targetAndBody = target.chain((t) => fc.tuple(fc.constant(t), fc.oneof(
      { weight: 4, arbitrary: shapedBody(t) },
      { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
      { weight: 1, arbitrary: fc.constantFrom('', '{', 'null', '[]', '"x"', '{"__proto__":{"KeyIdentifier":"alias/seeded"}}', ' '.repeat(70_000)) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
    ).map((b) => (typeof b === 'string' ? new Uint8Array(Buffer.from(b, 'utf8')) : b))));
    const method = fc.oneof({ weight: 8, arbitrary: fc.constant('POST') }, { weight: 2, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') });
    const statuses = new Map<number, number>();

    await fc.assert(
      fc.asyncProperty(method, targetAndBody, authorization, extraHeaders, async (m, [t, b], auth, extra) => {
        await repair();
        // a new region means a new emulator CA (RSA-4096) for GetParametersFor*: keep those in us-east-1
        const a = t.startsWith(`${prefix}GetParametersFor`) ? undefined : auth;
        const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0', ...extra, 'x-amz-target': t };
        if (a !== undefined) headers.authorization = a;
        const r = await send(m, headers, b);
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        expect(r.headers['x-amzn-requestid']).toBeTruthy();
        if (r.status === 200) return;
        const name = r.headers['x-amzn-errortype'];
        expect(typeof name, `status ${r.status} without x-amzn-errortype`).toBe('string');
        const known = CLIENT_ERRORS.has(name as string) || PROTOCOL_ERRORS.has(name as string) || name === 'NotImplementedException';
        expect(known, `${r.status} ${String(name)}: ${r.body.slice(0, 300)}`).toBe(true);
        if (name === 'NotImplementedException') expect(r.status).toBe(501);
        else expect(r.status >= 400 && r.status < 500, `status ${r.status} for ${String(name)}`).toBe(true);
        if (m !== 'HEAD') expect((JSON.parse(r.body) as { __type: string }).__type).toBe(name);
      }),
      { numRuns: 300 },
    );

    // still alive, and still answering a plain request correctly
    const alive = await send('POST', { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `${prefix}GetKey` }, new Uint8Array(Buffer.from(JSON.stringify({ KeyIdentifier: ids.kek }))));
    expect(alive.status).toBe(200);
    expect((JSON.parse(alive.body) as { Key: { KeyArn: string } }).Key.KeyArn).toBe(ids.kek);
    console.log(`robustness over HTTP: statuses ${[...statuses].sort(([a], [b]) => a - b).map(([k, n]) => `${k}×${n}`).join(' ')}`);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
  });
});
