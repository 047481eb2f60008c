/**
 * A minimal DER writer (X.690 §8, §10), enough for a PKCS#10 certification request.
 * Definite lengths only; values are built bottom-up.
 */
export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const head: number[] = [tag];
  if (len < 0x80) head.push(len);
  else {
    const bytes: number[] = [];
    for (let n = len; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
    head.push(0x80 | bytes.length, ...bytes);
  }
  const out = new Uint8Array(head.length + len);
  out.set(head, 0);
  let o = head.length;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const sequence = (...parts: Uint8Array[]): Uint8Array => tlv(0x30, ...parts);
export const set = (...parts: Uint8Array[]): Uint8Array => tlv(0x31, ...parts);
export const nullValue = (): Uint8Array => Uint8Array.of(0x05, 0x00);
export const smallInteger = (n: number): Uint8Array => tlv(0x02, Uint8Array.of(n));
export const bitString = (value: Uint8Array): Uint8Array => tlv(0x03, Uint8Array.of(0), value);
export const utf8String = (s: string): Uint8Array => tlv(0x0c, new TextEncoder().encode(s));
export const printableString = (s: string): Uint8Array => tlv(0x13, new TextEncoder().encode(s));
export const ia5String = (s: string): Uint8Array => tlv(0x16, new TextEncoder().encode(s));
export const contextConstructed = (n: number, ...parts: Uint8Array[]): Uint8Array => tlv(0xa0 | n, ...parts);

/** OBJECT IDENTIFIER from dotted text (X.690 §8.19). */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const bytes: number[] = [arcs[0]! * 40 + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift(0x80 | (n & 0x7f));
    bytes.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(bytes));
}

export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
