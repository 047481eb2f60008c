/**
 * `paycrypt tr34 inspect`: a TR-34 token's structure without any key. The TR-34 facts (layout,
 * one-/two-pass, header, nonce, signing time, content encryption, signer and recipient
 * IssuerAndSerialNumber) come from @paycrypt/tr34 `inspectTr34KeyBlock`; the CMS SignedData around
 * them (signed attributes in the order received, algorithms, carried certificates and CRLs) and the
 * names inside IssuerAndSerialNumber are decoded with PKI.js. Nothing is verified.
 */
import { inspectTr34KeyBlock, type Certificate } from '@paycrypt/tr34';
import * as pkijs from 'pkijs';
import { CliError } from '../errors.js';
import { emit } from '../output.js';
import { hex } from './common.js';
import { LENIENT_HEADER, tokenFields, readCertificateWithChain, readToken, tr34Failure } from './tr34-inputs.js';

/** Names of the OIDs a TR-34 token carries (RFC 5652, RFC 8018 / PKCS#9, X9 TR-34 §4). */
const OID_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.7.1': 'data',
  '1.2.840.113549.1.7.2': 'signedData',
  '1.2.840.113549.1.7.3': 'envelopedData',
  '1.2.840.113549.1.9.3': 'contentType',
  '1.2.840.113549.1.9.4': 'messageDigest',
  '1.2.840.113549.1.9.5': 'signingTime',
  '1.2.840.113549.1.9.25.3': 'randomNonce',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '1.2.840.113549.1.1.1': 'rsaEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
};

/** Attribute labels in "CN=…,O=…,C=…" names (as the engine and OpenSSL's RFC 2253 style print them). */
const NAME_LABELS: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

type Asn1Value = { valueBlock?: { value?: unknown; valueHexView?: Uint8Array }; toDate?: () => Date; getValue?: () => string };

function nameText(n: pkijs.RelativeDistinguishedNames): string {
  return n.typesAndValues
    .map((tv) => `${NAME_LABELS[tv.type] ?? tv.type}=${String((tv.value as Asn1Value).valueBlock?.value ?? '')}`)
    .reverse()
    .join(',');
}

function issuerAndSerial(der: Uint8Array): { issuer: string; serialNumber: string } {
  const ias = pkijs.IssuerAndSerialNumber.fromBER(new Uint8Array(der));
  return { issuer: nameText(ias.issuer), serialNumber: hex(ias.serialNumber.valueBlock.valueHexView) };
}

function attributeValue(oid: string, v: Asn1Value): unknown {
  if (oid === '1.2.840.113549.1.9.3') {
    const id = v.getValue?.() ?? '';
    return OID_NAMES[id] === undefined ? id : `${OID_NAMES[id]} (${id})`;
  }
  if (oid === '1.2.840.113549.1.9.5') return v.toDate?.().toISOString();
  const bytes = v.valueBlock?.valueHexView;
  if (bytes === undefined) return undefined;
  if (oid === '1.2.840.113549.1.7.1') return new TextDecoder().decode(bytes); // the key block header
  return hex(bytes);
}

function named(oid: string): { oid: string; name?: string } {
  return OID_NAMES[oid] === undefined ? { oid } : { oid, name: OID_NAMES[oid] };
}


export interface InspectOptions {
  kdhCert?: string;
  krdCert?: string;
  lenient?: boolean;
}

export function inspectTr34(tokenArg: string, opts: InspectOptions): void {
  const der = readToken(tokenArg);
  let info;
  try {
    info = inspectTr34KeyBlock(der, opts.lenient === true ? LENIENT_HEADER : undefined);
  } catch (e) {
    throw tr34Failure(e);
  }
  let signedData: pkijs.SignedData;
  try {
    signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(new Uint8Array(der)).content });
  } catch (e) {
    throw new CliError('KEY_BLOCK_INVALID', `token: the CMS SignedData does not decode (${e instanceof Error ? e.message : 'malformed'})`);
  }
  const si = signedData.signerInfos[0]!;
  const carried = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const given = {
    kdh: opts.kdhCert === undefined ? undefined : readCertificateWithChain(opts.kdhCert, '--kdh-cert').certificate,
    krd: opts.krdCert === undefined ? undefined : readCertificateWithChain(opts.krdCert, '--krd-cert').certificate,
  };
  const party = (ias: Uint8Array, cert: Certificate | undefined, flag: string): Record<string, unknown> => {
    const out: Record<string, unknown> = issuerAndSerial(ias);
    // a certificate carried in the token with this issuer and serial names the subject
    const inToken = carried.find((c) => nameText(c.issuer) === out.issuer && hex(c.serialNumber.valueBlock.valueHexView) === out.serialNumber);
    if (inToken !== undefined) out.subject = nameText(inToken.subject);
    if (cert !== undefined) {
      const matches = Buffer.from(cert.issuerAndSerialNumber).equals(Buffer.from(ias));
      out.certificate = { flag, matches, subject: cert.subject, issuer: cert.issuer, serialNumber: cert.serialNumberHex };
      if (matches) out.subject = cert.subject;
    }
    return out;
  };
  const signedAttributes = (si.signedAttrs?.attributes ?? []).map((a) => {
    const values = a.values.map((v) => attributeValue(a.type, v as Asn1Value));
    const name = a.type === '1.2.840.113549.1.7.1' ? 'keyBlockHeader' : OID_NAMES[a.type];
    return { oid: a.type, ...(name === undefined ? {} : { name }), value: values.length === 1 ? values[0] : values };
  });
  const fields = {
    ...tokenFields(info),
    kdh: party(info.kdhIssuerAndSerialNumber, given.kdh, '--kdh-cert'),
    krd: party(info.krdIssuerAndSerialNumber, given.krd, '--krd-cert'),
    signedAttributes,
    digestAlgorithm: named(si.digestAlgorithm.algorithmId),
    signatureAlgorithm: named(si.signatureAlgorithm.algorithmId),
    certificates: carried.map((c) => ({ subject: nameText(c.subject), issuer: nameText(c.issuer), serialNumber: hex(c.serialNumber.valueBlock.valueHexView) })),
    crls: (signedData.crls ?? []).length,
    length: der.length,
  };
  const who = (p: Record<string, unknown>): string =>
    `${typeof p.subject === 'string' ? `${p.subject}; ` : ''}issuer ${String(p.issuer)}, serial ${String(p.serialNumber)}${p.certificate === undefined ? '' : (p.certificate as { matches: boolean }).matches ? ' (matches the given certificate)' : ' (does NOT match the given certificate)'}`;
  emit(fields, [
    `layout:             ${info.layout}, ${info.mode}`,
    `header:             ${info.headerString}`,
    ...(info.nonce === undefined ? [] : [`nonce:              ${hex(info.nonce)}`]),
    ...(info.signingTime === undefined ? [] : [`signing time:       ${info.signingTime.toISOString()}`]),
    `content encryption: ${info.contentEncryption}`,
    `KDH (signer):       ${who(fields.kdh)}`,
    `KRD (recipient):    ${who(fields.krd)}`,
    `signed attributes:  ${signedAttributes.map((a) => a.name ?? a.oid).join(', ')}`,
    `signature:          ${fields.signatureAlgorithm.name ?? fields.signatureAlgorithm.oid} with ${fields.digestAlgorithm.name ?? fields.digestAlgorithm.oid}`,
    `carried:            ${fields.certificates.length} certificate(s), ${fields.crls} CRL(s)`,
  ]);
}
