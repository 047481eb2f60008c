import {
  CreateKeyCommand,
  GetAliasCommand,
  GetKeyCommand,
  GetParametersForExportCommand,
  GetParametersForImportCommand,
  GetPublicKeyCertificateCommand,
  ImportKeyCommand,
  ListKeysCommand,
  PaymentCryptographyClient,
  type GetParametersForImportInput,
  type KeyAttributes,
} from '@aws-sdk/client-payment-cryptography';
import { unwrapTr31 } from '@paycrypt/keyblock';
import { constants, createDecipheriv, createPrivateKey, createPublicKey, publicEncrypt, randomBytes, X509Certificate } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entryLine, liveRecords, rewriteJournal } from './data-dir-kit.js';
import { describe, expect, it } from 'vitest';
import { Emulator } from '../src/index.js';
import { credentials, failure, harness, startServerProcess as startServer } from './helpers.js';
import { nodeKcv } from './tr31-kit.js';
import { pem } from './openssl-files.js';

/**
 * The import/export CA and the import/export tokens persisted with --data-dir: everything
 * through the SDK, the other side (OAEP, KCVs, GCM decryption of the sealed blobs) with
 * node:crypto.
 */

const DAY = 86_400_000;
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const K0 = { KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyModesOfUse: { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true } } as const;
const IMPORT_2048 = { KeyMaterialType: 'KEY_CRYPTOGRAM', WrappingKeyAlgorithm: 'RSA_2048' } as const;
const REUSE_IMPORT = { ...IMPORT_2048, ReuseLastGeneratedToken: true } as GetParametersForImportInput;

function oaepEncrypt(awsCertificate: string, key: Uint8Array): string {
  const cert = new X509Certificate(pem(awsCertificate));
  return publicEncrypt({ key: cert.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, key).toString('hex').toUpperCase();
}

function importCryptogram(client: PaymentCryptographyClient, token: string, cryptogram: string) {
  return client.send(
    new ImportKeyCommand({
      KeyMaterial: { KeyCryptogram: { KeyAttributes: { ...K0, KeyAlgorithm: 'TDES_2KEY' } as KeyAttributes, Exportable: true, WrappedKeyCryptogram: cryptogram, ImportToken: token } },
    }),
  );
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

function regionDir(dataDir: string): string {
  return join(dataDir, 'accounts', ACCOUNT, REGION);
}

/**
 * The clear bytes inside a `G1:` blob (base64 of iv ‖ ciphertext ‖ tag, AES-256-GCM under the
 * LMK), computed with AES-256-CTR from counter block iv ‖ 00000002 — GCM's keystream — so the
 * test needs neither the emulator's vault nor its binding text. (The tag is not checked here;
 * the emulator's own unsealing is exercised by every call after a restart.)
 */
function gcmPlaintext(lmk: Uint8Array, sealed: string): Buffer {
  expect(sealed.startsWith('G1:')).toBe(true);
  const raw = Buffer.from(sealed.slice(3), 'base64');
  const counter = Buffer.concat([raw.subarray(0, 12), Buffer.from([0, 0, 0, 2])]);
  const d = createDecipheriv('aes-256-ctr', lmk, counter);
  return Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]);
}

/** The SPKI DER of the RSA private key sealed in `sealed` (proves what is sealed, and under which LMK). */
function sealedKeySpki(lmk: Uint8Array, sealed: string): Buffer {
  const pkcs8 = gcmPlaintext(lmk, sealed);
  return createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' });
}

function certSpki(awsCertificate: string): Buffer {
  return new X509Certificate(pem(awsCertificate)).publicKey.export({ type: 'spki', format: 'der' });
}

function tdesKcv(key: Uint8Array): string {
  return nodeKcv(key, 'TDES', 'ANSI_X9_24');
}

