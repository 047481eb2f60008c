import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '@paycrypt/primitives';
import * as pkijs from 'pkijs';
import * as asn1js from 'asn1js';
import {
  Certificate,
  RsaPrivateKey,
  Tr34Error,
  awsCertificateToDer,
  createCaCertificate,
  derToAwsCertificate,
  derToPem,
  issueCertificate,
  issueCertificateDer,
  pemToDer,
  verifyCertificateChain,
  generateRsaKeyPair,
} from '../src/index.js';
import { ASC, ASC_VALID_AT, TR34, type KeyEntry } from './fixtures.js';
import { HAS_OPENSSL, openssl } from './openssl.js';

const cert = (e: KeyEntry): Certificate => Certificate.parse(e.cert_pem);
const K = ASC.keys;
const IAS: Record<string, string> = { root: 'ias_root', ca_kdh: 'ias_ca_kdh', ca_krd: 'ias_ca_krd', kdh_1: 'ias_kdh_1', kdh_2: 'ias_kdh_2', krd_1: 'ias_krd_1' };

describe('ASC X9 TR-34-2019 Annex B.2.1 certificates', () => {
  for (const [name, entry] of Object.entries(K)) {
    it(`${entry.clause} ${name}: IssuerAndSerialNumber equals Annex ${ASC.items[IAS[name]!]!.clause}, private key matches`, () => {
      const c = cert(entry);
      expect(bytesToHex(c.issuerAndSerialNumber)).toBe(ASC.items[IAS[name]!]!.der_hex);
      expect(c.subject).toBe(entry.subject);
      expect(c.notBefore.toISOString()).toBe(new Date(entry.not_before!).toISOString());
      expect(c.notAfter.toISOString()).toBe(new Date(entry.not_after!).toISOString());
      expect(RsaPrivateKey.fromPkcs8(entry.private_key_pem).publicKey.equals(c.publicKey)).toBe(true);
      expect(c.publicKey.bits).toBe(2048);
    });
  }

  it('B.2.1: Root → CA KDH → KDH 1 / KDH 2 and Root → CA KRD → KRD 1 verify (at 2015-06-01)', async () => {
    const anchors = [cert(K.root)];
    for (const [leaf, ca] of [
      [K.kdh_1, K.ca_kdh],
      [K.kdh_2, K.ca_kdh],
      [K.krd_1, K.ca_krd],
    ] as const) {
      const path = await verifyCertificateChain(cert(leaf), { trustAnchors: anchors, intermediates: [cert(ca)], at: ASC_VALID_AT });
      expect(path.map((c) => c.subject)).toEqual([leaf.subject, ca.subject, K.root.subject]);
    }
  });

  it('the chain is rejected when expired, with the wrong CA, without the intermediate, or with a tampered signature', async () => {
    const root = cert(K.root);
    const reject = async (p: Promise<unknown>, text: RegExp): Promise<void> => {
      const e = await p.then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(Tr34Error);
      expect((e as Tr34Error).code).toBe('CERTIFICATE_INVALID');
      expect((e as Tr34Error).message).toMatch(text);
    };
    await reject(verifyCertificateChain(cert(K.kdh_1), { trustAnchors: [root], intermediates: [cert(K.ca_kdh)], at: new Date('2024-01-01Z') }), /expired/);
    await reject(verifyCertificateChain(cert(K.kdh_1), { trustAnchors: [root], intermediates: [cert(K.ca_krd)], at: ASC_VALID_AT }), /no issuer/);
    await reject(verifyCertificateChain(cert(K.kdh_1), { trustAnchors: [root], at: ASC_VALID_AT }), /no issuer/);
    await reject(verifyCertificateChain(cert(K.kdh_1), { trustAnchors: [cert(K.ca_krd)], intermediates: [cert(K.ca_kdh)], at: ASC_VALID_AT }), /no issuer/);
    const der = cert(K.kdh_1).der.slice();
    der[der.length - 5]! ^= 1;
    await reject(verifyCertificateChain(Certificate.parse(der), { trustAnchors: [root], intermediates: [cert(K.ca_kdh)], at: ASC_VALID_AT }), /does not verify/);
  });

  it('research test keys: RSA-4096 CA (sha512WithRSA) → RSA-3072 KDH and KRD verify', async () => {
    const g = TR34.generated_test_keys;
    for (const leaf of [g.kdh_rsa3072, g.krd_rsa3072]) {
      const path = await verifyCertificateChain(leaf.cert_pem, { trustAnchors: [g.ca_rsa4096.cert_pem], at: new Date('2026-01-01Z') });
      expect(path).toHaveLength(2);
      expect(path[1]!.publicKey.bits).toBe(4096);
    }
  });
});

