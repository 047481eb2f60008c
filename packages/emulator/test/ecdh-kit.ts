import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCaCertificate, generateRsaKeyPair, type Certificate } from '@paycrypt/tr34';
import type { EmulatorCa } from '../src/control-plane/import-export/emulator-ca.js';
import { issueKeyCertificate } from '../src/control-plane/import-export/key-certificate.js';

/**
 * The partner side of the ECDH tests (the HSM of the aws-samples ECDH scripts), written apart
 * from the emulator's ecdh.ts / ecdh-kdf.ts:
 * - `partnerKdf`: the two KDFs, built from the standards' formulas with Buffer.concat (checked
 *   against published vectors in the test);
 * - `partnerZ`: ECDH with node:crypto from the partner's private key and the emulator's public
 *   key (read from the GetPublicKeyCertificate certificate);
 * - `partnerPki`: an RSA root CA (@paycrypt/tr34) and EC leaf certificates it signs;
 * - openssl helpers for a PKI and a shared secret made entirely by the openssl CLI.
 */

const HASH_NAMES = { SHA_256: 'sha256', SHA_384: 'sha384', SHA_512: 'sha512' } as const;
export type KdfHash = keyof typeof HASH_NAMES;
export type KdfName = 'NIST_SP800' | 'ANSI_X963';

/**
 * NIST SP 800-56C one-step KDF: H(counter ‖ Z ‖ OtherInfo); ANSI X9.63: H(Z ‖ counter ‖ SharedInfo);
 * counter = 1, 2, … as 4 big-endian bytes; output truncated to `length` bytes.
 */
export function partnerKdf(kdf: KdfName, hash: KdfHash, z: Uint8Array, info: Uint8Array, length: number): Buffer {
  const parts: Buffer[] = [];
  let total = 0;
  for (let counter = 1; total < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const input = kdf === 'NIST_SP800' ? Buffer.concat([c, z, info]) : Buffer.concat([z, c, info]);
    const d = createHash(HASH_NAMES[hash]).update(input).digest();
    parts.push(d);
    total += d.length;
  }
  return Buffer.concat(parts).subarray(0, length);
}

/** The public key in an AWS certificate (base64 of PEM). */
export function publicKeyOfAwsCertificate(awsBase64: string): KeyObject {
  return new X509Certificate(Buffer.from(awsBase64, 'base64')).publicKey;
}

/** Z = ECDH(partner private key, emulator public key). */
export function partnerZ(privateKey: KeyObject, emulatorPublicKey: KeyObject): Buffer {
  return diffieHellman({ privateKey, publicKey: emulatorPublicKey });
}

export type Curve = 'P-256' | 'P-384' | 'P-521';
export interface PartnerLeaf {
  /** base64 of the PEM certificate (the API form) */
  certificate: string;
  privateKey: KeyObject;
}
export interface PartnerPki {
  /** RSA-2048 self-signed root, to import as RootCertificatePublicKey */
  root: Certificate;
  leaves: Record<Curve, PartnerLeaf>;
  /** a P-256 leaf signed by another root (not imported) */
  stranger: PartnerLeaf;
  /** a P-256 leaf of the right root that expired yesterday */
  expired: PartnerLeaf;
}

const DAY = 86_400_000;

async function rootCa(cn: string, notBefore: Date): Promise<EmulatorCa> {
  const { privateKey } = await generateRsaKeyPair(2048);
  const certificate = await createCaCertificate({ privateKey, subject: { commonName: cn, organization: 'paycrypt ECDH tests' }, notBefore, validityDays: 30 });
  return { certificate, privateKey, awsCertificate: certificate.toAwsBase64() };
}

async function leaf(ca: EmulatorCa, curve: Curve, notBefore: Date, validityDays = 30): Promise<PartnerLeaf> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  // issueKeyCertificate (the emulator's GetPublicKeyCertificate issuer) takes any SPKI and an
  // RSA issuer: here it only builds the partner's certificate; the emulator checks it with
  // node:crypto's X509Certificate.
  const certificate = await issueKeyCertificate({ ca, publicKeySpki: spki, commonName: `partner ${curve}`, keyUsage: ['keyAgreement'], notBefore, validityDays });
  return { certificate, privateKey };
}

