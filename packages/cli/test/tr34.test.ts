// paycrypt tr34 inspect|build|open, run as the built bin. Expected values: the published ASC X9
// TR-34-2019 Annex B fields (test-vectors/tr34.json), a PKI made by the OpenSSL command line, OpenSSL's
// `cms -verify` / `cms -print`, an envelope opener of asn1js + node:crypto (oracles/tr34.ts) and
// node:crypto KCVs (oracles/kcv.ts) — never the engine.
import * as asn1js from 'asn1js';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { aesCmacKcvOracle, tdesKcvOracle } from './oracles/kcv.js';
import { HAS_OPENSSL, openEnvelope, opensslCa, opensslCmsPrint, opensslCmsVerify, opensslLeaf, type Party } from './oracles/tr34.js';
import { buildOnce, json, pooled, runAsync, tempFile, tempPath, vectors, type Run } from './run-cli.js';

interface AscKey { subject: string; issuer: string; serial_hex: string; cert_pem: string; private_key_pem: string }
interface Tr34Vectors {
  asc_x9_tr34_2019_annex_b: { keys: Record<string, AscKey>; items: Record<string, { der_hex: string; clause: string }>; known_values: Record<string, string> };
}
const ASC = vectors<Tr34Vectors>('tr34.json').asc_x9_tr34_2019_annex_b;
const KNOWN = ASC.known_values;
const OID = { contentType: '1.2.840.113549.1.9.3', messageDigest: '1.2.840.113549.1.9.4', signingTime: '1.2.840.113549.1.9.5', randomNonce: '1.2.840.113549.1.9.25.3', data: '1.2.840.113549.1.7.1' };
const NAME_OF: Record<string, string> = { [OID.contentType]: 'contentType', [OID.messageDigest]: 'messageDigest', [OID.signingTime]: 'signingTime', [OID.randomNonce]: 'randomNonce', [OID.data]: 'keyBlockHeader' };

interface Attributes { oids: string[]; messageDigest: string; signingTime?: string }

/** Signed attributes decoded with asn1js: type OIDs in order, messageDigest, signingTime. */
function decodeAttributes(attrs: asn1js.Sequence[]): Attributes {
  const out: Attributes = { oids: [], messageDigest: '' };
  for (const a of attrs) {
    const [type, values] = a.valueBlock.value as [asn1js.ObjectIdentifier, asn1js.Set];
    const t = type.valueBlock.toString();
    out.oids.push(t);
    const v = values.valueBlock.value[0]!;
    if (t === OID.messageDigest) out.messageDigest = Buffer.from((v as asn1js.OctetString).valueBlock.valueHexView).toString('hex').toUpperCase();
    if (t === OID.signingTime) out.signingTime = (v as asn1js.UTCTime).toDate().toISOString();
  }
  return out;
}

/** The signed attributes of a published token, read with asn1js: ContentInfo → SignedData → SignerInfo [0]. */
function tokenAttributes(der: Uint8Array): Attributes {
  const kids = (x: asn1js.AsnType): asn1js.AsnType[] => (x as asn1js.Sequence).valueBlock.value;
  const ci = asn1js.fromBER(new Uint8Array(der)).result;
  const sd = kids(kids(kids(ci)[1]!)[0]!);
  const signerInfo = kids(sd[sd.length - 1]!)[0]!;
  const signed = kids(signerInfo).find((x) => x.idBlock.tagClass === 3 && x.idBlock.tagNumber === 0)!;
  return decodeAttributes(kids(signed) as asn1js.Sequence[]);
}

/** The published signed attributes of ASC B.2.2.4 / B.2.2.5 ([0] or SET). */
function publishedAttributes(item: string): Attributes {
  const der = Buffer.from(ASC.items[item]!.der_hex, 'hex');
  der[0] = 0x31; // [0] IMPLICIT SET → SET, to parse it
  return decodeAttributes((asn1js.fromBER(new Uint8Array(der)).result as asn1js.Set).valueBlock.value as asn1js.Sequence[]);
}

const out = (r: Run): Record<string, unknown> => json(r);
const cert = (name: string): string => tempFile(ASC.keys[name]!.cert_pem);
const derFile = (der: Uint8Array): string => {
  const p = tempPath();
  writeFileSync(p, der);
  return p;
};

beforeAll(buildOnce);

