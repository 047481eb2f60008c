import {
  CardVerificationKey,
  constantTimeEqual,
  cvc3FromIccKey,
  deriveIccMasterKeyOptionA,
  generateAmexCsc,
  generateCvv,
  generateDcvv,
  hexToBytes,
  TdesCipher,
  type AmexCscLength,
} from '@paycrypt/primitives';
import type { RequestContext } from '../core/context.js';
import { validationError, verificationFailedError } from '../core/errors.js';
import { handler, type PartialOperationTable } from '../core/registry.js';
import type { CardVerificationAttributes } from '../model/data-plane.types.generated.js';
import type { KeyRuleName } from './key-rules.js';
import { prepared, storedKey, type OperationKey } from './operation-key.js';

/**
 * GenerateCardValidationData / VerifyCardValidationData (data-plane.md §4). One table, one row
 * per union member: the key rule of each side, the lengths the algorithm gives, whether it is a
 * candidate algorithm, and the computation (all of it in @paycrypt/primitives).
 *
 * | member                              | key | computation                                         |
 * |-------------------------------------|-----|-----------------------------------------------------|
 * | CardVerificationValue1              | C0  | Visa CVV method over PAN ‖ CardExpiryDate ‖ ServiceCode (iCVV: ServiceCode 999) |
 * | CardVerificationValue2              | C0  | Visa CVV method with service code 000               |
 * | DynamicCardVerificationCode         | E4  | Mastercard CVC3 (Option A ICC key; last n digits)   |
 * | DynamicCardVerificationValue        | E6  | Visa dCVV — jPOS candidate, unverified against AWS  |
 * | AmexCardSecurityCodeVersion1 / 2    | C0  | Amex CSC — ThalesSim candidate, unverified against AWS |
 * | CardHolderVerificationValue         | —   | refused: no public algorithm                        |
 * | DiscoverDynamicCardVerificationCode | —   | refused: no public algorithm (verify only)          |
 *
 * NOTE: Visa CAVV v7 (3-D Secure) and UnionPay AVN reach AWS through CardVerificationValue1 with
 * repurposed fields (AWS's payShield mapping, UnionPay guide): CAVV puts the unpredictable number
 * in CardExpiryDate and the authentication result codes in ServiceCode; AVN puts 4 digits of the
 * dsTransID in CardExpiryDate and result ‖ 0 ‖ generator indicator in ServiceCode. The caller lays
 * the fields out; the service runs the plain CVV method over them, so nothing here is special.
 *
 * NOTE: the Visa CVV method gives 3 or 4 digits here (the 4-digit form is the published CVC
 * example); ValidationDataLength 5 with CardVerificationValue1/2 is a ValidationException (what AWS
 * does with 5 is not published). CVC3 answers the n rightmost of its 5 digits; dCVV and Amex CSC
 * take 3, 4 or 5.
 *
 * NOTE: dCVV and Amex CSC are public *candidate* algorithms (data-plane.md §4, §11), computed by
 * default and refused with a ValidationException when the emulator runs with `strictAlgorithms`.
 *
 * NOTE: an unsupported member (or a candidate one under strictAlgorithms, or a length the
 * algorithm does not give) is refused before the key is looked up.
 */

type Member = keyof CardVerificationAttributes;
type Attrs = Required<CardVerificationAttributes>;

interface MemberSpec<M extends Member> {
  readonly generateRule: KeyRuleName;
  readonly verifyRule: KeyRuleName;
  readonly lengths: readonly number[];
  readonly candidate: boolean;
  compute(ctx: RequestContext, key: OperationKey, pan: string, attrs: Attrs[M], length: number): string;
}

const CVV_LENGTHS = [3, 4] as const;
const ALL_LENGTHS = [3, 4, 5] as const;

function cvk(ctx: RequestContext, key: OperationKey): CardVerificationKey {
  return prepared(ctx, key, 'card-validation:visa-cvv', (clear) => new CardVerificationKey(clear));
}

function tdes(ctx: RequestContext, key: OperationKey): TdesCipher {
  return prepared(ctx, key, 'card-validation:tdes', (clear) => new TdesCipher(clear));
}

/** The candidate CSC layout is defined for 15-digit PANs starting 34 or 37 only. */
function amexPan(pan: string, member: string): string {
  if (!/^3[47][0-9]{13}$/.test(pan)) throw validationError(`${member} needs a 15-digit American Express PrimaryAccountNumber starting 34 or 37`);
  return pan;
}

/** AWS sends 2–4 hex ATC digits; left-padded to 2 bytes (assumption, data-plane.md §4 note 1). */
function atcBytes(atc: string): Uint8Array {
  return hexToBytes(atc.padStart(4, '0'), { field: 'ApplicationTransactionCounter' });
}

