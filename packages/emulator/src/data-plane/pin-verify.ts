import { asciiToBytes, constantTimeEqual, generateVisaPvv, ibm3624PinFromOffset } from '@paycrypt/primitives';
import type { RequestContext } from '../core/context.js';
import { validationError, verificationFailedError } from '../core/errors.js';
import type { VerifyPinDataInput, VerifyPinDataOutput } from '../model/data-plane.types.generated.js';
import { storedKey } from './operation-key.js';
import { decryptPin, dukptPinCipher, panFor, pekCipher, pvkCipher, type PinCipher } from './pin-codec.js';

/**
 * VerifyPinData (data-plane.md §5): the PIN block (under a PEK, or under the DUKPT PIN key of a
 * BDK and KSN when `DukptAttributes` is given) is decrypted and checked against a Visa PVV or an
 * IBM 3624 offset. A block that does not decode is a ValidationException with AWS's text; a PIN
 * that does not match is VerificationFailedException INVALID_PIN. Comparisons are constant-time.
 *
 * NOTE: AWS answers 500 for DukptAttributes with VisaPin (a live quirk, data-plane.md §5); the
 * emulator verifies it.
 * NOTE: a Visa `VerificationValue` (4-12 digits in the model) other than 4 digits is a
 * ValidationException (a PVV is 4 digits), not a verification failure.
 * NOTE: ISO 9564 format 4 blocks use the full-PAN field (ISO 9564-1:2017, as the AWS Java sample
 * that calls VerifyPinData builds them).
 */
function same(a: string, b: string): boolean {
  return a.length === b.length && constantTimeEqual(asciiToBytes(a), asciiToBytes(b));
}

/**
 * IBM 3624 with `PinDataLength` (user guide, verify-pin-data IBM 3624 example): without it the whole
 * PIN the offset protects is checked (PIN length = offset length); with it, only the rightmost
 * `PinDataLength` digits of the PIN and of the PIN the offset gives.
 */
function ibm3624Matches(pin: string, expected: string, pinDataLength: number | undefined): boolean {
  const n = pinDataLength ?? expected.length;
  if (n > expected.length || n > pin.length) return false;
  if (pinDataLength === undefined && pin.length !== expected.length) return false;
  return same(pin.slice(-n), expected.slice(-n));
}

export async function verifyPinData(input: VerifyPinDataInput, ctx: RequestContext): Promise<VerifyPinDataOutput> {
  const attrs = input.VerificationAttributes;
  const visa = attrs.VisaPin;
  const ibm = attrs.Ibm3624Pin;
  if ((visa === undefined) === (ibm === undefined)) throw validationError('VerificationAttributes: exactly one member must be set');
  if (visa !== undefined && input.PrimaryAccountNumber === undefined) throw validationError('PrimaryAccountNumber is required for the Visa PIN (PVV) algorithm');
  if (visa !== undefined && visa.VerificationValue.length !== 4) throw validationError('VerificationValue: a Visa PVV is 4 digits');
  const pvk = await storedKey(ctx, input.VerificationKeyIdentifier, visa !== undefined ? 'PVK_VISA_VERIFY' : 'PVK_IBM3624_VERIFY', 'VerificationKeyIdentifier');
  const member = 'EncryptionKeyIdentifier';
  const pc: PinCipher =
    input.DukptAttributes === undefined
      ? await pekCipher(ctx, input.EncryptionKeyIdentifier, 'PEK_DECRYPT', input.EncryptionWrappedKey, member)
      : await dukptPinCipher(
          ctx,
          input.EncryptionKeyIdentifier,
          { KeySerialNumber: input.DukptAttributes.KeySerialNumber, DerivationType: input.DukptAttributes.DukptDerivationType },
          input.EncryptionWrappedKey,
          member,
        );
  const format = input.PinBlockFormat;
  const pan = panFor(format, input.PrimaryAccountNumber);
  const pvkc = pvkCipher(ctx, pvk);
  const pin = decryptPin(pc, format, input.EncryptedPinBlock, pan, 'full', member);

  let ok: boolean;
  if (visa !== undefined) {
    const pvv = generateVisaPvv(pvkc, { pan: input.PrimaryAccountNumber!, pin, pvki: visa.PinVerificationKeyIndex });
    ok = same(pvv, visa.VerificationValue);
  } else {
    const a = ibm!;
    const expected = ibm3624PinFromOffset(pvkc, {
      decimalizationTable: a.DecimalizationTable,
      padCharacter: a.PinValidationDataPadCharacter,
      validationData: a.PinValidationData,
      offset: a.PinOffset,
    });
    ok = ibm3624Matches(pin, expected, input.PinDataLength);
  }
  if (!ok) throw verificationFailedError('INVALID_PIN');
  return {
    VerificationKeyArn: pvk.arn,
    VerificationKeyCheckValue: pvk.kcv,
    EncryptionKeyArn: pc.key.arn,
    EncryptionKeyCheckValue: pc.key.kcv,
  };
}
