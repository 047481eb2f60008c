import {
  derBitString,
  derContext,
  derNull,
  derOctetString,
  derOid,
  derPrintableString,
  derSequence,
  derSet,
  derSmallInteger,
  derTime,
  derTlv,
  derUnsignedInteger,
  derUtf8String,
} from '../der/der-writer.js';
import { OID } from '../der/oids.js';
import { tlvValue, readSequence } from '../der/der-reader.js';
import { Certificate, CERTIFICATE_SIGNATURE_ALGORITHMS, KEY_USAGE_BITS, type KeyUsageName } from './certificate.js';
import { bs } from '../webcrypto.js';
import type { RsaHash, RsaPrivateKey, RsaPublicKey } from './rsa-keys.js';

/**
 * What each kind of certificate carries (tr34.md §9; the ASC Annex B certificates use the
 * same key usages): one table, read by issueCertificate.
 */
export const CERTIFICATE_PROFILES = {
  /** A root or intermediate CA. */
  ca: { ca: true, keyUsage: ['keyCertSign', 'cRLSign'], defaultValidityDays: 3650 },
  /** A KRD key-transport (wrapping) certificate, as GetParametersForImport hands out. */
  keyTransport: { ca: false, keyUsage: ['keyEncipherment', 'dataEncipherment'], defaultValidityDays: 30 },
  /** A KDH signing certificate, as GetParametersForExport hands out. */
  signing: { ca: false, keyUsage: ['digitalSignature', 'nonRepudiation'], defaultValidityDays: 30 },
} as const satisfies Record<string, { ca: boolean; keyUsage: readonly KeyUsageName[]; defaultValidityDays: number }>;
export type CertificateProfile = keyof typeof CERTIFICATE_PROFILES;

export interface DistinguishedName {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
  /** Two-letter country code. */
  country?: string;
}

export interface IssueCertificateOptions {
  profile: CertificateProfile;
  subject: DistinguishedName;
  /** The subject's public key. */
  publicKey: RsaPublicKey;
  /** The issuing CA; omit for a self-signed certificate (then `selfSigningKey` is required). */
  issuer?: { certificate: Certificate; privateKey: RsaPrivateKey };
  /** The subject's own private key, for a self-signed certificate. */
  selfSigningKey?: RsaPrivateKey;
  /** Explicit serial number (positive). Wins over `seed`. */
  serialNumber?: bigint;
  /** Any string: the serial number is derived from it (SHA-256), so the output is deterministic. */
  seed?: string;
  /** Start of validity (default: now, to the second). */
  notBefore?: Date;
  /** Validity in days from notBefore (default from the profile: CA 3650, others 30). */
  validityDays?: number;
  /** Signature hash (default SHA-512, like AWS Payment Cryptography's CA, tr34.md §9). */
  signatureHash?: RsaHash;
}

const SIGNATURE_OID: Readonly<Record<RsaHash, string>> = Object.fromEntries(
  Object.entries(CERTIFICATE_SIGNATURE_ALGORITHMS).map(([oid, hash]) => [hash, oid]),
) as Record<RsaHash, string>;

function encodeName(n: DistinguishedName): Uint8Array {
  const rdn = (oid: string, value: Uint8Array): Uint8Array => derSet(derSequence(derOid(oid), value));
  const parts: Uint8Array[] = [];
  if (n.country !== undefined) parts.push(rdn(OID.countryName, derPrintableString(n.country)));
  if (n.organization !== undefined) parts.push(rdn(OID.organizationName, derUtf8String(n.organization)));
  if (n.organizationalUnit !== undefined) parts.push(rdn(OID.organizationalUnitName, derUtf8String(n.organizationalUnit)));
  parts.push(rdn(OID.commonName, derUtf8String(n.commonName)));
  return derSequence(...parts);
}

function keyUsageBits(names: readonly KeyUsageName[]): Uint8Array {
  let highest = 0;
  const bytes = new Uint8Array(2);
  for (const name of names) {
    const n = KEY_USAGE_BITS.indexOf(name);
    bytes[n >> 3]! |= 0x80 >> (n & 7);
    highest = Math.max(highest, n);
  }
  const used = bytes.subarray(0, (highest >> 3) + 1);
  // DER: no trailing zero bits are counted as used (X.690 §11.2.2)
  const last = used[used.length - 1]!;
  let unused = 0;
  while (unused < 7 && (last & (1 << unused)) === 0) unused++;
  return derBitString(used.slice(), unused);
}

function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical
    ? derSequence(derOid(oid), Uint8Array.of(0x01, 0x01, 0xff), derOctetString(value))
    : derSequence(derOid(oid), derOctetString(value));
}

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING value (any key type). */
async function keyIdentifier(subjectPublicKeyInfo: Uint8Array): Promise<Uint8Array> {
  const spki = readSequence(subjectPublicKeyInfo, 'SubjectPublicKeyInfo');
  const bits = tlvValue(spki[1]!).subarray(1);
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-1', bs(bits)));
}

async function serialFromSeed(seed: string): Promise<bigint> {
  const h = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bs(new TextEncoder().encode(`paycrypt-serial:${seed}`))));
  h[0]! &= 0x7f; // positive, at most 16 bytes (RFC 5280 §4.1.2.2 allows 20)
  h[0]! |= 0x40; // never shorter than 16 bytes, never zero
  let v = 0n;
  for (const b of h.subarray(0, 16)) v = (v << 8n) | BigInt(b);
  return v;
}

