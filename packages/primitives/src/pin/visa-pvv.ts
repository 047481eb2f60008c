import { TdesCipher } from '../cipher/tdes.js';
import { assertDigits, assertPan, digitsEqual, putNibbles, visaDecimalize } from '../card-validation/card-data.js';
import { assertPin } from './pin-block.js';

/**
 * Visa PIN verification value (PVV):
 *   TSP = 11 rightmost PAN digits excluding the check digit ‖ PVKI (1 digit) ‖ 4 leftmost PIN digits
 *   PVV = first 4 digits of the Visa decimalisation of TDES-ECB_PVK(TSP) (digits, then A-F as 0-5)
 * The PVK is a double- or triple-length TDES key (AWS: TR31_V2, TDES_2KEY/TDES_3KEY).
 */
export interface VisaPvvInput {
  pan: string;
  pin: string;
  /** PIN verification key index, one digit (AWS allows 0-6). */
  pvki: number | string;
}

function pvk(key: Uint8Array | TdesCipher): TdesCipher {
  return key instanceof TdesCipher ? key : new TdesCipher(key);
}

/** The 16-digit transformed security parameter (TSP). */
export function visaPvvTsp(input: VisaPvvInput): string {
  assertPan(input.pan);
  assertPin(input.pin);
  const pvki = String(input.pvki);
  assertDigits(pvki, 'pvki', 1, 1);
  return input.pan.slice(-12, -1) + pvki + input.pin.slice(0, 4);
}

export function generateVisaPvv(key: Uint8Array | TdesCipher, input: VisaPvvInput): string {
  const tsp = new Uint8Array(8);
  putNibbles(tsp, 0, visaPvvTsp(input));
  const c = pvk(key);
  c.encryptBlockInto(tsp, 0, tsp, 0);
  return visaDecimalize(tsp, 4);
}

/** Constant-time PVV check. */
export function verifyVisaPvv(key: Uint8Array | TdesCipher, input: VisaPvvInput, pvv: string): boolean {
  assertDigits(pvv, 'pvv', 4, 4);
  return digitsEqual(generateVisaPvv(key, input), pvv);
}
