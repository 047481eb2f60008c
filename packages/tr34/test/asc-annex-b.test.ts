import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '@paycrypt/primitives';
import { Certificate, RsaPrivateKey, Tr34Error, openTr34KeyBlock } from '../src/index.js';
import { childrenOf, readSingle, tlvRaw, tlvValue } from '../src/der/der-reader.js';
import { decryptContent } from '../src/tr34/content-encryption.js';
import { parseEnvelope } from '../src/tr34/envelope.js';
import { parseKeyBlock } from '../src/tr34/key-block.js';
import { octetAttribute, parseSignedData, verifySignerInfo } from '../src/tr34/signed-data.js';
import { parseTr34Token } from '../src/tr34/token.js';
import { rsaOaepDecrypt } from '../src/cryptogram/rsa-oaep.js';
import { sha256 } from '../src/webcrypto.js';
import { ASC, ASC_VALID_AT, KNOWN } from './fixtures.js';

const item = (name: string): Uint8Array => hexToBytes(ASC.items[name]!.der_hex);
const title = (name: string): string => `${ASC.items[name]!.clause} ${name}`;
const CERTS = Object.values(ASC.keys).map((k) => Certificate.parse(k.cert_pem));
const KDH1 = Certificate.parse(ASC.keys.kdh_1.cert_pem);
const KRD1 = Certificate.parse(ASC.keys.krd_1.cert_pem);
const KRD1_KEY = RsaPrivateKey.fromPkcs8(ASC.keys.krd_1.private_key_pem);
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';

/** The certificate whose IssuerAndSerialNumber equals `sid`. */
function bySid(sid: Uint8Array): Certificate {
  const c = CERTS.find((x) => bytesToHex(x.issuerAndSerialNumber) === bytesToHex(sid));
  if (c === undefined) throw new Error('signer not among the Annex B certificates');
  return c;
}

describe('ASC X9 TR-34-2019 Annex B.2.2: key blocks and envelopes', () => {
  for (const [name, header] of [
    ['key_block_tdea', KNOWN.header_tdea],
    ['key_block_aes', KNOWN.header_aes],
  ] as const) {
    it(`${title(name)}: SEQUENCE{1, IAS(KDH 1), ${KNOWN.clear_key}, ${header}}`, () => {
      const kb = parseKeyBlock(item(name), 8);
      expect(kb.version).toBe(1);
      expect(bytesToHex(kb.idKdh)).toBe(ASC.items.ias_kdh_1!.der_hex);
      expect(bytesToHex(kb.key)).toBe(KNOWN.clear_key);
      expect(new TextDecoder().decode(kb.header)).toBe(header);
    });
  }

  const envelopes = [
    ['enveloped_tdea_original', 'TR34_2019_AS_PRINTED', KNOWN.tdea_ephemeral_key, KNOWN.tdea_iv, '030303'],
    ['enveloped_tdea_errata', 'TR34_2019_CMS', KNOWN.tdea_ephemeral_key, KNOWN.tdea_iv, '030303'],
    ['enveloped_aes_original', 'TR34_2019_AS_PRINTED', KNOWN.aes_ephemeral_key, KNOWN.aes_iv_effective, '0B'.repeat(11)],
    ['enveloped_aes_errata', 'TR34_2019_CMS', KNOWN.aes_ephemeral_key, KNOWN.aes_iv_effective, '0B'.repeat(11)],
  ] as const;
  for (const [name, layout, ek, iv, padding] of envelopes) {
    it(`${title(name)}: layout ${layout}, recipient KRD 1, decrypts with the published ephemeral key to B.2.2.2.1 + PKCS#7 ${padding.slice(0, 6)}…`, () => {
      const env = parseEnvelope(item(name));
      expect(env.layout).toBe(layout);
      expect(bytesToHex(tlvRaw(env.rid))).toBe(ASC.items.ias_krd_1!.der_hex);
      expect(env.encryptedKey).toHaveLength(256);
      // the AES sample prints only 8 IV bytes; the effective IV is zero-extended (tr34.md §10)
      const pt = decryptContent(env.contentEncryption, hexToBytes(ek), hexToBytes(iv), env.ciphertext);
      expect(bytesToHex(pt)).toBe(ASC.items.key_block_tdea!.der_hex + padding);
    });
  }

  it('the sample RSA-OAEP layer is defective (tr34.md §10): KRD 1 cannot decrypt its encryptedKey, reported as the opaque error', async () => {
    const env = parseEnvelope(item('enveloped_tdea_errata'));
    const e = await rsaOaepDecrypt(KRD1_KEY, 'SHA-256', env.encryptedKey).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Tr34Error);
    expect((e as Tr34Error).code).toBe('CRYPTO_FAILED');
  });

  for (const [attrs, envelope, strip] of [
    ['signed_attrs_1pass_original', 'enveloped_tdea_original', true],
    ['signed_attrs_2pass_original', 'enveloped_tdea_original', true],
    ['signed_attrs_1pass_errata', 'enveloped_tdea_errata', false],
    ['signed_attrs_2pass_errata', 'enveloped_tdea_errata', false],
  ] as const) {
    it(`${title(attrs)}: messageDigest = SHA-256 of the ${envelope} ${strip ? 'content octets (2012/AWS convention)' : 'full SEQUENCE'}`, async () => {
      const t = readSingle(item(attrs), 'attrs');
      const md = childrenOf(t, 'attrs')
        .map((a) => childrenOf(a, 'attr'))
        .find((f) => bytesToHex(tlvRaw(f[0]!)) === '06092A864886F70D010904')!;
      const env = readSingle(item(envelope), 'env');
      const covered = strip ? env.buf.subarray(env.valueStart, env.end) : tlvRaw(env);
      expect(bytesToHex(tlvValue(childrenOf(md[1]!, 'set')[0]!))).toBe(bytesToHex(await sha256(covered)));
    });
  }
});

