import { childrenOf, expectChildren, expectTag, readSmallInteger, tlvRaw, tlvValue, type Tlv, readSequence } from '../der/der-reader.js';
import { oidToString } from '../der/der-writer.js';
import { OID } from '../der/oids.js';
import { Tr34Error, cryptoFailed, malformed } from '../errors.js';
import type { Certificate } from '../pki/certificate.js';
import type { RsaHash } from '../pki/rsa-keys.js';
import { bs, sha256, subtle } from '../webcrypto.js';

/** SignerInfo digest algorithms we accept (TR-34 and AWS use SHA-256 only). */
const DIGEST_ALGORITHMS: Readonly<Record<string, RsaHash>> = { [OID.sha256]: 'SHA-256' };
/** SignerInfo signature algorithms: rsaEncryption (AWS, ASC) or sha256WithRSAEncryption, both PKCS#1 v1.5. */
const SIGNATURE_ALGORITHMS = new Set<string>([OID.rsaEncryption, OID.sha256WithRSAEncryption]);

export interface Attribute {
  oid: string;
  /** The AttributeValue TLVs inside the SET. */
  values: Tlv[];
}

export interface SignerInfo {
  version: number;
  /** SignerIdentifier as received (IssuerAndSerialNumber for TR-34). */
  sid: Tlv;
  digestAlgorithm: string;
  /** The [0] IMPLICIT signedAttrs TLV exactly as received, or undefined. */
  signedAttrs: Tlv | undefined;
  attributes: Attribute[];
  signatureAlgorithm: string;
  signature: Uint8Array;
}

/** A CMS ContentInfo(SignedData) as received; every Tlv points into `der`. */
export interface SignedData {
  der: Uint8Array;
  version: number;
  eContentType: string;
  /** The eContent OCTET STRING value (undefined for a detached / empty content). */
  eContent: Uint8Array | undefined;
  certificates: Tlv[];
  crls: Tlv[];
  signerInfos: SignerInfo[];
}

const oidOf = (t: Tlv | undefined, what: string): string => oidToString(tlvValue(expectTag(t, 0x06, what)));

/** AlgorithmIdentifier whose parameters are absent or NULL (digest and RSA signature algorithms). */
function algorithmOid(t: Tlv | undefined, what: string): string {
  const f = expectChildren(t, 0x30, what);
  if (f.length > 2 || (f[1] !== undefined && (f[1].tag !== 0x05 || f[1].end !== f[1].valueStart))) throw malformed(`${what} (parameters must be absent or NULL)`);
  return oidOf(f[0], `${what} OID`);
}

function parseAttributes(signedAttrs: Tlv): Attribute[] {
  return childrenOf(signedAttrs, 'signedAttrs').map((a) => {
    const f = expectChildren(a, 0x30, 'signed attribute');
    return { oid: oidOf(f[0], 'signed attribute type'), values: expectChildren(f[1], 0x31, 'signed attribute values') };
  });
}

function parseSignerInfo(t: Tlv): SignerInfo {
  const f = expectChildren(t, 0x30, 'SignerInfo');
  let i = 0;
  const version = readSmallInteger(f[i++], 'SignerInfo version');
  if (version !== 1) throw malformed(`SignerInfo version (${version}; 1 = IssuerAndSerialNumber expected)`);
  const sid = expectTag(f[i++], 0x30, 'SignerInfo sid (IssuerAndSerialNumber)');
  const digestAlgorithm = algorithmOid(f[i++], 'SignerInfo digestAlgorithm');
  let signedAttrs: Tlv | undefined;
  if (f[i]?.tag === 0xa0) signedAttrs = f[i++];
  const signatureAlgorithm = algorithmOid(f[i++], 'SignerInfo signatureAlgorithm');
  const signature = tlvValue(expectTag(f[i++], 0x04, 'SignerInfo signature'));
  if (i !== f.length) throw malformed('SignerInfo (unsigned attributes or trailing elements)');
  return { version, sid, digestAlgorithm, signedAttrs, attributes: signedAttrs ? parseAttributes(signedAttrs) : [], signatureAlgorithm, signature };
}

