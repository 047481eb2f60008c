import { tlvRaw } from '../der/der-reader.js';
import { parseDerTime } from '../der/der-writer.js';
import { OID } from '../der/oids.js';
import { Tr34Error, malformed } from '../errors.js';
import { headerFromToken } from './header.js';
import type { Tr31Header, Tr31ParseOptions } from '@paycrypt/keyblock';
import { parseEnvelope, type Envelope, type Tr34Layout } from './envelope.js';
import { findAttribute, octetAttribute, parseSignedData, type SignedData, type SignerInfo } from './signed-data.js';
import { CONTENT_ENCRYPTION, type ContentEncryption } from './content-encryption.js';
import { hexToBytes } from '@paycrypt/primitives';

/** What anyone can read from a TR-34 key token without keys (nothing here is verified yet). */
export interface Tr34TokenInfo {
  layout: Tr34Layout;
  /** 'two-pass' when a randomNonce attribute is signed, else 'one-pass'. */
  mode: 'one-pass' | 'two-pass';
  /** The signed key-block header, parsed (TR-31 style; `lengthField` as read). */
  header: Tr31Header & { lengthField: number };
  /** The signed key-block header as its exact characters. */
  headerString: string;
  nonce: Uint8Array | undefined;
  signingTime: Date | undefined;
  contentEncryption: ContentEncryption;
  /** SignerInfo sid = IssuerAndSerialNumber of the KDH certificate, DER as received. */
  kdhIssuerAndSerialNumber: Uint8Array;
  /** KeyTransRecipientInfo rid = IssuerAndSerialNumber of the KRD certificate, DER as received. */
  krdIssuerAndSerialNumber: Uint8Array;
}

/** A parsed token: the public summary plus the pieces `openTr34KeyBlock` works on. */
export interface Tr34Token extends Tr34TokenInfo {
  signedData: SignedData;
  signerInfo: SignerInfo;
  envelope: Envelope;
}

/** Token bytes from DER or hex (the AWS API form is upper-case hex; lower case is accepted). */
export function tokenBytes(token: Uint8Array | string): Uint8Array {
  // a copy: a Node Buffer's slice() is a view, and the parsed pieces are returned to the caller
  if (token instanceof Uint8Array) return new Uint8Array(token);
  if (typeof token !== 'string') throw new TypeError('"token" expected DER bytes or a hex string');
  try {
    return hexToBytes(token, { field: 'token' });
  } catch (e) {
    throw new Tr34Error('MALFORMED', 'malformed TR-34 token (not hex)', { cause: e });
  }
}

/**
 * Parses a TR-34 key token (ContentInfo → SignedData → EnvelopedData) in the AWS
 * X9_TR34_2012 layout or the TR-34-2019 layouts. Format errors name what was malformed.
 */
export function parseTr34Token(token: Uint8Array | string, headerOptions?: Tr31ParseOptions): Tr34Token {
  const der = tokenBytes(token);
  const signedData = parseSignedData(der);
  if (signedData.eContentType !== OID.envelopedData) throw malformed('SignedData eContentType (expected envelopedData)');
  if (signedData.eContent === undefined) throw malformed('SignedData (no eContent)');
  if (signedData.signerInfos.length !== 1) throw malformed(`SignedData signerInfos (expected one, got ${signedData.signerInfos.length})`);
  const si = signedData.signerInfos[0]!;
  if (si.signedAttrs === undefined) throw malformed('SignerInfo (no signed attributes)');
  const ct = findAttribute(si, OID.contentType);
  if (ct === undefined || ct.values.length !== 1 || tlvRaw(ct.values[0]!).length !== 11 || !isEnvelopedDataOid(tlvRaw(ct.values[0]!))) {
    throw malformed('contentType attribute (missing or not envelopedData)');
  }
  const headerBytes = octetAttribute(si, OID.data, 'key block header');
  if (headerBytes === undefined) throw malformed('signed attributes (no key block header attribute)');
  const nonce = octetAttribute(si, OID.randomNonce, 'randomNonce');
  const st = findAttribute(si, OID.signingTime);
  let signingTime: Date | undefined;
  if (st !== undefined) {
    const v = st.values[0];
    signingTime = v === undefined ? undefined : parseDerTime(v.tag, v.buf.subarray(v.valueStart, v.end));
    if (signingTime === undefined || st.values.length !== 1) throw malformed('signingTime attribute');
  }
  const header = headerFromToken(headerBytes, headerOptions);
  const envelope = parseEnvelope(signedData.eContent);
  // public lengths are checked here, before any cryptography
  const alg = CONTENT_ENCRYPTION[envelope.contentEncryption];
  if (envelope.iv.length !== alg.ivLength) {
    throw malformed(`${envelope.contentEncryption} IV (${envelope.iv.length} bytes, expected ${alg.ivLength})`);
  }
  if (envelope.ciphertext.length === 0 || envelope.ciphertext.length % alg.blockSize !== 0) {
    throw malformed(`encryptedContent (${envelope.ciphertext.length} bytes is not a positive multiple of ${alg.blockSize})`);
  }
  return {
    layout: envelope.layout,
    mode: nonce === undefined ? 'one-pass' : 'two-pass',
    header: header.header,
    headerString: header.text,
    nonce,
    signingTime,
    contentEncryption: envelope.contentEncryption,
    kdhIssuerAndSerialNumber: tlvRaw(si.sid),
    krdIssuerAndSerialNumber: tlvRaw(envelope.rid),
    signedData,
    signerInfo: si,
    envelope,
  };
}

const ENVELOPED_DATA_OID_DER = Uint8Array.of(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03);
function isEnvelopedDataOid(raw: Uint8Array): boolean {
  return raw.every((b, i) => b === ENVELOPED_DATA_OID_DER[i]);
}

/** The public summary of a token (no keys needed, nothing verified). */
export function inspectTr34KeyBlock(token: Uint8Array | string, headerOptions?: Tr31ParseOptions): Tr34TokenInfo {
  const t = parseTr34Token(token, headerOptions);
  return {
    layout: t.layout,
    mode: t.mode,
    header: t.header,
    headerString: t.headerString,
    nonce: t.nonce?.slice(),
    signingTime: t.signingTime,
    contentEncryption: t.contentEncryption,
    kdhIssuerAndSerialNumber: t.kdhIssuerAndSerialNumber.slice(),
    krdIssuerAndSerialNumber: t.krdIssuerAndSerialNumber.slice(),
  };
}