export async function partnerPki(): Promise<PartnerPki> {
  const notBefore = new Date(Date.now() - DAY);
  const [root, other] = await Promise.all([rootCa('Partner ECDH root', notBefore), rootCa('Partner ECDH root', notBefore)]);
  return {
    root: root.certificate,
    leaves: { 'P-256': await leaf(root, 'P-256', notBefore), 'P-384': await leaf(root, 'P-384', notBefore), 'P-521': await leaf(root, 'P-521', notBefore) },
    stranger: await leaf(other, 'P-256', notBefore),
    expired: await leaf(root, 'P-256', new Date(Date.now() - 3 * DAY), 2),
  };
}

/** The same certificate with the last byte of its signature changed (names and key identifiers intact). */
export function withBadSignature(awsBase64: string): string {
  const der = Buffer.from(new X509Certificate(Buffer.from(awsBase64, 'base64')).raw);
  der.writeUInt8(der.readUInt8(der.length - 1) ^ 0x01, der.length - 1);
  const body = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return Buffer.from(`-----BEGIN CERTIFICATE-----\n${body}-----END CERTIFICATE-----\n`).toString('base64');
}

// ---- openssl ---------------------------------------------------------------------------------

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

function openssl(args: string[]): Buffer {
  return execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface OpensslPki {
  dir: string;
  /** base64 of the root's PEM */
  root: string;
  /** base64 of the P-384 leaf's PEM */
  leaf: string;
  leafKeyPath: string;
}

/** An RSA root and a P-384 leaf it signs, made by the openssl CLI. */
export function opensslPki(): OpensslPki {
  const dir = mkdtempSync(join(tmpdir(), 'paycrypt-ecdh-'));
  const p = (f: string): string => join(dir, f);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('root.key'), '-out', p('root.pem'), '-days', '3', '-subj', '/O=paycrypt tests/CN=openssl ECDH root', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-out', p('leaf.key')]);
  openssl(['req', '-new', '-key', p('leaf.key'), '-out', p('leaf.csr'), '-subj', '/O=paycrypt tests/CN=openssl ECDH partner']);
  writeFileSync(p('ext.cnf'), 'keyUsage=critical,keyAgreement\n');
  openssl(['x509', '-req', '-in', p('leaf.csr'), '-CA', p('root.pem'), '-CAkey', p('root.key'), '-CAcreateserial', '-out', p('leaf.pem'), '-days', '2', '-sha256', '-extfile', p('ext.cnf')]);
  const b64 = (f: string): string => readFileSync(p(f)).toString('base64');
  return { dir, root: b64('root.pem'), leaf: b64('leaf.pem'), leafKeyPath: p('leaf.key') };
}

/** A self-signed ECC root made by the openssl CLI (the aws-samples ECDH flow uses one as CA and partner certificate). */
export function opensslEccRoot(curve: Curve): { dir: string; root: string; keyPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'paycrypt-ecdh-root-'));
  const p = (f: string): string => join(dir, f);
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-out', p('root.key')]);
  openssl(['req', '-x509', '-new', '-key', p('root.key'), '-out', p('root.pem'), '-days', '3', '-sha512', '-subj', `/O=paycrypt tests/CN=openssl ${curve} root`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,keyAgreement']);
  return { dir, root: readFileSync(p('root.pem')).toString('base64'), keyPath: p('root.key') };
}

/** Z by `openssl pkeyutl -derive` from the key at `keyPath` and the emulator's certificate. */
export function opensslZWithKey(dir: string, keyPath: string, emulatorCertificate: string): Buffer {
  return opensslZ({ dir, root: '', leaf: '', leafKeyPath: keyPath }, emulatorCertificate);
}

/** Z by `openssl pkeyutl -derive` from the leaf key and the emulator's certificate. */
export function opensslZ(pki: OpensslPki, emulatorCertificate: string): Buffer {
  const certPath = join(pki.dir, 'emulator.pem');
  const pubPath = join(pki.dir, 'emulator-pub.pem');
  writeFileSync(certPath, Buffer.from(emulatorCertificate, 'base64'));
  writeFileSync(pubPath, openssl(['x509', '-in', certPath, '-pubkey', '-noout']));
  return openssl(['pkeyutl', '-derive', '-inkey', pki.leafKeyPath, '-peerkey', pubPath]);
}
