import {
  TdesCipher,
  bytesToHex,
  decodePinBlock,
  generateEmvPinChange,
  type EmvSchemeName,
  type EmvSessionInputs,
  type SmEncryptionLayout,
} from '@paycrypt/primitives';
import type { RequestContext } from '../core/context.js';
import { validationError } from '../core/errors.js';
import { handler, type PartialOperationTable } from '../core/registry.js';
import type { DerivationMethodAttributes, EmvCommonAttributes, GenerateMacEmvPinChangeOutput } from '../model/data-plane.types.generated.js';
import { emvCard, hexMember, issuerMasterKey, unionMember } from './emv-inputs.js';
import { prepared, storedKey, type OperationKey } from './operation-key.js';

/**
 * GenerateMacEmvPinChange (reference/data-plane.md §9): the new PIN, decrypted under the PEK, is
 * put in the card's target block (ISO 9564 format 2; the Visa VIS block for Visa and Amex, which
 * need the IMK-AC), encrypted under the SMC session key, and MACed with MessageData under the SMI
 * session key (alg 3, padding 2: MAC over MessageData ‖ encrypted block). The per-scheme facts
 * (session keys, target block, encryption layout) are the engine's table (EMV_SCHEMES).
 *
 * | member     | session keys from        | target block            | encryption                         |
 * |------------|--------------------------|-------------------------|------------------------------------|
 * | EmvCommon  | ApplicationCryptogram    | ISO 2                   | the caller's Mode / padding / length |
 * | Mastercard | ApplicationCryptogram    | ISO 2                   | CBC IV 0, padding only if unaligned |
 * | Visa, Amex | ATC (Visa SM key)        | VIS [⊕ current PIN]     | length ‖ block, padding 2, ECB      |
 * | Emv2000    | ATC (EMV2000 tree)       | ISO 2                   | CBC IV 0, padding 2 (assumption)    |
 *
 * NOTE: the model calls `EncryptedPinBlock` "the incoming new encrypted PIN block"; the AWS
 * example's output differs from its input, so the emulator answers the SMC-encrypted target
 * block sent to the card (assumption). `Mac` is the full 8-byte MAC (16 hex characters).
 * NOTE: `CurrentEncryptedPinBlock` is read in the request's `PinBlockFormat` (the model has one
 * format member) with the same PAN.
 */

type Member = keyof DerivationMethodAttributes;

/** AWS `DerivationMethodAttributes` member → engine scheme. */
const DERIVATION_SCHEMES: Readonly<Record<Member, EmvSchemeName>> = {
  EmvCommon: 'EmvCommon',
  Mastercard: 'Mastercard',
  Visa: 'Visa',
  Amex: 'Amex',
  Emv2000: 'Emv2000',
};

const PIN_BLOCK_FORMATS = { ISO_FORMAT_0: 'ISO_0', ISO_FORMAT_1: 'ISO_1', ISO_FORMAT_3: 'ISO_3' } as const;

const INVALID_PIN_BLOCK = 'Pin block provided is invalid. Please check your input to ensure all field values are correct.';

interface MemberValue {
  MajorKeyDerivationMode: 'EMV_OPTION_A' | 'EMV_OPTION_B';
  PrimaryAccountNumber: string;
  PanSequenceNumber: string;
  ApplicationCryptogram?: string;
  ApplicationTransactionCounter?: string;
  AuthorizationRequestKeyIdentifier?: string;
  CurrentPinAttributes?: { CurrentPinPekIdentifier: string; CurrentEncryptedPinBlock: string };
}

/** EmvCommon's layout attributes as an engine layout. */
function emvCommonLayout(a: EmvCommonAttributes): SmEncryptionLayout {
  const lengthPrefix = a.PinBlockLengthPosition === 'FRONT_OF_PIN_BLOCK';
  const padded = a.PinBlockPaddingType === 'ISO_IEC_7816_4';
  if (lengthPrefix && !padded) {
    // a length byte before an 8-byte block leaves 9 bytes: only ISO/IEC 7816-4 padding realigns it
    throw validationError('DerivationMethodAttributes.EmvCommon: PinBlockLengthPosition FRONT_OF_PIN_BLOCK requires PinBlockPaddingType ISO_IEC_7816_4');
  }
  return { mode: a.Mode, lengthPrefix, padding: padded ? 'ALWAYS' : 'NONE' };
}

function sessionInputs(v: MemberValue, path: string): EmvSessionInputs {
  return {
    ...(v.ApplicationCryptogram === undefined ? {} : { applicationCryptogram: hexMember(v.ApplicationCryptogram, `${path}.ApplicationCryptogram`) }),
    ...(v.ApplicationTransactionCounter === undefined ? {} : { atc: hexMember(v.ApplicationTransactionCounter, `${path}.ApplicationTransactionCounter`) }),
  };
}

