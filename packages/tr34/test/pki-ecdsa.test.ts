import { X509Certificate, createPrivateKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  EcPrivateKey,
  Tr34Error,
  createCaCertificate,
  createEcCaCertificateDer,
  derToPem,
  ecdsaRawToDer,
  generateEcKeyPair,
  generateRsaKeyPair,
  issueCertificateDer,
  type EcCurve,
} from '../src/index.js';
import { HAS_OPENSSL, openssl } from './openssl.js';

/**
 * The ECDSA side of the certificate issuer: EC CA certificates and EC-issued leaves, checked with
 * node:crypto's X509Certificate and the OpenSSL command line (never with the issuer itself).
 */

const CURVES: Array<{ curve: EcCurve; openssl: string; sigalg: string }> = [
  { curve: 'P-256', openssl: 'prime256v1', sigalg: 'ecdsa-with-SHA256' },
  { curve: 'P-384', openssl: 'secp384r1', sigalg: 'ecdsa-with-SHA384' },
  { curve: 'P-521', openssl: 'secp521r1', sigalg: 'ecdsa-with-SHA512' },
];
const NOT_BEFORE = new Date(Date.now() - 86_400_000);

const pem = (der: Uint8Array): string => derToPem(der, 'CERTIFICATE');

describe('EC certificate authority (ECDSA)', () => {
  it.each(CURVES)('$curve: self-signed CA, verified by node:crypto and openssl, signed with $sigalg', async ({ curve, openssl: name, sigalg }) => {
    const key = await generateEcKeyPair(curve);
    const der = await createEcCaCertificateDer({ privateKey: key, subject: { commonName: `EC root ${curve}`, organization: 'paycrypt tests' }, notBefore: NOT_BEFORE, validityDays: 10 });
    const ca = new X509Certificate(der);
    expect(ca.ca).toBe(true);
    expect(ca.checkIssued(ca)).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(ca.publicKey.asymmetricKeyDetails?.namedCurve).toBe(name);
    expect(Buffer.from(ca.publicKey.export({ type: 'spki', format: 'der' }))).toEqual(Buffer.from(key.publicKeySpki));
    expect(ca.subject).toBe('O=paycrypt tests\nCN=EC root P-256'.replace('P-256', curve));
    expect((Date.parse(ca.validTo) - Date.parse(ca.validFrom)) / 86_400_000).toBe(10);
    if (HAS_OPENSSL) {
      const text = openssl(['x509', '-in', '{dir}/ca.pem', '-noout', '-text'], { 'ca.pem': pem(der) }).stdout;
      expect(text).toContain(`Signature Algorithm: ${sigalg}`);
      expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE/);
      expect(text).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
      expect(openssl(['verify', '-CAfile', '{dir}/ca.pem', '{dir}/ca.pem'], { 'ca.pem': pem(der) }).stdout.trim()).toMatch(/: OK$/);
    }
  });

  it.each(CURVES)('$curve CA issues EC and RSA leaves that chain to it (node:crypto, openssl verify)', async ({ curve, openssl: name, sigalg }) => {
    const caKey = await generateEcKeyPair(curve);
    const caDer = await createEcCaCertificateDer({ privateKey: caKey, subject: { commonName: `EC CA ${curve}` }, notBefore: NOT_BEFORE });
    const ca = new X509Certificate(caDer);
    const ecSubject = generateKeyPairSync('ec', { namedCurve: name }).publicKey.export({ type: 'spki', format: 'der' });
    const rsaSubject = (await generateRsaKeyPair(2048)).publicKey.spki;
    for (const spki of [new Uint8Array(ecSubject), rsaSubject]) {
      const der = await issueCertificateDer({
        subject: { commonName: 'leaf' },
        publicKeySpki: spki,
        issuer: { certificateDer: caDer, privateKey: caKey },
        keyUsage: ['keyAgreement'],
        notBefore: NOT_BEFORE,
        validityDays: 90,
      });
      const leaf = new X509Certificate(der);
      expect(leaf.checkIssued(ca)).toBe(true);
      expect(leaf.verify(ca.publicKey)).toBe(true);
      expect(leaf.ca).toBe(false);
      expect(Buffer.from(leaf.publicKey.export({ type: 'spki', format: 'der' }))).toEqual(Buffer.from(spki));
      if (HAS_OPENSSL) {
        const files = { 'ca.pem': pem(caDer), 'leaf.pem': pem(der) };
        expect(openssl(['verify', '-CAfile', '{dir}/ca.pem', '{dir}/leaf.pem'], files).stdout.trim()).toMatch(/leaf\.pem: OK$/);
        const text = openssl(['x509', '-in', '{dir}/leaf.pem', '-noout', '-text'], files).stdout;
        expect(text).toContain(`Signature Algorithm: ${sigalg}`);
        expect(text).toMatch(/Authority Key Identifier/);
      }
    }
  });

  it('an explicit signatureHash is used (P-256 CA signing with SHA-512)', async () => {
    const caKey = await generateEcKeyPair('P-256');
    const der = await createEcCaCertificateDer({ privateKey: caKey, subject: { commonName: 'x' }, signatureHash: 'SHA-512' });
    const ca = new X509Certificate(der);
    expect(ca.verify(ca.publicKey)).toBe(true);
    if (HAS_OPENSSL) expect(openssl(['x509', '-in', '{dir}/c.pem', '-noout', '-text'], { 'c.pem': pem(der) }).stdout).toContain('ecdsa-with-SHA512');
  });

  it('refuses an issuer whose private key is not the key of its certificate', async () => {
    const caKey = await generateEcKeyPair('P-256');
    const other = await generateEcKeyPair('P-256');
    const caDer = await createEcCaCertificateDer({ privateKey: caKey, subject: { commonName: 'x' } });
    await expect(
      issueCertificateDer({ subject: { commonName: 'l' }, publicKeySpki: other.publicKeySpki, issuer: { certificateDer: caDer, privateKey: other }, keyUsage: [] }),
    ).rejects.toThrow(TypeError);
  });

  it('RSA issuers are unchanged (sha512WithRSAEncryption by default)', async () => {
    const { privateKey } = await generateRsaKeyPair(2048);
    const ca = await createCaCertificate({ privateKey, subject: { commonName: 'rsa' }, notBefore: NOT_BEFORE });
    const ecLeaf = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' });
    const der = await issueCertificateDer({ subject: { commonName: 'l' }, publicKeySpki: new Uint8Array(ecLeaf), issuer: { certificate: ca, privateKey }, keyUsage: ['keyAgreement'] });
    const leaf = new X509Certificate(der);
    expect(leaf.verify(new X509Certificate(ca.der).publicKey)).toBe(true);
    expect(leaf.toLegacyObject().asn1Curve ?? '').toBe('prime256v1');
    if (HAS_OPENSSL) expect(openssl(['x509', '-in', '{dir}/l.pem', '-noout', '-text'], { 'l.pem': pem(der) }).stdout).toContain('sha512WithRSAEncryption');
  });
});

