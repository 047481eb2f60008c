import type { RequestContext } from '../core/context.js';
import { validationError } from '../core/errors.js';
import type { DukptDerivationAttributes, TranslatePinDataInput, TranslatePinDataOutput, TranslationIsoFormats, WrappedKey } from '../model/data-plane.types.generated.js';
import { as2805PinCipher } from './pin-as2805.js';
import { decryptPin, dukptPinCipher, encryptPin, PIN_FORMATS, pekCipher, type AwsPinFormat, type PinCipher } from './pin-codec.js';

/**
 * TranslatePinData (data-plane.md §5): decrypt the incoming block (PEK, dynamic PEK, or DUKPT PIN
 * key of a BDK and KSN), re-encode the PIN in the outgoing format and encrypt it under the
 * outgoing key (same choices). The PIN never leaves this function.
 *
 * NOTE (ISO 9564 format 4 PAN field): the API reference says TranslatePinData "supports ISO PIN
 * block 4 translation for PIN block built using legacy PAN length. That is, PAN is the right most
 * 12 digits excluding the check digits." The emulator follows that text for both the incoming and
 * the outgoing ISO 4 block (PAN field M = 0 ‖ those 12 digits), although GeneratePinData and
 * VerifyPinData build ISO 4 with the full PAN (ISO 9564-1:2017; the AWS sample's choice).
 * NOTE: a PAN-bound incoming format (ISO 0, 3, 4) cannot go to ISO 1 — the API reference: "PIN block
 * format that requires PAN (example, formats 0,3,4) cannot be translated to a format (format 1)
 * that does not require a PAN" — a ValidationException, checked before anything is decrypted.
 * NOTE: `IncomingAs2805Attributes` (per-transaction KPE from STAN and amount) follows the
 * candidate derivation of AWS's AS2805 sample (pin-as2805.ts; unconfirmed against AWS), with any
 * incoming ISO format, and not with IncomingDukptAttributes. The `As2805Format0` PIN block format is
 * not emulated: its layout is not published (data-plane.md §11).
 */
interface Side {
  format: AwsPinFormat;
  pan: string | undefined;
}

const FORMAT_OF: Readonly<Record<'IsoFormat0' | 'IsoFormat1' | 'IsoFormat3' | 'IsoFormat4', AwsPinFormat>> = {
  IsoFormat0: 'ISO_FORMAT_0',
  IsoFormat1: 'ISO_FORMAT_1',
  IsoFormat3: 'ISO_FORMAT_3',
  IsoFormat4: 'ISO_FORMAT_4',
};

const AS2805_REFUSAL = 'As2805Format0 PIN blocks are not emulated: the AS2805 PIN block format 0 layout is not published';

function side(attrs: TranslationIsoFormats, member: string): Side {
  if (attrs.As2805Format0 !== undefined) throw validationError(`${member}: ${AS2805_REFUSAL}`);
  for (const [name, format] of Object.entries(FORMAT_OF) as [keyof typeof FORMAT_OF, AwsPinFormat][]) {
    const v = attrs[name];
    if (v !== undefined) return { format, pan: 'PrimaryAccountNumber' in v ? v.PrimaryAccountNumber : undefined };
  }
  throw validationError(`${member}: exactly one member must be set`);
}

function keyFor(ctx: RequestContext, identifier: string, dukpt: DukptDerivationAttributes | undefined, wrapped: WrappedKey | undefined, decrypt: boolean, member: string): Promise<PinCipher> {
  if (dukpt !== undefined) return dukptPinCipher(ctx, identifier, { KeySerialNumber: dukpt.KeySerialNumber, DerivationType: dukpt.DukptKeyDerivationType }, wrapped, member);
  return pekCipher(ctx, identifier, decrypt ? 'PEK_DECRYPT' : 'PEK_ENCRYPT', wrapped, member);
}

export async function translatePinData(input: TranslatePinDataInput, ctx: RequestContext): Promise<TranslatePinDataOutput> {
  if (input.IncomingAs2805Attributes !== undefined && input.IncomingDukptAttributes !== undefined) {
    throw validationError('IncomingAs2805Attributes and IncomingDukptAttributes cannot be used together');
  }
  const inc = side(input.IncomingTranslationAttributes, 'IncomingTranslationAttributes');
  const out = side(input.OutgoingTranslationAttributes, 'OutgoingTranslationAttributes');
  if (PIN_FORMATS[inc.format].usesPan && !PIN_FORMATS[out.format].usesPan) {
    throw validationError(`A PIN block of format ${inc.format} (bound to a PAN) cannot be translated to ${out.format}, which has no PAN`);
  }
  const inKey =
    input.IncomingAs2805Attributes !== undefined
      ? await as2805PinCipher(ctx, input.IncomingKeyIdentifier, input.IncomingAs2805Attributes, input.IncomingWrappedKey, 'IncomingKeyIdentifier')
      : await keyFor(ctx, input.IncomingKeyIdentifier, input.IncomingDukptAttributes, input.IncomingWrappedKey, true, 'IncomingKeyIdentifier');
  const outKey = await keyFor(ctx, input.OutgoingKeyIdentifier, input.OutgoingDukptAttributes, input.OutgoingWrappedKey, false, 'OutgoingKeyIdentifier');
  const pin = decryptPin(inKey, inc.format, input.EncryptedPinBlock, inc.pan, 'legacy', 'IncomingKeyIdentifier');
  const block = encryptPin(outKey, out.format, pin, out.pan, 'legacy', 'OutgoingKeyIdentifier');
  return { PinBlock: block, KeyArn: outKey.key.arn, KeyCheckValue: outKey.key.kcv };
}