function bigIntMagnitude(v: bigint): Uint8Array {
  if (v <= 0n) throw new RangeError('"serialNumber" must be positive');
  const out: number[] = [];
  for (let x = v; x > 0n; x >>= 8n) out.unshift(Number(x & 0xffn));
  if (out.length > 20) throw new RangeError('"serialNumber" longer than 20 bytes');
  return Uint8Array.from(out);
}

/**
 * Issues an X.509 v3 certificate for an RSA key (RSASSA-PKCS1-v1_5). Deterministic: the same
 * inputs (keys, names, serial or seed, notBefore) give the same DER, because PKCS#1 v1.5
 * signatures are deterministic. Extensions: basicConstraints (critical, CA profile),
 * keyUsage (critical), subjectKeyIdentifier, authorityKeyIdentifier (when issued by a CA).
 */
export async function issueCertificate(opts: IssueCertificateOptions): Promise<Certificate> {
  const profile = CERTIFICATE_PROFILES[opts.profile];
  if (profile === undefined) throw new RangeError(`"profile" expected ca, keyTransport or signing, got ${String(opts.profile)}`);
  const signer = opts.issuer?.privateKey ?? opts.selfSigningKey;
  if (signer === undefined) throw new TypeError('"issuer" or "selfSigningKey" is required');
  if (opts.issuer === undefined && !signer.publicKey.equals(opts.publicKey)) {
    throw new TypeError('"selfSigningKey" does not match "publicKey"');
  }
  const der = await buildCertificate(opts, signer, opts.publicKey.spki, profile.ca, profile.keyUsage, opts.validityDays ?? profile.defaultValidityDays);
  return Certificate.parse(der);
}

export interface IssueCertificateDerOptions extends Omit<IssueCertificateOptions, 'profile' | 'publicKey' | 'selfSigningKey' | 'issuer'> {
  /** The subject's DER SubjectPublicKeyInfo, of any key type (RSA, EC, …). */
  publicKeySpki: Uint8Array;
  /** The issuing CA (an RSA key: the signature is RSASSA-PKCS1-v1_5). */
  issuer: { certificate: Certificate; privateKey: RsaPrivateKey };
  /** keyUsage bits (critical); none = no keyUsage extension. */
  keyUsage: readonly KeyUsageName[];
}

/**
 * An end-entity certificate for any subject key, issued by an RSA CA, as DER (`Certificate`
 * parses RSA certificates only, so an EC subject is returned unparsed). Same extensions as a
 * non-CA `issueCertificate`; validity defaults to 30 days.
 */
export function issueCertificateDer(opts: IssueCertificateDerOptions): Promise<Uint8Array> {
  return buildCertificate(opts, opts.issuer.privateKey, opts.publicKeySpki, false, opts.keyUsage, opts.validityDays ?? 30);
}

async function buildCertificate(
  opts: Omit<IssueCertificateOptions, 'profile' | 'publicKey' | 'selfSigningKey'>,
  signer: RsaPrivateKey,
  subjectSpki: Uint8Array,
  ca: boolean,
  keyUsage: readonly KeyUsageName[],
  days: number,
): Promise<Uint8Array> {
  const hash = opts.signatureHash ?? 'SHA-512';
  const sigAlg = derSequence(derOid(SIGNATURE_OID[hash]), derNull());
  const serial =
    opts.serialNumber ?? (opts.seed !== undefined ? await serialFromSeed(opts.seed) : await serialFromSeed(`${Date.now()}:${Math.random()}`));
  const notBefore = new Date(Math.floor((opts.notBefore ?? new Date()).getTime() / 1000) * 1000);
  const notAfter = new Date(notBefore.getTime() + days * 86_400_000);
  const subjectDer = encodeName(opts.subject);
  const issuerDer = opts.issuer?.certificate.subjectDer ?? subjectDer;
  const ski = await keyIdentifier(subjectSpki);
  const exts: Uint8Array[] = [];
  if (ca) exts.push(extension(OID.basicConstraints, true, derSequence(Uint8Array.of(0x01, 0x01, 0xff))));
  else exts.push(extension(OID.basicConstraints, false, derSequence()));
  if (keyUsage.length > 0) exts.push(extension(OID.keyUsage, true, keyUsageBits(keyUsage)));
  exts.push(extension(OID.subjectKeyIdentifier, false, derOctetString(ski)));
  if (opts.issuer !== undefined) {
    const aki = await keyIdentifier(opts.issuer.certificate.publicKey.spki);
    exts.push(extension(OID.authorityKeyIdentifier, false, derSequence(derTlv(0x80, aki))));
  }
  const tbs = derSequence(
    derContext(0, derSmallInteger(2)),
    derUnsignedInteger(bigIntMagnitude(serial)),
    sigAlg,
    issuerDer,
    derSequence(derTime(notBefore), derTime(notAfter)),
    subjectDer,
    subjectSpki,
    derContext(3, derSequence(...exts)),
  );
  const signature = await signer.sign(hash, tbs);
  return derSequence(tbs, sigAlg, derBitString(signature));
}

export interface CreateCaOptions {
  /** The CA key pair (AWS uses RSA-4096). */
  privateKey: RsaPrivateKey;
  subject: DistinguishedName;
  serialNumber?: bigint;
  seed?: string;
  notBefore?: Date;
  validityDays?: number;
  signatureHash?: RsaHash;
}

/** A self-signed root CA certificate (profile `ca`). */
export function createCaCertificate(opts: CreateCaOptions): Promise<Certificate> {
  return issueCertificate({ ...opts, profile: 'ca', publicKey: opts.privateKey.publicKey, selfSigningKey: opts.privateKey });
}
