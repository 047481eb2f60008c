// paycrypt keys export|import, TR-34 flows, against an emulator served over HTTP from this process.
// Our side's PKI is made by the OpenSSL command line; the emulator's ExportKey tokens are opened by
// the CLI and by OpenSSL (cms -verify) + asn1js/node:crypto (oracles/tr34.ts); KCVs come from
// CreateKey or node:crypto (oracles/kcv.ts).
import { CreateKeyCommand, ExportKeyCommand, GetKeyCommand, GetParametersForExportCommand, ImportKeyCommand, ListAliasesCommand, ListTagsForResourceCommand, PaymentCryptographyClient } from '@aws-sdk/client-payment-cryptography';
import { Emulator, startHttpServer, type RunningServer } from '@paycrypt/emulator';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aesCmacKcvOracle, tdesKcvOracle } from './oracles/kcv.js';
import { HAS_OPENSSL, openEnvelope, opensslCa, opensslCmsVerify, opensslLeaf, type Party } from './oracles/tr34.js';
import { buildOnce, runAsync, tempFile, tempPath, type Run } from './run-cli.js';

let em: Emulator;
let server: RunningServer;
let client: PaymentCryptographyClient;
let ca: Party;
let kdh: Party;
let krd: Party;
let krd3072: Party;

const cli = (args: string[], input?: string): Promise<Run> => runAsync(['--json', ...args, '--endpoint', server.endpoint], input === undefined ? {} : { input });
const out = (r: Run): Record<string, unknown> => JSON.parse(r.stdout) as Record<string, unknown>;

async function createKey(keyAlgorithm: 'TDES_2KEY' | 'TDES_3KEY' | 'AES_128') {
  return (
    await client.send(
      new CreateKeyCommand({
        Exportable: true,
        KeyAttributes: { KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: keyAlgorithm, KeyModesOfUse: { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true } },
      }),
    )
  ).Key!;
}

function pemToBase64(file: string): string {
  return Buffer.from(readFileSync(file, 'utf8')).toString('base64');
}

