import { Tr34Error, malformed } from '../errors.js';
import { childrenOf, expectChildren, expectTag, readSingle, tlvRaw, tlvValue, type Tlv, readSequence } from '../der/der-reader.js';
import { derSequence, oidToString, parseDerTime } from '../der/der-writer.js';
import { OID } from '../der/oids.js';
import { awsCertificateToDer, awsCertificateToDerList, derToAwsCertificate, derToPem, pemBlocks, pemToDer } from './pem.js';
import { bs } from '../webcrypto.js';
import { RsaPublicKey, type RsaHash } from './rsa-keys.js';

/** Certificate signature algorithms we verify and issue: OID → hash (RSASSA-PKCS1-v1_5). */
export const CERTIFICATE_SIGNATURE_ALGORITHMS: Readonly<Record<string, RsaHash>> = {
  [OID.sha256WithRSAEncryption]: 'SHA-256',
  [OID.sha384WithRSAEncryption]: 'SHA-384',
  [OID.sha512WithRSAEncryption]: 'SHA-512',
};

/** RFC 5280 §4.2.1.3 KeyUsage bit names, bit 0 first. */
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsageName = (typeof KEY_USAGE_BITS)[number];

export interface CertificateExtension {
  oid: string;
  critical: boolean;
  value: Uint8Array;
}

const NAME_LABELS: Readonly<Record<string, string>> = {
  [OID.commonName]: 'CN',
  [OID.countryName]: 'C',
  [OID.organizationName]: 'O',
  [OID.organizationalUnitName]: 'OU',
};

/** "CN=…,O=…,C=…" (most specific first, as OpenSSL's RFC 2253 style prints it). */
function nameToString(name: Tlv): string {
  const parts: string[] = [];
  for (const rdn of childrenOf(name, 'Name')) {
    for (const atv of childrenOf(rdn, 'RelativeDistinguishedName')) {
      const [type, value] = childrenOf(atv, 'AttributeTypeAndValue');
      const oid = oidToString(tlvValue(expectTag(type, 0x06, 'attribute type')));
      const text = value === undefined ? '' : new TextDecoder().decode(tlvValue(value));
      parts.push(`${NAME_LABELS[oid] ?? oid}=${text}`);
    }
  }
  return parts.reverse().join(',');
}

/**
 * A parsed X.509 certificate (RSA keys only). Keeps the DER and exact sub-encodings:
 * `issuerDer` and `serialNumberDer` are the TLVs copied raw from the TBSCertificate, which is
 * what TR-34 IssuerAndSerialNumber needs (tr34.md §1.6).
 */
export class Certificate {
  readonly der: Uint8Array;
  readonly tbsDer: Uint8Array;
  readonly serialNumberDer: Uint8Array;
  readonly issuerDer: Uint8Array;
  readonly subjectDer: Uint8Array;
  readonly issuer: string;
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: RsaPublicKey;
  readonly extensions: readonly CertificateExtension[];
  readonly signatureAlgorithm: string;
  readonly signature: Uint8Array;
  /** Certificates whose key verified this certificate's signature (cache). */
  readonly #verifiedBy = new WeakSet<Certificate>();
  /** The outer signatureAlgorithm equals the TBSCertificate signature field (RFC 5280 §4.1.1.2). */
  readonly #algorithmsAgree: boolean;
  #issuerAndSerial: Uint8Array | undefined;

  private constructor(der: Uint8Array) {
    this.der = der;
    const top = readSequence(der, 'Certificate');
    if (top.length !== 3) throw malformed('Certificate (expected 3 elements)');
    const tbsTlv = expectTag(top[0], 0x30, 'TBSCertificate');
    this.tbsDer = tlvRaw(tbsTlv);
    const tbs = childrenOf(tbsTlv, 'TBSCertificate');
    let i = tbs[0]?.tag === 0xa0 ? 1 : 0;
    this.serialNumberDer = tlvRaw(expectTag(tbs[i++], 0x02, 'certificate serialNumber'));
    const tbsAlg = expectTag(tbs[i++], 0x30, 'certificate signature AlgorithmIdentifier');
    const issuer = expectTag(tbs[i++], 0x30, 'certificate issuer');
    const validity = expectChildren(tbs[i++], 0x30, 'certificate validity');
    const subject = expectTag(tbs[i++], 0x30, 'certificate subject');
    const spki = expectTag(tbs[i++], 0x30, 'certificate subjectPublicKeyInfo');
    this.issuerDer = tlvRaw(issuer);
    this.subjectDer = tlvRaw(subject);
    this.issuer = nameToString(issuer);
    this.subject = nameToString(subject);
    this.notBefore = readTime(validity[0], 'certificate notBefore');
    this.notAfter = readTime(validity[1], 'certificate notAfter');
    this.publicKey = RsaPublicKey.fromSpki(tlvRaw(spki));
    const exts: CertificateExtension[] = [];
    for (; i < tbs.length; i++) {
      if (tbs[i]!.tag !== 0xa3) continue; // [1]/[2] unique identifiers are ignored
      for (const ext of expectChildren(childrenOf(tbs[i]!, 'extensions')[0], 0x30, 'extensions')) {
        const f = childrenOf(ext, 'Extension');
        const oid = oidToString(tlvValue(expectTag(f[0], 0x06, 'extension OID')));
        const critical = f.length === 3 && f[1]!.tag === 0x01 && tlvValue(f[1]!)[0] !== 0;
        exts.push({ oid, critical, value: tlvValue(expectTag(f[f.length - 1], 0x04, 'extension value')) });
      }
    }
    this.extensions = exts;
    const alg = expectChildren(top[1], 0x30, 'certificate signatureAlgorithm');
    this.signatureAlgorithm = oidToString(tlvValue(expectTag(alg[0], 0x06, 'certificate signatureAlgorithm OID')));
    this.#algorithmsAgree = sameBytes(tlvRaw(tbsAlg), tlvRaw(top[1]!));
    const sig = tlvValue(expectTag(top[2], 0x03, 'certificate signature'));
    if (sig[0] !== 0) throw malformed('certificate signature (unused bits)');
    this.signature = sig.subarray(1);
  }

