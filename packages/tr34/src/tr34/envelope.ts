import { hexToBytes } from '@paycrypt/primitives';
import { childrenOf, expectChildren, expectTag, rawEquals, readRun, readSmallInteger, tlvValue, type Tlv, readSequence } from '../der/der-reader.js';
import { derContextPrimitive, derOctetString, derOid, derSequence, derSet, derSmallInteger, oidToString } from '../der/der-writer.js';
import { OID } from '../der/oids.js';
import { Tr34Error, malformed } from '../errors.js';
import { CONTENT_ENCRYPTION, contentEncryptionByOid, type ContentEncryption } from './content-encryption.js';

/**
 * RSAES-OAEP AlgorithmIdentifier exactly as AWS and the ASC samples write it (tr34.md §3.1):
 * untagged parameters SEQUENCE { {sha256, NULL}, {mgf1, {sha256}}, {pSpecified, ''} }, 71 bytes.
 */
export const OAEP_SHA256_ALGORITHM_IDENTIFIER = hexToBytes(
  '304506092A864886F70D0101073038300D06096086480165030402010500301806092A864886F70D010108300B0609608648016503040201300D06092A864886F70D0101090400',
);

/**
 * Which TR-34 layout a token used (tr34.md §3.3):
 * - `X9_TR34_2012`: AWS's "2012 non-CMS" form — eContent holds the EnvelopedData content octets
 *   without their SEQUENCE header, and the [0] ciphertext sits inside the content-encryption AlgId.
 * - `TR34_2019_CMS`: the TR-34-2019 corrigendum — a standard CMS EnvelopedData.
 * - `TR34_2019_AS_PRINTED`: the uncorrected 2019 text (B.2.2.3, B.9): full SEQUENCE, nested [0].
 */
export type Tr34Layout = 'X9_TR34_2012' | 'TR34_2019_CMS' | 'TR34_2019_AS_PRINTED';

export interface Envelope {
  layout: Tr34Layout;
  /** KeyTransRecipientInfo rid (IssuerAndSerialNumber) as received. */
  rid: Tlv;
  encryptedKey: Uint8Array;
  contentEncryption: ContentEncryption;
  iv: Uint8Array;
  ciphertext: Uint8Array;
}

const oidOf = (t: Tlv | undefined, what: string): string => oidToString(tlvValue(expectTag(t, 0x06, what)));

/**
 * Accepts RSAES-OAEP with SHA-256, MGF1-SHA-256 and an empty label, with untagged (AWS/ASC)
 * or RFC 4055 [0]/[1]/[2]-tagged parameters. Anything else is UNSUPPORTED.
 */
function checkOaepAlgorithm(t: Tlv): void {
  if (rawEquals(t, OAEP_SHA256_ALGORITHM_IDENTIFIER)) return;
  const f = expectChildren(t, 0x30, 'keyEncryptionAlgorithm');
  if (oidOf(f[0], 'keyEncryptionAlgorithm OID') !== OID.rsaesOaep) {
    throw new Tr34Error('UNSUPPORTED', 'unsupported keyEncryptionAlgorithm (RSAES-OAEP only)');
  }
  const params = f[1] === undefined ? [] : expectChildren(f[1], 0x30, 'RSAES-OAEP parameters');
  const field = (n: number): Tlv | undefined => {
    const tagged = params.find((p) => p.tag === (0xa0 | n));
    if (tagged !== undefined) return childrenOf(tagged, 'RSAES-OAEP parameter')[0];
    return params.every((p) => p.tag === 0x30) ? params[n] : undefined;
  };
  const unsupported = (): never => {
    throw new Tr34Error('UNSUPPORTED', 'unsupported RSAES-OAEP parameters (SHA-256, MGF1-SHA-256, empty label only)');
  };
  const hash = field(0);
  const mgf = field(1);
  const label = field(2);
  if (hash === undefined || oidOf(expectChildren(hash, 0x30, 'OAEP hashFunc')[0], 'OAEP hashFunc OID') !== OID.sha256) unsupported();
  const m = expectChildren(mgf, 0x30, 'OAEP maskGenFunc');
  if (oidOf(m[0], 'OAEP maskGenFunc OID') !== OID.mgf1 || oidOf(expectChildren(m[1], 0x30, 'MGF1 hash')[0], 'MGF1 hash OID') !== OID.sha256) unsupported();
  if (label !== undefined) {
    const l = expectChildren(label, 0x30, 'OAEP pSourceFunc');
    if (oidOf(l[0], 'OAEP pSourceFunc OID') !== OID.pSpecified || tlvValue(expectTag(l[1], 0x04, 'OAEP label')).length !== 0) unsupported();
  }
}

