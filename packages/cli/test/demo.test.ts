// paycrypt demo: the seed scenario through the adapter, in-process and against an HTTP emulator.
import { ListKeysCommand, PaymentCryptographyClient } from '@aws-sdk/client-payment-cryptography';
import { Emulator, startHttpServer } from '@paycrypt/emulator';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, json, run, runAsync } from './run-cli.js';

beforeAll(buildOnce);

describe('paycrypt demo', () => {
  it('in-process emulator by default: prints two equal CVV2s and matching KCVs', () => {
    const r = run(['demo']);
    expect(r.code, r.stderr).toBe(0);
    const cvv2s = [...r.stdout.matchAll(/CVV2 with the (?:CVK|imported key): (\d{3})$/gm)].map((m) => m[1]);
    expect(cvv2s).toHaveLength(2);
    expect(cvv2s[0]).toBe(cvv2s[1]);
    expect(r.stdout).toContain('CVV2s match, KCVs match');
    const j = run(['--json', 'demo', '--pan', '4012888888881881', '--expiry', '0927']);
    expect(j.code).toBe(0);
    const o = json(j);
    expect(o).toMatchObject({ ok: true, match: true });
    expect(o.cvv2Before).toMatch(/^\d{3}$/);
    expect(o.cvv2After).toBe(o.cvv2Before);
    expect(o.importedKcv).toBe(o.kcv);
    expect(String(o.tr31Header)).toMatch(/^D\d{4}C0/);
  });

  it('--endpoint: runs against an emulator over HTTP (its keys are there afterwards); unreachable → exit 3', async () => {
    const em = Emulator.inMemory();
    const server = await startHttpServer(em);
    try {
      const r = await runAsync(['--json', 'demo', '--endpoint', server.endpoint]);
      expect(r.code, r.stderr).toBe(0);
      const o = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(o.match).toBe(true);
      const client = new PaymentCryptographyClient({ region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
      const arns = ((await client.send(new ListKeysCommand({}))).Keys ?? []).map((k) => k.KeyArn);
      client.destroy();
      expect(arns).toEqual(expect.arrayContaining([o.kekArn, o.cvkArn, o.importedArn]));
    } finally {
      await server.close();
      await em.close();
    }
    const down = run(['--json', 'demo', '--endpoint', 'http://127.0.0.1:9']);
    expect(down.code).toBe(3);
    expect(json(down)).toMatchObject({ ok: false, error: { code: 'SERVICE_ERROR' } });
  }, 30_000);
});
