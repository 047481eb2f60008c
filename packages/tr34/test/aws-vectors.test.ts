import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, kcv } from '@paycrypt/primitives';
import { Certificate, buildTr34KeyBlock, inspectTr34KeyBlock, openTr34KeyBlock } from '../src/index.js';
import { encodeKeyBlock } from '../src/tr34/key-block.js';
import { encryptContent } from '../src/tr34/content-encryption.js';
import { parseTr34Token } from '../src/tr34/token.js';
import { signedBytes } from '../src/tr34/signed-data.js';
import { ASC, ASC_VALID_AT, TR34, party, type Tr34Vector } from './fixtures.js';

const VECTORS = TR34.aws_tr34_2012_vectors.vectors;

/** Trust anchors, intermediates and a validity date for the KDH of a vector. */
function trustFor(v: Tr34Vector): { trustAnchors: Certificate[]; intermediates: Certificate[]; at: Date } {
  return v.kdh_signing_key_ref.startsWith('asc.')
    ? { trustAnchors: [Certificate.parse(ASC.keys.root.cert_pem)], intermediates: [Certificate.parse(ASC.keys.ca_kdh.cert_pem)], at: ASC_VALID_AT }
    : { trustAnchors: [Certificate.parse(TR34.generated_test_keys.ca_rsa4096.cert_pem)], intermediates: [], at: new Date('2026-06-01Z') };
}

const ALG = { desEde3Cbc: 'des-ede3-cbc', aes128Cbc: 'aes128-cbc' } as const;

describe('AWS X9_TR34_2012 research tokens (built by the research scripts, cross-checked there with python, openssl and Node; not produced by AWS)', () => {
  for (const v of VECTORS) {
    const kdh = party(v.kdh_signing_key_ref);
    const krd = party(v.krd_wrapping_key_ref);
    const i = v.inputs;
    const e = v.expected;

    it(`${v.id}: opens to its key (KCV ${e.kcv}) and header, layout X9_TR34_2012`, async () => {
      const opened = await openTr34KeyBlock(e.wrapped_key_block_hex, {
        krdPrivateKey: krd.privateKey,
        krdCertificate: krd.certificate,
        kdhCertificate: kdh.certificate,
        ...trustFor(v),
        ...(i.random_nonce !== null ? { expectedNonce: hexToBytes(i.random_nonce) } : {}),
      });
      expect(bytesToHex(opened.key)).toBe(i.clear_key);
      expect(bytesToHex(kcv(opened.key, e.kcv_algorithm === 'CMAC' ? 'AES' : 'TDES'))).toBe(e.kcv);
      expect(opened.headerString).toBe(i.header_ascii);
      expect(opened.header).toMatchObject({ version: i.header_ascii[0], keyUsage: 'K0', algorithm: i.header_ascii[7], modeOfUse: 'B', exportability: 'E', optionalBlocks: [] });
      expect(opened.layout).toBe('X9_TR34_2012');
      expect(opened.mode).toBe(i.random_nonce === null ? 'one-pass' : 'two-pass');
      expect(opened.contentEncryption).toBe(ALG[i.content_encryption]);
      if (i.random_nonce !== null) expect(bytesToHex(opened.nonce!)).toBe(i.random_nonce);
    });

    it(`${v.id}: the parsed pieces equal the recorded intermediate values`, () => {
      const t = parseTr34Token(hexToBytes(e.wrapped_key_block_hex));
      expect(bytesToHex(t.kdhIssuerAndSerialNumber)).toBe(e.kdh_issuer_and_serial);
      expect(bytesToHex(t.krdIssuerAndSerialNumber)).toBe(e.krd_issuer_and_serial);
      expect(bytesToHex(kdh.certificate.issuerAndSerialNumber)).toBe(e.kdh_issuer_and_serial);
      expect(bytesToHex(krd.certificate.issuerAndSerialNumber)).toBe(e.krd_issuer_and_serial);
      expect(bytesToHex(t.signedData.eContent!)).toBe(e.envelope_content_octets);
      expect(bytesToHex(t.envelope.ciphertext)).toBe(e.ciphertext);
      expect(bytesToHex(t.envelope.encryptedKey)).toBe(e.encrypted_ephemeral_key);
      expect(bytesToHex(signedBytes(t.signedData, t.signerInfo))).toBe(e.signed_attrs_set_der);
      expect(bytesToHex(t.signerInfo.signature)).toBe(e.signature);
      const info = inspectTr34KeyBlock(e.wrapped_key_block_hex);
      expect(info.headerString).toBe(i.header_ascii);
      expect(info.header.lengthField).toBe(Number(i.header_ascii.slice(1, 5)));
      expect(info.signingTime?.toISOString()).toBe(i.signing_time === null ? undefined : '2026-01-01T00:00:00.000Z');
    });

    it(`${v.id}: building with the recorded ephemeral key, IV and OAEP seed reproduces the token byte for byte`, async () => {
      const key = hexToBytes(i.clear_key);
      const header = new TextEncoder().encode(i.header_ascii);
      const kb = encodeKeyBlock(kdh.certificate.issuerAndSerialNumber, key, header);
      expect(bytesToHex(kb)).toBe(e.key_block_der);
      expect(bytesToHex(encryptContent(ALG[i.content_encryption], hexToBytes(i.ephemeral_key), hexToBytes(i.iv), kb))).toBe(e.ciphertext);
      const built = await buildTr34KeyBlock({
        kdhCertificate: kdh.certificate,
        kdhPrivateKey: kdh.privateKey,
        krdCertificate: krd.certificate,
        key,
        header: i.header_ascii,
        ...(i.random_nonce !== null ? { nonce: hexToBytes(i.random_nonce) } : { signingTime: new Date('2026-01-01T00:00:00Z') }),
        fixed: { ephemeralKey: hexToBytes(i.ephemeral_key), iv: hexToBytes(i.iv), oaepSeed: hexToBytes(i.oaep_seed) },
      });
      expect(built.hex).toBe(e.wrapped_key_block_hex);
      expect(bytesToHex(built.der)).toBe(built.hex);
    });
  }
});
