import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteKeyCommand,
  GetAliasCommand,
  GetKeyCommand,
  ListAliasesCommand,
  ListKeysCommand,
  ListTagsForResourceCommand,
  PaymentCryptographyClient,
  TagResourceCommand,
} from '@aws-sdk/client-payment-cryptography';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveRecords } from './data-dir-kit.js';
import { Emulator, inProcessHandler } from '../src/index.js';
import { loadLmk } from '../src/vault/lmk.js';
import { credentials, startServerProcess as startServer } from './helpers.js';

function clientFor(em: Emulator): PaymentCryptographyClient {
  return new PaymentCryptographyClient({ region: 'us-east-1', endpoint: 'http://emulator.local', credentials, requestHandler: inProcessHandler(em) });
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

describe('data directory', () => {
  it('a reopened emulator has every key, alias and tag back with the same KCVs; no clear key material on disk', async () => {
    const root = mkdtempSync(join(tmpdir(), 'paycrypt-store-'));
    const dataDir = join(root, 'data');
    const { lmk } = await loadLmk({ dataDir, env: {} });
    expect(existsSync(`${dataDir}.lmk`)).toBe(true);
    const em1 = await Emulator.open({ dataDir, lmk });
    const c1 = clientFor(em1);
    const created = [];
    for (const [KeyUsage, KeyAlgorithm, modes] of [
      ['TR31_K0_KEY_ENCRYPTION_KEY', 'AES_256', { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true }],
      ['TR31_C0_CARD_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true, Verify: true }],
      ['TR31_M7_HMAC_KEY', 'HMAC_SHA512', { Generate: true }],
      ['TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT', 'ECC_NIST_P256', { DeriveKey: true }],
    ] as const) {
      const KeyClass = KeyUsage.includes('K3') ? 'ASYMMETRIC_KEY_PAIR' : 'SYMMETRIC_KEY';
      created.push((await c1.send(new CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyUsage, KeyClass, KeyAlgorithm, KeyModesOfUse: modes } }))).Key!);
    }
    await c1.send(new CreateAliasCommand({ AliasName: 'alias/kek/main', KeyArn: created[0]!.KeyArn }));
    await c1.send(new TagResourceCommand({ ResourceArn: created[1]!.KeyArn, Tags: [{ Key: 'team', Value: 'cards' }] }));
    await c1.send(new DeleteKeyCommand({ KeyIdentifier: created[2]!.KeyArn, DeleteKeyInDays: 30 }));
    const before = await c1.send(new ListKeysCommand({}));
    // the clear symmetric keys, read test-side before closing, must appear in no file (hex or base64)
    const clearKeys = created.slice(0, 3).map((k) => {
      const r = em1.services.states.get('111122223333', 'us-east-1').keys.get(k.KeyArn!.split('/')[1]!)!;
      return Buffer.from(em1.services.vault.unseal(r.sealed!, { keyUsage: r.keyUsage, keyAlgorithm: r.keyAlgorithm, keyClass: r.keyClass, exportable: r.exportable }));
    });
    c1.destroy();
    await em1.close();

    // no clear key material: every key file holds a sealed blob only, and the LMK is not in the store
    const files = allFiles(dataDir);
    const lmkHex = Buffer.from(lmk).toString('hex').toUpperCase();
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(text.toUpperCase()).not.toContain(lmkHex);
      for (const k of clearKeys) {
        expect(text.toUpperCase()).not.toContain(k.toString('hex').toUpperCase());
        expect(text).not.toContain(k.toString('base64').slice(0, 20));
      }
    }
    expect(clearKeys.map((k) => k.length)).toEqual([32, 16, 64]);
    // every key is a record in the journal, its material a sealed TR-31 block (or a key pair's)
    const stored = liveRecords(dataDir, 'key');
    expect(stored.size).toBe(4);
    for (const rec of stored.values()) expect(String(rec.sealed)).toMatch(/^D\d{4}/);

    const em2 = await Emulator.open({ dataDir, lmk: (await loadLmk({ dataDir, env: {} })).lmk });
    const c2 = clientFor(em2);
    const after = await c2.send(new ListKeysCommand({}));
    expect(after.Keys).toEqual(before.Keys);
    for (const k of created) {
      const got = (await c2.send(new GetKeyCommand({ KeyIdentifier: k.KeyArn }))).Key!;
      expect(got.KeyCheckValue).toBe(k.KeyCheckValue);
    }
    expect((await c2.send(new GetKeyCommand({ KeyIdentifier: created[2]!.KeyArn }))).Key!.KeyState).toBe('DELETE_PENDING');
    expect((await c2.send(new GetAliasCommand({ AliasName: 'alias/kek/main' }))).Alias!.KeyArn).toBe(created[0]!.KeyArn);
    expect((await c2.send(new ListTagsForResourceCommand({ ResourceArn: created[1]!.KeyArn }))).Tags).toEqual([{ Key: 'team', Value: 'cards' }]);
    // material still opens under the LMK and gives the same KCV
    const rec = em2.services.states.get('111122223333', 'us-east-1').keys.get(created[0]!.KeyArn!.split('/')[1]!)!;
    const clear = em2.services.vault.unseal(rec.sealed!, { keyUsage: rec.keyUsage, keyAlgorithm: rec.keyAlgorithm, keyClass: rec.keyClass, exportable: rec.exportable });
    expect(clear).toHaveLength(32);
    c2.destroy();
    await em2.close();

    // a wrong LMK is refused
    await expect(Emulator.open({ dataDir, lmk: new Uint8Array(32) })).rejects.toThrow(/another local master key/);
    // the LMK may not live inside the data directory
    await expect(loadLmk({ dataDir, lmkFile: join(dataDir, 'lmk.hex'), env: {} })).rejects.toThrow(/must not be inside/);
  });

  it('loadLmk: environment first, then file; bad content refused', async () => {
    const root = mkdtempSync(join(tmpdir(), 'paycrypt-lmk-'));
    const hex = 'AB'.repeat(32);
    expect(Buffer.from((await loadLmk({ env: { PAYCRYPT_EMULATOR_LMK: hex } })).lmk).toString('hex').toUpperCase()).toBe(hex);
    writeFileSync(join(root, 'bad.lmk'), 'xyz');
    await expect(loadLmk({ lmkFile: join(root, 'bad.lmk'), env: {} })).rejects.toThrow(/64 hex digits/);
    const gen = await loadLmk({ lmkFile: join(root, 'new.lmk'), env: {} });
    expect(gen.generated).toBe(true);
    expect((statSync(join(root, 'new.lmk')).mode & 0o777).toString(8)).toBe('600');
  });
});

