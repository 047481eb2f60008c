import { CreateKeyCommand, PaymentCryptographyClient } from '@aws-sdk/client-payment-cryptography';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { entries } from './data-dir-kit.js';
import { describe, expect, it } from 'vitest';
import { Emulator } from '../src/index.js';
import { startHttpServer } from '../src/transport/http-server.js';
import { handleRequest } from '../src/protocol/router.js';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, harness } from './helpers.js';

const CVK = {
  Exportable: true,
  KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true } },
} as const;

describe('transport defaults', () => {
  it('the HTTP server binds 127.0.0.1 unless told otherwise', async () => {
    const em = Emulator.inMemory();
    const s = await startHttpServer(em);
    try {
      expect((s.server.address() as AddressInfo).address).toBe('127.0.0.1');
    } finally {
      await s.close();
      await em.close();
    }
  });

  it('a credential scope without a valid region is refused before anything is stored (no `..` directory with --data-dir)', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'paycrypt-scope-')), 'data');
    const em = await Emulator.open({ dataDir, lmk: new Uint8Array(32).fill(9) });
    const call = (region: string) =>
      handleRequest(em, {
        method: 'POST',
        headers: {
          'x-amz-target': 'PaymentCryptographyControlPlane.CreateKey',
          authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260110/${region}/payment-cryptography/aws4_request, SignedHeaders=host, Signature=0`,
        },
        body: JSON.stringify(CVK),
      });
    try {
      for (const region of ['..', '.', 'Mars', 'us-east-1x']) {
        const r = await call(region);
        expect(r.status, region).toBe(400);
        expect(r.headers['x-amzn-errortype'], region).toBe('InvalidSignatureException');
      }
      expect(readdirSync(dataDir)).toEqual(['store.json']);
      expect((await call('eu-north-1')).status).toBe(200);
      // the one record written names the valid region only
      expect(entries(dataDir).map((e) => [e.kind, e.a, e.r])).toEqual([['key', '111122223333', 'eu-north-1']]);
      await expect(em.call('ListKeys', {}, { accountId: '12345' })).rejects.toMatchObject({ awsName: 'InvalidSignatureException' });
    } finally {
      await em.close();
    }
  });

  it('an endpoint with a base path works (the SDK posts to /base/; any path is served)', async () => {
    const em = Emulator.inMemory();
    const s = await startHttpServer(em);
    const c = new PaymentCryptographyClient({ region: 'us-east-1', endpoint: `${s.endpoint}/base`, credentials, maxAttempts: 1 });
    try {
      expect((await c.send(new CreateKeyCommand(CVK))).Key!.KeyCheckValue).toMatch(/^[0-9A-F]{6}$/);
    } finally {
      c.destroy();
      await s.close();
      await em.close();
    }
  });

  it.each(['in-process', 'http'] as const)('the account id is configurable (%s)', async (t) => {
    const h = await harness(t, { accountId: '999988887777' });
    try {
      const key = (await h.client.send(new CreateKeyCommand(CVK))).Key!;
      expect(key.KeyArn).toMatch(/^arn:aws:payment-cryptography:us-east-1:999988887777:key\//);
    } finally {
      await h.close();
    }
  });

  it('paycrypt-emulator: --account-id is used, and it listens on 127.0.0.1 by default', async () => {
    const bin = new URL('../src/bin/paycrypt-emulator.ts', import.meta.url).pathname;
    const child = spawn(process.execPath, ['--import', 'tsx', bin, '--port', '0', '--account-id', '123456789012'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const endpoint = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const c = new PaymentCryptographyClient({ region: 'ap-southeast-2', endpoint, credentials, maxAttempts: 1 });
      const key = (await c.send(new CreateKeyCommand(CVK))).Key!;
      expect(key.KeyArn).toMatch(/^arn:aws:payment-cryptography:ap-southeast-2:123456789012:key\//);
      c.destroy();
    } finally {
      child.kill('SIGTERM');
    }
  });
});
