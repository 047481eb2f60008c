import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { conflictError, notFoundError, validationError, type AwsError } from '../core/errors.js';
import { publicKeyKcv, symmetricKcv } from './key-material.js';
import type { RequestContext } from '../core/context.js';
import type { SealBinding } from '../vault/key-vault.js';
import type { RegionState } from '../state/region-state.js';
import type { KeyRecord } from '../state/records.js';
import { aliasChange, cloneKey, commit, keyChange } from '../state/commit.js';

/**
 * Key lookups and key-state rules shared by every handler (control plane, import/export, and
 * later the data plane). Handlers never reach into RegionState.keys directly for a
 * caller-supplied identifier: they call resolveKey / resolveKeyArn.
 */

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0234567'; // 32 symbols → 5 bits per byte, no modulo bias
const ARN_RE = /^arn:aws:payment-cryptography:([a-z]{2}-[a-z]{1,16}-[0-9]+):([0-9]{12}):(key|alias)\/(.+)$/;

/** 16 lowercase alphanumerics, like real key ids (`kwapwa6qaifllw2h`). */
export function newKeyId(): string {
  const b = randomBytes(16);
  let s = '';
  for (let i = 0; i < 16; i++) s += ID_ALPHABET[b[i]! & 31];
  return s;
}

/** Name of the lock of one key, alias or region's settings (state/keyed-lock.ts). */
export function lockName(state: RegionState, kind: 'key' | 'alias' | 'settings', id = ''): string {
  return `${state.accountId}/${state.region}/${kind}/${id}`;
}

function settleDue(ctx: RequestContext, key: KeyRecord): boolean {
  return key.state === 'DELETE_PENDING' && key.deletePendingAt !== undefined && ctx.now >= key.deletePendingAt;
}

/**
 * Apply the passage of time: a DELETE_PENDING key whose waiting period is over becomes
 * DELETE_COMPLETE — its material is destroyed and the aliases pointing at it become
 * unassigned (user guide, "Deleting keys"; aws-api.md §10.1). The changed copies are persisted
 * before they replace the records in memory (state/commit.ts); answers the current record.
 * Takes the key's lock (every change of an alias pointing at a key holds that key's lock too).
 */
export async function settleKey(ctx: RequestContext, state: RegionState, key: KeyRecord): Promise<KeyRecord> {
  if (!settleDue(ctx, key)) return key;
  return ctx.services.locks.run([lockName(state, 'key', key.keyId)], async () => settleLocked(ctx, state, state.keys.get(key.keyId) ?? key));
}

/** settleKey for a caller that holds the key's lock. */
export async function settleLocked(ctx: RequestContext, state: RegionState, key: KeyRecord): Promise<KeyRecord> {
  if (!settleDue(ctx, key)) return key;
  const next = cloneKey(key);
  next.state = 'DELETE_COMPLETE';
  next.deletedAt = key.deletePendingAt;
  delete next.deletePendingAt;
  delete next.sealed;
  next.enabled = false;
  const changes = [keyChange(ctx, state, key, next)];
  for (const alias of state.aliases.values()) {
    if (alias.keyArn === key.keyArn) changes.push(aliasChange(ctx, state, alias, { aliasName: alias.aliasName }));
  }
  await commit(ctx, changes);
  return next;
}

const RETRY = Symbol('retry');

/**
 * Run `fn` holding the locks `namesOf()` names. `namesOf` is read from the current state (which
 * key an alias points at, which replicas a key has) and read again once the locks are held:
 * when it then names a lock not held, the locks are released and taken again.
 */
export async function locked<T>(ctx: RequestContext, namesOf: () => string[], fn: () => Promise<T>): Promise<T> {
  for (;;) {
    const names = namesOf();
    const r = await ctx.services.locks.run(names, async () => {
      if (!namesOf().every((n) => names.includes(n))) return RETRY;
      return { value: await fn() };
    });
    if (r !== RETRY) return r.value;
  }
}

/** The lock names a change of `key` needs: the key, and the replicas of a primary. */
export function keyLocks(ctx: RequestContext, key: KeyRecord): string[] {
  const names = [lockName(ctx.state, 'key', key.keyId)];
  for (const region of key.replicationRegions ?? []) names.push(lockName(ctx.services.states.get(ctx.accountId, region), 'key', key.keyId));
  return names;
}

