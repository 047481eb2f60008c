import { awsKeyAttributesFromTr31, parseTr31, prepareKbpk, TR31_VERSIONS, unwrapTr31, type Tr31Version } from '@paycrypt/keyblock';
import type { RequestContext } from '../core/context.js';
import { validationError } from '../core/errors.js';
import { keyMaterial, requireUsable, resolveKey } from '../keys/key-access.js';
import { normaliseModes, type FullModesOfUse } from '../keys/key-attributes.js';
import { KEY_ALGORITHMS } from '../keys/key-algorithms.js';
import { kcvAlgorithmFor } from '../keys/key-factory.js';
import { symmetricKcv } from '../keys/key-material.js';
import type { EcdhDerivationAttributes } from '../model/data-plane.types.generated.js';
import type { KeyRecord } from '../state/records.js';
import { ecdhDerivedKey } from './ecdh-key.js';
import { KEY_RULES, keyRuleProblem, type KeyRuleName } from './key-rules.js';

/**
 * The key a data-plane operation works with: a stored key (by ARN, alias or alias ARN), or a
 * dynamic key — a TR-31 block unwrapped under the named KEK, or a key derived by ECDH with the
 * named K3 key pair (`DiffieHellmanSymmetricKey`, ecdh-key.ts), for one call and never stored
 * (`WrappedKey` members). Either way the key is checked against its KEY_RULES entry (usage,
 * algorithm, modes of use) and must be usable (CREATE_COMPLETE, enabled).
 *
 * Clear material is reached through `prepared()`: the first use of a stored key unseals it from
 * the LMK and builds what the algorithm needs (a key schedule, a CVK object); later calls reuse
 * it while the key's sealed material is unchanged. NOTE: like an HSM's key cache, this keeps
 * clear key schedules in process memory for stored keys; material at rest stays sealed.
 */
export interface OperationKey {
  /** the ARN answered as `KeyArn` (for a dynamic key: the KEK that unwrapped it) */
  readonly arn: string;
  /** the KCV answered as `KeyCheckValue` (of the key used, not of the KEK) */
  readonly kcv: string;
  readonly keyUsage: string;
  readonly keyAlgorithm: string;
  readonly modes: Readonly<FullModesOfUse>;
  /** a stored key's record (undefined for a dynamic key) */
  readonly record: KeyRecord | undefined;
  /** the clear key for one call (dynamic keys) — read it through prepared() */
  readonly clear: Uint8Array | undefined;
}

/** The data-plane `WrappedKey` shape (dynamic key). */
export interface DataPlaneWrappedKey {
  WrappedKeyMaterial?: { Tr31KeyBlock?: string; DiffieHellmanSymmetricKey?: EcdhDerivationAttributes };
  KeyCheckValueAlgorithm?: string;
}

interface CacheEntry {
  sealed: string;
  values: Map<string, unknown>;
}
const CACHE = new WeakMap<KeyRecord, CacheEntry>();

function checkRule(rule: KeyRuleName, key: { keyUsage: string; keyAlgorithm: string; modes: Readonly<FullModesOfUse> }, name: string, member: string): void {
  const problem = keyRuleProblem(KEY_RULES[rule], key);
  if (problem !== undefined) throw validationError(`${member} ${name}: ${problem}`);
}

/** A stored key for a data-plane use. `member` names the input member in messages. */
export async function storedKey(ctx: RequestContext, identifier: string, rule: KeyRuleName, member = 'KeyIdentifier'): Promise<OperationKey> {
  const rec = await resolveKey(ctx, identifier);
  requireUsable(rec);
  checkRule(rule, rec, rec.keyArn, member);
  return { arn: rec.keyArn, kcv: rec.kcv, keyUsage: rec.keyUsage, keyAlgorithm: rec.keyAlgorithm, modes: rec.modes, record: rec, clear: undefined };
}

/**
 * A dynamic key: `wrapped.WrappedKeyMaterial.Tr31KeyBlock` unwrapped under the KEK named by
 * `kekIdentifier` (a K0/K1 key that allows Unwrap). The block's header gives the attributes the
 * rule is checked against. NOTE: the answer's KeyArn is the KEK's ARN (AWS: "When a
 * WrappedKeyBlock is provided, this value will be the identifier to the key wrapping key");
 * its KeyCheckValue is the unwrapped key's, with `KeyCheckValueAlgorithm` or the algorithm's default.
 */
