import { Tr34Error } from '../errors.js';

/**
 * DER ↔ PEM ↔ the AWS Payment Cryptography certificate string, which is base64 of the PEM
 * text (`base64("-----BEGIN CERTIFICATE-----\n…")`, tr34.md §9), for inputs and outputs alike.
 * btoa/atob exist in Node ≥ 16 and in browsers.
 */

export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function base64ToBytes(b64: string, what = 'base64'): Uint8Array {
  const clean = b64.replace(/[\r\n\t ]/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) {
    throw new Tr34Error('MALFORMED', `malformed ${what} (not base64)`);
  }
  const s = atob(clean);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** PEM with 64-character lines and a final newline. */
export function derToPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = bytesToBase64(der);
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** The first PEM block with `label` (any label when omitted) as DER. */
export function pemToDer(pem: string, label?: string): Uint8Array {
  return pemBlocks(pem, label)[0] ?? missing(label);
}

/** Every PEM block with `label` (any label when omitted), in order. */
export function pemBlocks(pem: string, label?: string): Uint8Array[] {
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  const out: Uint8Array[] = [];
  for (let m = re.exec(pem); m !== null; m = re.exec(pem)) {
    if (label === undefined || m[1] === label) out.push(base64ToBytes(m[2]!, `PEM ${m[1]} block`));
  }
  return out;
}

function missing(label: string | undefined): never {
  throw new Tr34Error('MALFORMED', `malformed PEM (no ${label ?? 'PEM'} block)`);
}

/** The AWS API form of a certificate: base64 of its PEM text. */
export function derToAwsCertificate(der: Uint8Array): string {
  return btoa(derToPem(der, 'CERTIFICATE'));
}

/** DER of every certificate in an AWS certificate string (base64 of one or more PEM blocks). */
export function awsCertificateToDerList(awsBase64Pem: string): Uint8Array[] {
  const text = new TextDecoder().decode(base64ToBytes(awsBase64Pem, 'AWS certificate (base64 of PEM)'));
  const list = pemBlocks(text, 'CERTIFICATE');
  if (list.length === 0) throw new Tr34Error('MALFORMED', 'malformed AWS certificate (no CERTIFICATE block in the decoded PEM)');
  return list;
}

/** DER of the first certificate in an AWS certificate string. */
export function awsCertificateToDer(awsBase64Pem: string): Uint8Array {
  return awsCertificateToDerList(awsBase64Pem)[0]!;
}