/** Parses ContentInfo { signedData, [0] SignedData } (RFC 5652 §5) keeping offsets. */
export function parseSignedData(der: Uint8Array): SignedData {
  const ci = readSequence(der, 'ContentInfo');
  if (oidOf(ci[0], 'ContentInfo contentType') !== OID.signedData) throw malformed('ContentInfo (content type is not signedData)');
  const sd = expectChildren(expectChildren(ci[1], 0xa0, 'ContentInfo content')[0], 0x30, 'SignedData');
  let i = 0;
  const version = readSmallInteger(sd[i++], 'SignedData version');
  if (version !== 1 && version !== 3) throw malformed(`SignedData version (${version})`);
  const digestAlgorithms = expectChildren(sd[i++], 0x31, 'SignedData digestAlgorithms').map((a) => algorithmOid(a, 'SignedData digestAlgorithm'));
  const eci = expectChildren(sd[i++], 0x30, 'SignedData encapContentInfo');
  const eContentType = oidOf(eci[0], 'eContentType');
  let eContent: Uint8Array | undefined;
  if (eci[1] !== undefined) {
    const wrapped = expectChildren(eci[1], 0xa0, 'eContent');
    eContent = tlvValue(expectTag(wrapped[0], 0x04, 'eContent OCTET STRING'));
  }
  const certificates = sd[i]?.tag === 0xa0 ? childrenOf(sd[i++]!, 'certificates') : [];
  let crls = sd[i]?.tag === 0xa1 ? childrenOf(sd[i++]!, 'crls') : [];
  const signerInfos = expectChildren(sd[i++], 0x31, 'SignedData signerInfos').map(parseSignerInfo);
  // ASC TR-34-2019 B.6 (CT_KDH) places its crls [1] after the signerInfos; tolerated
  if (crls.length === 0 && sd[i]?.tag === 0xa1) crls = childrenOf(sd[i++]!, 'crls');
  if (i !== sd.length) throw malformed('SignedData (unexpected trailing elements)');
  for (const si of signerInfos) {
    if (!digestAlgorithms.includes(si.digestAlgorithm)) throw malformed('SignedData digestAlgorithms (does not list the SignerInfo digest algorithm)');
  }
  return { der, version, eContentType, eContent, certificates, crls, signerInfos };
}

export function findAttribute(si: SignerInfo, oid: string): Attribute | undefined {
  return si.attributes.find((a) => a.oid === oid);
}

/** The single OCTET STRING value of an attribute, or undefined when absent. */
export function octetAttribute(si: SignerInfo, oid: string, what: string): Uint8Array | undefined {
  const a = findAttribute(si, oid);
  if (a === undefined) return undefined;
  if (si.attributes.filter((x) => x.oid === oid).length > 1 || a.values.length !== 1) throw malformed(`${what} attribute (must occur once with one value)`);
  return tlvValue(expectTag(a.values[0], 0x04, `${what} attribute value`));
}

/**
 * The bytes a SignerInfo signature covers: with signed attributes, the [0] IMPLICIT TLV as
 * received with its tag byte replaced by SET (0x31), RFC 5652 §5.4 — never re-encoded or
 * re-sorted (ASC B.9 and long headers are not in DER SET order, tr34.md §12);
 * without, the eContent itself.
 */
export function signedBytes(sd: SignedData, si: SignerInfo): Uint8Array {
  if (si.signedAttrs === undefined) {
    if (sd.eContent === undefined) throw malformed('SignedData (no eContent and no signed attributes)');
    return sd.eContent;
  }
  const raw = tlvRaw(si.signedAttrs).slice();
  raw[0] = 0x31;
  return raw;
}

/**
 * Verifies one SignerInfo with the signer's certificate: the messageDigest attribute equals
 * SHA-256 of the eContent octets, and the PKCS#1 v1.5 signature verifies. Any failure is the
 * one opaque CRYPTO_FAILED; unsupported algorithms are UNSUPPORTED.
 */
export async function verifySignerInfo(sd: SignedData, si: SignerInfo, signer: Certificate): Promise<void> {
  const hash = DIGEST_ALGORITHMS[si.digestAlgorithm];
  if (hash === undefined) throw new Tr34Error('UNSUPPORTED', `unsupported SignerInfo digest algorithm ${si.digestAlgorithm} (SHA-256 only)`);
  if (!SIGNATURE_ALGORITHMS.has(si.signatureAlgorithm)) {
    throw new Tr34Error('UNSUPPORTED', `unsupported SignerInfo signature algorithm ${si.signatureAlgorithm}`);
  }
  if (si.signedAttrs !== undefined) {
    const md = octetAttribute(si, OID.messageDigest, 'messageDigest');
    if (md === undefined) throw malformed('signed attributes (no messageDigest)');
    if (sd.eContent === undefined) throw malformed('SignedData (no eContent)');
    const actual = await sha256(sd.eContent);
    let diff = md.length ^ actual.length;
    for (let i = 0; i < actual.length; i++) diff |= actual[i]! ^ (md[i] ?? 0);
    if (diff !== 0) throw cryptoFailed();
  }
  const key = await signer.publicKey.verifyKey(hash);
  let ok = false;
  try {
    ok = await subtle().verify('RSASSA-PKCS1-v1_5', key, bs(si.signature), bs(signedBytes(sd, si)));
  } catch {
    ok = false;
  }
  if (!ok) throw cryptoFailed();
}