beforeAll(async () => {
  buildOnce();
  em = Emulator.inMemory();
  server = await startHttpServer(em);
  client = new PaymentCryptographyClient({ region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
  if (HAS_OPENSSL) {
    ca = opensslCa('CLI Partner CA');
    kdh = opensslLeaf(ca, 'CLI Partner KDH', 'signing');
    krd = opensslLeaf(ca, 'CLI Partner KRD', 'keyTransport');
    krd3072 = opensslLeaf(ca, 'CLI Partner KRD 3072', 'keyTransport', 3072);
  }
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
  await em?.close();
});

describe.skipIf(!HAS_OPENSSL)('paycrypt keys export with TR-34 (we are the KRD)', () => {
  let caKeyArn: string;

  it('two-pass: the CA imported, the token opened here (KCV = the service\'s), written out; tr34 open and OpenSSL + node:crypto open it too', async () => {
    const key = await createKey('TDES_2KEY');
    const tokenFile = tempPath();
    const signerFile = tempPath();
    const chainFile = tempPath();
    const r = await cli(['keys', 'export', key.KeyArn!, '--krd-cert', krd.cert, '--ca-cert', ca.cert, '--krd-private-key-file', krd.key, '--out', tokenFile, '--kdh-cert-out', signerFile, '--kdh-ca-out', chainFile]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const o = out(r);
    expect(o).toMatchObject({ ok: true, mode: 'two-pass', keyCheckValue: key.KeyCheckValue, keyCheckValueAlgorithm: 'ANSI_X9_24', localKeyCheckValue: key.KeyCheckValue, kcvMatches: true, caImported: true });
    expect(String(o.nonce)).toMatch(/^[0-9A-F]{16}$/);
    expect(String(o.header)).toMatch(/^[BD]\d{4}K0TB00E0000$/); // usage, algorithm, modes and exportability of the key
    caKeyArn = String(o.caKeyArn);
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(token).toBe(o.token);

    const opened = await runAsync(['--json', 'tr34', 'open', tokenFile, '--krd-cert', krd.cert, '--krd-private-key-file', krd.key, '--kdh-cert', signerFile, '--ca-cert', chainFile, '--nonce', String(o.nonce)]);
    expect(opened.code, opened.stdout + opened.stderr).toBe(0);
    expect(JSON.parse(opened.stdout)).toMatchObject({ kcv: key.KeyCheckValue, layout: 'X9_TR34_2012', mode: 'two-pass', nonce: o.nonce });

    const envelope = opensslCmsVerify(Buffer.from(token, 'hex'), signerFile, chainFile);
    const clear = openEnvelope(envelope, krd.key);
    expect(tdesKcvOracle(clear.key.toString('hex'))).toBe(key.KeyCheckValue);
    expect(clear.ridSerial).toBe(krd.serial);
    expect(clear.header).toBe(o.header);
  });

  it('one-pass with --ca-key-arn (no new CA key); AES-128 to an RSA-3072 certificate; a token from the SDK\'s own ExportKey opens with tr34 open', async () => {
    const tdes = await createKey('TDES_3KEY');
    const one = await cli(['keys', 'export', tdes.KeyArn!, '--krd-cert', krd.cert, '--ca-key-arn', caKeyArn, '--one-pass', '--krd-private-key-file', krd.key]);
    expect(one.code, one.stdout + one.stderr).toBe(0);
    expect(out(one)).toMatchObject({ mode: 'one-pass', nonce: null, caKeyArn, caImported: false, kcvMatches: true, localKeyCheckValue: tdes.KeyCheckValue });

    const aes = await createKey('AES_128');
    const a = await cli(['keys', 'export', aes.KeyArn!, '--krd-cert', krd3072.cert, '--ca-key-arn', caKeyArn, '--nonce', '00112233445566778899AABBCCDDEEFF']);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    expect(out(a)).toMatchObject({ mode: 'two-pass', nonce: '00112233445566778899AABBCCDDEEFF', keyCheckValue: aes.KeyCheckValue, keyCheckValueAlgorithm: 'CMAC' });
    expect(out(a).kcvMatches).toBeUndefined(); // not opened here without the private key

    // straight from the SDK, no CLI on the service side
    const params = await client.send(new GetParametersForExportCommand({ KeyMaterialType: 'TR34_KEY_BLOCK', SigningKeyAlgorithm: 'RSA_2048' }));
    const exported = await client.send(
      new ExportKeyCommand({
        ExportKeyIdentifier: aes.KeyArn!,
        KeyMaterial: { Tr34KeyBlock: { CertificateAuthorityPublicKeyIdentifier: caKeyArn, WrappingKeyCertificate: pemToBase64(krd3072.cert), ExportToken: params.ExportToken!, KeyBlockFormat: 'X9_TR34_2012', RandomNonce: 'A1A2A3A4A5A6A7A8' } },
      }),
    );
    const signer = tempFile(Buffer.from(params.SigningKeyCertificate!, 'base64').toString('utf8'));
    const chain = tempFile(Buffer.from(params.SigningKeyCertificateChain!, 'base64').toString('utf8'));
    const tok = tempFile(exported.WrappedKey!.KeyMaterial!);
    const opened = await runAsync(['--json', 'tr34', 'open', tok, '--krd-cert', krd3072.cert, '--krd-private-key-file', krd3072.key, '--kdh-cert', signer, '--ca-cert', chain, '--nonce', 'A1A2A3A4A5A6A7A8', '--print-key']);
    expect(opened.code, opened.stdout + opened.stderr).toBe(0);
    const o = JSON.parse(opened.stdout) as Record<string, unknown>;
    expect(o).toMatchObject({ kcv: aes.KeyCheckValue, kcvAlgorithm: 'CMAC', contentEncryption: 'aes128-cbc' });
    expect(aesCmacKcvOracle(String(o.key))).toBe(aes.KeyCheckValue);
    const inspected = await runAsync(['--json', 'tr34', 'inspect', tok, '--kdh-cert', signer, '--krd-cert', krd3072.cert]);
    expect(JSON.parse(inspected.stdout)).toMatchObject({ mode: 'two-pass', nonce: 'A1A2A3A4A5A6A7A8', kdh: { certificate: { matches: true } }, krd: { subject: krd3072.subject, serialNumber: krd3072.serial, certificate: { matches: true } } });
  });

  it('refusals: a KRD certificate of a CA not imported (exit 3), --krd-cert with --wrapping-key (exit 2), neither (exit 2)', async () => {
    const key = await createKey('TDES_2KEY');
    const other = opensslCa('Some Other CA');
    const stranger = opensslLeaf(other, 'Stranger KRD', 'keyTransport');
    const [notChained, both, neither, stray] = await Promise.all([
      cli(['keys', 'export', key.KeyArn!, '--krd-cert', stranger.cert, '--ca-key-arn', caKeyArn]),
      cli(['keys', 'export', key.KeyArn!, '--krd-cert', krd.cert, '--ca-key-arn', caKeyArn, '--wrapping-key', 'alias/x']),
      cli(['keys', 'export', key.KeyArn!]),
      cli(['keys', 'export', key.KeyArn!, '--wrapping-key', 'alias/x', '--ca-key-arn', caKeyArn]),
    ]);
    expect(stray.code).toBe(2);
    expect(out(stray).error).toMatchObject({ code: 'USAGE', message: '--ca-key-arn is a TR-34 option: it needs --krd-cert' });
    expect(notChained.code).toBe(3);
    expect(out(notChained).error).toMatchObject({ code: 'SERVICE_ERROR' });
    expect(String((out(notChained).error as { message: string }).message)).toMatch(/^ExportKey failed: ValidationException: .*WrappingKeyCertificate/);
    expect(both.code).toBe(2);
    expect(neither.code).toBe(2);
    expect(out(neither).error).toMatchObject({ code: 'USAGE', message: 'keys export needs --wrapping-key (TR-31) or --krd-cert (TR-34)' });
  });
});

describe.skipIf(!HAS_OPENSSL)('paycrypt keys import with TR-34 (we are the KDH)', () => {
  it('two-pass TDES with the CA imported now; the key\'s KCV (node:crypto) equals the service\'s; alias and tags set; exported back it opens to the same key', async () => {
    const clear = randomBytes(16).toString('hex').toUpperCase();
    const r = await cli(['keys', 'import', '--key-file', tempFile(clear), '--header', 'B0016K0TB00E0000', '--kdh-cert', kdh.cert, '--kdh-private-key-file', kdh.key, '--ca-cert', ca.cert, '--alias', 'alias/tr34-kek', '--tag', 'via=tr34']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const o = out(r);
    expect(o).toMatchObject({ ok: true, keyCheckValue: tdesKcvOracle(clear), localKeyCheckValue: tdesKcvOracle(clear), kcvMatches: true, keyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', keyAlgorithm: 'TDES_2KEY', mode: 'two-pass', caImported: true, wrappingKeyAlgorithm: 'RSA_2048', alias: 'alias/tr34-kek' });
    expect(r.stdout).not.toContain(clear);
    const aliases = (await client.send(new ListAliasesCommand({}))).Aliases ?? [];
    expect(aliases.find((a) => a.AliasName === 'alias/tr34-kek')?.KeyArn).toBe(o.keyArn);
    const got = (await client.send(new GetKeyCommand({ KeyIdentifier: String(o.keyArn) }))).Key!;
    expect(got.KeyOrigin).toBe('EXTERNAL');
    expect((await client.send(new ListTagsForResourceCommand({ ResourceArn: String(o.keyArn) }))).Tags).toEqual([{ Key: 'via', Value: 'tr34' }]);

    // the CA of our KRD is the same OpenSSL CA: export the imported key back to us and open it
    const back = await cli(['keys', 'export', 'alias/tr34-kek', '--krd-cert', krd.cert, '--ca-key-arn', String(o.caKeyArn), '--krd-private-key-file', krd.key]);
    expect(back.code, back.stdout + back.stderr).toBe(0);
    expect(out(back)).toMatchObject({ kcvMatches: true, localKeyCheckValue: tdesKcvOracle(clear) });
  });

  it('one-pass TDES 3-key with --ca-key-arn; AES-128 (RSA_3072 wrapping key by default); a KDH key not of the certificate (exit 2)', async () => {
    const caImport = await client.send(
      new ImportKeyCommand({
        KeyMaterial: { RootCertificatePublicKey: { KeyAttributes: { KeyUsage: 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE', KeyClass: 'PUBLIC_KEY', KeyAlgorithm: 'RSA_2048', KeyModesOfUse: { Verify: true } }, PublicKeyCertificate: pemToBase64(ca.cert) } },
      }),
    );
    const caArn = caImport.Key!.KeyArn!;
    const tdes = randomBytes(24).toString('hex').toUpperCase();
    const one = await cli(['keys', 'import', '--key-file', '-', '--header', 'B0016K0TB00N0000', '--kdh-cert', kdh.cert, '--kdh-private-key-file', kdh.key, '--ca-key-arn', caArn, '--one-pass'], tdes);
    expect(one.code, one.stdout + one.stderr).toBe(0);
    expect(out(one)).toMatchObject({ keyCheckValue: tdesKcvOracle(tdes), keyAlgorithm: 'TDES_3KEY', mode: 'one-pass', nonce: null, caKeyArn: caArn, caImported: false });
    expect((await client.send(new GetKeyCommand({ KeyIdentifier: String(out(one).keyArn) }))).Key!.Exportable).toBe(false);

    const aes = randomBytes(16).toString('hex').toUpperCase();
    const keyFile = tempPath();
    writeFileSync(keyFile, aes);
    const a = await cli(['keys', 'import', '--key-file', keyFile, '--header', 'D0016K0AB00E0000', '--kdh-cert', kdh.cert, '--kdh-private-key-env', 'KDH_PEM', '--ca-key-arn', caArn]);
    // the key came from the environment variable KDH_PEM: not set → exit 2
    expect(a.code).toBe(2);
    expect(out(a).error).toMatchObject({ code: 'SECRET_SOURCE' });
    const a2 = await runAsync(['--json', 'keys', 'import', '--key-file', keyFile, '--header', 'D0016K0AB00E0000', '--kdh-cert', kdh.cert, '--kdh-private-key-env', 'KDH_PEM', '--ca-key-arn', caArn, '--endpoint', server.endpoint], { env: { KDH_PEM: readFileSync(kdh.key, 'utf8') } });
    expect(a2.code, a2.stdout + a2.stderr).toBe(0);
    expect(out(a2)).toMatchObject({ keyCheckValue: aesCmacKcvOracle(aes), keyCheckValueAlgorithm: 'CMAC', keyAlgorithm: 'AES_128', wrappingKeyAlgorithm: 'RSA_3072', kcvMatches: true });

    const wrong = await cli(['keys', 'import', '--key-file', keyFile, '--header', 'D0016K0AB00E0000', '--kdh-cert', kdh.cert, '--kdh-private-key-file', krd.key, '--ca-key-arn', caArn]);
    expect(wrong.code).toBe(2);
    expect(out(wrong).error).toMatchObject({ code: 'USAGE' });
    const noHeader = await cli(['keys', 'import', '--key-file', keyFile, '--kdh-cert', kdh.cert, '--kdh-private-key-file', kdh.key, '--ca-key-arn', caArn]);
    expect(noHeader.code).toBe(2);
    expect(out(noHeader).error).toMatchObject({ code: 'USAGE', message: 'a TR-34 import needs --header (e.g. B0016K0TB00E0000)' });
  });
});
