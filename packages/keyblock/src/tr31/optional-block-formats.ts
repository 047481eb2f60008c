import { ownEntry } from '@paycrypt/primitives';
import { isAlnum, isDigits, isHexChars } from './chars.js';

/**
 * Per-ID data formats of the registered X9.143 optional blocks (X9.143:2021 §6.3.6,
 * tables 7–23; also openemv/tr31 `tr31.h`). One table: ID → facts + validator.
 * A validator returns `undefined` when the data is well formed, else a short reason
 * (never echoing the data).
 */
export interface OptionalBlockFacts {
  readonly name: string;
  readonly validate: (data: string) => string | undefined;
}

/** Hash algorithm codes of the HM block (X9.143:2021 table 13). */
export const HM_HASH_ALGORITHMS: Readonly<Record<string, string>> = {
  '10': 'SHA-1',
  '20': 'SHA-224',
  '21': 'SHA-256',
  '22': 'SHA-384',
  '23': 'SHA-512',
  '24': 'SHA-512/224',
  '25': 'SHA-512/256',
  '30': 'SHA3-224',
  '31': 'SHA3-256',
  '32': 'SHA3-384',
  '33': 'SHA3-512',
  '40': 'SHAKE128',
  '41': 'SHAKE256',
};

/** KC / KP / PK: `00` legacy KCV (1–3 bytes) or `01` CMAC KCV (1–5 bytes), hex. */
function kcvFormat(data: string): string | undefined {
  const alg = data.slice(0, 2);
  const kcv = data.slice(2);
  const max = alg === '00' ? 6 : alg === '01' ? 10 : -1;
  if (max < 0) return 'KCV algorithm must be 00 (legacy) or 01 (CMAC)';
  if (kcv.length < 2 || kcv.length > max || kcv.length % 2 !== 0 || !isHexChars(kcv)) {
    return `KCV must be 1 to ${max / 2} bytes of upper-case hex`;
  }
  return undefined;
}

const MAX_DAY = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * TS / TC: ISO 8601 UTC time, basic `YYYYMMDDhhmmss[.f…]Z` or extended
 * `YYYY-MM-DDThh:mm:ss[.f…]Z` (X9.143:2021 §6.3.6.13–14).
 */
export function iso8601Problem(data: string): string | undefined {
  const m =
    /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d{1,6})?Z$/.exec(data) ??
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?Z$/.exec(data);
  if (m === null) return 'time must be ISO 8601 UTC (YYYYMMDDhhmmssZ or YYYY-MM-DDThh:mm:ssZ)';
  const [mo, d, h, mi, s] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > MAX_DAY[mo - 1]! || h > 23 || mi > 59 || s > 60) return 'time out of range';
  return undefined;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** CT: `00` X.509 or `01` EMV certificate (base64), or `02` chain of format(2)‖len(4 hex)‖cert. */
function certificateFormat(data: string): string | undefined {
  const fmt = data.slice(0, 2);
  if (fmt === '00' || fmt === '01') return BASE64.test(data.slice(2)) ? undefined : 'certificate must be base64';
  if (fmt !== '02') return 'certificate format must be 00, 01 or 02';
  let p = 2;
  let n = 0;
  while (p < data.length) {
    const ef = data.slice(p, p + 2);
    const len = data.slice(p + 2, p + 6);
    if ((ef !== '00' && ef !== '01') || len.length !== 4 || !isHexChars(len)) return 'malformed certificate chain entry';
    const l = parseInt(len, 16);
    const cert = data.slice(p + 6, p + 6 + l);
    if (cert.length !== l || !BASE64.test(cert)) return 'malformed certificate chain entry';
    p += 6 + l;
    n++;
  }
  return n === 0 ? 'empty certificate chain' : undefined;
}

export const OPTIONAL_BLOCKS: Readonly<Record<string, OptionalBlockFacts>> = {
  AL: {
    name: 'Asymmetric key life',
    validate: (d) => (/^01(00|01)$/.test(d) ? undefined : 'must be 01 then 00 (ephemeral) or 01 (static)'),
  },
  BI: {
    name: 'Base derivation key identifier',
    validate: (d) =>
      (d.startsWith('00') && d.length === 12 && isHexChars(d)) || (d.startsWith('01') && d.length === 10 && isHexChars(d))
        ? undefined
        : 'must be 00 + 5-byte key set ID or 01 + 4-byte BDK ID, upper-case hex',
  },
  CT: { name: 'Public key certificate', validate: certificateFormat },
  DA: {
    name: 'Derivations allowed',
    validate: (d) =>
      d.startsWith('01') && d.length >= 7 && (d.length - 2) % 5 === 0 && isAlnum(d) ? undefined : 'must be 01 + n × 5 alphanumeric attributes',
  },
  HM: {
    name: 'HMAC hash algorithm',
    validate: (d) => (d.length === 2 && Object.prototype.hasOwnProperty.call(HM_HASH_ALGORITHMS, d) ? undefined : 'unknown hash algorithm code'),
  },
  IK: { name: 'Initial key identifier (AES DUKPT)', validate: (d) => (d.length === 16 && isHexChars(d) ? undefined : 'must be 16 upper-case hex digits') },
  KC: { name: 'KCV of the wrapped key', validate: kcvFormat },
  KP: { name: 'KCV of the KBPK', validate: kcvFormat },
  KS: {
    name: 'Initial key serial number (TDES DUKPT)',
    // 10 bytes; 8 bytes accepted as the legacy form (TR-31:2018 examples use 20 hex, some peers 16)
    validate: (d) => ((d.length === 20 || d.length === 16) && isHexChars(d) ? undefined : 'must be 20 (or legacy 16) upper-case hex digits'),
  },
  KV: { name: 'Key block values', validate: (d) => (d.length === 4 && isAlnum(d) ? undefined : 'must be 4 alphanumeric characters') },
  LB: { name: 'Label', validate: (d) => (d.length > 0 ? undefined : 'must not be empty') },
  PB: { name: 'Padding block', validate: () => undefined },
  PK: { name: 'KCV of the export KBPK', validate: kcvFormat },
  TC: { name: 'Time of creation', validate: iso8601Problem },
  TS: { name: 'Time stamp', validate: iso8601Problem },
  WP: { name: 'Wrapping pedigree', validate: (d) => (d.length === 3 && d.startsWith('00') && isDigits(d) && d[2]! <= '3' ? undefined : 'must be 00 then 0, 1, 2 or 3') },
};

export function optionalBlockFacts(id: string): OptionalBlockFacts | undefined {
  return ownEntry(OPTIONAL_BLOCKS, id);
}