/**
 * Change a key: `fn` runs holding the key's lock (and its replicas'), on its current, settled
 * record, so changes of one key are serialised (linearisable). Throws as resolveKey does.
 */
export async function withKey<T>(ctx: RequestContext, identifier: string, fn: (key: KeyRecord) => Promise<T>): Promise<T> {
  await resolveKey(ctx, identifier); // not found → ResourceNotFoundException; settles outside the lock
  return locked(
    ctx,
    () => keyLocks(ctx, lookupKey(ctx, identifier)),
    async () => fn(await settleLocked(ctx, ctx.state, lookupKey(ctx, identifier))),
  );
}

function parseArn(arn: string): { region: string; account: string; kind: 'key' | 'alias'; rest: string } | undefined {
  const m = ARN_RE.exec(arn);
  if (m === null) return undefined;
  return { region: m[1]!, account: m[2]!, kind: m[3] as 'key' | 'alias', rest: m[4]! };
}

/**
 * A `KeyArnOrKeyAliasType` (key ARN, alias name, alias ARN) → the key in this account and
 * region. Unknown key, alias without a key, alias to a missing key → ResourceNotFoundException.
 * NOTE: ARNs of another account or region are not found (no cross-account use).
 */
export async function resolveKey(ctx: RequestContext, identifier: string): Promise<KeyRecord> {
  return settleKey(ctx, ctx.state, lookupKey(ctx, identifier));
}

/** resolveKey without applying the passage of time (for callers that hold the key's lock). */
export function lookupKey(ctx: RequestContext, identifier: string): KeyRecord {
  const state = ctx.state;
  let keyArn: string | undefined;
  if (identifier.startsWith('alias/')) {
    const alias = state.aliases.get(identifier);
    if (alias === undefined) throw notFoundError(identifier, `Alias ${identifier} not found`);
    if (alias.keyArn === undefined) throw notFoundError(identifier, `Alias ${identifier} is not associated with a key`);
    keyArn = alias.keyArn;
  } else {
    const p = parseArn(identifier);
    if (p === undefined || p.region !== state.region || p.account !== state.accountId) {
      throw notFoundError(identifier, `Key ${identifier} not found`);
    }
    if (p.kind === 'alias') return lookupKey(ctx, `alias/${p.rest}`);
    keyArn = identifier;
  }
  const keyId = keyArn.slice(keyArn.lastIndexOf('/') + 1);
  const key = state.keys.get(keyId);
  if (key === undefined || key.keyArn !== keyArn) throw notFoundError(keyArn, `Key ${keyArn} not found`);
  return key;
}

/** A `ResourceArn` (tagging, policies): key ARNs only. */
export async function resolveResourceArn(ctx: RequestContext, resourceArn: string): Promise<KeyRecord> {
  checkResourceArn(resourceArn);
  return resolveKey(ctx, resourceArn);
}

export function checkResourceArn(resourceArn: string): void {
  const p = parseArn(resourceArn);
  if (p === undefined || p.kind !== 'key') throw validationError(`ResourceArn ${resourceArn} is not a key ARN`);
}

/** Refuse a key that no longer exists for any purpose but GetKey/ListKeys. */
export function requireNotDeleted(key: KeyRecord): void {
  if (key.state === 'DELETE_COMPLETE') throw conflictError(`Key ${key.keyArn} is deleted (DELETE_COMPLETE)`);
}

/** Refuse a key that is pending deletion or deleted (tags, aliases, usage changes). */
export function requireNotPendingDeletion(key: KeyRecord): void {
  requireNotDeleted(key);
  if (key.state === 'DELETE_PENDING') throw conflictError(`Key ${key.keyArn} is pending deletion (DELETE_PENDING)`);
}

/**
 * A key used for a cryptographic purpose (export, wrapping, data plane) must be CREATE_COMPLETE
 * and enabled. NOTE: AWS does not document the error for a disabled or pending-deletion key;
 * the emulator answers ValidationException.
 */
export function requireUsable(key: KeyRecord): void {
  if (key.state !== 'CREATE_COMPLETE') throw validationError(`Key ${key.keyArn} is in state ${key.state} and cannot be used`);
  if (!key.enabled) throw validationError(`Key ${key.keyArn} is disabled`);
}

/**
 * What a key's seal is bound to: its attributes and its identity — its ARN, or for a replica its
 * primary's ARN (a replica holds the primary's sealed block).
 */
