import { createHash, randomBytes } from 'node:crypto';
import { bitString, contextConstructed, nullValue, oid, sequence, set, smallInteger, tlv, toPem, utf8String } from '../../crypto/der.js';
import type { EmulatorCa } from './emulator-ca.js';

/**
 * X.509 v3 certificates for the key pairs of GetPublicKeyCertificate (RFC 5280), signed by the
 * emulator CA with sha512WithRSAEncryption. Unlike @paycrypt/tr34's issueCertificate (RSA
 * subject keys only, profiles ca / keyTransport / signing), this takes any
 * SubjectPublicKeyInfo, so ECC keys (ECC_NIST_P256/384/521) can be certified too, and derives
 * the keyUsage bits from the key's modes of use.
 */

const OIDS = {
  sha512WithRSAEncryption: '1.2.840.113549.1.1.13',
  commonName: '2.5.4.3',
  organizationName: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
} as const;

/** RFC 5280 §4.2.1.3 bit numbers. */
const KEY_USAGE_BIT = { digitalSignature: 0, keyEncipherment: 2, dataEncipherment: 3, keyAgreement: 4 } as const;
type KeyUsageBit = keyof typeof KEY_USAGE_BIT;

/** Key usage bits for the AWS modes of use of a key pair. */
export function keyUsageForModes(modes: { Sign?: boolean; Verify?: boolean; Encrypt?: boolean; Decrypt?: boolean; Wrap?: boolean; Unwrap?: boolean; DeriveKey?: boolean }): KeyUsageBit[] {
  const out: KeyUsageBit[] = [];
  if (modes.Sign === true || modes.Verify === true) out.push('digitalSignature');
  if (modes.Encrypt === true || modes.Decrypt === true || modes.Wrap === true || modes.Unwrap === true) out.push('keyEncipherment', 'dataEncipherment');
  if (modes.DeriveKey === true) out.push('keyAgreement');
  return out;
}

function keyUsageExtensionValue(names: readonly KeyUsageBit[]): Uint8Array {
  const bytes = new Uint8Array(2);
  let highest = 0;
  for (const n of names) {
    const bit = KEY_USAGE_BIT[n];
    bytes[bit >> 3]! |= 0x80 >> (bit & 7);
    highest = Math.max(highest, bit);
  }
  const used = bytes.slice(0, (highest >> 3) + 1);
  const last = used[used.length - 1]!;
  let unused = 0;
  while (unused < 7 && (last & (1 << unused)) === 0) unused++; // DER: trailing zero bits not counted
  return tlv(0x03, Uint8Array.of(unused), used);
}

/** Value octets and end offset of the TLV starting at `offset` (definite lengths only). */
function readTlv(der: Uint8Array, offset: number): { tag: number; start: number; end: number } {
  const tag = der[offset]!;
  let len = der[offset + 1]!;
  let start = offset + 2;
  if (len >= 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i]!;
    start += n;
  }
  if (start + len > der.length) throw new RangeError('truncated DER');
  return { tag, start, end: start + len };
}

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING (without the unused-bits octet). */
export function keyIdentifier(spki: Uint8Array): Uint8Array {
  const top = readTlv(spki, 0);
  const alg = readTlv(spki, top.start);
  const bits = readTlv(spki, alg.end);
  if (top.tag !== 0x30 || alg.tag !== 0x30 || bits.tag !== 0x03) throw new RangeError('not a SubjectPublicKeyInfo');
  return new Uint8Array(createHash('sha1').update(spki.subarray(bits.start + 1, bits.end)).digest());
}

function time(d: Date): Uint8Array {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z';
  const year = d.getUTCFullYear();
  // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050
  return year < 2050 ? tlv(0x17, new TextEncoder().encode(digits.slice(2))) : tlv(0x18, new TextEncoder().encode(digits));
}

function extension(oidText: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? sequence(oid(oidText), Uint8Array.of(0x01, 0x01, 0xff), tlv(0x04, value)) : sequence(oid(oidText), tlv(0x04, value));
}

function serialNumber(): Uint8Array {
  const b = new Uint8Array(randomBytes(16));
  b[0] = (b[0]! & 0x7f) | 0x40; // positive, 16 bytes, never zero
  return tlv(0x02, b);
}

export interface KeyCertificateOptions {
  ca: EmulatorCa;
  /** DER SubjectPublicKeyInfo (RSA or EC) */
  publicKeySpki: Uint8Array;
  commonName: string;
  keyUsage: readonly KeyUsageBit[];
  notBefore: Date;
  validityDays: number;
}

/** A leaf certificate for `publicKeySpki` signed by the CA; answered as base64 of its PEM. */
export async function issueKeyCertificate(o: KeyCertificateOptions): Promise<string> {
  const sigAlg = sequence(oid(OIDS.sha512WithRSAEncryption), nullValue());
  const notBefore = new Date(Math.floor(o.notBefore.getTime() / 1000) * 1000);
  const notAfter = new Date(notBefore.getTime() + o.validityDays * 86_400_000);
  const subject = sequence(set(sequence(oid(OIDS.organizationName), utf8String('paycrypt emulator'))), set(sequence(oid(OIDS.commonName), utf8String(o.commonName))));
  const exts = [extension(OIDS.basicConstraints, false, sequence())];
  if (o.keyUsage.length > 0) exts.push(extension(OIDS.keyUsage, true, keyUsageExtensionValue(o.keyUsage)));
  exts.push(extension(OIDS.subjectKeyIdentifier, false, tlv(0x04, keyIdentifier(o.publicKeySpki))));
  exts.push(extension(OIDS.authorityKeyIdentifier, false, sequence(tlv(0x80, keyIdentifier(o.ca.certificate.publicKey.spki)))));
  const tbs = sequence(
    contextConstructed(0, smallInteger(2)),
    serialNumber(),
    sigAlg,
    o.ca.certificate.subjectDer,
    sequence(time(notBefore), time(notAfter)),
    subject,
    o.publicKeySpki,
    contextConstructed(3, sequence(...exts)),
  );
  const signature = await o.ca.privateKey.sign('SHA-512', tbs);
  const der = sequence(tbs, sigAlg, bitString(signature));
  return Buffer.from(toPem('CERTIFICATE', der), 'utf8').toString('base64');
}
