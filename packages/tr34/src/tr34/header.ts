import { KeyBlockError, parseTr31Header, serializeTr31Header, type Tr31Header, type Tr31ParseOptions } from '@paycrypt/keyblock';
import { Tr34Error } from '../errors.js';
import type { ContentEncryption } from './content-encryption.js';

/**
 * The TR-34 key-block header is a TR-31 / X9.143 header (16 characters plus optional blocks,
 * tr34.md §3.2), parsed and serialised by @paycrypt/keyblock. Its length field describes no
 * TR-31 block and is kept as given (AWS samples write 9999, the ASC samples 0256).
 */
export interface Tr34Header {
  /** The parsed header (`lengthField` is the 4-digit length as read). */
  header: Tr31Header & { lengthField: number };
  /** The exact characters that are signed and encrypted. */
  text: string;
}

function wrapError(e: unknown, what: string): never {
  if (e instanceof KeyBlockError) throw new Tr34Error('MALFORMED', `malformed ${what}: ${e.message}`, { cause: e });
  throw e;
}

/** A header to build with: a string is validated and kept byte for byte; an object is serialised. */
export function headerForBuild(input: string | Tr31Header, options: Tr31ParseOptions = {}): Tr34Header {
  let text: string;
  try {
    text = typeof input === 'string' ? input : serializeTr31Header(input);
  } catch (e) {
    if (e instanceof KeyBlockError) throw new RangeError(`"header" cannot be serialised: ${e.message}`, { cause: e });
    throw e;
  }
  try {
    return { header: parseTr31Header(text, options), text };
  } catch (e) {
    if (e instanceof KeyBlockError) throw new RangeError(`"header" is not a valid TR-31 header: ${e.message}`, { cause: e });
    throw e;
  }
}

/** The header signed in a received token (printable ASCII, then parsed like a TR-31 header). */
export function headerFromToken(bytes: Uint8Array, options: Tr31ParseOptions = {}): Tr34Header {
  let text = '';
  for (const b of bytes) {
    if (b < 0x20 || b > 0x7e) throw new Tr34Error('MALFORMED', 'malformed key block header attribute (not printable ASCII)');
    text += String.fromCharCode(b);
  }
  try {
    return { header: parseTr31Header(text, options), text };
  } catch (e) {
    return wrapError(e, 'key block header attribute');
  }
}

/**
 * Content encryption implied by the header's algorithm (tr34.md §1.3): TDES keys travel under
 * des-ede3-cbc, AES-128 keys under aes128-CBC. Other algorithms need an explicit choice.
 */
export function contentEncryptionForHeader(h: Tr31Header): ContentEncryption {
  if (h.algorithm === 'T') return 'des-ede3-cbc';
  if (h.algorithm === 'A') return 'aes128-cbc';
  throw new RangeError(`"header" algorithm "${h.algorithm}": TR-34 carries TDES (T) or AES-128 (A) keys; pass "contentEncryption" to override`);
}
