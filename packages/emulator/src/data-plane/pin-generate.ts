import { generateVisaPvv, ibm3624NaturalPin, ibm3624Offset, ibm3624PinFromOffset, type Ibm3624Data } from '@paycrypt/primitives';
import type { RequestContext } from '../core/context.js';
import { validationError } from '../core/errors.js';
import type { GeneratePinDataInput, GeneratePinDataOutput, PinData } from '../model/data-plane.types.generated.js';
import { storedKey } from './operation-key.js';
import { decryptPin, encryptPin, panFor, pekCipher, pvkCipher, randomPin } from './pin-codec.js';

/**
 * GeneratePinData (data-plane.md §5): one function per `GenerationAttributes` member, each
 * answering the PIN it produced encrypted under the PEK plus the `PinData` union.
 *
 * NOTE: the ISO 9564 format 4 PAN field is built from the full PAN (ISO 9564-1:2017, as the AWS
 * Java sample does for the blocks it verifies); TranslatePinData uses the documented legacy rule.
 * NOTE: for the members that take an `EncryptedPinBlock` (VisaPinVerificationValue,
 * Ibm3624PinOffset) the answer's EncryptedPinBlock is the block received (re-encrypting would
 * only change the random fill); Ibm3624NaturalPin answers PinOffset = all zeros (the natural PIN's
 * offset); Ibm3624PinFromOffset's PIN length is the offset's (PinDataLength is not used).
 */
type Member = keyof GeneratePinDataInput['GenerationAttributes'];

const VISA_MEMBERS: ReadonlySet<string> = new Set(['VisaPin', 'VisaPinVerificationValue']);

function ibmData(a: { DecimalizationTable: string; PinValidationDataPadCharacter: string; PinValidationData: string }): Ibm3624Data {
  return { decimalizationTable: a.DecimalizationTable, padCharacter: a.PinValidationDataPadCharacter, validationData: a.PinValidationData };
}

function visaPan(pan: string | undefined): string {
  if (pan === undefined) throw validationError('PrimaryAccountNumber is required for the Visa PIN (PVV) algorithm');
  return pan;
}

export async function generatePinData(input: GeneratePinDataInput, ctx: RequestContext): Promise<GeneratePinDataOutput> {
  const attrs = input.GenerationAttributes;
  const member = (Object.keys(attrs) as Member[]).find((k) => attrs[k] !== undefined);
  if (member === undefined) throw validationError('GenerationAttributes: exactly one member must be set');
  const visa = VISA_MEMBERS.has(member);
  const pvk = await storedKey(ctx, input.GenerationKeyIdentifier, visa ? 'PVK_VISA_GENERATE' : 'PVK_IBM3624_GENERATE', 'GenerationKeyIdentifier');
  const pc = await pekCipher(ctx, input.EncryptionKeyIdentifier, 'PEK_ENCRYPT', input.EncryptionWrappedKey, 'EncryptionKeyIdentifier');
  const format = input.PinBlockFormat;
  const pan = panFor(format, input.PrimaryAccountNumber);
  const pvkc = pvkCipher(ctx, pvk);
  const length = input.PinDataLength ?? 4;
  const enc = (pin: string) => encryptPin(pc, format, pin, pan, 'full', 'EncryptionKeyIdentifier');
  const dec = (block: string) => decryptPin(pc, format, block, pan, 'full', 'EncryptionKeyIdentifier');

  let block: string;
  let pinData: PinData;
  switch (member) {
    case 'VisaPin': {
      const pin = randomPin(length);
      const pvv = generateVisaPvv(pvkc, { pan: visaPan(input.PrimaryAccountNumber), pin, pvki: attrs.VisaPin!.PinVerificationKeyIndex });
      block = enc(pin);
      pinData = { VerificationValue: pvv };
      break;
    }
    case 'VisaPinVerificationValue': {
      const a = attrs.VisaPinVerificationValue!;
      const visaAccount = visaPan(input.PrimaryAccountNumber);
      const pin = dec(a.EncryptedPinBlock);
      pinData = { VerificationValue: generateVisaPvv(pvkc, { pan: visaAccount, pin, pvki: a.PinVerificationKeyIndex }) };
      block = a.EncryptedPinBlock.toUpperCase();
      break;
    }
    case 'Ibm3624PinOffset': {
      const a = attrs.Ibm3624PinOffset!;
      const pin = dec(a.EncryptedPinBlock);
      pinData = { PinOffset: ibm3624Offset(pvkc, { ...ibmData(a), pin }) };
      block = a.EncryptedPinBlock.toUpperCase();
      break;
    }
    case 'Ibm3624NaturalPin': {
      const pin = ibm3624NaturalPin(pvkc, ibmData(attrs.Ibm3624NaturalPin!), length);
      block = enc(pin);
      pinData = { PinOffset: '0'.repeat(length) };
      break;
    }
    case 'Ibm3624RandomPin': {
      const a = attrs.Ibm3624RandomPin!;
      const pin = randomPin(length);
      pinData = { PinOffset: ibm3624Offset(pvkc, { ...ibmData(a), pin }) };
      block = enc(pin);
      break;
    }
    case 'Ibm3624PinFromOffset': {
      const a = attrs.Ibm3624PinFromOffset!;
      const pin = ibm3624PinFromOffset(pvkc, { ...ibmData(a), offset: a.PinOffset });
      block = enc(pin);
      pinData = { PinOffset: a.PinOffset };
      break;
    }
    default:
      throw validationError(`GenerationAttributes: member ${String(member)} is not supported by this emulator`);
  }
  return {
    GenerationKeyArn: pvk.arn,
    GenerationKeyCheckValue: pvk.kcv,
    EncryptionKeyArn: pc.key.arn,
    EncryptionKeyCheckValue: pc.key.kcv,
    EncryptedPinBlock: block,
    PinData: pinData,
  };
}