describe('import/export CA and tokens with --data-dir', () => {
  it('after a restart: same CA, tokens reused and honoured, cached key certificate unchanged; only sealed private keys on disk; pruning', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'paycrypt-ie-store-')), 'data');
    const lmk = new Uint8Array(randomBytes(32));
    let offset = 0;
    const clock = (): number => Date.now() + offset;

    // ---- before the restart ----
    const h1 = await harness('in-process', { dataDir, lmk, clock });
    const tokA = await h1.client.send(new GetParametersForImportCommand(IMPORT_2048));
    const tokB = await h1.client.send(new GetParametersForImportCommand(IMPORT_2048)); // the last generated one
    expect(tokB.ImportToken).not.toBe(tokA.ImportToken);
    const exp = await h1.client.send(new GetParametersForExportCommand({ KeyMaterialType: 'TR34_KEY_BLOCK', SigningKeyAlgorithm: 'RSA_2048' }));
    const pair = (
      await h1.client.send(
        new CreateKeyCommand({
          Exportable: false,
          KeyAttributes: { KeyUsage: 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE', KeyClass: 'ASYMMETRIC_KEY_PAIR', KeyAlgorithm: 'RSA_2048', KeyModesOfUse: { Sign: true } },
        }),
      )
    ).Key!;
    const keyCert = await h1.client.send(new GetPublicKeyCertificateCommand({ KeyIdentifier: pair.KeyArn }));
    expect(keyCert.KeyCertificateChain).toBe(tokA.WrappingKeyCertificateChain);
    // a cryptogram made by the other side before the restart, to the first (not the last) token
    const clear = new Uint8Array(randomBytes(16));
    const cryptogram = oaepEncrypt(tokA.WrappingKeyCertificate!, clear);
    // no close(): what was acknowledged is on disk already (close only waits for pending writes)

    // ---- on disk ----
    const files = allFiles(dataDir);
    for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toMatch(/PRIVATE KEY/);
    const caFile = liveRecords(dataDir, 'ca').get('RSA_4096')!;
    const tokens = liveRecords(dataDir, 'token');
    expect([...tokens.keys()].sort()).toEqual([tokA.ImportToken!, tokB.ImportToken!, exp.ExportToken!].sort());
    const stored = [caFile, ...tokens.values()];
    for (const rec of stored) {
      const privateFields = Object.keys(rec).filter((k) => /private/i.test(k));
      expect(privateFields).toEqual(['sealedPrivateKey']);
      const sealed = rec.sealedPrivateKey as string;
      // sealed under the LMK: the GCM keystream of the LMK opens it to the certificate's private key
      expect(sealedKeySpki(lmk, sealed).equals(certSpki(rec.certificate as string))).toBe(true);
      // and under no other key
      expect(() => sealedKeySpki(new Uint8Array(32), sealed)).toThrow();
    }
    expect(caFile.certificate).toBe(tokA.WrappingKeyCertificateChain);

    // ---- after the restart ----
    const h2 = await harness('in-process', { dataDir, lmk, clock });
    const reused = await h2.client.send(new GetParametersForImportCommand(REUSE_IMPORT));
    expect(reused.ImportToken).toBe(tokB.ImportToken);
    expect(reused.WrappingKeyCertificate).toBe(tokB.WrappingKeyCertificate);
    expect(reused.WrappingKeyCertificateChain).toBe(tokB.WrappingKeyCertificateChain);
    expect(reused.ParametersValidUntilTimestamp!.getTime()).toBe(tokB.ParametersValidUntilTimestamp!.getTime());
    const reusedExport = await h2.client.send(
      new GetParametersForExportCommand({ KeyMaterialType: 'TR34_KEY_BLOCK', SigningKeyAlgorithm: 'RSA_2048', ReuseLastGeneratedToken: true } as never),
    );
    expect(reusedExport.ExportToken).toBe(exp.ExportToken);
    expect(reusedExport.SigningKeyCertificate).toBe(exp.SigningKeyCertificate);

    const imported = (await importCryptogram(h2.client, tokA.ImportToken!, cryptogram)).Key!;
    expect(imported.KeyCheckValue).toBe(tdesKcv(clear));

    // the CA is the same: a new token after the restart is issued by the certificate of before
    const fresh = await h2.client.send(new GetParametersForImportCommand(IMPORT_2048));
    expect(fresh.ImportToken).not.toBe(tokB.ImportToken);
    expect(fresh.WrappingKeyCertificateChain).toBe(tokA.WrappingKeyCertificateChain);
    const caBefore = new X509Certificate(pem(tokA.WrappingKeyCertificateChain!));
    expect(new X509Certificate(pem(fresh.WrappingKeyCertificate!)).verify(caBefore.publicKey)).toBe(true);

    const keyCertAfter = await h2.client.send(new GetPublicKeyCertificateCommand({ KeyIdentifier: pair.KeyArn }));
    expect(keyCertAfter.KeyCertificate).toBe(keyCert.KeyCertificate);
    expect(keyCertAfter.KeyCertificateChain).toBe(keyCert.KeyCertificateChain);
    await h2.close();
    await h1.close();

    // ---- a sealed blob moved to another token's record does not open ----
    const recB = liveRecords(dataDir, 'token').get(tokB.ImportToken!)!;
    rewriteJournal(dataDir, (lines, live) => lines.map((l, i) => (live[i]!.id === tokA.ImportToken ? entryLine({ ...live[i]!, v: { ...live[i]!.v, sealedPrivateKey: recB.sealedPrivateKey } }) : l)));
    const h3 = await harness('in-process', { dataDir, lmk, clock });
    const swapped = await failure(() => importCryptogram(h3.client, tokA.ImportToken!, oaepEncrypt(tokA.WrappingKeyCertificate!, clear)));
    expect(swapped.name).toBe('InternalServerException');
    expect(JSON.stringify(swapped)).not.toContain(Buffer.from(lmk).toString('hex'));
    const clearB = new Uint8Array(randomBytes(16));
    expect((await importCryptogram(h3.client, tokB.ImportToken!, oaepEncrypt(tokB.WrappingKeyCertificate!, clearB))).Key!.KeyCheckValue).toBe(tdesKcv(clearB));

    // ---- expired tokens are refused, and pruned from disk when the next token is issued ----
    offset = 31 * DAY;
    const expired = await failure(() => importCryptogram(h3.client, tokB.ImportToken!, oaepEncrypt(tokB.WrappingKeyCertificate!, clearB)));
    expect(expired.name).toBe('ValidationException');
    expect(expired.message).toMatch(/expired/);
    const later = await h3.client.send(new GetParametersForImportCommand(REUSE_IMPORT));
    expect([tokA.ImportToken, tokB.ImportToken, fresh.ImportToken]).not.toContain(later.ImportToken);
    expect([...liveRecords(dataDir, 'token').keys()]).toEqual([later.ImportToken!]);
    expect(later.WrappingKeyCertificateChain).toBe(tokA.WrappingKeyCertificateChain);
    await h3.close();

    // ---- the wrong LMK still refuses the directory ----
    const other = new Uint8Array(randomBytes(32));
    await expect(Emulator.open({ dataDir, lmk: other })).rejects.toThrow(/another local master key/);
  });

  it('a data directory written before the CA and token files existed still opens, and gains them', async () => {
    // test/fixtures/data-dir-v1 was written by the emulator at commit b52df3e (before this
    // change) under this LMK: an AES_128 K0 key (alias/fixture-kek), an ECC P-256 key pair
    // tagged fixture=v1, default replication region us-west-2.
    const lmk = new Uint8Array(Buffer.from('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F', 'hex'));
    const dataDir = join(mkdtempSync(join(tmpdir(), 'paycrypt-ie-v1-')), 'data');
    cpSync(new URL('./fixtures/data-dir-v1', import.meta.url).pathname, dataDir, { recursive: true });
    const aesFile = JSON.parse(readFileSync(join(regionDir(dataDir), 'keys', 'nfwfal0ypg0q5dms.json'), 'utf8')) as { sealed: string; kcv: string };
    // the fixture's key opens under the LMK with @paycrypt/keyblock and has its KCV (node:crypto CMAC)
    expect(nodeKcv(unwrapTr31(lmk, aesFile.sealed).key, 'AES', 'CMAC')).toBe('D4CD6E');

    await expect(Emulator.open({ dataDir, lmk: new Uint8Array(32) })).rejects.toThrow(/another local master key/);
    const h = await harness('in-process', { dataDir, lmk });
    const keys = (await h.client.send(new ListKeysCommand({}))).Keys!;
    expect(keys.map((k) => k.KeyArn!.split('/')[1]).sort()).toEqual(['6yf6s6g2uby6egcm', 'nfwfal0ypg0q5dms']);
    const aes = (await h.client.send(new GetKeyCommand({ KeyIdentifier: 'alias/fixture-kek' }))).Key!;
    expect(aes.KeyCheckValue).toBe('D4CD6E');
    expect((await h.client.send(new GetAliasCommand({ AliasName: 'alias/fixture-kek' }))).Alias!.KeyArn).toBe(aes.KeyArn);
    expect(h.emulator.services.states.get(ACCOUNT, REGION).defaultReplicationRegions).toEqual(['us-west-2']);
    // the pre-existing ECC key pair gets a certificate from the (new) CA; it is cached across a restart
    const ecc = await h.client.send(new GetPublicKeyCertificateCommand({ KeyIdentifier: `arn:aws:payment-cryptography:${REGION}:${ACCOUNT}:key/6yf6s6g2uby6egcm` }));
    const tok = await h.client.send(new GetParametersForImportCommand(IMPORT_2048));
    // an ECC key's certificate comes from the ECC CA of its curve, not the RSA CA of the tokens
    expect(tok.WrappingKeyCertificateChain).not.toBe(ecc.KeyCertificateChain);
    const eccCa = new X509Certificate(pem(ecc.KeyCertificateChain!));
    expect(eccCa.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(new X509Certificate(pem(ecc.KeyCertificate!)).verify(eccCa.publicKey)).toBe(true);
    await h.close();
    // migrated to format 2 at the first open; the format-1 files kept aside
    expect(JSON.parse(readFileSync(join(dataDir, 'store.json'), 'utf8'))).toMatchObject({ format: 2 });
    expect(existsSync(join(dataDir, 'migrated-format-1', ACCOUNT, REGION, 'keys', 'nfwfal0ypg0q5dms.json'))).toBe(true);
    expect([...liveRecords(dataDir, 'ca').keys()].sort()).toEqual(['ECC_NIST_P256', 'RSA_4096']);
    expect([...liveRecords(dataDir, 'key').keys()].sort()).toEqual(['6yf6s6g2uby6egcm', 'nfwfal0ypg0q5dms']);

    const h2 = await harness('in-process', { dataDir, lmk });
    const again = await h2.client.send(new GetPublicKeyCertificateCommand({ KeyIdentifier: `arn:aws:payment-cryptography:${REGION}:${ACCOUNT}:key/6yf6s6g2uby6egcm` }));
    expect(again.KeyCertificate).toBe(ecc.KeyCertificate);
    expect((await h2.client.send(new GetParametersForImportCommand(REUSE_IMPORT))).ImportToken).toBe(tok.ImportToken);
    expect((await h2.client.send(new GetKeyCommand({ KeyIdentifier: aes.KeyArn }))).Key!.KeyCheckValue).toBe('D4CD6E');
    await h2.close();
  });
});