/** The PIN of an ISO 0/1/3 block encrypted under a TDES PEK; anything that does not decode is one opaque error. */
function decryptPin(ctx: RequestContext, pek: OperationKey, member: string, encrypted: string, format: keyof typeof PIN_BLOCK_FORMATS, pan: string): string {
  if (pek.keyAlgorithm !== 'TDES_2KEY' && pek.keyAlgorithm !== 'TDES_3KEY') {
    throw validationError(`${member}: ${format} PIN blocks are 8-byte TDES blocks; ${pek.arn} is ${pek.keyAlgorithm}`);
  }
  const cipher = prepared(ctx, pek, 'emv-pin-change:pek-tdes', (clear) => new TdesCipher(clear));
  const block = hexMember(encrypted, member);
  cipher.decryptBlockInto(block, 0, block, 0);
  try {
    return decodePinBlock(PIN_BLOCK_FORMATS[format], block, pan);
  } catch {
    throw validationError(INVALID_PIN_BLOCK);
  } finally {
    block.fill(0);
  }
}

export const pinChangeOperations: PartialOperationTable<'GenerateMacEmvPinChange'> = {
  GenerateMacEmvPinChange: handler(async (input, ctx) => {
    const { member, value } = unionMember(input.DerivationMethodAttributes, 'DerivationMethodAttributes');
    const path = `DerivationMethodAttributes.${member}`;
    const scheme = DERIVATION_SCHEMES[member];
    const v = value as MemberValue;
    const card = emvCard(v.MajorKeyDerivationMode, v.PrimaryAccountNumber, v.PanSequenceNumber, path);
    const inputs = sessionInputs(v, path);
    const layout = member === 'EmvCommon' ? emvCommonLayout(value as EmvCommonAttributes) : undefined;
    const messageData = hexMember(input.MessageData, 'MessageData');

    const pek = await storedKey(ctx, input.NewPinPekIdentifier, 'PEK_DECRYPT', 'NewPinPekIdentifier');
    const smi = await storedKey(ctx, input.SecureMessagingIntegrityKeyIdentifier, 'EMV_SMI', 'SecureMessagingIntegrityKeyIdentifier');
    const smc = await storedKey(ctx, input.SecureMessagingConfidentialityKeyIdentifier, 'EMV_SMC', 'SecureMessagingConfidentialityKeyIdentifier');
    const ac =
      v.AuthorizationRequestKeyIdentifier === undefined
        ? undefined
        : await storedKey(ctx, v.AuthorizationRequestKeyIdentifier, 'EMV_AC', `${path}.AuthorizationRequestKeyIdentifier`);
    const current = v.CurrentPinAttributes;
    const currentPek =
      current === undefined ? undefined : await storedKey(ctx, current.CurrentPinPekIdentifier, 'PEK_DECRYPT', `${path}.CurrentPinAttributes.CurrentPinPekIdentifier`);

    const newPin = decryptPin(ctx, pek, 'NewEncryptedPinBlock', input.NewEncryptedPinBlock, input.PinBlockFormat, card.pan);
    const currentPin =
      current === undefined || currentPek === undefined
        ? undefined
        : decryptPin(ctx, currentPek, `${path}.CurrentPinAttributes.CurrentEncryptedPinBlock`, current.CurrentEncryptedPinBlock, input.PinBlockFormat, card.pan);

    const script = generateEmvPinChange({
      scheme,
      ...card,
      ...inputs,
      imkSmi: issuerMasterKey(ctx, smi),
      imkSmc: issuerMasterKey(ctx, smc),
      ...(ac === undefined ? {} : { imkAc: issuerMasterKey(ctx, ac) }),
      newPin,
      ...(currentPin === undefined ? {} : { currentPin }),
      messageData,
      ...(layout === undefined ? {} : { layout }),
    });
    const out: GenerateMacEmvPinChangeOutput = {
      NewPinPekArn: pek.arn,
      NewPinPekKeyCheckValue: pek.kcv,
      SecureMessagingIntegrityKeyArn: smi.arn,
      SecureMessagingIntegrityKeyCheckValue: smi.kcv,
      SecureMessagingConfidentialityKeyArn: smc.arn,
      SecureMessagingConfidentialityKeyCheckValue: smc.kcv,
      Mac: bytesToHex(script.mac),
      EncryptedPinBlock: bytesToHex(script.encryptedPinBlock),
    };
    if (ac !== undefined) {
      out.VisaAmexDerivationOutputs = {
        AuthorizationRequestKeyArn: ac.arn,
        AuthorizationRequestKeyCheckValue: ac.kcv,
        ...(currentPek === undefined ? {} : { CurrentPinPekArn: currentPek.arn, CurrentPinPekKeyCheckValue: currentPek.kcv }),
      };
    }
    script.encryptedPinBlock.fill(0);
    return out;
  }),
};
