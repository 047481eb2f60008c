import type { CardVerificationKey, CvvInput } from './visa-cvv.js';
import { generateCvv, verifyCvv } from './visa-cvv.js';
import { assertDigits } from './card-data.js';

/**
 * Visa CAVV (3-D Secure cardholder authentication verification value), "CAVV V7" style: the
 * Visa CVV method with repurposed fields. AWS computes it through `CardVerificationValue1`
 * (AWS's payShield mapping: CW "Generate Visa CAVV V7" → CardVerificationValue1); this helper
 * only maps the fields, in jPOS's layout (`JCESecurityModule.calculateCAVVImpl`):
 *
 * | CVV field    | CAVV field                                         | AWS member       |
 * |--------------|----------------------------------------------------|------------------|
 * | PAN          | PAN                                                | (request PAN)    |
 * | expiry (4)   | UPN, the 4 unpredictable-number digits             | `CardExpiryDate` |
 * | service code | authentication result code (1) ‖ second-factor     | `ServiceCode`    |
 * |              | authentication result code (2)                     |                  |
 *
 * **Candidate layout**: the scheme document is unpublished; the layout and vectors are jPOS's
 * (a peer implementation), not confirmed against AWS. AWS's `CardHolderVerificationValue` is a
 * different, unpublished attribute.
 */
export interface VisaCavvInput {
  pan: string;
  /** 4 digits. */
  unpredictableNumber: string;
  /** 1 digit. */
  authenticationResultCode: string;
  /** 2 digits. */
  secondFactorAuthenticationResultCode: string;
}

/** The CVV-method input that carries a CAVV (also the AWS CardVerificationValue1 fields). */
export function visaCavvCvvInput(input: VisaCavvInput): CvvInput {
  assertDigits(input.unpredictableNumber, 'unpredictableNumber', 4, 4);
  assertDigits(input.authenticationResultCode, 'authenticationResultCode', 1, 1);
  assertDigits(input.secondFactorAuthenticationResultCode, 'secondFactorAuthenticationResultCode', 2, 2);
  return {
    pan: input.pan,
    expiry: input.unpredictableNumber,
    serviceCode: input.authenticationResultCode + input.secondFactorAuthenticationResultCode,
  };
}

/** The 3-digit CAVV by the CVV method under `cvk` (16 bytes or a prepared key). */
export function generateVisaCavv(cvk: Uint8Array | CardVerificationKey, input: VisaCavvInput): string {
  return generateCvv(cvk, visaCavvCvvInput(input), 3);
}

/** Constant-time check of a CAVV (3 or 4 digits). */
export function verifyVisaCavv(cvk: Uint8Array | CardVerificationKey, input: VisaCavvInput, value: string): boolean {
  return verifyCvv(cvk, visaCavvCvvInput(input), value);
}