  /** From DER, PEM text, or the AWS form (base64 of PEM). */
  static parse(input: Uint8Array | string): Certificate {
    if (input instanceof Uint8Array) return new Certificate(new Uint8Array(input)); // a copy (Buffer.slice() is a view)
    if (typeof input !== 'string') throw new TypeError('"certificate" expected DER bytes or a PEM / AWS base64-of-PEM string');
    return new Certificate(input.includes('-----BEGIN') ? pemToDer(input, 'CERTIFICATE') : awsCertificateToDer(input));
  }

  /**
   * Every certificate in PEM text or an AWS certificate string (base64 of one or more PEM
   * blocks, e.g. `WrappingKeyCertificateChain`), in order.
   */
  static parseAll(input: string): Certificate[] {
    if (typeof input !== 'string') throw new TypeError('"certificates" expected a PEM or AWS base64-of-PEM string');
    const ders = input.includes('-----BEGIN') ? pemBlocks(input, 'CERTIFICATE') : awsCertificateToDerList(input);
    if (ders.length === 0) throw new Tr34Error('MALFORMED', 'malformed PEM (no CERTIFICATE block)');
    return ders.map((d) => new Certificate(d));
  }

  toPem(): string {
    return derToPem(this.der, 'CERTIFICATE');
  }

  /** The AWS API form: base64 of the PEM text. */
  toAwsBase64(): string {
    return derToAwsCertificate(this.der);
  }

  /** IssuerAndSerialNumber ::= SEQUENCE { issuer Name, serialNumber } with both TLVs copied raw. */
  get issuerAndSerialNumber(): Uint8Array {
    this.#issuerAndSerial ??= derSequence(this.issuerDer, this.serialNumberDer);
    return this.#issuerAndSerial;
  }

  /** Serial number as upper-case hex of its INTEGER content octets. */
  get serialNumberHex(): string {
    return Array.from(this.serialNumberDer.subarray(2), (b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');
  }

  extension(oid: string): CertificateExtension | undefined {
    return this.extensions.find((e) => e.oid === oid);
  }

  /** BasicConstraints cA flag; undefined when the extension is absent. */
  get isCa(): boolean | undefined {
    const e = this.extension(OID.basicConstraints);
    if (e === undefined) return undefined;
    const f = readSequence(e.value, 'basicConstraints');
    return f[0]?.tag === 0x01 && tlvValue(f[0])[0] !== 0;
  }

  /** KeyUsage bits that are set; undefined when the extension is absent. */
  get keyUsage(): Set<KeyUsageName> | undefined {
    const e = this.extension(OID.keyUsage);
    if (e === undefined) return undefined;
    const bits = tlvValue(expectTag(readSingle(e.value, 'keyUsage'), 0x03, 'keyUsage'));
    const out = new Set<KeyUsageName>();
    KEY_USAGE_BITS.forEach((name, n) => {
      const byte = bits[1 + (n >> 3)];
      if (byte !== undefined && (byte & (0x80 >> (n & 7))) !== 0) out.add(name);
    });
    return out;
  }

  get isSelfIssued(): boolean {
    return sameBytes(this.issuerDer, this.subjectDer);
  }

  /** True when `issuer`'s key verifies this certificate's signature (cached per pair). */
  async isSignedBy(issuer: Certificate): Promise<boolean> {
    if (this.#verifiedBy.has(issuer)) return true;
    // as OpenSSL's X509_verify: the unsigned outer AlgorithmIdentifier must repeat the signed one
    // (else its bytes, e.g. the NULL parameters, could be altered and the certificate still verify)
    if (!this.#algorithmsAgree) return false;
    const hash = CERTIFICATE_SIGNATURE_ALGORITHMS[this.signatureAlgorithm];
    if (hash === undefined) throw new Tr34Error('UNSUPPORTED', `unsupported certificate signature algorithm ${this.signatureAlgorithm}`);
    const key = await issuer.publicKey.verifyKey(hash);
    const ok = await globalThis.crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, bs(this.signature), bs(this.tbsDer));
    if (ok) this.#verifiedBy.add(issuer);
    return ok;
  }

  /** Byte equality of the DER. */
  equals(other: Certificate): boolean {
    return sameBytes(this.der, other.der);
  }
}

function readTime(t: Tlv | undefined, what: string): Date {
  if (t === undefined) throw malformed(`${what} (missing)`);
  const d = parseDerTime(t.tag, tlvValue(t));
  if (d === undefined) throw malformed(what);
  return d;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Accepts a Certificate or anything Certificate.parse accepts. */
export type CertificateInput = Certificate | Uint8Array | string;

export function toCertificate(input: CertificateInput): Certificate {
  return input instanceof Certificate ? input : Certificate.parse(input);
}