const SPECS: { readonly [M in Member]?: MemberSpec<M> } = {
  CardVerificationValue1: {
    generateRule: 'CVV_GENERATE',
    verifyRule: 'CVV_VERIFY',
    lengths: CVV_LENGTHS,
    candidate: false,
    compute: (ctx, key, pan, a, n) => generateCvv(cvk(ctx, key), { pan, expiry: a.CardExpiryDate, serviceCode: a.ServiceCode }, n as 3 | 4),
  },
  CardVerificationValue2: {
    generateRule: 'CVV_GENERATE',
    verifyRule: 'CVV_VERIFY',
    lengths: CVV_LENGTHS,
    candidate: false,
    compute: (ctx, key, pan, a, n) => generateCvv(cvk(ctx, key), { pan, expiry: a.CardExpiryDate, serviceCode: '000' }, n as 3 | 4),
  },
  DynamicCardVerificationCode: {
    generateRule: 'DYNAMIC_CVC3',
    verifyRule: 'DYNAMIC_CVC3',
    lengths: ALL_LENGTHS,
    candidate: false,
    compute: (ctx, key, pan, a, n) => {
      const trackData = hexToBytes(a.TrackData, { field: 'TrackData' });
      const unpredictableNumber = hexToBytes(a.UnpredictableNumber.padStart(8, '0'), { field: 'UnpredictableNumber' });
      const atc = atcBytes(a.ApplicationTransactionCounter);
      const icc = deriveIccMasterKeyOptionA(tdes(ctx, key), pan, a.PanSequenceNumber);
      try {
        return cvc3FromIccKey(icc, { trackData, unpredictableNumber, atc }).slice(-n);
      } finally {
        icc.fill(0);
      }
    },
  },
  DynamicCardVerificationValue: {
    generateRule: 'DYNAMIC_CVV',
    verifyRule: 'DYNAMIC_CVV',
    lengths: ALL_LENGTHS,
    candidate: true,
    compute: (ctx, key, pan, a, n) =>
      generateDcvv(
        tdes(ctx, key),
        { pan, panSequenceNumber: a.PanSequenceNumber },
        { expiry: a.CardExpiryDate, serviceCode: a.ServiceCode, atc: atcBytes(a.ApplicationTransactionCounter) },
        n as 3 | 4 | 5,
      ),
  },
  AmexCardSecurityCodeVersion1: {
    generateRule: 'CSC_GENERATE',
    verifyRule: 'CSC_VERIFY',
    lengths: ALL_LENGTHS,
    candidate: true,
    // the expiry is YYMM for Amex (AWS: "Always use expiration date as YYMM"); used verbatim
    compute: (ctx, key, pan, a, n) => generateAmexCsc(tdes(ctx, key), 1, { pan: amexPan(pan, 'AmexCardSecurityCodeVersion1'), expiry: a.CardExpiryDate }, n as AmexCscLength),
  },
  AmexCardSecurityCodeVersion2: {
    generateRule: 'CSC_GENERATE',
    verifyRule: 'CSC_VERIFY',
    lengths: ALL_LENGTHS,
    candidate: true,
    compute: (ctx, key, pan, a, n) => generateAmexCsc(tdes(ctx, key), 2, { pan: amexPan(pan, 'AmexCardSecurityCodeVersion2'), expiry: a.CardExpiryDate, serviceCode: a.ServiceCode }, n as AmexCscLength),
  },
};

/** Members with no public algorithm: refused by name, never a made-up value. */
const UNPUBLISHED: ReadonlySet<string> = new Set(['CardHolderVerificationValue', 'DiscoverDynamicCardVerificationCode']);

function memberOf(attrs: CardVerificationAttributes): Member {
  // the model validator has checked that exactly one union member is set
  for (const k in attrs) {
    if ((attrs as Record<string, unknown>)[k] !== undefined) return k as Member;
  }
  throw validationError('Exactly one card validation attribute must be set');
}

function specFor(ctx: RequestContext, member: Member, length: number, what: string): MemberSpec<Member> {
  if (UNPUBLISHED.has(member)) {
    throw validationError(`${member} is not supported by this emulator: there is no public algorithm for it`);
  }
  const spec = SPECS[member] as MemberSpec<Member> | undefined;
  if (spec === undefined) throw validationError(`${member} is not supported by this emulator`);
  if (spec.candidate && ctx.services.strictAlgorithms) {
    throw validationError(`${member} is refused (strictAlgorithms): the emulator's algorithm for it is a public candidate not confirmed against AWS`);
  }
  if (!spec.lengths.includes(length)) {
    throw validationError(`${what} ${length} is not supported for ${member}; expected ${spec.lengths.join(', ')}`);
  }
  return spec;
}

const ascii = new TextEncoder();

export const cardValidationOperations: PartialOperationTable<'GenerateCardValidationData' | 'VerifyCardValidationData'> = {
  GenerateCardValidationData: handler(async (input, ctx) => {
    const member = memberOf(input.GenerationAttributes);
    const length = input.ValidationDataLength ?? 3;
    const spec = specFor(ctx, member, length, 'ValidationDataLength');
    const key = await storedKey(ctx, input.KeyIdentifier, spec.generateRule);
    const attrs = (input.GenerationAttributes as Attrs)[member];
    const value = spec.compute(ctx, key, input.PrimaryAccountNumber, attrs, length);
    return { KeyArn: key.arn, KeyCheckValue: key.kcv, ValidationData: value };
  }),
  VerifyCardValidationData: handler(async (input, ctx) => {
    const member = memberOf(input.VerificationAttributes);
    const given = input.ValidationData;
    const spec = specFor(ctx, member, given.length, 'A ValidationData length of');
    const key = await storedKey(ctx, input.KeyIdentifier, spec.verifyRule);
    const attrs = (input.VerificationAttributes as Attrs)[member];
    const expected = spec.compute(ctx, key, input.PrimaryAccountNumber, attrs, given.length);
    if (!constantTimeEqual(ascii.encode(expected), ascii.encode(given))) throw verificationFailedError('INVALID_VALIDATION_DATA');
    return { KeyArn: key.arn, KeyCheckValue: key.kcv };
  }),
};
