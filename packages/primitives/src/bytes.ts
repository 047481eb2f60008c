import { PrimitivesError } from './errors.js';

const HEX_UPPER = '0123456789ABCDEF';
const HEX_TABLE: string[] = Array.from({ length: 256 }, (_, i) => HEX_UPPER[i >> 4]! + HEX_UPPER[i & 15]!);

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 65 && code <= 70) return code - 55; // A-F
  if (code >= 97 && code <= 102) return code - 87; // a-f
  return -1;
}

export interface HexOptions {
  /** Name of the input, used in error messages (`"kbpk"`). */
  field?: string;
  /** Reject lower-case hex digits (default false: both cases accepted). */
  upperCaseOnly?: boolean;
}

/**
 * Strict hex parsing: an odd length or any non-hex character is an error
 * (no whitespace, no `0x` prefix). The error message names the field and the position,
 * never the content.
 */
export function hexToBytes(hex: string, options: HexOptions = {}): Uint8Array {
  const field = options.field ?? 'hex';
  if (typeof hex !== 'string') throw new TypeError(`"${field}" expected a hex string, got ${typeof hex}`);
  if (hex.length % 2 !== 0) {
    throw new PrimitivesError('INVALID_HEX', `"${field}" has odd hex length ${hex.length}`, { field });
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const c1 = hex.charCodeAt(2 * i);
    const c2 = hex.charCodeAt(2 * i + 1);
    const hi = nibble(c1);
    const lo = nibble(c2);
    if (hi < 0 || lo < 0 || (options.upperCaseOnly === true && (c1 >= 97 || c2 >= 97))) {
      const pos = hi < 0 || (options.upperCaseOnly === true && c1 >= 97) ? 2 * i : 2 * i + 1;
      throw new PrimitivesError('INVALID_HEX', `"${field}" has a non-hex character at position ${pos}`, { field });
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** Upper-case hex. */
/** Character codes of HEX_TABLE, two per byte value. */
const HEX_CODES: Uint16Array = (() => {
  const codes = new Uint16Array(512);
  for (let i = 0; i < 256; i++) {
    codes[2 * i] = HEX_TABLE[i]!.charCodeAt(0);
    codes[2 * i + 1] = HEX_TABLE[i]!.charCodeAt(1);
  }
  return codes;
})();

/** bytes per String.fromCharCode call (its argument count is bounded) */
const HEX_CHUNK = 8192;

/**
 * Upper-case hex. Built with String.fromCharCode rather than `+=`: appending gives a V8 rope
 * (one node per append) that a stored key block or KCV would keep alive, about 1.2 kB more heap
 * for a 112-character block; a flat string costs its characters only. Same speed.
 */
export function bytesToHex(bytes: Uint8Array): string {
  if (bytes.length > HEX_CHUNK) {
    const parts: string[] = [];
    for (let i = 0; i < bytes.length; i += HEX_CHUNK) parts.push(bytesToHex(bytes.subarray(i, i + HEX_CHUNK)));
    return parts.join('');
  }
  const n = bytes.length;
  const codes = new Array<number>(2 * n);
  for (let i = 0; i < n; i++) {
    const x = bytes[i]! * 2;
    codes[2 * i] = HEX_CODES[x]!;
    codes[2 * i + 1] = HEX_CODES[x + 1]!;
  }
  return String.fromCharCode.apply(null, codes);
}

/** True when `s` is hex of even length (upper case only, when asked). */
export function isHex(s: string, upperCaseOnly = false): boolean {
  if (s.length % 2 !== 0) return false;
  return (upperCaseOnly ? /^[0-9A-F]*$/ : /^[0-9A-Fa-f]*$/).test(s);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** a XOR b, both of the same length. */
export function xorBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length !== b.length) throw new RangeError(`xorBytes expected equal lengths, got ${a.length} and ${b.length}`);
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

/**
 * Constant-time comparison: the time depends only on the lengths, never on where
 * the inputs differ. Use it for MACs, KCVs and any other secret-derived value.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  // Lengths are public (a MAC's length is fixed by its algorithm); contents are not.
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** ASCII (7-bit) string to bytes; any character above 0x7F is a TypeError. */
export function asciiToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) throw new TypeError(`asciiToBytes: non-ASCII character at position ${i}`);
    out[i] = c;
  }
  return out;
}

export function bytesToAscii(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** Overwrite a buffer holding secret material with zeros. */
export function wipe(b: Uint8Array): void {
  b.fill(0);
}

/** Cryptographically secure random bytes (WebCrypto, works in Node and browsers). */
export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  // getRandomValues is limited to 65536 bytes per call
  for (let o = 0; o < n; o += 65536) globalThis.crypto.getRandomValues(out.subarray(o, Math.min(n, o + 65536)));
  return out;
}

/** A source of random bytes; injectable so that tests can reproduce published outputs. */
export type RandomSource = (n: number) => Uint8Array;

/** Asserts a Uint8Array argument of one of the allowed lengths (programmer error otherwise). */
export function assertBytes(value: unknown, name: string, ...lengths: number[]): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`"${name}" expected Uint8Array, got ${value === null ? 'null' : typeof value}`);
  if (lengths.length > 0 && !lengths.includes(value.length)) {
    const want = lengths.length === 1 ? `${lengths[0]}` : `${lengths.slice(0, -1).join(', ')} or ${lengths[lengths.length - 1]}`;
    throw new RangeError(`"${name}" expected ${want} bytes, got ${value.length}`);
  }
}