describe('EcPrivateKey', () => {
  it.each(CURVES)('$curve: from a node:crypto PKCS#8, same public key; its signatures verify with node:crypto', async ({ openssl: name }) => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: name });
    const key = await EcPrivateKey.fromPkcs8(new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' })));
    expect(Buffer.from(key.publicKeySpki)).toEqual(publicKey.export({ type: 'spki', format: 'der' }));
    const data = new TextEncoder().encode('to be signed');
    const signature = await key.sign('SHA-256', data);
    expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'der' }, signature)).toBe(true);
    expect(verify('sha256', Buffer.from('other'), { key: publicKey, dsaEncoding: 'der' }, signature)).toBe(false);
    // exportPkcs8 gives the key back
    expect(createPrivateKey({ key: Buffer.from(key.exportPkcs8()), format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'der' })).toEqual(
      privateKey.export({ type: 'pkcs8', format: 'der' }),
    );
  });

  it.runIf(HAS_OPENSSL)('a PKCS#8 without the public key (openssl -no_public): the public key is recovered', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const sec1 = privateKey.export({ type: 'sec1', format: 'pem' }) as string;
    const stripped = openssl(['ec', '-in', '{dir}/k.pem', '-no_public', '-outform', 'PEM', '-out', '{dir}/np.pem'], { 'k.pem': sec1 }, ['np.pem']).out['np.pem']!;
    const pkcs8 = openssl(['pkcs8', '-topk8', '-nocrypt', '-in', '{dir}/np.pem', '-outform', 'DER', '-out', '{dir}/p8.der'], { 'np.pem': stripped }, ['p8.der']).out['p8.der']!;
    expect(pkcs8.length).toBeLessThan(privateKey.export({ type: 'pkcs8', format: 'der' }).length); // the public point is really gone
    const key = await EcPrivateKey.fromPkcs8(new Uint8Array(pkcs8));
    expect(Buffer.from(key.publicKeySpki)).toEqual(publicKey.export({ type: 'spki', format: 'der' }));
  });

  it('refuses RSA and unsupported curves with UNSUPPORTED', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'der' });
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ type: 'pkcs8', format: 'der' });
    for (const der of [rsa, k1]) {
      const e = await EcPrivateKey.fromPkcs8(new Uint8Array(der)).then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(Tr34Error);
      expect((e as Tr34Error).code).toBe('UNSUPPORTED');
    }
  });

  it('ecdsaRawToDer turns node:crypto IEEE P1363 signatures into DER ones node:crypto verifies', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-521' });
    for (let i = 0; i < 16; i++) {
      const data = Buffer.from(`message ${i}`);
      const raw = sign('sha512', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      expect(raw.length).toBe(132);
      expect(verify('sha512', data, { key: publicKey, dsaEncoding: 'der' }, ecdsaRawToDer(new Uint8Array(raw), 66))).toBe(true);
    }
    expect(() => ecdsaRawToDer(new Uint8Array(64), 66)).toThrow(RangeError);
  });
});
