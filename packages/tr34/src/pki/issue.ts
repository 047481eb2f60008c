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
import { expectTag, tlvRaw, tlvValue, readSequence, childrenOf } from '../der/der-reader.js';
import { Certificate, CERTIFICATE_SIGNATURE_ALGORITHMS, KEY_USAGE_BITS, sameBytes, type KeyUsageName } from './certificate.js';
import { ECDSA_SIGNATURE_OIDS, EC_CURVES, type EcPrivateKey, type EcdsaHash } from './ec-keys.js';
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
  const names = opts.issuer === undefined ? undefined : { subjectDer: opts.issuer.certificate.subjectDer, spki: opts.issuer.certificate.publicKey.spki };
  const der = await buildCertificate(
    opts,
    rsaSigner(signer, opts.signatureHash ?? 'SHA-512'),
    names,
    opts.publicKey.spki,
    profile.ca,
    profile.keyUsage,
    opts.validityDays ?? profile.defaultValidityDays,
  );
  return Certificate.parse(der);
}

/**
 * An EC certificate authority: its certificate as DER (`Certificate` parses RSA certificates
 * only) and its private key. The signature is ECDSA.
 */
export interface EcIssuer {
  certificateDer: Uint8Array;
  privateKey: EcPrivateKey;
}

export interface IssueCertificateDerOptions extends Omit<IssueCertificateOptions, 'profile' | 'publicKey' | 'selfSigningKey' | 'issuer' | 'signatureHash'> {
  /** The subject's DER SubjectPublicKeyInfo, of any key type (RSA, EC, …). */
  publicKeySpki: Uint8Array;
  /**
   * The issuing CA: an RSA key (RSASSA-PKCS1-v1_5, `certificate` parsed) or an EC key (ECDSA,
   * `certificateDer`).
   */
  issuer: { certificate: Certificate; privateKey: RsaPrivateKey } | EcIssuer;
  /** keyUsage bits (critical); none = no keyUsage extension. */
  keyUsage: readonly KeyUsageName[];
  /** Signature hash (default: SHA-512 for an RSA issuer; for an EC issuer its curve's, EC_CURVES). */
  signatureHash?: RsaHash | EcdsaHash;
}

/** What signs a TBSCertificate: the AlgorithmIdentifier it names, and the signature. */
interface CertificateSigner {
  readonly algorithm: Uint8Array;
  sign(tbs: Uint8Array): Promise<Uint8Array>;
}

/** The issuer as the issued certificate names it: subject Name and SubjectPublicKeyInfo (DER). */
interface IssuerNames {
  readonly subjectDer: Uint8Array;
  readonly spki: Uint8Array;
}

function rsaSigner(key: RsaPrivateKey, hash: RsaHash): CertificateSigner {
  // RFC 4055 §5: the sha*WithRSAEncryption parameters are NULL
  return { algorithm: derSequence(derOid(SIGNATURE_OID[hash]), derNull()), sign: (tbs) => key.sign(hash, tbs) };
}

function ecdsaSigner(key: EcPrivateKey, hash: EcdsaHash | undefined): CertificateSigner {
  const h = hash ?? EC_CURVES[key.curve].hash;
  const oid = ECDSA_SIGNATURE_OIDS[h];
  if (oid === undefined) throw new RangeError(`"signatureHash" expected SHA-256, SHA-384 or SHA-512, got ${String(hash)}`);
  // RFC 5758 §3.2: the ecdsa-with-SHA* AlgorithmIdentifier has no parameters
  return { algorithm: derSequence(derOid(oid)), sign: (tbs) => key.sign(h, tbs) };
}

/** The subject Name and SubjectPublicKeyInfo of a certificate given as DER (any key type). */
function namesOfCertificateDer(der: Uint8Array): IssuerNames {
  const tbs = childrenOf(expectTag(readSequence(der, 'issuer certificate')[0], 0x30, 'issuer TBSCertificate'), 'issuer TBSCertificate');
  const i = tbs[0]?.tag === 0xa0 ? 1 : 0; // version, then serialNumber, signature, issuer, validity, subject, spki
  return {
    subjectDer: tlvRaw(expectTag(tbs[i + 4], 0x30, 'issuer certificate subject')),
    spki: tlvRaw(expectTag(tbs[i + 5], 0x30, 'issuer certificate subjectPublicKeyInfo')),
  };
}

