import { assertBytes } from '../bytes.js';
import { TdesCipher } from '../cipher/tdes.js';
import { assertDigits, assertPan, digitsEqual, putNibbles, visaDecimalize } from './card-data.js';
import { ownEntry } from '../table.js';

/**
 * The Visa CVV algorithm (also Mastercard CVC): CVV / CVV2 / iCVV differ only in the service
 * code fed to it. One table:
 *
 * | variant | service code        | AWS attribute                                   |
 * |---------|---------------------|-------------------------------------------------|
 * | CVV     | the card's          | CardVerificationValue1 {CardExpiryDate, ServiceCode} |
 * | CVV2    | `000`               | CardVerificationValue2 {CardExpiryDate}          |
 * | iCVV    | `999`               | CardVerificationValue1 with ServiceCode `999`    |
 *
 * Algorithm, with a double-length CVK = KA ‖ KB:
 *   data  = PAN ‖ expiry ‖ service code, right-padded with 0 to 32 digits → B1 ‖ B2 (8 bytes each)
 *   R     = TDES-EDE(KA,KB)( DES_KA(B1) ⊕ B2 )
 *   value = the first n digits of the Visa decimalisation of R (digits, then A-F as 0-5).
 *
 * The expiry digits are used exactly as given: AWS takes `CardExpiryDate` verbatim, and MMYY
 * and YYMM give different values. Nothing here reorders them.
 */
export type VisaCvvVariant = 'CVV' | 'CVV2' | 'ICVV';

export const VISA_CVV_VARIANTS: Readonly<Record<VisaCvvVariant, { readonly serviceCode: string | undefined }>> = {
  CVV: { serviceCode: undefined },
  CVV2: { serviceCode: '000' },
  ICVV: { serviceCode: '999' },
};

/** A double-length TDES card verification key with its key schedules prepared once. */
export class CardVerificationKey {
  readonly #a: TdesCipher; // KA as single DES
  readonly #ab: TdesCipher; // KA ‖ KB as 2-key TDES

  constructor(cvk: Uint8Array) {
    assertBytes(cvk, 'cvk', 16);
    this.#a = new TdesCipher(cvk.subarray(0, 8));
    this.#ab = new TdesCipher(cvk);
  }

  /** R = TDES(KA,KB)(DES_KA(B1) ⊕ B2) over a 16-byte block (the Visa CVV / PVV core). */
  cvvBlock(data16: Uint8Array): Uint8Array {
    const r = new Uint8Array(8);
    this.#a.encryptBlockInto(data16, 0, r, 0);
    for (let i = 0; i < 8; i++) r[i] = r[i]! ^ data16[8 + i]!;
    this.#ab.encryptBlockInto(r, 0, r, 0);
    return r;
  }
}

export function prepareCvk(cvk: Uint8Array | CardVerificationKey): CardVerificationKey {
  return cvk instanceof CardVerificationKey ? cvk : new CardVerificationKey(cvk);
}

export interface CvvInput {
  /** 12 to 19 digits. */
  pan: string;
  /** 4 digits, used verbatim (YYMM or MMYY: whatever the issuer uses). */
  expiry: string;
  /** 3 digits. */
  serviceCode: string;
}

function checkLength(digits: number): void {
  if (digits !== 3 && digits !== 4) throw new RangeError(`"digits" expected 3 or 4, got ${digits}`);
}

/** The CVV algorithm itself (any service code). */
export function generateCvv(cvk: Uint8Array | CardVerificationKey, input: CvvInput, digits: 3 | 4 = 3): string {
  checkLength(digits);
  assertPan(input.pan);
  assertDigits(input.expiry, 'expiry', 4, 4);
  assertDigits(input.serviceCode, 'serviceCode', 3, 3);
  const data = new Uint8Array(16);
  let n = putNibbles(data, 0, input.pan);
  n = putNibbles(data, n, input.expiry);
  putNibbles(data, n, input.serviceCode);
  const r = prepareCvk(cvk).cvvBlock(data);
  return visaDecimalize(r, digits);
}

/** Constant-time check of a CVV; the number of digits is that of `value` (3 or 4). */
export function verifyCvv(cvk: Uint8Array | CardVerificationKey, input: CvvInput, value: string): boolean {
  assertDigits(value, 'value', 3, 4);
  return digitsEqual(generateCvv(cvk, input, value.length as 3 | 4), value);
}

/** CVV, CVV2 or iCVV by name (CVV takes the card's service code; CVV2 and iCVV fix it). */
export function generateCardVerificationValue(
  cvk: Uint8Array | CardVerificationKey,
  variant: VisaCvvVariant,
  input: { pan: string; expiry: string; serviceCode?: string },
  digits: 3 | 4 = 3,
): string {
  const facts = ownEntry(VISA_CVV_VARIANTS, variant);
  if (facts === undefined) throw new RangeError(`"variant" expected CVV, CVV2 or ICVV, got ${String(variant)}`);
  const serviceCode = facts.serviceCode ?? input.serviceCode;
  return generateCvv(cvk, { pan: input.pan, expiry: input.expiry, serviceCode: serviceCode as string }, digits);
}

export function verifyCardVerificationValue(
  cvk: Uint8Array | CardVerificationKey,
  variant: VisaCvvVariant,
  input: { pan: string; expiry: string; serviceCode?: string },
  value: string,
): boolean {
  assertDigits(value, 'value', 3, 4);
  return digitsEqual(generateCardVerificationValue(cvk, variant, input, value.length as 3 | 4), value);
}

/** CVV2: the CVV algorithm with service code 000. */
export function generateCvv2(cvk: Uint8Array | CardVerificationKey, input: { pan: string; expiry: string }, digits: 3 | 4 = 3): string {
  return generateCardVerificationValue(cvk, 'CVV2', input, digits);
}

export function verifyCvv2(cvk: Uint8Array | CardVerificationKey, input: { pan: string; expiry: string }, value: string): boolean {
  return verifyCardVerificationValue(cvk, 'CVV2', input, value);
}

/** iCVV (chip CVV): the CVV algorithm with service code 999. */
export function generateIcvv(cvk: Uint8Array | CardVerificationKey, input: { pan: string; expiry: string }, digits: 3 | 4 = 3): string {
  return generateCardVerificationValue(cvk, 'ICVV', input, digits);
}

export function verifyIcvv(cvk: Uint8Array | CardVerificationKey, input: { pan: string; expiry: string }, value: string): boolean {
  return verifyCardVerificationValue(cvk, 'ICVV', input, value);
}
