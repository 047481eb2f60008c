// paycrypt keys export|import against an emulator served over HTTP from this process. The KEK is
// imported by the CLI itself by key cryptogram from a file the test wrote, so its clear value is
// known; expected KCVs come from node:crypto (oracles/kcv.ts).
import { CreateKeyCommand, GetKeyCommand, ListAliasesCommand, ListTagsForResourceCommand, PaymentCryptographyClient } from '@aws-sdk/client-payment-cryptography';
import { Emulator, startHttpServer, type RunningServer } from '@paycrypt/emulator';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aesCmacKcvOracle, tdesKcvOracle } from './oracles/kcv.js';
import { buildOnce, runAsync, tempFile, type Run } from './run-cli.js';

let em: Emulator;
let server: RunningServer;
let client: PaymentCryptographyClient;
const kekHex = randomBytes(16).toString('hex').toUpperCase();
let kekArn: string;

const cli = async (args: string[], input?: string): Promise<Run> => runAsync(['--json', ...args, '--endpoint', server.endpoint], input === undefined ? {} : { input });
const out = (r: Run): Record<string, unknown> => JSON.parse(r.stdout) as Record<string, unknown>;

beforeAll(async () => {
  buildOnce();
  em = Emulator.inMemory();
  server = await startHttpServer(em);
  client = new PaymentCryptographyClient({ region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
  const r = await cli(['keys', 'import', '--key-file', tempFile(kekHex), '--key-usage', 'TR31_K0_KEY_ENCRYPTION_KEY', '--key-algorithm', 'AES_128', '--modes', 'Encrypt,Decrypt,Wrap,Unwrap', '--alias', 'alias/kek']);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const o = out(r);
  expect(o).toMatchObject({ ok: true, keyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', keyAlgorithm: 'AES_128', keyCheckValue: aesCmacKcvOracle(kekHex), alias: 'alias/kek' });
  kekArn = String(o.keyArn);
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
  await em?.close();
});

describe('paycrypt keys', () => {
  it('import: a TR-31 block wrapped here (tr31 wrap) under the KEK → the node:crypto KCV, alias and tags set', async () => {
    const cvk = randomBytes(16).toString('hex').toUpperCase();
    const w = await runAsync(['--json', 'tr31', 'wrap', '--kbpk-file', tempFile(kekHex), '--key-file', tempFile(cvk), '--header', 'D0000C0TC00E0000']);
    expect(w.code, w.stderr).toBe(0);
    const block = String(out(w).keyBlock);
    const r = await cli(['keys', 'import', '--block-file', '-', '--wrapping-key', 'alias/kek', '--alias', 'alias/cvk', '--tag', 'team=cards', '--tag', 'src=test'], block);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const o = out(r);
    expect(o).toMatchObject({ ok: true, keyCheckValue: tdesKcvOracle(cvk), keyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', keyAlgorithm: 'TDES_2KEY', alias: 'alias/cvk' });
    const aliases = (await client.send(new ListAliasesCommand({}))).Aliases ?? [];
    expect(aliases.find((a) => a.AliasName === 'alias/cvk')?.KeyArn).toBe(o.keyArn);
    const t = (await client.send(new ListTagsForResourceCommand({ ResourceArn: String(o.keyArn) }))).Tags ?? [];
    expect(t).toEqual(expect.arrayContaining([{ Key: 'team', Value: 'cards' }, { Key: 'src', Value: 'test' }]));

    // the same block under a KEK it was not wrapped under: the service refuses it, exit 3, no key bytes in the message
    const other = await client.send(new CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_128', KeyModesOfUse: { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true } } }));
    const bad = await cli(['keys', 'import', block, '--wrapping-key', other.Key!.KeyArn!]);
    expect(bad.code).toBe(3);
    expect(out(bad)).toMatchObject({ ok: false, error: { code: 'SERVICE_ERROR' } });
    expect(bad.stdout).not.toContain(block.slice(16, 48));
  }, 30_000);

  it('export: TR-31 under the KEK; checked locally with --kek-file (KCV = service KCV); a wrong KEK → exit 1, the fixed message', async () => {
    const created = (await client.send(new CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } } }))).Key!;
    const r = await cli(['keys', 'export', created.KeyArn!, '--wrapping-key', kekArn, '--kek-file', tempFile(kekHex)]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const o = out(r);
    expect(o).toMatchObject({ ok: true, keyCheckValue: created.KeyCheckValue, localKeyCheckValue: created.KeyCheckValue, kcvMatches: true });
    expect(String(o.block)).toMatch(/^D\d{4}C0TC/);

    // exported block → imported again: same KCV as the original key
    const back = await cli(['keys', 'import', String(o.block), '--wrapping-key', kekArn]);
    expect(back.code).toBe(0);
    expect(out(back).keyCheckValue).toBe(created.KeyCheckValue);
    const got = (await client.send(new GetKeyCommand({ KeyIdentifier: String(out(back).keyArn) }))).Key!;
    expect(got.KeyCheckValue).toBe(created.KeyCheckValue);

    const wrong = await cli(['keys', 'export', created.KeyArn!, '--wrapping-key', kekArn, '--kek-file', tempFile(randomBytes(16).toString('hex'))]);
    expect(wrong.code).toBe(1);
    expect(out(wrong)).toEqual({ ok: false, error: { code: 'MAC_VERIFICATION_FAILED', message: 'key block MAC verification failed' } });
    // a key on the command line is refused before anything runs
    const argv = await cli(['keys', 'import', '--key', kekHex]);
    expect(argv.code).toBe(2);
    expect(argv.stdout + argv.stderr).not.toContain(kekHex);
  }, 30_000);
});