function isEcIssuer(issuer: IssueCertificateDerOptions['issuer']): issuer is EcIssuer {
  return (issuer as Partial<EcIssuer>).certificateDer !== undefined;
}

/**
 * An end-entity certificate for any subject key, issued by an RSA or an EC CA, as DER
 * (`Certificate` parses RSA certificates only, so an EC subject is returned unparsed). Same
 * extensions as a non-CA `issueCertificate`; validity defaults to 30 days.
 */
export async function issueCertificateDer(opts: IssueCertificateDerOptions): Promise<Uint8Array> {
  const issuer = opts.issuer;
  if (isEcIssuer(issuer)) {
    const names = namesOfCertificateDer(issuer.certificateDer);
    if (!sameBytes(names.spki, issuer.privateKey.publicKeySpki)) throw new TypeError('"issuer.privateKey" does not match the key of "issuer.certificateDer"');
    return buildCertificate(opts, ecdsaSigner(issuer.privateKey, opts.signatureHash), names, opts.publicKeySpki, false, opts.keyUsage, opts.validityDays ?? 30);
  }
  const names = { subjectDer: issuer.certificate.subjectDer, spki: issuer.certificate.publicKey.spki };
  return buildCertificate(opts, rsaSigner(issuer.privateKey, opts.signatureHash ?? 'SHA-512'), names, opts.publicKeySpki, false, opts.keyUsage, opts.validityDays ?? 30);
}

export interface CreateEcCaOptions {
  /** The CA key pair (P-256, P-384 or P-521). */
  privateKey: EcPrivateKey;
  subject: DistinguishedName;
  serialNumber?: bigint;
  seed?: string;
  notBefore?: Date;
  /** default 3650 (the `ca` profile's) */
  validityDays?: number;
  /** default: the curve's (EC_CURVES: SHA-256 for P-256, SHA-384 for P-384, SHA-512 for P-521) */
  signatureHash?: EcdsaHash;
}

/**
 * A self-signed root CA certificate for an EC key (profile `ca`: basicConstraints cA, keyUsage
 * keyCertSign and cRLSign), signed with ECDSA, as DER.
 */
export function createEcCaCertificateDer(opts: CreateEcCaOptions): Promise<Uint8Array> {
  const profile = CERTIFICATE_PROFILES.ca;
  return buildCertificate(
    opts,
    ecdsaSigner(opts.privateKey, opts.signatureHash),
    undefined,
    opts.privateKey.publicKeySpki,
    profile.ca,
    profile.keyUsage,
    opts.validityDays ?? profile.defaultValidityDays,
  );
}

/** The fields of a certificate that are neither keys nor the profile. */
type CertificateFields = Pick<IssueCertificateOptions, 'subject' | 'serialNumber' | 'seed' | 'notBefore'>;

async function buildCertificate(
  opts: CertificateFields,
  signer: CertificateSigner,
  issuer: IssuerNames | undefined,
  subjectSpki: Uint8Array,
  ca: boolean,
  keyUsage: readonly KeyUsageName[],
  days: number,
): Promise<Uint8Array> {
  const sigAlg = signer.algorithm;
  const serial =
    opts.serialNumber ?? (opts.seed !== undefined ? await serialFromSeed(opts.seed) : await serialFromSeed(`${Date.now()}:${Math.random()}`));
  const notBefore = new Date(Math.floor((opts.notBefore ?? new Date()).getTime() / 1000) * 1000);
  const notAfter = new Date(notBefore.getTime() + days * 86_400_000);
  const subjectDer = encodeName(opts.subject);
  const issuerDer = issuer?.subjectDer ?? subjectDer;
  const ski = await keyIdentifier(subjectSpki);
  const exts: Uint8Array[] = [];
  if (ca) exts.push(extension(OID.basicConstraints, true, derSequence(Uint8Array.of(0x01, 0x01, 0xff))));
  else exts.push(extension(OID.basicConstraints, false, derSequence()));
  if (keyUsage.length > 0) exts.push(extension(OID.keyUsage, true, keyUsageBits(keyUsage)));
  exts.push(extension(OID.subjectKeyIdentifier, false, derOctetString(ski)));
  if (issuer !== undefined) {
    const aki = await keyIdentifier(issuer.spki);
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
  const signature = await signer.sign(tbs);
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
