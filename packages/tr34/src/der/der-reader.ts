import { malformed } from '../errors.js';

/**
 * A minimal DER reader that keeps offsets into the bytes it was given, so callers can
 * verify signatures over exactly the bytes received (never a re-encoding).
 * Single-byte tags only (all tags in X.509, CMS and TR-34 are), definite lengths only.
 */
export interface Tlv {
  /** The buffer the TLV lives in. */
  readonly buf: Uint8Array;
  readonly tag: number;
  /** Offset of the tag byte. */
  readonly start: number;
  /** Offset of the first value byte. */
  readonly valueStart: number;
  /** Offset just past the value. */
  readonly end: number;
}

/** Reads one TLV at `offset`; it must end at or before `limit`. `what` names it in errors. */
export function readTlv(buf: Uint8Array, offset: number, limit: number, what: string): Tlv {
  if (offset + 2 > limit) throw malformed(`${what} (truncated)`);
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw malformed(`${what} (multi-byte tag)`);
  let p = offset + 1;
  const first = buf[p++]!;
  let length: number;
  if (first < 0x80) {
    length = first;
  } else {
    const n = first & 0x7f;
    if (n === 0) throw malformed(`${what} (indefinite length)`);
    if (n > 4) throw malformed(`${what} (length too large)`);
    if (p + n > limit) throw malformed(`${what} (truncated length)`);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[p++]!;
  }
  const end = p + length;
  if (end > limit) throw malformed(`${what} (length runs past its container)`);
  return { buf, tag, start: offset, valueStart: p, end };
}

/** The whole of `buf` must be exactly one TLV. */
export function readSingle(buf: Uint8Array, what: string): Tlv {
  const t = readTlv(buf, 0, buf.length, what);
  if (t.end !== buf.length) throw malformed(`${what} (trailing bytes)`);
  return t;
}

/** Parses the value of `t` as a run of TLVs. */
export function childrenOf(t: Tlv, what: string): Tlv[] {
  return readRun(t.buf, t.valueStart, t.end, what);
}

/** Parses `buf[start..end)` as a run of TLVs that fills the range exactly. */
export function readRun(buf: Uint8Array, start: number, end: number, what: string): Tlv[] {
  const out: Tlv[] = [];
  let p = start;
  while (p < end) {
    const c = readTlv(buf, p, end, `${what} element ${out.length}`);
    out.push(c);
    p = c.end;
  }
  return out;
}

/** Checks the tag of `t` (when present) and returns it. */
export function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (t === undefined) throw malformed(`${what} (missing)`);
  if (t.tag !== tag) throw malformed(`${what} (expected tag ${hex2(tag)}, got ${hex2(t.tag)})`);
  return t;
}

/** Children of a SEQUENCE/SET/context TLV with the expected tag. */
export function expectChildren(t: Tlv | undefined, tag: number, what: string): Tlv[] {
  return childrenOf(expectTag(t, tag, what), what);
}

export function tlvValue(t: Tlv): Uint8Array {
  return t.buf.subarray(t.valueStart, t.end);
}

export function tlvRaw(t: Tlv): Uint8Array {
  return t.buf.subarray(t.start, t.end);
}

/** True when the TLV's whole encoding equals `expected`. */
export function rawEquals(t: Tlv, expected: Uint8Array): boolean {
  const n = t.end - t.start;
  if (n !== expected.length) return false;
  for (let i = 0; i < n; i++) if (t.buf[t.start + i] !== expected[i]) return false;
  return true;
}

/** A small non-negative INTEGER (versions); anything else is malformed. */
export function readSmallInteger(t: Tlv | undefined, what: string): number {
  const v = tlvValue(expectTag(t, 0x02, what));
  if (v.length === 0 || v.length > 2 || (v[0]! & 0x80) !== 0) throw malformed(`${what} (not a small INTEGER)`);
  let n = 0;
  for (const b of v) n = n * 256 + b;
  return n;
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

/** The whole of `buf` is one SEQUENCE; returns its elements. */
export function readSequence(buf: Uint8Array, what: string): Tlv[] {
  return expectChildren(readSingle(buf, what), 0x30, what);
}
