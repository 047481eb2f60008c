/**
 * Reads an IssuerAndSerialNumber (RFC 5652 §10.2.4) for display: the issuer's distinguished
 * name as text and the serial number as hex. Display only — nothing is decided on it (the
 * tr34 package compares the exact DER). Written by hand: ~50 lines instead of a DER library.
 */

interface Tlv {
  tag: number;
  start: number; // value start
  end: number; // value end
}

function read(b: Uint8Array, p: number): Tlv {
  const tag = b[p]!;
  let len = b[p + 1]!;
  let start = p + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 3) throw new Error('DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | b[start + i]!;
    start += n;
  }
  if (start + len > b.length) throw new Error('DER truncated');
  return { tag, start, end: start + len };
}

function children(b: Uint8Array, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let p = t.start; p < t.end; ) {
    const c = read(b, p);
    out.push(c);
    p = c.end;
  }
  return out;
}

const NAMES: Record<string, string> = { '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.5': 'serialNumber' };

function oid(b: Uint8Array, t: Tlv): string {
  const parts: number[] = [];
  let v = 0;
  for (let i = t.start; i < t.end; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if ((b[i]! & 0x80) === 0) {
      parts.push(v);
      v = 0;
    }
  }
  const first = parts.shift() ?? 0;
  return [Math.min(2, Math.floor(first / 40)), first - 40 * Math.min(2, Math.floor(first / 40)), ...parts].join('.');
}

export function describeIssuerAndSerial(der: Uint8Array): { issuer: string; serial: string } {
  try {
    const top = read(der, 0);
    const [name, serial] = children(der, top);
    const rdns = children(der, name!).map((set) =>
      children(der, set)
        .map((atv) => {
          const [type, value] = children(der, atv);
          const o = oid(der, type!);
          return `${NAMES[o] ?? o}=${new TextDecoder().decode(der.subarray(value!.start, value!.end))}`;
        })
        .join('+'),
    );
    const hex = [...der.subarray(serial!.start, serial!.end)].map((x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();
    return { issuer: rdns.join(', '), serial: hex };
  } catch {
    return { issuer: '(not readable)', serial: '' };
  }
}
