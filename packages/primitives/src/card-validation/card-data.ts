import { PrimitivesError, type PrimitivesErrorCode } from '../errors.js';

/**
 * Card data checks and the decimalisation shared by the card-validation and PIN algorithms.
 * Card data (PAN, expiry, service code, PIN) are digit strings; a wrong one is a
 * `PrimitivesError` naming the field. Messages give lengths and positions, never the digits.
 */

/** Throws unless `value` is a string of `min`..`max` decimal digits. */
export function assertDigits(value: unknown, field: string, min: number, max: number, code: PrimitivesErrorCode = 'INVALID_INPUT'): asserts value is string {
  if (typeof value !== 'string') throw new TypeError(`"${field}" expected a string of digits, got ${typeof value}`);
  if (value.length < min || value.length > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    throw new PrimitivesError(code, `"${field}" expected ${want} digits, got ${value.length}`, { field });
  }
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) throw new PrimitivesError(code, `"${field}" has a non-digit at position ${i}`, { field });
  }
}

/** A PAN: 12 to 19 digits unless the algorithm says otherwise (code `INVALID_PAN`). */
export function assertPan(pan: unknown, min = 12, max = 19, field = 'pan'): asserts pan is string {
  assertDigits(pan, field, min, max, 'INVALID_PAN');
}

/** Writes the hex digits of `s` (0-9, A-F) as nibbles into `out`, starting at nibble `nibbleOffset`. */
export function putNibbles(out: Uint8Array, nibbleOffset: number, s: string): number {
  let n = nibbleOffset;
  for (let i = 0; i < s.length; i++, n++) {
    const c = s.charCodeAt(i);
    const v = c <= 57 ? c - 48 : (c & 0xdf) - 55;
    if ((n & 1) === 0) out[n >> 1] = (out[n >> 1]! & 0x0f) | (v << 4);
    else out[n >> 1] = (out[n >> 1]! & 0xf0) | v;
  }
  return n;
}

/**
 * Visa decimalisation (CVV, PVV): scan the hex digits of `block` left to right keeping the
 * decimal digits 0-9; if fewer than `count`, scan again keeping A-F as 0-5 (A-F minus 10).
 * The second pass matters when a block has fewer decimal digits than needed
 * (the Visa worked example's "35002"; psec does only the first pass).
 */
export function visaDecimalize(block: Uint8Array, count: number): string {
  let out = '';
  const nibbles = block.length * 2;
  for (let i = 0; i < nibbles && out.length < count; i++) {
    const v = (block[i >> 1]! >> ((i & 1) === 0 ? 4 : 0)) & 0x0f;
    if (v < 10) out += String.fromCharCode(48 + v);
  }
  for (let i = 0; i < nibbles && out.length < count; i++) {
    const v = (block[i >> 1]! >> ((i & 1) === 0 ? 4 : 0)) & 0x0f;
    if (v >= 10) out += String.fromCharCode(48 + v - 10);
  }
  return out;
}

/** Constant-time comparison of two digit strings of the same public length. */
export function digitsEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
