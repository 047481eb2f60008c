import { TdesCipher } from '../cipher/tdes.js';
import { assertDigits, digitsEqual, putNibbles } from '../card-validation/card-data.js';
import { PrimitivesError } from '../errors.js';
import { PIN_MAX_LENGTH, PIN_MIN_LENGTH, assertPin } from './pin-block.js';

/**
 * IBM 3624 PIN generation and offsets:
 *   block       = validation data (hex, 1-16 digits) right-padded with the pad character to 16
 *   natural PIN = the first L digits of TDES-ECB_PVK(block), each hex digit mapped through the
 *                 16-digit decimalisation table (digit i of the table replaces hex value i)
 *   PIN         = natural PIN + offset, digit by digit mod 10;  offset = PIN − natural mod 10
 * The PVK is a TDES key (AWS: TR31_V1, TDES_3KEY); the AWS fields are DecimalizationTable,
 * PinValidationData, PinValidationDataPadCharacter and PinOffset.
 */
export interface Ibm3624Data {
  /** 1 to 16 hex digits (AWS: 4 to 16 digits), often part of the PAN. */
  validationData: string;
  /** One hex digit used to pad the validation data to 16 digits. */
  padCharacter: string;
  /** 16 decimal digits. */
  decimalizationTable: string;
}

function pvk(key: Uint8Array | TdesCipher): TdesCipher {
  return key instanceof TdesCipher ? key : new TdesCipher(key);
}

function checkData(d: Ibm3624Data): void {
  const hex = /^[0-9A-Fa-f]+$/;
  if (typeof d.validationData !== 'string' || d.validationData.length < 1 || d.validationData.length > 16 || !hex.test(d.validationData)) {
    throw new PrimitivesError('INVALID_INPUT', '"validationData" expected 1 to 16 hex digits', { field: 'validationData' });
  }
  if (typeof d.padCharacter !== 'string' || d.padCharacter.length !== 1 || !hex.test(d.padCharacter)) {
    throw new PrimitivesError('INVALID_INPUT', '"padCharacter" expected one hex digit', { field: 'padCharacter' });
  }
  assertDigits(d.decimalizationTable, 'decimalizationTable', 16, 16);
}

/** The natural PIN of `pinLength` (4-12) digits. */
export function ibm3624NaturalPin(key: Uint8Array | TdesCipher, data: Ibm3624Data, pinLength: number): string {
  checkData(data);
  if (!Number.isInteger(pinLength) || pinLength < PIN_MIN_LENGTH || pinLength > PIN_MAX_LENGTH) {
    throw new RangeError(`"pinLength" expected ${PIN_MIN_LENGTH} to ${PIN_MAX_LENGTH}, got ${pinLength}`);
  }
  const block = new Uint8Array(8);
  putNibbles(block, 0, data.validationData.toUpperCase().padEnd(16, data.padCharacter.toUpperCase()));
  pvk(key).encryptBlockInto(block, 0, block, 0);
  let out = '';
  for (let i = 0; i < pinLength; i++) {
    const v = (block[i >> 1]! >> ((i & 1) === 0 ? 4 : 0)) & 0x0f;
    out += data.decimalizationTable[v];
  }
  block.fill(0);
  return out;
}

function addDigits(a: string, b: string, sign: 1 | -1): string {
  let out = '';
  for (let i = 0; i < a.length; i++) out += String((a.charCodeAt(i) - 48 + sign * (b.charCodeAt(i) - 48) + 10) % 10);
  return out;
}

/** The customer PIN for an offset (the offset's length is the PIN length). */
export function ibm3624PinFromOffset(key: Uint8Array | TdesCipher, data: Ibm3624Data & { offset: string }): string {
  assertDigits(data.offset, 'offset', PIN_MIN_LENGTH, PIN_MAX_LENGTH);
  return addDigits(ibm3624NaturalPin(key, data, data.offset.length), data.offset, 1);
}

/** The offset that turns the natural PIN into `pin`. */
export function ibm3624Offset(key: Uint8Array | TdesCipher, data: Ibm3624Data & { pin: string }): string {
  assertPin(data.pin);
  return addDigits(data.pin, ibm3624NaturalPin(key, data, data.pin.length), -1);
}

/** Constant-time check of a PIN against its offset. */
export function verifyIbm3624Pin(key: Uint8Array | TdesCipher, data: Ibm3624Data & { pin: string; offset: string }): boolean {
  assertPin(data.pin);
  assertDigits(data.offset, 'offset', PIN_MIN_LENGTH, PIN_MAX_LENGTH);
  if (data.offset.length !== data.pin.length) return false;
  return digitsEqual(ibm3624PinFromOffset(key, data), data.pin);
}