/** Parses the EnvelopedData carried in the eContent octets, in any of the three layouts. */
export function parseEnvelope(octets: Uint8Array): Envelope {
  if (octets.length === 0) throw malformed('EnvelopedData (empty eContent)');
  const wrapped = octets[0] === 0x30;
  const parts = wrapped ? readSequence(octets, 'EnvelopedData') : readRun(octets, 0, octets.length, 'EnvelopedData content');
  if (parts.length !== 3) throw malformed(`EnvelopedData (expected version, recipientInfos, encryptedContentInfo; got ${parts.length} elements)`);
  const version = readSmallInteger(parts[0], 'EnvelopedData version');
  if (version !== 0 && version !== 2) throw malformed(`EnvelopedData version (${version})`);
  const recipients = expectChildren(parts[1], 0x31, 'EnvelopedData recipientInfos');
  if (recipients.length !== 1) throw malformed(`recipientInfos (expected one KeyTransRecipientInfo, got ${recipients.length})`);
  const ktri = expectChildren(recipients[0], 0x30, 'KeyTransRecipientInfo');
  if (ktri.length !== 4) throw malformed('KeyTransRecipientInfo (expected 4 elements)');
  if (readSmallInteger(ktri[0], 'KeyTransRecipientInfo version') !== 0) throw malformed('KeyTransRecipientInfo version (expected 0, IssuerAndSerialNumber)');
  const rid = expectTag(ktri[1], 0x30, 'KeyTransRecipientInfo rid (IssuerAndSerialNumber)');
  checkOaepAlgorithm(expectTag(ktri[2], 0x30, 'keyEncryptionAlgorithm'));
  const encryptedKey = tlvValue(expectTag(ktri[3], 0x04, 'encryptedKey'));
  const eci = expectChildren(parts[2], 0x30, 'EncryptedContentInfo');
  if (oidOf(eci[0], 'EncryptedContentInfo contentType') !== OID.data) throw malformed('EncryptedContentInfo contentType (expected id-data)');
  const alg = expectChildren(eci[1], 0x30, 'contentEncryptionAlgorithm');
  const contentEncryption = contentEncryptionByOid(oidOf(alg[0], 'contentEncryptionAlgorithm OID'));
  const iv = tlvValue(expectTag(alg[1], 0x04, 'contentEncryptionAlgorithm IV'));
  const nested = alg[2];
  const standard = eci[2];
  let ciphertext: Uint8Array;
  let layout: Tr34Layout;
  if (nested !== undefined && standard === undefined && alg.length === 3) {
    ciphertext = tlvValue(expectTag(nested, 0x80, 'encryptedContent [0] inside the AlgorithmIdentifier'));
    layout = wrapped ? 'TR34_2019_AS_PRINTED' : 'X9_TR34_2012';
  } else if (nested === undefined && standard !== undefined && eci.length === 3) {
    ciphertext = tlvValue(expectTag(standard, 0x80, 'encryptedContent [0]'));
    if (!wrapped) throw new Tr34Error('UNSUPPORTED', 'unsupported TR-34 layout (bare EnvelopedData content with a standard encryptedContent)');
    layout = 'TR34_2019_CMS';
  } else {
    throw malformed('EncryptedContentInfo (no single encryptedContent [0])');
  }
  return { layout, rid, encryptedKey, contentEncryption, iv, ciphertext };
}

export interface EnvelopeParts {
  rid: Uint8Array;
  encryptedKey: Uint8Array;
  contentEncryption: ContentEncryption;
  iv: Uint8Array;
  ciphertext: Uint8Array;
}

/**
 * The eContent octets of a TR-34 EnvelopedData (tr34.md §4.1 step 6). `X9_TR34_2012`:
 * INTEGER 0 ‖ SET{KTRI} ‖ SEQUENCE{id-data, SEQUENCE{encOID, IV, [0] ciphertext}}, no wrapper.
 * `TR34_2019_CMS`: the standard EnvelopedData SEQUENCE.
 */
export function encodeEnvelope(p: EnvelopeParts, layout: 'X9_TR34_2012' | 'TR34_2019_CMS'): Uint8Array {
  const ktri = derSequence(derSmallInteger(0), p.rid, OAEP_SHA256_ALGORITHM_IDENTIFIER, derOctetString(p.encryptedKey));
  const encOid = derOid(CONTENT_ENCRYPTION[p.contentEncryption].oid);
  const ct = derContextPrimitive(0, p.ciphertext);
  if (layout === 'X9_TR34_2012') {
    const eci = derSequence(derOid(OID.data), derSequence(encOid, derOctetString(p.iv), ct));
    const version = derSmallInteger(0);
    const recipients = derSet(ktri);
    const out = new Uint8Array(version.length + recipients.length + eci.length);
    out.set(version, 0);
    out.set(recipients, version.length);
    out.set(eci, version.length + recipients.length);
    return out;
  }
  return derSequence(derSmallInteger(0), derSet(ktri), derSequence(derOid(OID.data), derSequence(encOid, derOctetString(p.iv)), ct));
}
