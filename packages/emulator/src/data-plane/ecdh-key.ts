import type { RequestContext } from '../core/context.js';
import { validationError } from '../core/errors.js';
import { deriveEcdhKey, resolveAgreementKey } from '../exchange/ecdh.js';
import { requireWrappingStrength } from '../exchange/strength.js';
import { KEY_ALGORITHMS } from '../keys/key-algorithms.js';
import { CREATE_KEY_RULES, MODE_NAMES, normaliseModes, type FullModesOfUse, type ModeName } from '../keys/key-attributes.js';
import { kcvAlgorithmFor } from '../keys/key-factory.js';
import { symmetricKcv } from '../keys/key-material.js';
import type { EcdhDerivationAttributes } from '../model/data-plane.types.generated.js';

/**
 * The `DiffieHellmanSymmetricKey` dynamic key (data-plane `WrappedKey`, data-plane.md §5 "ECDH":
 * PIN select / reveal): the operation's key identifier names the emulator's K3 ECC key pair; with
 * the partner's certificate (signed by the imported CA) and the KDF parameters it derives, for this
 * call only, a symmetric key of `KeyAlgorithm` (exchange/ecdh.ts, the derivation of ImportKey
 * DiffieHellmanTr31KeyBlock). The derived key is never stored.
 *
 * NOTE (AWS documents only that the K3 key's DeriveKeyUsage is "the TR-31 usage of keys derived
 * via ECDH", TR31_P0_PIN_ENCRYPTION_KEY for PIN select/reveal; the rest is the emulator's choice):
 * - the derived key's KeyUsage is the K3 key's DeriveKeyUsage (a K3 key without one is refused);
 * - its modes of use are every mode CreateKey allows that usage apart from NoRestrictions (P0, D0,
 *   K0, K1: {Encrypt, Decrypt, Wrap, Unwrap}; C0, M*, V*: {Generate, Verify}; B0, E*: {DeriveKey}),
 *   so a PIN-select derived key acts as a PEK both ways;
 * - `KeyAlgorithm` must be one CreateKey allows for that usage, and the ECC key must be at least as
 *   strong as it (user guide keys-importexport: P-256 → up to AES_128, P-384 → AES_192, P-521 →
 *   AES_256);
 * - the answer's KeyArn is the K3 key's ARN (the KeyIdentifier given), its KeyCheckValue the
 *   derived key's (with `KeyCheckValueAlgorithm` or the algorithm's default).
 */

export interface EcdhKeyView {
  readonly keyUsage: string;
  readonly keyAlgorithm: string;
  readonly modes: Readonly<FullModesOfUse>;
}

export interface EcdhDerivedKey extends EcdhKeyView {
  readonly arn: string;
  readonly kcv: string;
  readonly clear: Uint8Array;
}

function derivedModes(usage: string): Readonly<FullModesOfUse> {
  const on = new Set<ModeName>();
  for (const set of CREATE_KEY_RULES[usage]!.modes) for (const m of set) if (m !== 'NoRestrictions') on.add(m);
  return normaliseModes(Object.fromEntries(MODE_NAMES.map((m) => [m, on.has(m)])));
}

/**
 * Derives the key; `check` sees its attributes before the (costly) agreement and may throw.
 * The caller wipes `clear`.
 */
export async function ecdhDerivedKey(
  ctx: RequestContext,
  identifier: string,
  attrs: EcdhDerivationAttributes,
  kcvAlgorithm: string | undefined,
  member: string,
  check: (view: EcdhKeyView) => void,
): Promise<EcdhDerivedKey> {
  const agreement = await resolveAgreementKey(ctx, identifier, member);
  const usage = agreement.key.deriveKeyUsage;
  const rule = usage === undefined ? undefined : CREATE_KEY_RULES[usage];
  if (usage === undefined || rule === undefined || rule.keyClass !== 'SYMMETRIC_KEY') {
    throw validationError(`${member} ${agreement.key.keyArn} has DeriveKeyUsage ${usage ?? '(none)'}; a DiffieHellmanSymmetricKey needs the usage of the derived key (e.g. TR31_P0_PIN_ENCRYPTION_KEY)`);
  }
  const algorithm = attrs.KeyAlgorithm;
  const facts = KEY_ALGORITHMS[algorithm];
  if (facts?.keyBytes === undefined || !rule.algorithms.includes(algorithm)) {
    throw validationError(`DiffieHellmanSymmetricKey.KeyAlgorithm ${algorithm} is not valid for a ${usage} key; valid: ${rule.algorithms.join(', ')}`);
  }
  requireWrappingStrength(agreement.key.keyAlgorithm, algorithm, 'derive');
  const view: EcdhKeyView = { keyUsage: usage, keyAlgorithm: algorithm, modes: derivedModes(usage) };
  check(view);
  const kcvMethod = kcvAlgorithmFor(algorithm, kcvAlgorithm);
  const clear = await deriveEcdhKey(ctx, agreement, attrs, facts.keyBytes, 'DiffieHellmanSymmetricKey.SharedInformation');
  try {
    return { ...view, arn: agreement.key.keyArn, kcv: symmetricKcv(algorithm, clear, kcvMethod), clear };
  } catch (e) {
    clear.fill(0);
    throw e;
  }
}
