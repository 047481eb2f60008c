import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emulator } from '../src/index.js';
import { startHttpServer, type RunningServer } from '../src/transport/http-server.js';
import { KeyedLock } from '../src/state/keyed-lock.js';
import { LMK, snapshot, tempDataDir } from './reliability-kit.js';

/**
 * Issue 11 item 2: operations on one key or alias name are serialised, over HTTP, with a data
 * directory (so every write really awaits the disk).
 */
const TDES = {
  Exportable: true,
  KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } },
};

let dataDir: string;
let em: Emulator;
let server: RunningServer;

async function call(op: string, input: unknown): Promise<{ status: number; type?: string; body: Record<string, any> }> {
  const r = await fetch(server.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `PaymentCryptographyControlPlane.${op}`,
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260110/us-east-1/payment-cryptography/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(input),
  });
  return { status: r.status, type: r.headers.get('x-amzn-errortype') ?? undefined, body: (await r.json()) as Record<string, any> };
}

async function newKey(): Promise<string> {
  const r = await call('CreateKey', TDES);
  expect(r.status).toBe(200);
  return r.body.Key.KeyArn as string;
}

beforeAll(async () => {
  dataDir = tempDataDir('race');
  em = await Emulator.open({ dataDir, lmk: LMK });
  server = await startHttpServer(em);
});
afterAll(async () => {
  await server.close();
  await em.close();
});

const TRIALS = 15;

describe('reliability: one key, one alias name, one change at a time (issue 11 item 2)', () => {
  it('four concurrent CreateAlias of one name: exactly one succeeds, the others get ConflictException', async () => {
    const keys = await Promise.all([newKey(), newKey(), newKey(), newKey()]);
    for (let t = 0; t < TRIALS; t++) {
      const name = `alias/race-${t}`;
      const rs = await Promise.all(keys.map((k) => call('CreateAlias', { AliasName: name, KeyArn: k })));
      const ok = rs.filter((r) => r.status === 200);
      expect(ok, name).toHaveLength(1);
      expect(rs.filter((r) => r.type === 'ConflictException'), name).toHaveLength(3);
      const got = await call('GetAlias', { AliasName: name });
      expect(got.body.Alias.KeyArn).toBe(ok[0]!.body.Alias.KeyArn);
    }
  });

  it('DeleteAlias racing UpdateAlias is linearisable; two DeleteAlias: one success, one ResourceNotFoundException', async () => {
    const [k1, k2] = await Promise.all([newKey(), newKey()]);
    for (let t = 0; t < TRIALS; t++) {
      const name = `alias/du-${t}`;
      expect((await call('CreateAlias', { AliasName: name, KeyArn: k1 })).status).toBe(200);
      const [del, upd] = await Promise.all([call('DeleteAlias', { AliasName: name }), call('UpdateAlias', { AliasName: name, KeyArn: k2 })]);
      // either the update came first (both succeed) or the delete did (the update finds nothing)
      expect(del.status).toBe(200);
      expect([200, 404]).toContain(upd.status);
      if (upd.status === 404) expect(upd.type).toBe('ResourceNotFoundException');
      expect((await call('GetAlias', { AliasName: name })).type).toBe('ResourceNotFoundException');

      expect((await call('CreateAlias', { AliasName: name, KeyArn: k1 })).status).toBe(200);
      const two = await Promise.all([call('DeleteAlias', { AliasName: name }), call('DeleteAlias', { AliasName: name })]);
      expect(two.map((r) => r.status).sort()).toEqual([200, 404]);
      expect(two.find((r) => r.status === 404)!.type).toBe('ResourceNotFoundException');
    }
  });

  it('concurrent DeleteKey of one key: one success, one ConflictException; concurrent tagging loses no tag', async () => {
    for (let t = 0; t < 5; t++) {
      const k = await newKey();
      const rs = await Promise.all([call('DeleteKey', { KeyIdentifier: k }), call('DeleteKey', { KeyIdentifier: k })]);
      expect(rs.map((r) => r.status).sort()).toEqual([200, 409]);
      const tagged = await newKey();
      const tags = await Promise.all(Array.from({ length: 8 }, (_, i) => call('TagResource', { ResourceArn: tagged, Tags: [{ Key: `t${i}`, Value: 'v' }] })));
      expect(tags.every((r) => r.status === 200)).toBe(true);
      expect((await call('ListTagsForResource', { ResourceArn: tagged })).body.Tags).toHaveLength(8);
    }
  });

  it('after the races, memory equals what a restart loads', async () => {
    const reopened = await Emulator.open({ dataDir, lmk: LMK, log: () => undefined });
    expect(snapshot(reopened)).toEqual(snapshot(em));
    await reopened.close();
  });

  it('KeyedLock: one name at a time, in arrival order; overlapping sets do not deadlock; idle names are freed', async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    const step = (id: string, names: string[]) =>
      lock.run(names, async () => {
        order.push(`${id}+`);
        await new Promise((r) => setTimeout(r, 5));
        order.push(`${id}-`);
      });
    await Promise.all([step('a', ['x', 'y']), step('b', ['y', 'x']), step('c', ['x']), step('d', ['z'])]);
    const ab = order.filter((e) => !e.startsWith('d'));
    expect(ab).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
    await expect(lock.run(['x'], async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await lock.run(['x'], async () => 1)).toBe(1);
    expect(lock.size).toBe(0);
  });
});