// ---- a real child-process HTTP server, killed with SIGKILL, restarted ---------------------------

describe('HTTP server in a child process', () => {
  /** 20 callers create keys without pause; the server is killed (SIGKILL) after 60 answers. */
  async function createThenKill(dataDir: string): Promise<{ acknowledged: Map<string, string>; interrupted: number }> {
    const s1 = await startServer(dataDir);
    const c1 = new PaymentCryptographyClient({ region: 'eu-west-2', endpoint: s1.endpoint, credentials, maxAttempts: 1 });
    const acknowledged = new Map<string, string>();
    let killRequested = false;
    let killSent = false;
    let interrupted = 0;
    const create = () =>
      c1
        .send(new CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyUsage: 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_128', KeyModesOfUse: { Encrypt: true, Wrap: true } } }))
        .then((o) => {
          acknowledged.set(o.Key!.KeyArn!, o.Key!.KeyCheckValue!);
          if (acknowledged.size >= 60 && !killRequested) {
            killRequested = true;
            // a little later, while every caller has a request out (answers go out in group-commit
            // batches: a kill from this handler could find all the others answered already)
            setTimeout(() => {
              killSent = true;
              s1.child.kill('SIGKILL');
            }, 15);
          }
        });
    for (let i = 0; i < 10; i++) await create();
    // concurrent appends share one fdatasync; each caller goes on until it sees the server gone.
    // A create sent before the kill that then failed was interrupted by it.
    const worker = async (): Promise<void> => {
      for (;;) {
        const before = !killSent;
        try {
          await create();
        } catch {
          if (before) interrupted++;
          return;
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
    c1.destroy();
    await new Promise((r) => (s1.child.exitCode !== null || s1.child.signalCode !== null ? r(undefined) : s1.child.once('exit', r)));
    return { acknowledged, interrupted };
  }

  it('keys acknowledged before a SIGKILL are all back after a restart, KCVs unchanged', async () => {
    // Whether the kill lands with creates in flight depends on scheduling (on a busy machine the
    // client, not the server, may hold every outstanding request): a run where none was
    // interrupted is checked like the others and then repeated, up to 4 runs.
    let interrupted = 0;
    for (let run = 1; run <= 4 && interrupted === 0; run++) {
      const dataDir = join(mkdtempSync(join(tmpdir(), 'paycrypt-child-')), 'data');
      const r = await createThenKill(dataDir);
      interrupted = r.interrupted;
      expect(r.acknowledged.size).toBeGreaterThanOrEqual(60);
      const s2 = await startServer(dataDir);
      try {
        const c2 = new PaymentCryptographyClient({ region: 'eu-west-2', endpoint: s2.endpoint, credentials, maxAttempts: 1 });
        const listed = new Map<string, string>();
        let token: string | undefined;
        do {
          const page = await c2.send(new ListKeysCommand({ NextToken: token }));
          for (const k of page.Keys!) listed.set(k.KeyArn!, k.KeyCheckValue!);
          token = page.NextToken;
        } while (token);
        for (const [arn, kcv] of r.acknowledged) expect(listed.get(arn), arn).toBe(kcv);
        await c2.send(new CreateAliasCommand({ AliasName: 'alias/after-restart', KeyArn: [...r.acknowledged.keys()][0] }));
        expect((await c2.send(new ListAliasesCommand({}))).Aliases).toHaveLength(1);
        c2.destroy();
      } finally {
        s2.child.kill('SIGTERM');
      }
    }
    expect(interrupted).toBeGreaterThan(0); // some run's kill did interrupt creates
  }, 60_000);
});