export function sealBinding(
  key: Pick<KeyRecord, 'keyUsage' | 'keyAlgorithm' | 'keyClass' | 'exportable'> & Partial<Pick<KeyRecord, 'keyArn' | 'multiRegionKeyType' | 'primaryRegion'>>,
): SealBinding {
  const b: SealBinding = { keyUsage: key.keyUsage, keyAlgorithm: key.keyAlgorithm, keyClass: key.keyClass, exportable: key.exportable };
  if (key.keyArn !== undefined) {
    b.keyArn =
      key.multiRegionKeyType === 'REPLICA' && key.primaryRegion !== undefined
        ? key.keyArn.replace(/^(arn:aws:payment-cryptography:)[^:]+:/, `$1${key.primaryRegion}:`)
        : key.keyArn;
  }
  return b;
}

/** (record, sealed block) pairs whose unsealed material matched the record's KCV */
const verified = new WeakMap<KeyRecord, string>();

/** The KCV the clear material gives, computed as the record's was (key-factory.ts). */
function kcvOfMaterial(key: KeyRecord, clear: Uint8Array): string | undefined {
  try {
    if (key.keyClass === 'SYMMETRIC_KEY') return symmetricKcv(key.keyAlgorithm, clear, key.kcvAlgorithm);
    const spki = createPublicKey(createPrivateKey({ key: Buffer.from(clear), format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' });
    if (key.publicKey !== undefined && Buffer.from(spki).toString('base64') !== key.publicKey) return undefined;
    return publicKeyKcv(new Uint8Array(spki));
  } catch {
    return undefined;
  }
}

/**
 * The clear key material of a key (symmetric key bytes, or the PKCS#8 DER private key of a key
 * pair), unsealed from the LMK. Callers must not keep it beyond the request, log it or put it
 * in an error message. Throws ValidationException when the key has no private material.
 */
export function keyMaterial(ctx: RequestContext, key: KeyRecord): Uint8Array {
  if (key.sealed === undefined) throw validationError(`Key ${key.keyArn} has no secret key material`);
  let clear: Uint8Array;
  try {
    clear = ctx.services.vault.unseal(key.sealed, sealBinding(key));
  } catch {
    throw substitutedKey(ctx, key, 'its sealed block does not open for this key');
  }
  if (verified.get(key) !== key.sealed) {
    // the KCV of what was unsealed must be the record's: a block copied from another key with the
    // same attributes (sealed before the ARN was bound) is refused, never served
    if (kcvOfMaterial(key, clear) !== key.kcv) {
      clear.fill(0);
      throw substitutedKey(ctx, key, 'the KCV of its material does not match the record');
    }
    verified.set(key, key.sealed);
  }
  return clear;
}

/**
 * A key whose stored material does not belong to it (a substituted or corrupted block).
 * NOTE: AWS has no such case; the emulator answers ValidationException (the key cannot be used,
 * like a disabled key; not a 500, which the SDK would retry) and logs one line (no material).
 */
function substitutedKey(ctx: RequestContext, key: KeyRecord, why: string): AwsError {
  ctx.services.log(`paycrypt-emulator: ${ctx.operation} (request ${ctx.requestId}) refused key ${key.keyArn}: ${why}`);
  return validationError(`Key ${key.keyArn} cannot be used: its stored key material failed the integrity check`);
}

/** Insert a new key (after persisting it: an acknowledged key survives a crash). */
export async function insertKey(ctx: RequestContext, state: RegionState, key: KeyRecord): Promise<void> {
  if (state.keys.has(key.keyId)) throw conflictError(`Key ${key.keyArn} already exists`);
  await commit(ctx, [keyChange(ctx, state, undefined, key)]);
}

/**
 * Persist a changed key.
 * @deprecated a record changed in place is in memory before it is on disk: build a copy
 * (cloneKey) and call updateKey instead.
 */
export function saveKey(ctx: RequestContext, state: RegionState, key: KeyRecord): Promise<void> {
  return commit(ctx, [keyChange(ctx, state, key, key)]);
}

/** Persist `next` (a changed copy of `key`, see cloneKey), then swap it in; answers `next`. */
export async function updateKey(ctx: RequestContext, state: RegionState, key: KeyRecord, next: KeyRecord): Promise<KeyRecord> {
  await commit(ctx, [keyChange(ctx, state, key, next)]);
  return next;
}
