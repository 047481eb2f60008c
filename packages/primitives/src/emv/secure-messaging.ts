import { assertBytes, constantTimeEqual } from '../bytes.js';
import { cbcDecrypt, cbcEncrypt, ecbDecrypt, ecbEncrypt } from '../cipher/block-cipher.js';
import { TdesCipher } from '../cipher/tdes.js';
import { PrimitivesError } from '../errors.js';
import { iso9797Pad } from '../mac/iso9797.js';
import { ownEntry } from '../table.js';
import { RetailMacKey, assertAligned } from './retail-mac-key.js';

/**
 * EMV secure messaging for issuer scripts (Book 2 §9.2, Book 3 §10.10): integrity (MAC under the
 * SMI session key) and confidentiality (encryption under the SMC session key).
 *
 * MAC: ISO/IEC 9797-1 algorithm 3 with padding method 2 always applied (AWS EmvMac: "Padding is
 * automatically applied … method 2"), 8 bytes; callers truncate (AWS MacLength).
 *
 * Encryption layouts, one table (pyemv sm.py `EncryptionType`, jPOS `PaddingMethod`, AWS
 * GenerateMacEmvPinChange `EmvCommon` attributes):
 *
 * | layout      | mode | length byte first | padding method 2 (ISO/IEC 7816-4)  | used by                   |
 * |-------------|------|-------------------|------------------------------------|---------------------------|
 * | VISA        | ECB  | yes               | always                             | Visa, Amex (VIS)          |
 * | MASTERCARD  | CBC  | no                | only when the data is not aligned  | Mastercard M/Chip, Interac |
 * | EMV         | CBC  | no                | always                             | EMV CCD / common core     |
 *
 * CBC uses a zero IV. A custom layout (AWS `EmvCommon{Mode, PinBlockPaddingType,
 * PinBlockLengthPosition}`) is the same three facts given by the caller; `padding: 'NONE'`
 * then requires aligned data.
 */
export type SmEncryptionType = 'VISA' | 'MASTERCARD' | 'EMV';

export interface SmEncryptionLayout {
  readonly mode: 'ECB' | 'CBC';
  /** Prefix one byte holding the data length (AWS FRONT_OF_PIN_BLOCK). */
  readonly lengthPrefix: boolean;
  /** 'ALWAYS' = ISO/IEC 9797-1 method 2 (= ISO/IEC 7816-4), 'IF_UNALIGNED', or 'NONE'. */
  readonly padding: 'ALWAYS' | 'IF_UNALIGNED' | 'NONE';
}

export const SM_ENCRYPTION_TYPES: Readonly<Record<SmEncryptionType, SmEncryptionLayout>> = {
  VISA: { mode: 'ECB', lengthPrefix: true, padding: 'ALWAYS' },
  MASTERCARD: { mode: 'CBC', lengthPrefix: false, padding: 'IF_UNALIGNED' },
  EMV: { mode: 'CBC', lengthPrefix: false, padding: 'ALWAYS' },
};

function layoutOf(layout: SmEncryptionType | SmEncryptionLayout): SmEncryptionLayout {
  if (typeof layout !== 'string') {
    if (layout === null || typeof layout !== 'object') throw new TypeError('"layout" expected VISA, MASTERCARD, EMV or a layout object');
    if (layout.mode !== 'ECB' && layout.mode !== 'CBC') throw new RangeError(`"layout.mode" expected ECB or CBC, got ${String(layout.mode)}`);
    if (!['ALWAYS', 'IF_UNALIGNED', 'NONE'].includes(layout.padding)) {
      throw new RangeError(`"layout.padding" expected ALWAYS, IF_UNALIGNED or NONE, got ${String(layout.padding)}`);
    }
    return layout;
  }
  const f = ownEntry(SM_ENCRYPTION_TYPES, layout);
  if (f === undefined) throw new RangeError(`"layout" expected VISA, MASTERCARD or EMV, got ${String(layout)}`);
  return f;
}

const ZERO_IV = new Uint8Array(8);

/** Secure-messaging MAC (8 bytes): algorithm 3, padding method 2, under the SMI session key. */
export function emvMac(smiKey: Uint8Array | RetailMacKey, data: Uint8Array): Uint8Array {
  const k = smiKey instanceof RetailMacKey ? smiKey : new RetailMacKey(smiKey);
  return k.mac(data, 2);
}

/** Constant-time check of a 4- to 8-byte MAC (the leftmost bytes of the full MAC). */
export function verifyEmvMac(smiKey: Uint8Array | RetailMacKey, data: Uint8Array, mac: Uint8Array): boolean {
  assertBytes(mac, 'mac', 4, 5, 6, 7, 8);
  return constantTimeEqual(emvMac(smiKey, data).subarray(0, mac.length), mac);
}

/** Encrypts command data under the SMC session key (16 bytes) with a layout from the table or given. */
export function smEncrypt(smcKey: Uint8Array, data: Uint8Array, layout: SmEncryptionType | SmEncryptionLayout): Uint8Array {
  assertBytes(smcKey, 'smcKey', 16);
  assertBytes(data, 'data');
  const l = layoutOf(layout);
  let m = data;
  if (l.lengthPrefix) {
    if (data.length > 255) throw new PrimitivesError('INVALID_LENGTH', `"data" is ${data.length} bytes; a length prefix holds at most 255`, { field: 'data' });
    m = new Uint8Array(data.length + 1);
    m[0] = data.length;
    m.set(data, 1);
  }
  if (l.padding === 'ALWAYS' || (l.padding === 'IF_UNALIGNED' && m.length % 8 !== 0)) m = iso9797Pad(m, 8, 2);
  else assertAligned(m, 'data');
  const c = new TdesCipher(smcKey);
  return l.mode === 'ECB' ? ecbEncrypt(c, m) : cbcEncrypt(c, ZERO_IV, m);
}

/**
 * Decrypts what smEncrypt produced and removes the padding and length prefix. For a layout that
 * pads only when needed (MASTERCARD), aligned output is returned as decrypted, since it cannot
 * say whether padding was added. A malformed result is one opaque error.
 */
export function smDecrypt(smcKey: Uint8Array, encrypted: Uint8Array, layout: SmEncryptionType | SmEncryptionLayout): Uint8Array {
  assertBytes(smcKey, 'smcKey', 16);
  assertBytes(encrypted, 'encrypted');
  const l = layoutOf(layout);
  assertAligned(encrypted, 'encrypted');
  const c = new TdesCipher(smcKey);
  let m = l.mode === 'ECB' ? ecbDecrypt(c, encrypted) : cbcDecrypt(c, ZERO_IV, encrypted);
  const opaque = () => new PrimitivesError('INVALID_INPUT', 'secure-messaging data does not decrypt to a valid layout', { field: 'encrypted' });
  if (l.padding === 'ALWAYS') {
    let end = m.length - 1;
    while (end >= 0 && m[end] === 0) end--;
    if (end < 0 || m[end] !== 0x80 || m.length - end > 8) throw opaque();
    m = m.subarray(0, end);
  }
  if (l.lengthPrefix) {
    if (m.length === 0 || m[0]! > m.length - 1 || (l.padding === 'ALWAYS' && m[0]! !== m.length - 1)) throw opaque();
    m = m.subarray(1, 1 + m[0]!);
  }
  return new Uint8Array(m);
}
