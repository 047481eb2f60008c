import { type RandomSource, randomBytes } from '../bytes.js';
import { assertDigits, assertPan, putNibbles } from '../card-validation/card-data.js';
import { PrimitivesError } from '../errors.js';
import { ownEntry } from '../table.js';

/**
 * ISO 9564-1 PIN block formats. One table of facts; the format 4 (AES) cipher steps are in
 * iso4.ts. PIN: 4 to 12 digits. PAN: 1 to 19 digits (ISO 9564-1 pads a short PAN with zeros).
 *
 * | format | control | PAN field                    | fill after the PIN         | block    | AWS name     |
 * |--------|---------|------------------------------|----------------------------|----------|--------------|
 * | ISO_0  | 0       | 0000 ‖ 12 rightmost PAN digits excl. check digit | F    | 8 bytes  | ISO_FORMAT_0 |
 * | ISO_1  | 1       | none                         | transaction/random 0-F     | 8 bytes  | ISO_FORMAT_1 |
 * | ISO_2  | 2       | none                         | F                          | 8 bytes  | (none)       |
 * | ISO_3  | 3       | as ISO_0                     | random A-F                 | 8 bytes  | ISO_FORMAT_3 |
 * | ISO_4  | 4       | M ‖ PAN (≥ 12 digits) ‖ 0…   | A, then 8 random bytes     | 16 bytes | ISO_FORMAT_4 |
 *
 * Decoding checks the control nibble, the length (4-12), the PIN digits and the fill. Any
 * failure is ONE opaque error (`INVALID_PIN_BLOCK`, fixed message): which check failed is not
 * said, because a decrypted block's format is secret-dependent (format-oracle attacks).
 */
export type PinBlockFormat = 'ISO_0' | 'ISO_1' | 'ISO_2' | 'ISO_3' | 'ISO_4';

export interface PinBlockFormatFacts {
  readonly control: number;
  readonly usesPan: boolean;
  /** Allowed fill nibbles: 'F' only, any hex, A-F, or 'A' only. */
  readonly fill: 'F' | 'ANY' | 'A_TO_F' | 'A';
  readonly blockBytes: 8 | 16;
  readonly aws?: 'ISO_FORMAT_0' | 'ISO_FORMAT_1' | 'ISO_FORMAT_3' | 'ISO_FORMAT_4';
}

export const PIN_BLOCK_FORMATS: Readonly<Record<PinBlockFormat, PinBlockFormatFacts>> = {
  ISO_0: { control: 0, usesPan: true, fill: 'F', blockBytes: 8, aws: 'ISO_FORMAT_0' },
  ISO_1: { control: 1, usesPan: false, fill: 'ANY', blockBytes: 8, aws: 'ISO_FORMAT_1' },
  ISO_2: { control: 2, usesPan: false, fill: 'F', blockBytes: 8 },
  ISO_3: { control: 3, usesPan: true, fill: 'A_TO_F', blockBytes: 8, aws: 'ISO_FORMAT_3' },
  ISO_4: { control: 4, usesPan: true, fill: 'A', blockBytes: 16, aws: 'ISO_FORMAT_4' },
};

export const PIN_MIN_LENGTH = 4;
export const PIN_MAX_LENGTH = 12;

export function assertPin(pin: unknown, field = 'pin'): asserts pin is string {
  assertDigits(pin, field, PIN_MIN_LENGTH, PIN_MAX_LENGTH, 'INVALID_PIN');
}

const OPAQUE = 'PIN block is not valid';

/** The one error for any PIN block that does not decode (fixed message, no reason given). */
export function invalidPinBlock(): PrimitivesError {
  return new PrimitivesError('INVALID_PIN_BLOCK', OPAQUE, { field: 'pinBlock' });
}

function formatFacts(format: PinBlockFormat): PinBlockFormatFacts {
  const f = ownEntry(PIN_BLOCK_FORMATS, format);
  if (f === undefined) throw new RangeError(`"format" expected ISO_0, ISO_1, ISO_2, ISO_3 or ISO_4, got ${String(format)}`);
  return f;
}

/** ISO 9564-1 formats 0 and 3: 0000 ‖ the 12 rightmost PAN digits excluding the check digit. */
export function panField8(pan: string): Uint8Array {
  assertPan(pan, 1, 19);
  const digits = pan.slice(0, -1).slice(-12).padStart(12, '0');
  const out = new Uint8Array(8);
  putNibbles(out, 4, digits);
  return out;
}

