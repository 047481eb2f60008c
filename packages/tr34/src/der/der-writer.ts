/**
 * A minimal DER writer: enough for CMS/TR-34 structures and X.509 certificates.
 * Every function returns fresh bytes; nothing is sorted or re-ordered behind the caller's back.
 */

function lengthBytes(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return Uint8Array.of(0x80 | out.length, ...out);
}

/** tag ‖ length ‖ concat(parts). */
export function derTlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const len = lengthBytes(n);
  const out = new Uint8Array(1 + len.length + n);
  out[0] = tag;
  out.set(len, 1);
  let o = 1 + len.length;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const derSequence = (...parts: Uint8Array[]): Uint8Array => derTlv(0x30, ...parts);
/** A SET in the order given (CMS signed attributes are signed as sent, see tr34.md §12). */
export const derSet = (...parts: Uint8Array[]): Uint8Array => derTlv(0x31, ...parts);
export const derOctetString = (value: Uint8Array): Uint8Array => derTlv(0x04, value);
export const derNull = (): Uint8Array => Uint8Array.of(0x05, 0x00);
/** [n] EXPLICIT / constructed context tag. */
export const derContext = (n: number, ...parts: Uint8Array[]): Uint8Array => derTlv(0xa0 | n, ...parts);
/** [n] IMPLICIT primitive context tag. */
export const derContextPrimitive = (n: number, value: Uint8Array): Uint8Array => derTlv(0x80 | n, value);

/** INTEGER from unsigned big-endian magnitude bytes (leading zeros trimmed, 00 added if needed). */
export function derUnsignedInteger(magnitude: Uint8Array): Uint8Array {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const m = magnitude.subarray(i);
  if (m.length === 0) return Uint8Array.of(0x02, 0x01, 0x00);
  return (m[0]! & 0x80) !== 0 ? derTlv(0x02, Uint8Array.of(0), m) : derTlv(0x02, m);
}

export function derSmallInteger(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0x7fff) throw new RangeError(`derSmallInteger: ${n} out of range`);
  return n < 0x80 ? Uint8Array.of(0x02, 0x01, n) : derUnsignedInteger(Uint8Array.of(n >> 8, n & 0xff));
}

/** OBJECT IDENTIFIER from its dotted form. */
export function derOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((s) => {
    if (!/^\d+$/.test(s)) throw new RangeError(`derOid: bad arc in ${dotted}`);
    return Number(s);
  });
  if (arcs.length < 2) throw new RangeError(`derOid: ${dotted} needs two arcs`);
  const body: number[] = [];
  const push = (v: number): void => {
    const tmp: number[] = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) tmp.unshift(0x80 | (x & 0x7f));
    body.push(...tmp);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return derTlv(0x06, Uint8Array.from(body));
}

/** Dotted form of an OBJECT IDENTIFIER's value bytes. */
export function oidToString(value: Uint8Array): string {
  const arcs: number[] = [];
  let v = 0;
  for (const b of value) {
    v = v * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else arcs.push(v);
      v = 0;
    }
  }
  return arcs.join('.');
}

export function derBitString(value: Uint8Array, unusedBits = 0): Uint8Array {
  return derTlv(0x03, Uint8Array.of(unusedBits), value);
}

export function derUtf8String(s: string): Uint8Array {
  return derTlv(0x0c, new TextEncoder().encode(s));
}

export function derPrintableString(s: string): Uint8Array {
  if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s)) throw new RangeError(`"${s}" is not a PrintableString`);
  return derTlv(0x13, new TextEncoder().encode(s));
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** UTCTime YYMMDDHHMMSSZ (years 1950–2049, RFC 5280 §4.1.2.5.1). */
export function derUtcTime(d: Date): Uint8Array {
  const y = d.getUTCFullYear();
  if (y < 1950 || y > 2049) throw new RangeError(`UTCTime cannot hold year ${y}`);
  const s = `${pad2(y % 100)}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}Z`;
  return derTlv(0x17, new TextEncoder().encode(s));
}

/** GeneralizedTime YYYYMMDDHHMMSSZ. */
export function derGeneralizedTime(d: Date): Uint8Array {
  const s = `${String(d.getUTCFullYear()).padStart(4, '0')}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}Z`;
  return derTlv(0x18, new TextEncoder().encode(s));
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
export function derTime(d: Date): Uint8Array {
  const y = d.getUTCFullYear();
  return y >= 1950 && y <= 2049 ? derUtcTime(d) : derGeneralizedTime(d);
}

/** Parses a UTCTime (0x17) or GeneralizedTime (0x18) value in the Z form; undefined if not. */
export function parseDerTime(tag: number, value: Uint8Array): Date | undefined {
  const s = new TextDecoder().decode(value);
  const m = tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : tag === 0x18 ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : null;
  if (m === null) return undefined;
  let year = Number(m[1]);
  if (tag === 0x17) year += year < 50 ? 2000 : 1900;
  const t = Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(t) ? undefined : new Date(t);
}
