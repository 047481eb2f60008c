import { TdesCipher, as2805DerivePek } from '@paycrypt/primitives';
import type { RequestContext } from '../core/context.js';
import { validationError } from '../core/errors.js';
import type { As2805PekDerivationAttributes, WrappedKey } from '../model/data-plane.types.generated.js';
import { operationKey, prepared } from './operation-key.js';
import type { PinCipher } from './pin-codec.js';

/**
 * TranslatePinData `IncomingAs2805Attributes` {SystemTraceAuditNumber, TransactionAmount}: the
 * incoming PIN block is enciphered under a per-transaction KPE derived from the incoming PEK (the
 * KPP) — KPE = OWF(KPP, STAN ‖ amount), @paycrypt/primitives as2805/pek-derivation.ts.
 *
 * NOTE: CANDIDATE algorithm — the one of AWS's sample `as2805_3_1_pin_translation.py`, which sends
 * an IsoFormat0 block with IncomingAs2805Attributes; AWS's agreement is unconfirmed (the sample
 * only prints a mismatch). The KPP is a stored or dynamic TR31_P0 TDES key allowing decryption
 * (KEY_RULES.PEK_DECRYPT; an AES PEK is refused: AS2805 is TDES only); the KPE is a TDES_2KEY key.
 * The KPP's key schedule is cached (prepared()); the KPE is derived per call and not kept.
 * Refused with a ValidationException under strictAlgorithms.
 */
export async function as2805PinCipher(ctx: RequestContext, identifier: string, attrs: As2805PekDerivationAttributes, wrapped: WrappedKey | undefined, member: string): Promise<PinCipher> {
  if (ctx.services.strictAlgorithms) {
    throw validationError('IncomingAs2805Attributes is refused (strictAlgorithms): the emulator\'s AS2805 KPE derivation is a public candidate not confirmed against AWS');
  }
  const key = await operationKey(ctx, identifier, 'PEK_DECRYPT', wrapped, member);
  if (!key.keyAlgorithm.startsWith('TDES')) {
    throw validationError(`${member}: IncomingAs2805Attributes needs a TDES PIN key; ${key.arn} is ${key.keyAlgorithm}`);
  }
  const kpp = prepared(ctx, key, 'pin:as2805-kpp', (clear) => new TdesCipher(clear));
  const kpe = as2805DerivePek(kpp, attrs.SystemTraceAuditNumber, attrs.TransactionAmount);
  try {
    return { key, cipher: new TdesCipher(kpe), family: 'TDES' };
  } finally {
    kpe.fill(0);
  }
}