describe('DER ↔ PEM ↔ AWS base64-of-PEM', () => {
  it('round-trips and matches the AWS shape', () => {
    const c = cert(K.krd_1);
    expect(derToPem(c.der)).toBe(K.krd_1.cert_pem.endsWith('\n') ? K.krd_1.cert_pem : `${K.krd_1.cert_pem}\n`);
    expect(pemToDer(c.toPem())).toEqual(c.der);
    const aws = c.toAwsBase64();
    expect(aws.startsWith('LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t')).toBe(true); // base64("-----BEGIN CERTIFICATE-----")
    expect(awsCertificateToDer(aws)).toEqual(c.der);
    expect(derToAwsCertificate(c.der)).toBe(aws);
    expect(Certificate.parse(aws).equals(c)).toBe(true);
    expect(() => Certificate.parse('not base64 !')).toThrow(Tr34Error);
    // a chain string with two certificates (AWS WrappingKeyCertificateChain may carry several)
    const chain = btoa(cert(K.ca_krd).toPem() + cert(K.root).toPem());
    expect(Certificate.parseAll(chain).map((x) => x.subject)).toEqual([K.ca_krd.subject, K.root.subject]);
    expect(Certificate.parseAll(cert(K.root).toPem())).toHaveLength(1);
  });
});

