import { AS2805_KEK_VALIDATION_VARIANTS, PreparedAs2805KekValidation, bytesToHex, hexToBytes, ownEntry } from '@paycrypt/primitives';
import { validationError } from '../core/errors.js';
import { handler, type PartialOperationTable } from '../core/registry.js';
import { prepared, storedKey } from './operation-key.js';

/**
 * GenerateAs2805KekValidation (reference/data-plane.md §10): AS2805 part 6 KEK validation, with
 * the algorithm and the variant masks of @paycrypt/primitives (as2805/key-variants.ts, from
 * AWS's `as2805_1_5_KEK_Validation.py` sample): KRs random; RandomKeySend = TDES-CBC(KEK ⊕ send
 * mask, IV 0)[KRs]; RandomKeyReceive = TDES-CBC(KEK ⊕ receive mask, IV 0)[¬KRs, odd parity].
 * VARIANT_MASK_82 → 82…/84…; VARIANT_MASK_82C0 → 82C0…/84C0… (NOTE: that layout is not
 * documented; see the primitives table — refused under strictAlgorithms).
 *
 * - `KekValidationRequest`: a fresh KRs; answers both cryptograms (the caller keeps
 *   RandomKeyReceive and sends RandomKeySend to its partner).
 * - `KekValidationResponse`: the partner's RandomKeySend is deciphered and answered with
 *   RandomKeyReceive. NOTE: the output's required RandomKeySend is the input echoed (upper case).
 *
 * The KEK is a stored TR31_K0_KEY_ENCRYPTION_KEY, TDES (KEY_RULES.AS2805_KEK_VALIDATION; the AWS
 * sample uses one TDES_2KEY K0 key with Wrap/Unwrap/Encrypt/Decrypt for both directions).
 * KeyCheckValue is the KEK's.
 *
 * NOTE: KR length — AWS says only "the maximum length of the random key". The emulator makes KRs
 * as long as a `DeriveKeyAlgorithm` key (TDES_2KEY 16 bytes, TDES_3KEY 24), shortened to
 * `RandomKeyMaxLength` when that is smaller; an AES `DeriveKeyAlgorithm` is refused (AS2805
 * cryptography is TDES only).
 */

const DERIVE_KEY_BYTES: Readonly<Record<string, 16 | 24>> = { TDES_2KEY: 16, TDES_3KEY: 24 };
const MAX_LENGTH_BYTES: Readonly<Record<string, 8 | 16 | 24>> = { BYTES_8: 8, BYTES_16: 16, BYTES_24: 24 };

export const as2805Operations: PartialOperationTable<'GenerateAs2805KekValidation'> = {
  GenerateAs2805KekValidation: handler(async (input, ctx) => {
    const key = await storedKey(ctx, input.KeyIdentifier, 'AS2805_KEK_VALIDATION');
    const mask = input.RandomKeySendVariantMask;
    if (ownEntry(AS2805_KEK_VALIDATION_VARIANTS, mask)?.send.published === false && ctx.services.strictAlgorithms) {
      throw validationError(`RandomKeySendVariantMask ${mask} is refused (strictAlgorithms): its layout is not published; the emulator's mask is a choice not confirmed against AWS`);
    }
    const kv = prepared(ctx, key, `as2805-kek-validation:${mask}`, (clear) => new PreparedAs2805KekValidation(clear, mask));
    const type = input.KekValidationType;
    if (type.KekValidationRequest !== undefined) {
      const r = type.KekValidationRequest;
      const derived = ownEntry(DERIVE_KEY_BYTES, r.DeriveKeyAlgorithm);
      if (derived === undefined) {
        throw validationError(`KekValidationRequest.DeriveKeyAlgorithm ${r.DeriveKeyAlgorithm} is not supported for AS2805 KEK validation (TDES_2KEY, TDES_3KEY)`);
      }
      const max = r.RandomKeyMaxLength === undefined ? derived : ownEntry(MAX_LENGTH_BYTES, r.RandomKeyMaxLength) ?? derived;
      const v = kv.request(Math.min(derived, max) as 8 | 16 | 24);
      return { KeyArn: key.arn, KeyCheckValue: key.kcv, RandomKeySend: bytesToHex(v.randomKeySend), RandomKeyReceive: bytesToHex(v.randomKeyReceive) };
    }
    const send = type.KekValidationResponse!.RandomKeySend;
    const receive = kv.response(hexToBytes(send, { field: 'RandomKeySend' }));
    return { KeyArn: key.arn, KeyCheckValue: key.kcv, RandomKeySend: send.toUpperCase(), RandomKeyReceive: bytesToHex(receive) };
  }),
};
