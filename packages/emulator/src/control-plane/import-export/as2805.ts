import type { ImportKeyInput, ImportKeyOutput, KeyModesOfUse, WrappedKey } from '@aws-sdk/client-payment-cryptography';
import { AS2805_KEY_VARIANTS, as2805UnwrapKey, as2805WrapKey, bytesToHex, hexToBytes, ownEntry } from '@paycrypt/primitives';
import type { RequestContext } from '../../core/context.js';
import { validationError } from '../../core/errors.js';
import { requireWrappingStrength } from '../../exchange/strength.js';
import { KEY_ALGORITHMS } from '../../keys/key-algorithms.js';
import { keyMaterial, requireUsable, resolveKey } from '../../keys/key-access.js';
import { checkCreateKeyAttributes } from '../../keys/key-attributes.js';
import { keyView } from '../../keys/key-view.js';
import type { KeyRecord } from '../../state/records.js';
import { createImportedKey } from './imported-key.js';
import type { ExportPayload } from './types.js';

/**
 * ImportKey / ExportKey with `As2805KeyCryptogram` (AS2805 part 6 node-to-node key exchange):
 * a TDES key enciphered with TDES-CBC, zero IV, under `KEK ⊕ variant mask` of its
 * `As2805KeyVariant` — masks, layout and sources in @paycrypt/primitives
 * (as2805/key-variants.ts; AWS's as2805_2_1_Working_Key_Exchange.py sample). The KEK is a
 * stored TR31_K0_KEY_ENCRYPTION_KEY, TDES_2KEY or TDES_3KEY.
 *
 * The variant names the key's type, and the AWS user guide ("AS2805", advanced.regional.as2805)
 * maps each to one key usage: TERMINAL_MAJOR_KEY_VARIANT_00 ↔ K0, PIN_ENCRYPTION_KEY_VARIANT_28
 * ↔ P0, MESSAGE_AUTHENTICATION_KEY_VARIANT_24 ↔ M0, DATA_ENCRYPTION_KEY_VARIANT_22 ↔ D0. An import
 * takes its KeyUsage from the variant; an export refuses a key whose usage is not the variant's.
 *
 * NOTE: there is no KCV in the request: the imported key's KeyCheckValue is answered for the
 * caller to compare with the sender's (as the AWS sample does); a wrong KEK or variant gives a
 * different key, not an error. The cryptogram's key parity is not checked.
 */

/** The newest model's shapes (the SDK 3.882 types lack them). */
export interface ImportAs2805KeyCryptogram {
  As2805KeyVariant?: string;
  KeyModesOfUse?: KeyModesOfUse;
  KeyAlgorithm?: string;
  Exportable?: boolean;
  WrappingKeyIdentifier?: string;
  WrappedKeyCryptogram?: string;
}
export interface ExportAs2805KeyCryptogram {
  WrappingKeyIdentifier?: string;
  As2805KeyVariant?: string;
}

/** AS2805 cryptography is TDES only (user guide: "All cryptography in this standard is currently based on TDES"). */
const AS2805_KEY_ALGORITHMS: readonly string[] = ['TDES_2KEY', 'TDES_3KEY'];

/**
 * The variant's facts. NOTE: a variant whose mask layout no source publishes
 * (TERMINAL_MAJOR_KEY_VARIANT_00) is refused under strictAlgorithms.
 */
function variantFacts(ctx: RequestContext, variant: string | undefined): (typeof AS2805_KEY_VARIANTS)[keyof typeof AS2805_KEY_VARIANTS] {
  const facts = ownEntry(AS2805_KEY_VARIANTS, variant);
  if (facts === undefined) throw validationError(`As2805KeyVariant ${String(variant)} is not an AS2805 key variant`);
  if (!facts.published && ctx.services.strictAlgorithms) {
    throw validationError(`As2805KeyVariant ${String(variant)} is refused (strictAlgorithms): its variant mask is not published; the emulator's mask is a choice not confirmed against AWS`);
  }
  return facts;
}

/**
 * The KEK: a usable symmetric TR31_K0_KEY_ENCRYPTION_KEY of TDES_2KEY or TDES_3KEY that allows
 * `mode` (Unwrap to import, Wrap to export) or NoRestrictions — the rule of the TR-31 wrapping key.
 */
