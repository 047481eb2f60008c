import { beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '@paycrypt/primitives';
import * as pkijs from 'pkijs';
import { Certificate, buildTr34KeyBlock, derToPem, generateRsaKeyPair, issueCertificate, openTr34KeyBlock, type RsaPrivateKey } from '../src/index.js';
import { parseTr34Token } from '../src/tr34/token.js';
import { signedBytes } from '../src/tr34/signed-data.js';
import { parseKeyBlock } from '../src/tr34/key-block.js';
import { ASC, ASC_VALID_AT, party } from './fixtures.js';
import { HAS_OPENSSL, OPENSSL_VERSION, openssl } from './openssl.js';

// Independent check: the OpenSSL command line verifies our signature over the signed
// attributes and decrypts every layer of tokens we build (skipped, visibly, without openssl).
describe.skipIf(!HAS_OPENSSL)(`OpenSSL CLI checks our tokens (${OPENSSL_VERSION})`, () => {
  const kdh = party('asc.keys.kdh_1');
  const krd2048 = party('asc.keys.krd_1');
  const krd3072 = party('generated_test_keys.krd_rsa3072');
  const pem = (k: RsaPrivateKey): string => derToPem(k.exportPkcs8(), 'PRIVATE KEY');
  let freshKdh: RsaPrivateKey;
  beforeAll(async () => {
    freshKdh = (await generateRsaKeyPair(2048)).privateKey;
  });

  const cases = [
    ['two-pass TDES 2-key to RSA-2048', krd2048, '0123456789ABCDEFFEDCBA9876543210', 'A0256K0TB00E0000', '7DEA1C00894E246A', 'des-ede3-cbc'],
    ['two-pass TDES 3-key to RSA-2048, 16-byte nonce, header with optional block', krd2048, '1F2E3D4C5B6A79880123456789ABCDEFFEDCBA9876543210', 'D0000K0TB00E0100LB10PAYCRYPT0001', '167EB0E72781E4940112233445566778', 'des-ede3-cbc'],
    ['one-pass AES-128 to RSA-3072', krd3072, '00112233445566778899AABBCCDDEEFF', 'D0000K0AB00E0000', null, 'aes-128-cbc'],
  ] as const;

  for (const [label, krd, keyHex, header, nonceHex, enc] of cases) {
    it(`${label}: openssl dgst -verify accepts the signature; pkeyutl (OAEP SHA-256) + enc -d recover the key block`, async () => {
      const built = await buildTr34KeyBlock({
        kdhCertificate: kdh.certificate,
        kdhPrivateKey: kdh.privateKey,
        krdCertificate: krd.certificate,
        key: hexToBytes(keyHex),
        header,
        ...(nonceHex !== null ? { nonce: hexToBytes(nonceHex) } : {}),
      });
      const t = parseTr34Token(built.der);
      const v = openssl(['dgst', '-sha256', '-verify', '{dir}/kdh.pub', '-signature', '{dir}/sig.bin', '{dir}/attrs.bin'], {
        'kdh.pub': derToPem(kdh.certificate.publicKey.spki, 'PUBLIC KEY'),
        'sig.bin': t.signerInfo.signature,
        'attrs.bin': signedBytes(t.signedData, t.signerInfo),
      });
      expect(v.stdout).toContain('Verified OK');
      const d = openssl(['dgst', '-sha256', '-binary', '-out', '{dir}/md.bin', '{dir}/env.bin'], { 'env.bin': t.signedData.eContent! }, ['md.bin']);
      expect(bytesToHex(d.out['md.bin']!)).toBe(bytesToHex(mdOf(t)));
      const ek = openssl(
        ['pkeyutl', '-decrypt', '-inkey', '{dir}/krd.pem', '-in', '{dir}/ek.bin', '-out', '{dir}/e.bin', '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256'],
        { 'krd.pem': pem(krd.privateKey), 'ek.bin': t.envelope.encryptedKey },
        ['e.bin'],
      ).out['e.bin']!;
      expect(ek).toHaveLength(enc === 'des-ede3-cbc' ? 24 : 16);
      const pt = openssl(['enc', '-d', `-${enc}`, '-K', bytesToHex(ek), '-iv', bytesToHex(t.envelope.iv), '-in', '{dir}/ct.bin', '-out', '{dir}/pt.bin'], { 'ct.bin': t.envelope.ciphertext }, ['pt.bin']).out['pt.bin']!;
      const kb = parseKeyBlock(new Uint8Array(pt), 16);
      expect(bytesToHex(kb.key)).toBe(keyHex);
      expect(new TextDecoder().decode(kb.header)).toBe(header);
      expect(bytesToHex(kb.idKdh)).toBe(bytesToHex(kdh.certificate.issuerAndSerialNumber));
    });
  }

  it('a 16-byte nonce with a 16-character header: attributes sent out of DER order; openssl verifies the signature over them as sent (extracted by pkijs), not over the sorted SET', async () => {
    const nonce = hexToBytes('167EB0E72781E4940112233445566778');
    const key = hexToBytes('0123456789ABCDEFFEDCBA9876543210');
    const built = await buildTr34KeyBlock({ kdhCertificate: kdh.certificate, kdhPrivateKey: kdh.privateKey, krdCertificate: krd2048.certificate, key, header: 'D0000K0TB00E0000', nonce });
    // an independent parser (pkijs) gives the signed attributes as a SET TLV and the signature
    const sd = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(new Uint8Array(built.der)).content });
    const si = sd.signerInfos[0]!;
    const asSent = new Uint8Array(si.signedAttrs!.encodedValue);
    const signature = si.signature.valueBlock.valueHexView;
    expect(asSent[0]).toBe(0x31);
    const attrs = splitTlvs(asSent);
    expect(attrs).toHaveLength(4);
    const sorted = [...attrs].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(sorted.map((a) => bytesToHex(a))).not.toEqual(attrs.map((a) => bytesToHex(a)));
    const files = { 'kdh.pub': derToPem(kdh.certificate.publicKey.spki, 'PUBLIC KEY'), 'sig.bin': signature };
    const verify = (data: Uint8Array) => openssl(['dgst', '-sha256', '-verify', '{dir}/kdh.pub', '-signature', '{dir}/sig.bin', '{dir}/attrs.bin'], { ...files, 'attrs.bin': data });
    expect(verify(asSent).stdout).toContain('Verified OK');
    expect(() => verify(setOf(sorted))).toThrow(/Verification failure|Command failed/);
    const opened = await openTr34KeyBlock(built.der, {
      krdPrivateKey: krd2048.privateKey,
      krdCertificate: krd2048.certificate,
      kdhCertificate: kdh.certificate,
      trustAnchors: [Certificate.parse(ASC.keys.root.cert_pem)],
      intermediates: [Certificate.parse(ASC.keys.ca_kdh.cert_pem)],
      expectedNonce: nonce,
      at: ASC_VALID_AT,
    });
    expect(opened.key).toEqual(key);
  });

  it('openssl cms -verify accepts a token signed by a freshly generated key (signature over the attributes as sent)', async () => {
    const cert = await issueCertificate({ profile: 'signing', subject: { commonName: 'fresh KDH' }, publicKey: freshKdh.publicKey, selfSigningKey: freshKdh, seed: 'fresh' });
    const built = await buildTr34KeyBlock({ kdhCertificate: cert, kdhPrivateKey: freshKdh, krdCertificate: krd2048.certificate, key: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), header: 'D0000K0TB00E0000', nonce: hexToBytes('0102030405060708') });
    const r = openssl(['cms', '-verify', '-inform', 'DER', '-in', '{dir}/t.der', '-noverify', '-certfile', '{dir}/kdh.pem', '-nointern', '-binary', '-out', '{dir}/content.bin'], { 't.der': built.der, 'kdh.pem': cert.toPem() }, ['content.bin']);
    expect(bytesToHex(r.out['content.bin']!)).toBe(bytesToHex(parseTr34Token(built.der).signedData.eContent!));
  });
});