// ---- a real child-process HTTP server, killed with SIGKILL right after answering -----------------

describe('HTTP server in a child process', () => {
  it('an import token acknowledged just before a SIGKILL is reused and honoured after the restart', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'paycrypt-ie-child-')), 'data');
    const s1 = await startServer(dataDir);
    const c1 = new PaymentCryptographyClient({ region: REGION, endpoint: s1.endpoint, credentials, maxAttempts: 1 });
    const before = await c1.send(new GetParametersForImportCommand(IMPORT_2048));
    s1.child.kill('SIGKILL');
    c1.destroy();
    await new Promise((r) => (s1.child.exitCode !== null || s1.child.signalCode !== null ? r(undefined) : s1.child.once('exit', r)));

    const s2 = await startServer(dataDir);
    try {
      const c2 = new PaymentCryptographyClient({ region: REGION, endpoint: s2.endpoint, credentials, maxAttempts: 1 });
      const after = await c2.send(new GetParametersForImportCommand(REUSE_IMPORT));
      expect(after.ImportToken).toBe(before.ImportToken);
      expect(after.WrappingKeyCertificateChain).toBe(before.WrappingKeyCertificateChain);
      const clear = new Uint8Array(randomBytes(16));
      expect((await importCryptogram(c2, before.ImportToken!, oaepEncrypt(before.WrappingKeyCertificate!, clear))).Key!.KeyCheckValue).toBe(tdesKcv(clear));
      c2.destroy();
    } finally {
      s2.child.kill('SIGTERM');
    }
  });
});