describe('ASC X9 TR-34-2019 Annex B.3–B.14: tokens', () => {
  const tokens = [
    ['b8_kt_kdh_1pass_original', 'TR34_2019_AS_PRINTED', 'one-pass'],
    ['b8_kt_kdh_1pass_errata', 'TR34_2019_CMS', 'one-pass'],
    ['b9_kt_kdh_2pass_original', 'TR34_2019_AS_PRINTED', 'two-pass'],
    ['b9_kt_kdh_2pass_errata', 'TR34_2019_CMS', 'two-pass'],
  ] as const;
  for (const [name, layout, mode] of tokens) {
    it(`${title(name)}: parses as ${layout} ${mode}; KDH 1 signature and messageDigest verify over the attributes as received`, async () => {
      const t = parseTr34Token(item(name));
      expect(t.layout).toBe(layout);
      expect(t.mode).toBe(mode);
      expect(t.headerString).toBe(KNOWN.header_tdea);
      expect(t.header).toMatchObject({ version: 'A', keyUsage: 'K0', algorithm: 'T', modeOfUse: 'B', exportability: 'E' });
      if (mode === 'two-pass') expect(bytesToHex(t.nonce!)).toBe(KNOWN.random_nonce_2pass_16);
      expect(t.signedData.crls).toHaveLength(1);
      expect(bytesToHex(t.kdhIssuerAndSerialNumber)).toBe(ASC.items.ias_kdh_1!.der_hex);
      expect(bytesToHex(t.krdIssuerAndSerialNumber)).toBe(ASC.items.ias_krd_1!.der_hex);
      await verifySignerInfo(t.signedData, t.signerInfo, KDH1);
      // a flipped signature bit is rejected
      const bad = item(name);
      const sigOffset = bad.length - 10;
      bad[sigOffset]! ^= 0x01;
      await expect(verifySignerInfo(parseSignedData(bad), parseSignedData(bad).signerInfos[0]!, KDH1)).rejects.toThrow(/verification or decryption failed/);
    });
  }

  it('B.9: the 16-byte nonce puts the signed attributes out of DER SET order, and they still verify as received', () => {
    const t = parseTr34Token(item('b9_kt_kdh_2pass_errata'));
    const raw = childrenOf(t.signerInfo.signedAttrs!, 'attrs').map((a) => bytesToHex(tlvRaw(a)));
    expect([...raw].sort()).not.toEqual(raw);
  });

  it('B.9.1 opened end to end: chain, signature and nonce pass, then the defective OAEP layer fails with the opaque error', async () => {
    const e = await openTr34KeyBlock(item('b9_kt_kdh_2pass_errata'), {
      krdPrivateKey: KRD1_KEY,
      krdCertificate: KRD1,
      kdhCertificate: KDH1,
      trustAnchors: [Certificate.parse(ASC.keys.root.cert_pem)],
      intermediates: [Certificate.parse(ASC.keys.ca_kdh.cert_pem)],
      expectedNonce: hexToBytes(KNOWN.random_nonce_2pass_16),
      at: ASC_VALID_AT,
    }).catch((x: unknown) => x);
    expect((e as Tr34Error).code).toBe('CRYPTO_FAILED');
  });

  for (const name of ['b10_rbt_ca', 'b11_rbt_kdh', 'b13_ubt_ca', 'b14_ubt_kdh']) {
    it(`${title(name)}: the signer is an Annex B certificate and its signature verifies`, async () => {
      const sd = parseSignedData(item(name));
      expect(sd.signerInfos).toHaveLength(1);
      const si = sd.signerInfos[0]!;
      await verifySignerInfo(sd, si, bySid(tlvRaw(si.sid)));
      if (name === 'b11_rbt_kdh' || name === 'b14_ubt_kdh') {
        expect(bytesToHex(octetAttribute(si, '1.2.840.113549.1.9.25.3', 'randomNonce')!)).toBe(KNOWN.random_nonce_8);
      }
      if (si.signedAttrs !== undefined) expect(octetAttribute(si, OID_MESSAGE_DIGEST, 'messageDigest')).toHaveLength(32);
    });
  }

  for (const [name, certs] of [
    ['b3_root_p7b', ['root']],
    ['b4_ca_kdh_p7b', ['ca_kdh']],
    ['b5_ca_krd_p7b', ['ca_krd']],
    ['b6_ct_kdh', ['kdh_1']],
    ['b7_ct_krd', ['krd_1']],
  ] as const) {
    it(`${title(name)}: carries the Annex B.2.1 certificate(s) ${certs.join(', ')} byte for byte`, () => {
      const sd = parseSignedData(item(name));
      expect(sd.signerInfos).toHaveLength(0);
      expect(sd.certificates.map((c) => bytesToHex(tlvRaw(c)))).toEqual(certs.map((k) => bytesToHex(Certificate.parse(ASC.keys[k].cert_pem).der)));
      if (name === 'b6_ct_kdh') expect(sd.crls.map((c) => bytesToHex(tlvRaw(c)))).toEqual([ASC.items.crl_ca_kdh!.der_hex]);
    });
  }

  it('B.12 RT_KRD is the randomNonce attribute with the 16-byte nonce', () => {
    const f = childrenOf(readSingle(item('b12_rt_krd'), 'RT_KRD'), 'RT_KRD');
    expect(bytesToHex(tlvRaw(f[0]!))).toBe('060A2A864886F70D01091903');
    expect(bytesToHex(tlvValue(childrenOf(f[1]!, 'set')[0]!))).toBe(KNOWN.random_nonce_2pass_16);
  });

  it('B.2.1.3: the CA KDH CRL signature verifies with the CA KDH key', async () => {
    const crl = childrenOf(readSingle(item('crl_ca_kdh'), 'CRL'), 'CRL');
    const sig = tlvValue(crl[2]!).subarray(1);
    const key = await Certificate.parse(ASC.keys.ca_kdh.cert_pem).publicKey.verifyKey('SHA-256');
    expect(await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, new Uint8Array(sig), new Uint8Array(tlvRaw(crl[0]!)))).toBe(true);
  });
});