function mdOf(t: ReturnType<typeof parseTr34Token>): Uint8Array {
  const a = t.signerInfo.attributes.find((x) => x.oid === '1.2.840.113549.1.9.4')!;
  const v = a.values[0]!;
  return v.buf.subarray(v.valueStart, v.end);
}

/** The TLVs inside a DER SET (short or long definite lengths). */
function splitTlvs(set: Uint8Array): Uint8Array[] {
  const [start, end] = contentRange(set, 0);
  const out: Uint8Array[] = [];
  for (let i = start; i < end; ) {
    const [, e] = contentRange(set, i);
    out.push(set.subarray(i, e));
    i = e;
  }
  return out;
}

function contentRange(b: Uint8Array, at: number): [number, number] {
  const first = b[at + 1]!;
  if (first < 0x80) return [at + 2, at + 2 + first];
  const n = first & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + b[at + 2 + i]!;
  return [at + 2 + n, at + 2 + n + len];
}

function setOf(items: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(items.map((x) => Buffer.from(x)));
  const len = body.length < 0x80 ? [body.length] : body.length < 0x100 ? [0x81, body.length] : [0x82, body.length >> 8, body.length & 0xff];
  return new Uint8Array(Buffer.concat([Buffer.from([0x31, ...len]), body]));
}
