import { Tr34Error } from '../errors.js';

// TEMPORARY SHIM until @paycrypt/keyblock exports parseTr31Header/serializeTr31Header:
// the header is handled as an opaque ASCII string; only the algorithm character is read.

/** The header as the ASCII string that is signed and encrypted. */
export function headerToString(header: string): string {
  if (typeof header !== 'string') throw new TypeError('"header" expected a TR-31 style header string');
  if (header.length < 16 || !/^[\x20-\x7e]+$/.test(header)) {
    throw new RangeError(`"header" expected at least 16 printable ASCII characters, got ${header.length}`);
  }
  return header;
}

/** TR-31 header byte 7 (0-based) is the algorithm: 'T' TDES, 'A' AES. */
export function headerAlgorithm(header: string): string {
  return header.charAt(7);
}

/** Validates a received (signed) header string. */
export function checkReceivedHeader(header: Uint8Array): string {
  let s = '';
  for (const b of header) {
    if (b < 0x20 || b > 0x7e) throw new Tr34Error('MALFORMED', 'malformed key block header attribute (not printable ASCII)');
    s += String.fromCharCode(b);
  }
  if (s.length < 16) throw new Tr34Error('MALFORMED', `malformed key block header attribute (${s.length} characters, at least 16 expected)`);
  return s;
}