describe('paycrypt tr34 inspect on the ASC X9 TR-34-2019 Annex B key tokens', () => {
  const tokens = [
    { item: 'b8_kt_kdh_1pass_original', attrs: 'signed_attrs_1pass_original', mode: 'one-pass', layout: 'TR34_2019_AS_PRINTED', form: 'hex' },
    { item: 'b8_kt_kdh_1pass_errata', attrs: 'signed_attrs_1pass_errata', mode: 'one-pass', layout: 'TR34_2019_CMS', form: 'der' },
    { item: 'b9_kt_kdh_2pass_original', attrs: 'signed_attrs_2pass_original', mode: 'two-pass', layout: 'TR34_2019_AS_PRINTED', form: 'pem' },
    { item: 'b9_kt_kdh_2pass_errata', attrs: 'signed_attrs_2pass_errata', mode: 'two-pass', layout: 'TR34_2019_CMS', form: 'hex' },
  ] as const;
  it.each(tokens)('$item ($form file): the published header, nonce or signing time, KDH 1 / KRD 1, signed attributes', async (t) => {
    const der = Buffer.from(ASC.items[t.item]!.der_hex, 'hex');
    const file =
      t.form === 'der' ? derFile(der)
      : t.form === 'pem' ? tempFile(`-----BEGIN CMS-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CMS-----\n`)
      : tempFile(ASC.items[t.item]!.der_hex);
    const r = await runAsync(['--json', 'tr34', 'inspect', file, '--kdh-cert', cert('kdh_1'), '--krd-cert', cert('krd_1')]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const o = out(r);
    const pub = tokenAttributes(der);
    // the corrigendum's B.2.2.4 / B.2.2.5 attributes are those of its B.8 / B.9 tokens (the 2019 text's are not)
    if (t.layout === 'TR34_2019_CMS') expect(pub).toEqual(publishedAttributes(t.attrs));
    expect(o).toMatchObject({
      ok: true,
      mode: t.mode,
      layout: t.layout,
      header: KNOWN.header_tdea,
      headerFields: { version: 'A', lengthField: 256, keyUsage: { code: 'K0' }, algorithm: { code: 'T' }, modeOfUse: { code: 'B' }, keyVersion: '00', exportability: { code: 'E' } },
      nonce: t.mode === 'two-pass' ? KNOWN.random_nonce_2pass_16 : null,
      signingTime: pub.signingTime ?? null,
      contentEncryption: 'des-ede3-cbc',
      kdh: { issuer: ASC.keys.kdh_1!.issuer, serialNumber: ASC.keys.kdh_1!.serial_hex, subject: ASC.keys.kdh_1!.subject, certificate: { matches: true } },
      krd: { issuer: ASC.keys.krd_1!.issuer, serialNumber: ASC.keys.krd_1!.serial_hex, subject: ASC.keys.krd_1!.subject, certificate: { matches: true } },
      digestAlgorithm: { name: 'sha256' },
    });
    const attrs = o.signedAttributes as { oid: string; name: string; value: unknown }[];
    expect(attrs.map((a) => a.oid)).toEqual(pub.oids);
    expect(attrs.map((a) => a.name)).toEqual(pub.oids.map((x) => NAME_OF[x]));
    expect(attrs.find((a) => a.oid === OID.messageDigest)!.value).toBe(pub.messageDigest);
    expect(attrs.find((a) => a.oid === OID.data)!.value).toBe(KNOWN.header_tdea);
  });

  it('says when a given certificate is not the signer; a malformed token exits 1, a missing file 2', async () => {
    const r = await runAsync(['--json', 'tr34', 'inspect', tempFile(ASC.items.b9_kt_kdh_2pass_errata!.der_hex), '--kdh-cert', cert('kdh_2')]);
    expect(r.code).toBe(0);
    expect(out(r).kdh).toMatchObject({ serialNumber: ASC.keys.kdh_1!.serial_hex, certificate: { matches: false, subject: ASC.keys.kdh_2!.subject } });
    const human = await runAsync(['tr34', 'inspect', tempFile(ASC.items.b9_kt_kdh_2pass_errata!.der_hex)]);
    expect(human.stdout).toContain(`nonce:              ${KNOWN.random_nonce_2pass_16}`);
    expect(human.stdout).toContain(`KDH (signer):       issuer ${ASC.keys.kdh_1!.issuer}, serial ${ASC.keys.kdh_1!.serial_hex}`);
    const bad = await runAsync(['--json', 'tr34', 'inspect', tempFile(ASC.items.b9_kt_kdh_2pass_errata!.der_hex.slice(0, 400))]);
    expect(bad.code).toBe(1);
    expect(out(bad).error).toMatchObject({ code: 'KEY_BLOCK_INVALID', engineCode: 'MALFORMED' });
    const missing = await runAsync(['--json', 'tr34', 'inspect', '/nonexistent/token.der']);
    expect(missing.code).toBe(2);
    expect(out(missing).error).toMatchObject({ code: 'USAGE' });
  });
});

describe('paycrypt tr34 open on the AWS-layout research tokens (tr34.json aws_tr34_2012_vectors)', () => {
  interface AwsVector { id: string; kdh_signing_key_ref: string; krd_wrapping_key_ref: string; inputs: Record<string, string | null>; expected: Record<string, string> }
  const all = vectors<{ aws_tr34_2012_vectors: { vectors: AwsVector[] }; generated_test_keys: Record<string, { cert_pem: string; private_key_pem: string }> }>('tr34.json');
  const ref = (r: string): { cert_pem: string; private_key_pem: string } => (r.startsWith('asc.keys.') ? ASC.keys[r.slice(9)]! : all.generated_test_keys[r.split('.')[1]!]!);
  it.each(all.aws_tr34_2012_vectors.vectors)('$id opens to its clear key; KCV from node:crypto', async (v) => {
    const asc = v.kdh_signing_key_ref.startsWith('asc.');
    const kdh = tempFile(asc ? ASC.keys.kdh_1!.cert_pem + ASC.keys.ca_kdh!.cert_pem : ref(v.kdh_signing_key_ref).cert_pem); // leaf, then its intermediate
    const ca = tempFile(asc ? ASC.keys.root!.cert_pem : all.generated_test_keys.ca_rsa4096!.cert_pem);
    const krd = ref(v.krd_wrapping_key_ref);
    const r = await runAsync([
      '--json', 'tr34', 'open', tempFile(v.expected.wrapped_key_block_hex!), '--krd-cert', tempFile(krd.cert_pem), '--krd-private-key-file', tempFile(krd.private_key_pem),
      '--kdh-cert', kdh, '--ca-cert', ca, ...(asc ? ['--at', '2015-06-01T00:00:00Z'] : ['--ignore-validity']),
      ...(v.inputs.random_nonce ? ['--nonce', v.inputs.random_nonce] : []), '--print-key',
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const clear = v.inputs.clear_key!;
    const o = out(r);
    expect(o).toMatchObject({ key: clear, header: v.inputs.header_ascii, layout: 'X9_TR34_2012', kcv: v.expected.kcv, mode: v.inputs.random_nonce ? 'two-pass' : 'one-pass' });
    expect(o.kcv).toBe(String(v.inputs.header_ascii)[7] === 'A' ? aesCmacKcvOracle(clear) : tdesKcvOracle(clear));
    if (v.inputs.signing_time) expect(o.signingTime).toBe(new Date(`20${v.inputs.signing_time.slice(0, 2)}-${v.inputs.signing_time.slice(2, 4)}-${v.inputs.signing_time.slice(4, 6)}T${v.inputs.signing_time.slice(6, 8)}:${v.inputs.signing_time.slice(8, 10)}:${v.inputs.signing_time.slice(10, 12)}Z`).toISOString());
  });
});

describe.skipIf(!HAS_OPENSSL)('paycrypt tr34 build → open, checked with OpenSSL and node:crypto', () => {
  let ca: Party;
  let otherCa: Party;
  let kdh: Party;
  let krd: Party;
  let krd3072: Party;
  let strangerKdh: Party;
  beforeAll(() => {
    ca = opensslCa('CLI Test CA');
    otherCa = opensslCa('CLI Test CA');
    kdh = opensslLeaf(ca, 'CLI KDH', 'signing');
    krd = opensslLeaf(ca, 'CLI KRD 2048', 'keyTransport');
    krd3072 = opensslLeaf(ca, 'CLI KRD 3072', 'keyTransport', 3072);
    strangerKdh = opensslLeaf(otherCa, 'CLI KDH', 'signing');
  });

  const cases = [
    { name: 'TDES 2-key, two-pass, nonce given', bytes: 16, header: 'B0016K0TB00E0000', nonce: '7DEA1C00894E246A', alg: 'des-ede3-cbc' },
    { name: 'TDES 3-key, one-pass, signing time given', bytes: 24, header: 'D9999K0TB00E0000', signingTime: '2025-03-04T05:06:07.000Z', alg: 'des-ede3-cbc' },
    { name: 'AES-128 to an RSA-3072 KRD, two-pass, 16-byte nonce', bytes: 16, header: 'D0016K0AB00E0000', nonce: '167EB0E72781E4940112233445566778', alg: 'aes128-cbc', big: true },
    { name: 'TDES 2-key, TR34_2019_CMS layout, random nonce', bytes: 16, header: 'B0016D0TB00E0000', random: true, layout: 'TR34_2019_CMS', alg: 'des-ede3-cbc' },
  ] as const;

  it.each(cases)('$name', async (c) => {
    const receiver = 'big' in c ? krd3072 : krd;
    const clear = randomBytes(c.bytes).toString('hex').toUpperCase();
    const derOut = tempPath();
    const hexOut = tempPath();
    const args = ['--json', 'tr34', 'build', '--key-file', tempFile(clear), '--header', c.header, '--krd-cert', receiver.cert, '--kdh-cert', kdh.cert, '--kdh-private-key-file', kdh.key, '--der-out', derOut, '--out', hexOut];
    if ('nonce' in c) args.push('--nonce', c.nonce);
    if ('random' in c) args.push('--random-nonce');
    if ('signingTime' in c) args.push('--signing-time', c.signingTime);
    if ('layout' in c) args.push('--layout', c.layout);
    const b = await runAsync(args);
    expect(b.code, b.stdout + b.stderr).toBe(0);
    const built = out(b);
    const kcv = c.header[7] === 'A' ? aesCmacKcvOracle(clear) : tdesKcvOracle(clear);
    const nonce = 'nonce' in c ? c.nonce : 'random' in c ? String(built.nonce) : undefined;
    expect(built).toMatchObject({ mode: nonce === undefined ? 'one-pass' : 'two-pass', header: c.header, kcv, kdh: { serialNumber: kdh.serial }, krd: { serialNumber: receiver.serial } });
    if ('random' in c) expect(nonce).toMatch(/^[0-9A-F]{16}$/);
    expect(b.stdout).not.toContain(clear);
    const der = readFileSync(derOut);
    expect(der.toString('hex').toUpperCase()).toBe(built.token);
    expect(readFileSync(hexOut, 'utf8').trim()).toBe(built.token);

    // OpenSSL verifies the signature, the digest and the KDH chain; asn1js + node:crypto open the envelope
    const envelope = opensslCmsVerify(der, kdh.cert, ca.cert);
    expect(envelope[0] === 0x30).toBe('layout' in c); // the 2012 layout drops the SEQUENCE header
    const opened = openEnvelope(envelope, receiver.key);
    expect(opened).toMatchObject({ key: Buffer.from(clear, 'hex'), header: c.header, version: 1, ridSerial: receiver.serial, idKdhSerial: kdh.serial, keyEncryptionOid: '1.2.840.113549.1.1.7' });
    expect(opened.contentEncryptionOid).toBe(c.alg === 'aes128-cbc' ? '2.16.840.1.101.3.4.1.2' : '1.2.840.113549.3.7');
    const printed = opensslCmsPrint(der);
    expect(printed.attributeOids).toEqual([OID.contentType, nonce === undefined ? OID.signingTime : OID.randomNonce, OID.data, OID.messageDigest]);
    expect(printed.signerSerial).toBe(kdh.serial);

    // inspect agrees with OpenSSL
    const i = await runAsync(['--json', 'tr34', 'inspect', hexOut, '--krd-cert', receiver.cert]);
    expect(i.code, i.stdout + i.stderr).toBe(0);
    expect(out(i)).toMatchObject({
      layout: 'layout' in c ? c.layout : 'X9_TR34_2012',
      mode: nonce === undefined ? 'one-pass' : 'two-pass',
      nonce: nonce ?? null,
      contentEncryption: c.alg,
      kdh: { issuer: kdh.issuer, serialNumber: kdh.serial },
      krd: { issuer: receiver.issuer, serialNumber: receiver.serial, subject: receiver.subject, certificate: { matches: true } },
    });
    if ('signingTime' in c) expect(out(i).signingTime).toBe(c.signingTime);
    expect((out(i).signedAttributes as { oid: string }[]).map((a) => a.oid)).toEqual(printed.attributeOids);

    // and the CLI opens it: the key only with --print-key
    const o = await runAsync(['--json', 'tr34', 'open', derOut, '--krd-cert', receiver.cert, '--krd-private-key-file', receiver.key, '--kdh-cert', kdh.cert, '--ca-cert', ca.cert, ...(nonce === undefined ? [] : ['--nonce', nonce]), '--print-key']);
    expect(o.code, o.stdout + o.stderr).toBe(0);
    expect(out(o)).toMatchObject({ ok: true, key: clear, kcv, header: c.header, mode: nonce === undefined ? 'one-pass' : 'two-pass', keyLength: c.bytes, contentEncryption: c.alg });
  });

  it('open refuses, exit 1: a wrong or missing nonce, another recipient, a KDH of another CA, a flipped bit (the fixed message), another KCV', async () => {
    const clear = randomBytes(16).toString('hex').toUpperCase();
    const tokenFile = tempPath();
    const b = await runAsync(['--json', 'tr34', 'build', '--key-file', tempFile(clear), '--header', 'B0016K0TB00E0000', '--krd-cert', krd.cert, '--kdh-cert', kdh.cert, '--kdh-private-key-file', kdh.key, '--nonce', '0102030405060708', '--out', tokenFile]);
    expect(b.code, b.stderr).toBe(0);
    const token = String(out(b).token);
    const base = ['--json', 'tr34', 'open', '--krd-cert', krd.cert, '--krd-private-key-file', krd.key, '--kdh-cert', kdh.cert, '--ca-cert', ca.cert];
    const flipped = token.slice(0, -4) + ((parseInt(token.slice(-4, -2), 16) ^ 1).toString(16).padStart(2, '0').toUpperCase()) + token.slice(-2);
    const stranger = await runAsync(['--json', 'tr34', 'build', '--key-file', tempFile(clear), '--header', 'B0016K0TB00E0000', '--krd-cert', krd.cert, '--kdh-cert', strangerKdh.cert, '--kdh-private-key-file', strangerKdh.key, '--signing-time', '2025-01-01T00:00:00Z']);
    expect(stranger.code, stranger.stderr).toBe(0);
    const runs = await pooled([
      () => runAsync([...base, tokenFile, '--nonce', '0102030405060709']),
      () => runAsync([...base, tokenFile]),
      () => runAsync(['--json', 'tr34', 'open', tokenFile, '--krd-cert', krd3072.cert, '--krd-private-key-file', krd3072.key, '--kdh-cert', kdh.cert, '--ca-cert', ca.cert, '--nonce', '0102030405060708']),
      () => runAsync([...base.slice(0, -4), '--kdh-cert', strangerKdh.cert, '--ca-cert', ca.cert, tempFile(String(out(stranger).token))]),
      () => runAsync([...base, tempFile(flipped), '--nonce', '0102030405060708', '--print-key']),
      () => runAsync([...base, tokenFile, '--nonce', '0102030405060708', '--expect-kcv', tdesKcvOracle(clear) === '000000' ? '111111' : '000000']),
      () => runAsync([...base, tokenFile, '--nonce', '0102030405060708', '--expect-kcv', tdesKcvOracle(clear)]),
    ]);
    const [wrongNonce, noNonce, otherRecipient, otherCaKdh, tampered, otherKcv, sameKcv] = runs.map((r) => ({ r, o: out(r) as { error?: Record<string, unknown> } }));
    expect(wrongNonce!.r.code).toBe(1);
    expect(wrongNonce!.o.error).toMatchObject({ code: 'VERIFICATION_FAILED', engineCode: 'NONCE_MISMATCH' });
    expect(noNonce!.o.error).toMatchObject({ code: 'VERIFICATION_FAILED', engineCode: 'NONCE_MISMATCH' });
    expect(otherRecipient!.o.error).toMatchObject({ code: 'VERIFICATION_FAILED', engineCode: 'RECIPIENT_MISMATCH' });
    expect(otherCaKdh!.r.code).toBe(1);
    expect(otherCaKdh!.o.error).toMatchObject({ code: 'VERIFICATION_FAILED', engineCode: 'CERTIFICATE_INVALID' });
    expect(tampered!.r.code).toBe(1);
    expect(tampered!.o).toEqual({ ok: false, error: { code: 'VERIFICATION_FAILED', message: 'TR-34 verification or decryption failed', engineCode: 'CRYPTO_FAILED' } });
    expect(otherKcv!.r.code).toBe(1);
    expect(otherKcv!.o.error).toMatchObject({ code: 'VERIFICATION_FAILED', kcv: tdesKcvOracle(clear) });
    expect(sameKcv!.r.code).toBe(0);
    for (const r of runs) expect(r.stdout + r.stderr).not.toContain(clear);
  });

  it('open: PKCS#1 DER key, token on stdin, --trust-kdh-cert, --key-out (mode 0600, never overwritten), human output', async () => {
    const clear = randomBytes(24).toString('hex').toUpperCase();
    const b = await runAsync(['--json', 'tr34', 'build', '--key-file', tempFile(clear), '--header', 'B0016K0TB00E0000', '--krd-cert', krd.cert, '--kdh-cert', kdh.cert, '--kdh-private-key-file', kdh.key]);
    expect(b.code, b.stderr).toBe(0);
    const pkcs1 = tempPath();
    execFileSync('openssl', ['rsa', '-in', krd.key, '-traditional', '-outform', 'DER', '-out', pkcs1], { stdio: 'ignore' });
    const keyOut = tempPath();
    const args = ['tr34', 'open', '-', '--krd-cert', krd.cert, '--krd-private-key-file', pkcs1, '--kdh-cert', kdh.cert, '--trust-kdh-cert', '--key-out', keyOut];
    const r = await runAsync(args, { input: String(out(b).token) });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`KCV:         ${tdesKcvOracle(clear)} (ANSI_X9_24)`);
    expect(r.stdout).toContain('layout:      X9_TR34_2012, one-pass');
    expect(r.stdout).not.toContain(clear);
    expect(readFileSync(keyOut, 'utf8').trim()).toBe(clear);
    expect(statSync(keyOut).mode & 0o777).toBe(0o600);
    const again = await runAsync(['--json', ...args], { input: String(out(b).token) });
    expect(again.code).toBe(2);
    expect(out(again).error).toMatchObject({ code: 'USAGE' });
  });

  it('usage errors exit 2: a private key not of the certificate, a key of the wrong length, a private key on argv, two stdin inputs', async () => {
    const key = tempFile(randomBytes(16).toString('hex'));
    const common = ['--json', 'tr34', 'build', '--header', 'D0016K0AB00E0000', '--krd-cert', krd3072.cert, '--kdh-cert', kdh.cert];
    const [mismatch, length, argv, stdin] = await pooled([
      () => runAsync([...common, '--key-file', key, '--kdh-private-key-file', krd.key]),
      () => runAsync([...common, '--key-file', tempFile(randomBytes(24).toString('hex')), '--kdh-private-key-file', kdh.key]),
      () => runAsync([...common, '--key-file', key, '--kdh-private-key', readFileSync(kdh.key, 'utf8')]),
      () => runAsync([...common, '--key-file', '-', '--kdh-private-key-file', '-']),
    ]);
    expect(mismatch!.code).toBe(2);
    expect(out(mismatch!).error).toMatchObject({ code: 'USAGE', message: '--kdh-private-key-file does not belong to --kdh-cert (the public keys differ)' });
    expect(length!.code).toBe(2);
    expect(out(length!).error).toMatchObject({ code: 'INVALID_KEY', message: '--key: expected 16 bytes, got 24' });
    expect(argv!.code).toBe(2);
    expect(out(argv!).error).toMatchObject({ code: 'SECRET_IN_ARGV' });
    expect(argv!.stdout + argv!.stderr).not.toContain('PRIVATE KEY');
    expect(stdin!.code).toBe(2);
    expect(out(stdin!).error).toMatchObject({ code: 'USAGE' });
  });
});

describe('paycrypt tr34 --help', () => {
  it.each(['inspect', 'build', 'open'])('tr34 %s has an example of itself', async (c) => {
    const r = await runAsync(['tr34', c, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Examples:\\n  \\$ paycrypt (--json )?tr34 ${c} `));
  });
});