describe('test PKI issuance (CA = research RSA-4096 key; leaves RSA 2048/3072/4096)', () => {
  const caKey = RsaPrivateKey.fromPkcs8(TR34.generated_test_keys.ca_rsa4096.private_key_pem);
  const notBefore = new Date('2026-03-01T12:00:00Z');
  const at = new Date('2026-03-10T00:00:00Z');
  const subject = { commonName: 'paycrypt test CA', organization: 'paycrypt', country: 'US' };

  it('is deterministic for a given seed and keys, and the profiles carry the documented extensions', async () => {
    const ca1 = await createCaCertificate({ privateKey: caKey, subject, seed: 'ca-1', notBefore });
    const ca2 = await createCaCertificate({ privateKey: caKey, subject, seed: 'ca-1', notBefore });
    expect(ca1.der).toEqual(ca2.der);
    const ca3 = await createCaCertificate({ privateKey: caKey, subject, seed: 'ca-2', notBefore });
    expect(ca3.serialNumberHex).not.toBe(ca1.serialNumberHex);
    expect(ca1.isCa).toBe(true);
    expect([...ca1.keyUsage!]).toEqual(['keyCertSign', 'cRLSign']);
    expect(ca1.signatureAlgorithm).toBe('1.2.840.113549.1.1.13');
    expect(ca1.notAfter.getTime() - ca1.notBefore.getTime()).toBe(3650 * 86_400_000);
    expect(await verifyCertificateChain(ca1, { trustAnchors: [ca1], at })).toHaveLength(1);
  });

  it('issueCertificateDer certifies an EC P-256 key (node:crypto X509Certificate checks signature, key, extensions)', async () => {
    const ca = await createCaCertificate({ privateKey: caKey, subject, seed: 'ca-ec', notBefore });
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
    const der = await issueCertificateDer({
      subject: { commonName: 'EC leaf' },
      publicKeySpki: spki,
      issuer: { certificate: ca, privateKey: caKey },
      keyUsage: ['keyAgreement'],
      notBefore,
      validityDays: 90,
    });
    const x = new X509Certificate(der);
    expect(x.verify(new X509Certificate(ca.der).publicKey)).toBe(true);
    expect(x.checkIssued(new X509Certificate(ca.der))).toBe(true);
    expect(new Uint8Array(x.publicKey.export({ type: 'spki', format: 'der' }))).toEqual(spki);
    expect(x.ca).toBe(false);
    expect(x.keyUsage).toBeUndefined(); // node lists extended key usage here; the keyUsage bits are checked below
    expect(new Date(x.validTo).getTime() - new Date(x.validFrom).getTime()).toBe(90 * 86_400_000);
    // keyUsage extension: critical, keyAgreement only (bit 4: 03 02 03 08)
    expect(bytesToHex(der)).toContain('551D0F0101FF040403020308');
  });

  for (const bits of [2048, 3072, 4096] as const) {
    it(`RSA-${bits} key-transport and signing leaves chain to the CA (ours, pkijs${HAS_OPENSSL ? ', openssl verify' : ''})`, async () => {
      const ca = await createCaCertificate({ privateKey: caKey, subject, seed: 'ca', notBefore });
      const leafPrivate = bits === 4096 ? caKey : (await generateRsaKeyPair(bits)).privateKey;
      const leafKey = leafPrivate.publicKey;
      const krd = await issueCertificate({ profile: 'keyTransport', subject: { commonName: `KRD ${bits}` }, publicKey: leafKey, issuer: { certificate: ca, privateKey: caKey }, seed: `krd-${bits}`, notBefore });
      const kdh = await issueCertificate({ profile: 'signing', subject: { commonName: `KDH ${bits}` }, publicKey: leafKey, issuer: { certificate: ca, privateKey: caKey }, seed: `kdh-${bits}`, notBefore });
      expect(krd.publicKey.bits).toBe(bits);
      expect([...krd.keyUsage!]).toEqual(['keyEncipherment', 'dataEncipherment']);
      expect([...kdh.keyUsage!]).toEqual(['digitalSignature', 'nonRepudiation']);
      expect(krd.isCa).toBe(false);
      expect(krd.notAfter.getTime() - krd.notBefore.getTime()).toBe(30 * 86_400_000);
      for (const leaf of [krd, kdh]) {
        expect(await verifyCertificateChain(leaf, { trustAnchors: [ca], at })).toHaveLength(2);
        // independent: pkijs parses our DER and verifies the signature with the CA
        const p = pkijs.Certificate.fromBER(new Uint8Array(leaf.der));
        const pca = pkijs.Certificate.fromBER(new Uint8Array(ca.der));
        expect(await p.verify(pca)).toBe(true);
        expect(asn1js.fromBER(new Uint8Array(leaf.der)).offset).toBe(leaf.der.length);
        if (HAS_OPENSSL) {
          const r = openssl(['verify', '-attime', String(at.getTime() / 1000), '-CAfile', '{dir}/ca.pem', '{dir}/leaf.pem'], { 'ca.pem': ca.toPem(), 'leaf.pem': leaf.toPem() });
          expect(r.stdout).toContain('OK');
        }
      }
      // a leaf is not a CA: a certificate "issued" by it does not verify as a chain
      const bad = await issueCertificate({ profile: 'signing', subject: { commonName: 'x' }, publicKey: leafKey, issuer: { certificate: krd, privateKey: leafPrivate }, seed: 'x', notBefore });
      await expect(verifyCertificateChain(bad, { trustAnchors: [ca], intermediates: [krd], at })).rejects.toThrow(/not a CA/);
    });
  }
});
