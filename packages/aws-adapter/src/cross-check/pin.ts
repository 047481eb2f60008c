import { asciiToBytes, constantTimeEqual, generateVisaPvv } from '@paycrypt/primitives';

/**
 * The expected Visa PIN verification value (PVV) for a PVK known in clear, the PAN, the clear
 * PIN and the key index — what GeneratePinData (VisaPin / VisaPinVerificationValue) answers as
 * PinData.VerificationValue — and a constant-time comparison with the service's value. The PIN
 * is the caller's secret: it appears in no return value or error. Engine packages only.
 */
export interface VisaPvvCheck {
  expected: string;
  matches: boolean;
}

export function expectedVisaPvv(pvk: Uint8Array, primaryAccountNumber: string, pin: string, pinVerificationKeyIndex: number): string {
  return generateVisaPvv(pvk, { pan: primaryAccountNumber, pin, pvki: pinVerificationKeyIndex });
}

export function checkVisaPvv(pvk: Uint8Array, primaryAccountNumber: string, pin: string, pinVerificationKeyIndex: number, servicePvv: string): VisaPvvCheck {
  const expected = expectedVisaPvv(pvk, primaryAccountNumber, pin, pinVerificationKeyIndex);
  return { expected, matches: expected.length === servicePvv.length && constantTimeEqual(asciiToBytes(expected), asciiToBytes(servicePvv)) };
}