export interface PinBlockOptions {
  /** Random source for fill digits (formats 1 and 3); default WebCrypto. */
  random?: RandomSource;
  /** Explicit fill digits (tests, deterministic tools): 14 − PIN length hex digits. */
  fill?: string;
}

function fillDigits(facts: PinBlockFormatFacts, count: number, options: PinBlockOptions): string {
  if (options.fill !== undefined) {
    const ok = facts.fill === 'F' ? /^F*$/ : facts.fill === 'A_TO_F' ? /^[A-F]*$/ : /^[0-9A-F]*$/;
    if (options.fill.length !== count || !ok.test(options.fill)) {
      throw new PrimitivesError('INVALID_INPUT', `"fill" expected ${count} fill digits allowed by the format`, { field: 'fill' });
    }
    return options.fill;
  }
  if (facts.fill === 'F') return 'F'.repeat(count);
  const rnd = options.random ?? randomBytes;
  let s = '';
  while (s.length < count) {
    for (const b of rnd(count)) {
      if (s.length === count) break;
      if (facts.fill === 'ANY') s += (b & 0x0f).toString(16).toUpperCase();
      else if ((b & 7) < 6) s += String.fromCharCode(65 + (b & 7)); // A-F, unbiased by rejection
    }
  }
  return s;
}

/** Clear 8-byte PIN block of format 0, 1, 2 or 3 (format 4 is `encipherIso4PinBlock`). */
export function encodePinBlock(format: Exclude<PinBlockFormat, 'ISO_4'>, pin: string, pan?: string, options: PinBlockOptions = {}): Uint8Array {
  const facts = formatFacts(format);
  if (facts.blockBytes !== 8) throw new RangeError('"format" ISO_4 is an AES format: use encipherIso4PinBlock');
  assertPin(pin);
  const block = new Uint8Array(8);
  let n = putNibbles(block, 0, facts.control.toString(16) + pin.length.toString(16));
  n = putNibbles(block, n, pin);
  putNibbles(block, n, fillDigits(facts, 16 - n, options));
  if (facts.usesPan) {
    const p = panField8(pan as string);
    for (let i = 0; i < 8; i++) block[i] = block[i]! ^ p[i]!;
  }
  return block;
}

/**
 * Reads and checks a PIN field (control nibble, length, digits, fill over `fillNibbles`).
 * Returns the PIN or throws the opaque error.
 */
export function readPinField(field: Uint8Array, facts: PinBlockFormatFacts, fillEnd: number): string {
  const nib = (i: number) => (field[i >> 1]! >> ((i & 1) === 0 ? 4 : 0)) & 0x0f;
  let bad = nib(0) !== facts.control ? 1 : 0;
  const len = nib(1);
  if (len < PIN_MIN_LENGTH || len > PIN_MAX_LENGTH) throw invalidPinBlock();
  let pin = '';
  for (let i = 2; i < 2 + len; i++) {
    const d = nib(i);
    bad |= d > 9 ? 1 : 0;
    pin += String.fromCharCode(48 + (d & 0x0f));
  }
  for (let i = 2 + len; i < fillEnd; i++) {
    const d = nib(i);
    if (facts.fill === 'F') bad |= d !== 0x0f ? 1 : 0;
    else if (facts.fill === 'A') bad |= d !== 0x0a ? 1 : 0;
    else if (facts.fill === 'A_TO_F') bad |= d < 0x0a ? 1 : 0;
  }
  if (bad !== 0) throw invalidPinBlock();
  return pin;
}

/** PIN from a clear 8-byte PIN block of format 0, 1, 2 or 3. */
export function decodePinBlock(format: Exclude<PinBlockFormat, 'ISO_4'>, block: Uint8Array, pan?: string): string {
  const facts = formatFacts(format);
  if (facts.blockBytes !== 8) throw new RangeError('"format" ISO_4 is an AES format: use decipherIso4PinBlock');
  if (!(block instanceof Uint8Array) || block.length !== 8) {
    throw new PrimitivesError('INVALID_LENGTH', `"pinBlock" expected 8 bytes, got ${block instanceof Uint8Array ? block.length : typeof block}`, {
      field: 'pinBlock',
    });
  }
  const field = new Uint8Array(block); // a copy, also for a Buffer: XORed and wiped
  if (facts.usesPan) {
    const p = panField8(pan as string);
    for (let i = 0; i < 8; i++) field[i] = field[i]! ^ p[i]!;
  }
  const pin = readPinField(field, facts, 16);
  field.fill(0);
  return pin;
}
