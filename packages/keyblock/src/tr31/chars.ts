// Character classes used by X9.143 (§4: N numeric, AN alphanumeric, H upper-case hex,
// PA printable ASCII 0x20–0x7E). Loops over char codes: these run on every unwrap.

export function isPrintable(s: string, from = 0, to = s.length): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

export function isAlnum(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return false;
  }
  return true;
}

export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Hex digits (upper case only unless `lower`), any length including 0. */
export function isHexChars(s: string, lower = false, from = 0, to = s.length): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 70)) continue;
    if (lower && c >= 97 && c <= 102) continue;
    return false;
  }
  return true;
}

/** Parses `s.slice(from, from + n)` as hex digits; -1 when not hex. */
export function hexValue(s: string, from: number, n: number, lower = false): number {
  if (from + n > s.length || !isHexChars(s, lower, from, from + n)) return -1;
  return parseInt(s.slice(from, from + n), 16);
}

const HEX = '0123456789ABCDEF';
export function toHex(n: number, width: number): string {
  let s = '';
  for (let i = width - 1; i >= 0; i--) s += HEX[(n >>> (4 * i)) & 15];
  return s;
}

/** Decodes hex from s[from..to) into a new array; assumes the characters were validated. */
export function decodeHex(s: string, from: number, to: number): Uint8Array {
  const out = new Uint8Array((to - from) >> 1);
  for (let i = 0, p = from; i < out.length; i++, p += 2) out[i] = (nib(s.charCodeAt(p)) << 4) | nib(s.charCodeAt(p + 1));
  return out;
}

function nib(c: number): number {
  return c <= 57 ? c - 48 : c <= 70 ? c - 55 : c - 87;
}

/** ASCII string to bytes (the caller has checked it is printable). */
export function asciiBytes(s: string, into?: Uint8Array): Uint8Array {
  const out = into ?? new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
