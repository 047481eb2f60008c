import { constantTimeEqual, generateCardVerificationValue, asciiToBytes } from '@paycrypt/primitives';

/**
 * The expected CVV / CVV2 for a card verification key known in clear, from the same
 * GenerationAttributes a GenerateCardValidationData call takes, and a comparison with the
 * service's ValidationData. Engine packages only.
 */
export interface CardValidationAttributes {
  CardVerificationValue1?: { CardExpiryDate: string; ServiceCode: string } | undefined;
  CardVerificationValue2?: { CardExpiryDate: string } | undefined;
}

export interface CardValidationCheck {
  expected: string;
  matches: boolean;
}

/** The value GenerateCardValidationData should answer (3 digits unless `length` says otherwise). */
export function expectedCardValidationData(cvk: Uint8Array, primaryAccountNumber: string, attributes: CardValidationAttributes, length: 3 | 4 = 3): string {
  if (attributes.CardVerificationValue1 !== undefined) {
    const a = attributes.CardVerificationValue1;
    return generateCardVerificationValue(cvk, 'CVV', { pan: primaryAccountNumber, expiry: a.CardExpiryDate, serviceCode: a.ServiceCode }, length);
  }
  if (attributes.CardVerificationValue2 !== undefined) {
    return generateCardVerificationValue(cvk, 'CVV2', { pan: primaryAccountNumber, expiry: attributes.CardVerificationValue2.CardExpiryDate }, length);
  }
  throw new RangeError('"attributes" expected CardVerificationValue1 or CardVerificationValue2');
}

/** Compare a service answer with the expected value (constant-time). */
export function checkCardValidationData(cvk: Uint8Array, primaryAccountNumber: string, attributes: CardValidationAttributes, serviceValue: string): CardValidationCheck {
  const length = serviceValue.length === 4 ? 4 : 3;
  const expected = expectedCardValidationData(cvk, primaryAccountNumber, attributes, length);
  const matches = expected.length === serviceValue.length && constantTimeEqual(asciiToBytes(expected), asciiToBytes(serviceValue));
  return { expected, matches };
}
