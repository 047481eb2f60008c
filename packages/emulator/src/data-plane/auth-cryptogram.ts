import { EMV_SCHEMES, bytesToHex, type ArpcRequest, type ArqcInput, type EmvSchemeName } from '@paycrypt/primitives';
import type { RequestContext } from '../core/context.js';
import { validationError, verificationFailedError } from '../core/errors.js';
import { handler, type PartialOperationTable } from '../core/registry.js';
import type { CryptogramAuthResponse, SessionKeyDerivation } from '../model/data-plane.types.generated.js';
import { emvCard, hexMember, issuerMasterKey, optionalHex, unionMember } from './emv-inputs.js';
import { storedKey } from './operation-key.js';

/**
 * VerifyAuthRequestCryptogram / GenerateAuthRequestCryptogram (reference/data-plane.md §8):
 *
 *   IMK-AC (E0) --MajorKeyDerivationMode (PAN, PSN)--> ICC MK --SessionKeyDerivationAttributes--> AC key
 *   ARQC = ISO/IEC 9797-1 alg 3 MAC of TransactionData exactly as sent (no padding added)
 *   ARPC (AuthResponseAttributes) under the scheme's ARPC key, only after a successful verify
 *
 * Which key each `SessionKeyDerivationAttributes` member derives is the engine's scheme table
 * (EMV_SCHEMES, @paycrypt/primitives emv/schemes.ts); the member names are its scheme names.
 */

/** AWS `SessionKeyDerivation` member → engine scheme (same names; the table keeps the link explicit). */
const SESSION_KEY_SCHEMES: Readonly<Record<keyof SessionKeyDerivation, EmvSchemeName>> = {
  EmvCommon: 'EmvCommon',
  Mastercard: 'Mastercard',
  Emv2000: 'Emv2000',
  Amex: 'Amex',
  Visa: 'Visa',
  UnionPay: 'UnionPay',
};

interface SessionKeyMemberValue {
  PrimaryAccountNumber: string;
  PanSequenceNumber: string;
  ApplicationTransactionCounter?: string;
  UnpredictableNumber?: string;
}

function arqcInput(mode: 'EMV_OPTION_A' | 'EMV_OPTION_B', attrs: SessionKeyDerivation, transactionData: string): ArqcInput {
  const { member, value } = unionMember(attrs, 'SessionKeyDerivationAttributes');
  const path = `SessionKeyDerivationAttributes.${member}`;
  const scheme = SESSION_KEY_SCHEMES[member];
  if (!EMV_SCHEMES[scheme].published) {
    // NOTE: AWS documents UnionPay only as a "UnionPay-specific scheme"; the algorithm is not public.
    throw validationError(`${path}: the ${member} session key derivation is not published; this emulator does not implement it`);
  }
  const v = value as SessionKeyMemberValue;
  // NOTE: AWS tells callers to pad TransactionData themselves (ISO 9797-1 method 1 or 2) and MACs
  // it as sent; what it does with data that is not block-aligned is unknown. The emulator refuses it.
  if (transactionData.length % 16 !== 0) {
    throw validationError(
      `TransactionData must be a whole number of 8-byte blocks (a multiple of 16 hex characters), got ${transactionData.length} hex characters; pad it (ISO/IEC 9797-1 method 1 or 2) before sending`,
    );
  }
  return {
    scheme,
    ...emvCard(mode, v.PrimaryAccountNumber, v.PanSequenceNumber, path),
    atc: optionalHex(v.ApplicationTransactionCounter, `${path}.ApplicationTransactionCounter`),
    unpredictableNumber: optionalHex(v.UnpredictableNumber, `${path}.UnpredictableNumber`),
    transactionData: hexMember(transactionData, 'TransactionData'),
  };
}

function arpcRequest(attrs: CryptogramAuthResponse | undefined): ArpcRequest | undefined {
  if (attrs === undefined) return undefined;
  const { member } = unionMember(attrs, 'AuthResponseAttributes');
  if (member === 'ArpcMethod1') {
    return { method: 1, authResponseCode: hexMember(attrs.ArpcMethod1!.AuthResponseCode, 'AuthResponseAttributes.ArpcMethod1.AuthResponseCode') };
  }
  const m2 = attrs.ArpcMethod2!;
  return {
    method: 2,
    cardStatusUpdate: hexMember(m2.CardStatusUpdate, 'AuthResponseAttributes.ArpcMethod2.CardStatusUpdate'),
    proprietaryAuthenticationData: optionalHex(m2.ProprietaryAuthenticationData, 'AuthResponseAttributes.ArpcMethod2.ProprietaryAuthenticationData'),
  };
}

async function acKey(ctx: RequestContext, identifier: string) {
  const key = await storedKey(ctx, identifier, 'EMV_AC');
  return { key, imk: issuerMasterKey(ctx, key) };
}

export const authCryptogramOperations: PartialOperationTable<'VerifyAuthRequestCryptogram' | 'GenerateAuthRequestCryptogram'> = {
  VerifyAuthRequestCryptogram: handler(async (input, ctx) => {
    const { key, imk } = await acKey(ctx, input.KeyIdentifier);
    const arqcIn = arqcInput(input.MajorKeyDerivationMode, input.SessionKeyDerivationAttributes, input.TransactionData);
    const request = arpcRequest(input.AuthResponseAttributes);
    const arqc = hexMember(input.AuthRequestCryptogram, 'AuthRequestCryptogram');
    // NOTE: ARPC keys per scheme follow the engine table: EmvCommon and Emv2000 (assumption) the AC
    // session key; Visa, Amex and Mastercard (M/Chip CVN16/17) the ICC master key.
    const { verified, arpc } = imk.verifyArqcAndRespond(arqcIn, arqc, request);
    if (!verified) throw verificationFailedError('INVALID_AUTH_REQUEST_CRYPTOGRAM');
    return { KeyArn: key.arn, KeyCheckValue: key.kcv, ...(arpc === undefined ? {} : { AuthResponseValue: bytesToHex(arpc) }) };
  }),
  GenerateAuthRequestCryptogram: handler(async (input, ctx) => {
    const { key, imk } = await acKey(ctx, input.KeyIdentifier);
    const arqc = imk.generateArqc(arqcInput(input.MajorKeyDerivationMode, input.SessionKeyDerivationAttributes, input.TransactionData));
    return { KeyArn: key.arn, KeyCheckValue: key.kcv, AuthRequestCryptogram: bytesToHex(arqc) };
  }),
};
