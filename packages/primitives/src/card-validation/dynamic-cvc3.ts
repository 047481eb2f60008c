import { assertBytes } from '../bytes.js';
import { TdesCipher } from '../cipher/tdes.js';
import { iso9797Mac3 } from '../mac/iso9797.js';
import { assertDigits, digitsEqual } from './card-data.js';
import { deriveIccMasterKeyOptionA } from '../emv/icc-master-key.js';

/**
 * Mastercard dynamic CVC3 (PayPass / contactless magnetic-stripe mode), as published with a
 * worked example in knovichikhin/pyemv (`generate_cvc3`):
 *
 *   ICC key  = EMV Option A derivation of the issuer CVC3 master key with PAN and PSN
 *   IVCVC3   = the 2 rightmost bytes of the ISO 9797-1 algorithm 3 MAC (padding method 2)
 *              of the track 1 or track 2 template under the ICC key
 *   CVC3     = the 2 rightmost bytes of TDES-ECB_ICCkey(IVCVC3 ‖ UN (4 bytes) ‖ ATC (2 bytes)),
 *              as a decimal number (0..65535), returned here as 5 digits
 *
 * A terminal reads only the least significant digits placed in the track; `verifyCvc3` compares
 * that many rightmost digits. AWS `DynamicCardVerificationCode` carries the same fields
 * (TrackData, UnpredictableNumber, ApplicationTransactionCounter, PanSequenceNumber; key E4).
 */
export interface Cvc3Input {
  /** Track 1 (ASCII bytes) or track 2 (packed nibbles, F-padded) template. */
  trackData: Uint8Array;
  /** 4 bytes (tag 9F6A / 9F37). */
  unpredictableNumber: Uint8Array;
  /** 2 bytes (tag 9F36). */
  atc: Uint8Array;
}

/** CVC3 from the card's ICC CVC3 key. */
export function cvc3FromIccKey(iccKey: Uint8Array, input: Cvc3Input): string {
  assertBytes(iccKey, 'iccKey', 16);
  assertBytes(input.trackData, 'trackData');
  assertBytes(input.unpredictableNumber, 'unpredictableNumber', 4);
  assertBytes(input.atc, 'atc', 2);
  const iv = iso9797Mac3(iccKey, input.trackData, 2);
  const block = new Uint8Array(8);
  block[0] = iv[6]!;
  block[1] = iv[7]!;
  block.set(input.unpredictableNumber, 2);
  block.set(input.atc, 6);
  new TdesCipher(iccKey).encryptBlockInto(block, 0, block, 0);
  return String((block[6]! << 8) | block[7]!).padStart(5, '0');
}

/** CVC3 from the issuer master key: Option A derivation with PAN and PSN first. */
export function generateCvc3(imk: Uint8Array, card: { pan: string; panSequenceNumber: string }, input: Cvc3Input): string {
  const icc = deriveIccMasterKeyOptionA(imk, card.pan, card.panSequenceNumber);
  const v = cvc3FromIccKey(icc, input);
  icc.fill(0);
  return v;
}

/** Constant-time check of the `value.length` (3-5) rightmost CVC3 digits. */
export function verifyCvc3(imk: Uint8Array, card: { pan: string; panSequenceNumber: string }, input: Cvc3Input, value: string): boolean {
  assertDigits(value, 'value', 3, 5);
  return digitsEqual(generateCvc3(imk, card, input).slice(-value.length), value);
}