export async function wrappedKey(ctx: RequestContext, kekIdentifier: string, wrapped: DataPlaneWrappedKey, rule: KeyRuleName, member = 'WrappedKey'): Promise<OperationKey> {
  const material = wrapped.WrappedKeyMaterial ?? {};
  if (material.DiffieHellmanSymmetricKey !== undefined) {
    // an ECDH-derived key (ecdh-key.ts): kekIdentifier names the K3 key pair
    const d = await ecdhDerivedKey(ctx, kekIdentifier, material.DiffieHellmanSymmetricKey, wrapped.KeyCheckValueAlgorithm, 'KeyIdentifier', (view) => checkRule(rule, view, 'derived key', member));
    return { arn: d.arn, kcv: d.kcv, keyUsage: d.keyUsage, keyAlgorithm: d.keyAlgorithm, modes: d.modes, record: undefined, clear: d.clear };
  }
  if (material.Tr31KeyBlock === undefined) throw validationError(`${member}: WrappedKeyMaterial must set Tr31KeyBlock or DiffieHellmanSymmetricKey`);
  const kek = await storedKey(ctx, kekIdentifier, 'KEK_UNWRAP', 'KeyIdentifier');
  const block = material.Tr31KeyBlock;
  // the version is the block's first character (X9.143 header byte 0); unwrapTr31 parses the rest
  const version = block[0] ?? '';
  if (!Object.prototype.hasOwnProperty.call(TR31_VERSIONS, version)) parseTr31(block); // throws the parser's error
  const family = KEY_ALGORITHMS[kek.keyAlgorithm]?.family;
  if (TR31_VERSIONS[version as Tr31Version].kbpkFamily !== family) {
    throw validationError(`${member}: a version ${version} key block needs a ${TR31_VERSIONS[version as Tr31Version].kbpkFamily} wrapping key; ${kek.arn} is ${kek.keyAlgorithm}`);
  }
  // the KEK's derived KBEK/KBAK schedules are kept like any prepared key object (prepared())
  const kbpk = prepared(ctx, kek, `tr31-kbpk:${version}`, (clear) => prepareKbpk(clear, version as Tr31Version));
  const { header, key } = unwrapTr31(kbpk, block);
  const attrs = awsKeyAttributesFromTr31(header, key.length);
  const modes = normaliseModes(attrs.KeyModesOfUse);
  const view = { keyUsage: attrs.KeyUsage, keyAlgorithm: attrs.KeyAlgorithm, modes };
  try {
    checkRule(rule, view, 'key block', member);
  } catch (e) {
    key.fill(0);
    throw e;
  }
  const kcv = symmetricKcv(attrs.KeyAlgorithm, key, kcvAlgorithmFor(attrs.KeyAlgorithm, wrapped.KeyCheckValueAlgorithm));
  return { arn: kek.arn, kcv, ...view, record: undefined, clear: key };
}

/** A stored key, or the dynamic key of `wrapped` under it when given. */
export function operationKey(ctx: RequestContext, identifier: string, rule: KeyRuleName, wrapped?: DataPlaneWrappedKey, member?: string): Promise<OperationKey> {
  return wrapped === undefined ? storedKey(ctx, identifier, rule, member) : wrappedKey(ctx, identifier, wrapped, rule);
}

/**
 * What `build` makes of the clear key (a cipher, a CVK object …), cached per stored key and
 * `purpose`; built fresh for a dynamic key. `build` must copy what it keeps: the clear bytes
 * passed to it are wiped afterwards.
 */
export function prepared<T>(ctx: RequestContext, key: OperationKey, purpose: string, build: (clear: Uint8Array) => T): T {
  if (key.record === undefined) return build(key.clear!);
  const rec = key.record;
  const sealed = rec.sealed ?? '';
  let entry = CACHE.get(rec);
  if (entry === undefined || entry.sealed !== sealed) {
    entry = { sealed, values: new Map() };
    CACHE.set(rec, entry);
  }
  if (entry.values.has(purpose)) return entry.values.get(purpose) as T;
  const clear = keyMaterial(ctx, rec);
  try {
    const value = build(clear);
    entry.values.set(purpose, value);
    return value;
  } finally {
    clear.fill(0);
  }
}