async function as2805Kek(ctx: RequestContext, identifier: string, mode: 'Wrap' | 'Unwrap'): Promise<KeyRecord> {
  const kek = await resolveKey(ctx, identifier);
  requireUsable(kek);
  if (kek.keyClass !== 'SYMMETRIC_KEY' || kek.keyUsage !== 'TR31_K0_KEY_ENCRYPTION_KEY') {
    throw validationError(`The wrapping key ${kek.keyArn} has KeyUsage ${kek.keyUsage}; an AS2805 key cryptogram needs a TR31_K0_KEY_ENCRYPTION_KEY`);
  }
  if (!AS2805_KEY_ALGORITHMS.includes(kek.keyAlgorithm)) {
    throw validationError(`The wrapping key ${kek.keyArn} is ${kek.keyAlgorithm}; an AS2805 key cryptogram needs a TDES_2KEY or TDES_3KEY KEK`);
  }
  if (kek.modes[mode] !== true && kek.modes.NoRestrictions !== true) {
    throw validationError(`The wrapping key ${kek.keyArn} does not allow ${mode} (KeyModesOfUse)`);
  }
  return kek;
}

export async function importAs2805KeyCryptogram(ctx: RequestContext, input: ImportKeyInput, m: ImportAs2805KeyCryptogram): Promise<ImportKeyOutput> {
  const facts = variantFacts(ctx, m.As2805KeyVariant);
  const algorithm = m.KeyAlgorithm!;
  if (!AS2805_KEY_ALGORITHMS.includes(algorithm)) {
    throw validationError(`KeyAlgorithm ${algorithm} cannot be imported as an AS2805 key cryptogram (TDES_2KEY, TDES_3KEY)`);
  }
  const attrs = { KeyUsage: facts.keyUsage, KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: algorithm, KeyModesOfUse: m.KeyModesOfUse ?? {} };
  const problem = checkCreateKeyAttributes(attrs);
  if (problem !== undefined) throw validationError(`As2805KeyVariant ${m.As2805KeyVariant} imports a ${facts.keyUsage}: ${problem}`);
  const keyBytes = KEY_ALGORITHMS[algorithm]!.keyBytes!;
  const hex = m.WrappedKeyCryptogram!;
  if (hex.length !== keyBytes * 2) {
    throw validationError(`WrappedKeyCryptogram must be ${keyBytes * 2} hex characters for a ${algorithm} key, got ${hex.length}`);
  }
  const kek = await as2805Kek(ctx, m.WrappingKeyIdentifier!, 'Unwrap');
  requireWrappingStrength(kek.keyAlgorithm, algorithm, 'import');
  const cryptogram = hexToBytes(hex, { field: 'WrappedKeyCryptogram' });
  const kekClear = keyMaterial(ctx, kek);
  let key: Uint8Array;
  try {
    key = as2805UnwrapKey(kekClear, m.As2805KeyVariant!, cryptogram);
  } finally {
    kekClear.fill(0);
  }
  try {
    const rec = await createImportedKey(ctx, input, attrs, m.Exportable!, { kind: 'symmetric', key });
    return { Key: keyView(rec) };
  } finally {
    key.fill(0);
  }
}

export async function exportAs2805KeyCryptogram(ctx: RequestContext, p: ExportPayload, m: ExportAs2805KeyCryptogram): Promise<WrappedKey> {
  const facts = variantFacts(ctx, m.As2805KeyVariant);
  if (p.dukptInitialKey === true) throw validationError('ExportDukptInitialKey cannot be exported as an AS2805 key cryptogram');
  if (!AS2805_KEY_ALGORITHMS.includes(p.keyAlgorithm)) {
    throw validationError(`KeyAlgorithm ${p.keyAlgorithm} cannot be exported as an AS2805 key cryptogram (TDES_2KEY, TDES_3KEY)`);
  }
  if (p.source.keyUsage !== facts.keyUsage) {
    throw validationError(`As2805KeyVariant ${m.As2805KeyVariant} carries a ${facts.keyUsage}; key ${p.source.keyArn} has KeyUsage ${p.source.keyUsage}`);
  }
  const kek = await as2805Kek(ctx, m.WrappingKeyIdentifier!, 'Wrap');
  if (kek.keyArn === p.source.keyArn) throw validationError('A key cannot be exported under itself');
  requireWrappingStrength(kek.keyAlgorithm, p.keyAlgorithm);
  const kekClear = keyMaterial(ctx, kek);
  try {
    return {
      WrappingKeyArn: kek.keyArn,
      WrappedKeyMaterialFormat: 'KEY_CRYPTOGRAM',
      KeyMaterial: bytesToHex(as2805WrapKey(kekClear, m.As2805KeyVariant!, p.key)),
    };
  } finally {
    kekClear.fill(0);
  }
}
