import { assertBytes } from '../bytes.js';
import { TdesCipher } from '../cipher/tdes.js';
import { assertDigits, assertPan, putNibbles } from './card-data.js';

/**
 * EMV ICC master key derivation, Option A (EMV 4.3 Book 2, Annex A1.4.1):
 *   Y   = the rightmost 16 digits of PAN ‖ PSN (left-padded with 0 when shorter)
 *   MK  = TDES_IMK(Y) ‖ TDES_IMK(Y ⊕ FF…FF), each byte then set to odd parity
 * The issuer master key (IMK) is double-length TDES (AWS: TDES_2KEY, DeriveKey mode).
 */
export function deriveIccMasterKeyOptionA(imk: Uint8Array | TdesCipher, pan: string, panSequenceNumber = '00'): Uint8Array {
  if (imk instanceof Uint8Array) assertBytes(imk, 'imk', 16);
  assertPan(pan);
  assertDigits(panSequenceNumber, 'panSequenceNumber', 2, 2);
  const c = imk instanceof TdesCipher ? imk : new TdesCipher(imk);
  const y = new Uint8Array(16);
  putNibbles(y, 0, (pan + panSequenceNumber).slice(-16).padStart(16, '0'));
  for (let i = 0; i < 8; i++) y[8 + i] = y[i]! ^ 0xff;
  c.encryptBlockInto(y, 0, y, 0);
  c.encryptBlockInto(y, 8, y, 8);
  return adjustOddParity(y);
}

/** Sets the low bit of each byte so that every byte has an odd number of one-bits (DES parity). */
export function adjustOddParity(key: Uint8Array): Uint8Array {
  for (let i = 0; i < key.length; i++) {
    let b = key[i]! & 0xfe;
    let ones = 0;
    for (let v = b; v !== 0; v &= v - 1) ones++;
    if (ones % 2 === 0) b |= 1;
    key[i] = b;
  }
  return key;
}
