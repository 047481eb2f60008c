/**
 * The card-validation attributes of AWS `GenerateCardValidationData` / `VerifyCardValidationData`
 * (data plane, `CardGenerationAttributes` / `CardVerificationAttributes`), and which of them this
 * package computes. One table, so the emulator can answer "not supported" for the same set the
 * README lists, with the same reason.
 *
 * Key usages are those of the AWS key-type table for card validation (C0 card verification key,
 * E4 EMV master key for dynamic numbers, E6 EMV master key "other").
 */
export type AwsCardValidationAttribute =
  | 'CardVerificationValue1'
  | 'CardVerificationValue2'
  | 'DynamicCardVerificationCode'
  | 'AmexCardSecurityCodeVersion1'
  | 'AmexCardSecurityCodeVersion2'
  | 'DynamicCardVerificationValue'
  | 'CardHolderVerificationValue'
  | 'DiscoverDynamicCardVerificationCode';

export interface AwsCardValidationAttributeFacts {
  /** TR-31 key usage AWS requires (undefined: not in the AWS key-type table). */
  readonly keyUsage: 'C0' | 'E4' | 'E6' | undefined;
  /** Whether this package computes it. */
  readonly implemented: boolean;
  /** What computes it here, or why nothing does. */
  readonly note: string;
  /** Only in `CardVerificationAttributes` (AWS offers no generation). */
  readonly verifyOnly?: true;
}

const NO_SPEC =
  'network-proprietary: no published algorithm description or vector found (searched: AWS user guide and API reference, IBM CCA/ICSF CSNBTRV, Thales payShield host commands, EMVCo public books, open-source code); not computed';

const AMEX_CANDIDATE =
  'Candidate only: generateAmexCsc / verifyAmexCsc compute ThalesSim\'s GenerateCSC, checked only against unpublished regression values; unverified against AWS';

export const AWS_CARD_VALIDATION_ATTRIBUTES: Readonly<Record<AwsCardValidationAttribute, AwsCardValidationAttributeFacts>> = {
  CardVerificationValue1: { keyUsage: 'C0', implemented: true, note: 'generateCvv / verifyCvv (service code 999 = iCVV; Visa CAVV V7 fields via visaCavvCvvInput, jPOS layout, candidate)' },
  CardVerificationValue2: { keyUsage: 'C0', implemented: true, note: 'generateCvv2 / verifyCvv2 (service code 000)' },
  DynamicCardVerificationCode: {
    keyUsage: 'E4',
    implemented: true,
    note: 'Mastercard dynamic CVC3: generateCvc3 / verifyCvc3 (EMV Option A ICC key, IVCVC3 over TrackData)',
  },
  AmexCardSecurityCodeVersion1: { keyUsage: 'C0', implemented: false, note: `${NO_SPEC}. ${AMEX_CANDIDATE}` },
  AmexCardSecurityCodeVersion2: { keyUsage: 'C0', implemented: false, note: `${NO_SPEC}. ${AMEX_CANDIDATE}` },
  DynamicCardVerificationValue: {
    keyUsage: 'E6',
    implemented: false,
    note: `${NO_SPEC}. Candidate only: generateDcvv / verifyDcvv compute jPOS's layout (EMV Option A ICC key; CVV method over ATC ‖ PAN[4:] ‖ expiry ‖ service code), checked against jPOS's test values, not against AWS`,
  },
  CardHolderVerificationValue: { keyUsage: 'E6', implemented: false, note: NO_SPEC },
  DiscoverDynamicCardVerificationCode: { keyUsage: undefined, implemented: false, verifyOnly: true, note: NO_SPEC },
};
