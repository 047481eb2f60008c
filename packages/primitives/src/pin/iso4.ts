import { type RandomSource, assertBytes, randomBytes } from '../bytes.js';
import { AesCipher } from '../cipher/aes.js';
import { assertPan, putNibbles } from '../card-validation/card-data.js';
import { PrimitivesError } from '../errors.js';
import { PIN_BLOCK_FORMATS, assertPin, invalidPinBlock, readPinField } from './pin-block.js';

/**
 * ISO 9564-1:2017 format 4 (AES, 16-byte blocks), 9.4.2:
 *
 *   PIN field  = 4 ‖ N ‖ PIN ‖ A…A (to nibble 16) ‖ 8 random bytes
 *   PAN field  = M ‖ PAN ‖ 0…0, with M = len(PAN) − 12 (0..7); a PAN shorter than 12 digits is
 *                left-padded with zeros to 12 and M = 0
 *   encipher   = AES_K( AES_K(PIN field) ⊕ PAN field )
 *   decipher   = AES⁻¹_K( AES⁻¹_K(block) ⊕ PAN field ) → PIN field, checked
 */

export function iso4PanField(pan: string): Uint8Array {
  assertPan(pan, 1, 19);
  const m = pan.length > 12 ? pan.length - 12 : 0;
  const out = new Uint8Array(16);
  putNibbles(out, 0, m.toString() + pan.padStart(12, '0'));
  return out;
}

/** The 16-byte plaintext PIN field; `random8` defaults to 8 fresh random bytes. */
export function iso4PinField(pin: string, random8?: Uint8Array): Uint8Array {
  assertPin(pin);
  const field = new Uint8Array(16);
  const n = putNibbles(field, 0, `4${pin.length.toString(16)}${pin}`);
  putNibbles(field, n, 'A'.repeat(16 - n));
  const r = random8 ?? randomBytes(8);
  assertBytes(r, 'random8', 8);
  field.set(r, 8);
  return field;
}

/** Reads the PIN from a plaintext format 4 PIN field (opaque error if it is not one). */
export function readIso4PinField(field: Uint8Array): string {
  assertBytes(field, 'pinField', 16);
  return readPinField(field, PIN_BLOCK_FORMATS.ISO_4, 16);
}

function aes(key: Uint8Array | AesCipher): AesCipher {
  return key instanceof AesCipher ? key : new AesCipher(key);
}

export interface Iso4Options {
  /** Source of the 8 random bytes of the PIN field (default WebCrypto). */
  random?: RandomSource;
}

/** Enciphers a PIN field (already built) under an AES key. */
export function encipherIso4PinField(key: Uint8Array | AesCipher, pinField: Uint8Array, pan: string): Uint8Array {
  assertBytes(pinField, 'pinField', 16);
  const c = aes(key);
  const panField = iso4PanField(pan);
  const out = new Uint8Array(16);
  c.encryptBlockInto(pinField, 0, out, 0);
  for (let i = 0; i < 16; i++) out[i] = out[i]! ^ panField[i]!;
  c.encryptBlockInto(out, 0, out, 0);
  return out;
}

/** Builds the PIN field and enciphers it: the encrypted ISO 9564 format 4 PIN block. */
export function encipherIso4PinBlock(key: Uint8Array | AesCipher, pin: string, pan: string, options: Iso4Options = {}): Uint8Array {
  const field = iso4PinField(pin, (options.random ?? randomBytes)(8));
  const out = encipherIso4PinField(key, field, pan);
  field.fill(0);
  return out;
}

/** Deciphers to the plaintext PIN field (not checked). */
export function decipherIso4PinField(key: Uint8Array | AesCipher, block: Uint8Array, pan: string): Uint8Array {
  if (!(block instanceof Uint8Array) || block.length !== 16) {
    throw new PrimitivesError('INVALID_LENGTH', `"pinBlock" expected 16 bytes, got ${block instanceof Uint8Array ? block.length : typeof block}`, {
      field: 'pinBlock',
    });
  }
  const c = aes(key);
  const panField = iso4PanField(pan);
  const out = new Uint8Array(16);
  c.decryptBlockInto(block, 0, out, 0);
  for (let i = 0; i < 16; i++) out[i] = out[i]! ^ panField[i]!;
  c.decryptBlockInto(out, 0, out, 0);
  return out;
}

/** The PIN of an encrypted format 4 PIN block; any malformed result is the one opaque error. */
export function decipherIso4PinBlock(key: Uint8Array | AesCipher, block: Uint8Array, pan: string): string {
  const field = decipherIso4PinField(key, block, pan);
  try {
    return readIso4PinField(field);
  } catch {
    throw invalidPinBlock();
  } finally {
    field.fill(0);
  }
}
