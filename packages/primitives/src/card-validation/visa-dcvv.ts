import { assertBytes, bytesToHex } from '../bytes.js';
import { TdesCipher } from '../cipher/tdes.js';
import { assertDigits, assertPan, digitsEqual, putNibbles, visaDecimalize } from './card-data.js';
import { deriveIccMasterKeyOptionA } from './emv-master-key.js';
import { CardVerificationKey } from './visa-cvv.js';

/**
 * Visa dynamic CVV (dCVV; magnetic-stripe-data mode of a contactless card) — AWS
 * `DynamicCardVerificationValue` {PanSequenceNumber, CardExpiryDate, ServiceCode,
 * ApplicationTransactionCounter}, key usage E6.
 *
 * **Candidate algorithm, not confirmed against AWS.** Visa does not publish dCVV; the only public
 * description is jPOS's (`JCESecurityModule.calculatedCVV`), and the only vectors are jPOS's own
 * test values (a peer implementation, not an HSM or AWS output). Its layout:
 *
 *   ICC key = EMV Option A (IMK, PAN, PSN)              (jPOS always uses PSN 00)
 *   data    = ATC (4 hex digits) ‖ PAN without its first 4 digits ‖ expiry ‖ service code,
 *             right-padded with 0 to 32 nibbles
 *   dCVV    = the Visa CVV method with the ICC key as CVK-A ‖ CVK-B over that data:
 *             TDES(KA,KB)(DES_KA(B1) ⊕ B2), Visa-decimalised, first n digits
 *
 * The ATC is hex (AWS: "006D" for counter 109), so the data may hold nibbles A–F; the CVV method
 * encrypts nibbles, so that is well defined. AWS sends a 2–4 hex ATC; the caller left-pads it to
 * 2 bytes (an assumption, as for CVC3). The expiry is used verbatim (YYMM or MMYY).
 */
export interface DcvvInput {
  /** 12 to 19 digits. */
  pan: string;
  /** 4 digits, verbatim. */
  expiry: string;
  /** 3 digits. */
  serviceCode: string;
  /** Application transaction counter, 2 bytes (tag 9F36). */
  atc: Uint8Array;
}

function checkDigits(digits: number): void {
  if (digits !== 3 && digits !== 4 && digits !== 5) throw new RangeError(`"digits" expected 3, 4 or 5, got ${digits}`);
}

/** The CVV-method input digits: ATC(4 hex) ‖ PAN[4:] ‖ expiry ‖ service code (upper-case hex). */
export function dcvvInputDigits(input: DcvvInput): string {
  assertPan(input.pan);
  assertDigits(input.expiry, 'expiry', 4, 4);
  assertDigits(input.serviceCode, 'serviceCode', 3, 3);
  assertBytes(input.atc, 'atc', 2);
  return bytesToHex(input.atc) + input.pan.slice(4) + input.expiry + input.serviceCode;
}

/** dCVV from the card's ICC master key (16 bytes) or a prepared CardVerificationKey of it. */
export function dcvvFromIccKey(iccKey: Uint8Array | CardVerificationKey, input: DcvvInput, digits: 3 | 4 | 5 = 3): string {
  checkDigits(digits);
  const key = iccKey instanceof CardVerificationKey ? iccKey : new CardVerificationKey(iccKey);
  const data = new Uint8Array(16);
  putNibbles(data, 0, dcvvInputDigits(input)); // at most 4 + 15 + 4 + 3 = 26 nibbles
  const r = key.cvvBlock(data);
  const value = visaDecimalize(r, digits);
  r.fill(0);
  data.fill(0);
  return value;
}

/**
 * dCVV from the issuer master key (16 bytes, or a TdesCipher of it): EMV Option A with PAN and
 * PSN (2 digits, default "00") first. Candidate algorithm (jPOS), not confirmed against AWS.
 */
export function generateDcvv(
  imk: Uint8Array | TdesCipher,
  card: { pan: string; panSequenceNumber?: string },
  input: Omit<DcvvInput, 'pan'>,
  digits: 3 | 4 | 5 = 3,
): string {
  checkDigits(digits);
  const icc = deriveIccMasterKeyOptionA(imk, card.pan, card.panSequenceNumber ?? '00');
  try {
    return dcvvFromIccKey(icc, { ...input, pan: card.pan }, digits);
  } finally {
    icc.fill(0);
  }
}

/** Constant-time check of a dCVV; the number of digits is that of `value` (3 to 5). */
export function verifyDcvv(
  imk: Uint8Array | TdesCipher,
  card: { pan: string; panSequenceNumber?: string },
  input: Omit<DcvvInput, 'pan'>,
  value: string,
): boolean {
  assertDigits(value, 'value', 3, 5);
  return digitsEqual(generateDcvv(imk, card, input, value.length as 3 | 4 | 5), value);
}
