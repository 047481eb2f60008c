import { constantTimeEqual } from '@paycrypt/primitives';
import { KeyBlockError, macFailure } from '../errors.js';
import { open } from './binding.js';
import { asciiBytes, isHexChars } from './chars.js';
import { parseHeaderAt, type Tr31Header } from './header.js';
import { PreparedKbpk, resolveKbpk } from './kbpk.js';
import type { Tr31ParseOptions, Tr31UnwrapOptions } from './options.js';
import { checkKeyLength, checkPolicy } from './policy.js';
import { versionFacts, type VersionFacts } from './versions.js';

/** What `parseTr31` reads from a key block without any key. */
export interface ParsedTr31 extends Tr31Header {
  /** Total length in characters (equal to the length field). */
  blockLength: number;
  /** Header length in characters, optional blocks included. */
  headerLength: number;
  /** Encrypted payload length in bytes. */
  payloadLength: number;
  /** Authenticator (MAC) as hex, as it appears in the block. */
  mac: string;
}

interface Layout {
  header: Tr31Header;
  f: VersionFacts;
  headerLength: number;
  payloadHex: number;
  macHex: number;
}

function layout(block: string, options: Tr31ParseOptions, kbpk?: Uint8Array | PreparedKbpk): Layout & { prepared: PreparedKbpk | undefined } {
  const { header, lengthField, headerLength } = parseHeaderAt(block, options);
  if (lengthField !== block.length) {
    throw new KeyBlockError('INVALID_LENGTH', `key block length field says ${lengthField} but the block has ${block.length} characters`, { field: 'length' });
  }
  const f = versionFacts(header.version)!;
  // the KBPK is checked against the version before the body: a mismatch is the likelier mistake
  const prepared = kbpk === undefined ? undefined : resolveKbpk(kbpk, f);
  const bs = f.blockSize;
  if (headerLength % bs !== 0) {
    // X9.143 §6.3.6: the optional blocks (PB included) bring the header to a cipher-block multiple
    throw new KeyBlockError('INVALID_LENGTH', `header with optional blocks is ${headerLength} characters, not a multiple of ${bs} (version ${f.version})`, {
      field: 'optionalBlocks',
    });
  }
  if (f.padPayload && block.length % bs !== 0) {
    throw new KeyBlockError('INVALID_LENGTH', `key block length ${block.length} is not a multiple of ${bs} (version ${f.version})`, { field: 'length' });
  }
  const macHex = 2 * f.macLength;
  const payloadHex = block.length - headerLength - macHex;
  // the clear payload holds at least the 2-byte key length and one key byte
  const minPayload = f.padPayload ? 2 * bs : 6;
  if (payloadHex < minPayload) {
    throw new KeyBlockError('INVALID_LENGTH', `key block has ${Math.max(payloadHex, 0)} payload characters, at least ${minPayload} needed (version ${f.version})`, { field: 'payload' });
  }
  if (payloadHex % (f.padPayload ? 2 * bs : 2) !== 0) {
    throw new KeyBlockError('INVALID_LENGTH', `payload of ${payloadHex} characters is not a whole number of ${f.padPayload ? `${bs}-byte blocks` : 'bytes'}`, { field: 'payload' });
  }
  const lower = options.allowLowerCaseHex === true;
  if (!isHexChars(block, lower, headerLength, headerLength + payloadHex)) {
    throw new KeyBlockError('INVALID_HEX', `encrypted payload must be ${lower ? '' : 'upper-case '}hex`, { field: 'payload' });
  }
  if (!isHexChars(block, lower, headerLength + payloadHex, block.length)) {
    throw new KeyBlockError('INVALID_HEX', `authenticator must be ${lower ? '' : 'upper-case '}hex`, { field: 'mac' });
  }
  return { header, f, headerLength, payloadHex, macHex, prepared };
}

/**
 * Reads a key block's header and checks its structure (length field, block multiples, hex),
 * with no key. The MAC is not (cannot be) verified.
 */
export function parseTr31(block: string, options: Tr31ParseOptions = {}): ParsedTr31 {
  const l = layout(block, options);
  return {
    ...l.header,
    blockLength: block.length,
    headerLength: l.headerLength,
    payloadLength: l.payloadHex / 2,
    mac: block.slice(block.length - l.macHex),
  };
}

function hexInto(s: string, from: number, to: number, out: Uint8Array, at: number): void {
  for (let p = from, i = at; p < to; p += 2, i++) {
    const a = s.charCodeAt(p);
    const b = s.charCodeAt(p + 1);
    out[i] = (((a & 0x40) !== 0 ? (a & 7) + 9 : a & 15) << 4) | ((b & 0x40) !== 0 ? (b & 7) + 9 : b & 15);
  }
}

/**
 * Verifies and decrypts a key block. Validation follows X9.143 unless an option relaxes one
 * named rule; missing key-length obfuscation is accepted (payShield and TR-31:2018 examples
 * do not obfuscate). Any authenticator failure is one opaque `MAC_VERIFICATION_FAILED`.
 */
export function unwrapTr31(kbpk: Uint8Array | PreparedKbpk, block: string, options: Tr31UnwrapOptions = {}): { header: Tr31Header; key: Uint8Array } {
  if (!(kbpk instanceof Uint8Array) && !(kbpk instanceof PreparedKbpk)) {
    throw new TypeError(`"kbpk" expected Uint8Array or PreparedKbpk, got ${kbpk === null ? 'null' : typeof kbpk}`);
  }
  const { header, f, headerLength, payloadHex, macHex, prepared: p } = layout(block, options, kbpk);
  const prepared = p!;
  const ciphers = prepared.ciphersFor(f);
  const payloadLength = payloadHex / 2;
  const input = new Uint8Array(headerLength + payloadLength);
  asciiBytes(block.slice(0, headerLength), input);
  hexInto(block, headerLength, headerLength + payloadHex, input, headerLength);
  const mac = new Uint8Array(macHex / 2);
  hexInto(block, headerLength + payloadHex, block.length, mac, 0);
  const { clear, expected } = open(f, ciphers, input, headerLength, mac);
  input.fill(0);
  if (!constantTimeEqual(expected, mac)) {
    clear.fill(0);
    throw macFailure();
  }
  // authenticated from here on: payload errors reveal nothing an attacker could not compute
  const bits = (clear[0]! << 8) | clear[1]!;
  if (bits % 8 !== 0) {
    clear.fill(0);
    throw new KeyBlockError('INVALID_PAYLOAD', `key length field is ${bits} bits, not whole bytes`, { field: 'payload' });
  }
  const keyLength = bits / 8;
  if (keyLength === 0 || 2 + keyLength > clear.length) {
    clear.fill(0);
    throw new KeyBlockError('INVALID_PAYLOAD', `key length field (${keyLength} bytes) does not fit the ${clear.length - 2}-byte payload`, { field: 'payload' });
  }
  const key = clear.slice(2, 2 + keyLength);
  clear.fill(0);
  try {
    checkKeyLength(header, keyLength, options);
    if (options.policy === true) checkPolicy(header, keyLength, f, prepared.length);
  } catch (e) {
    key.fill(0);
    throw e;
  }
  return { header, key };
}
