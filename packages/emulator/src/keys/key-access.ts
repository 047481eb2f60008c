import { randomBytes } from 'node:crypto';
import { conflictError, notFoundError, validationError } from '../core/errors.js';
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

/**
 * Apply the passage of time: a DELETE_PENDING key whose waiting period is over becomes
 * DELETE_COMPLETE — its material is destroyed and the aliases pointing at it become
 * unassigned (user guide, "Deleting keys"; aws-api.md §10.1). The changed copies are persisted
 * before they replace the records in memory (state/commit.ts); answers the current record.
 */
export async function settleKey(ctx: RequestContext, state: RegionState, key: KeyRecord): Promise<KeyRecord> {
  if (key.state !== 'DELETE_PENDING' || key.deletePendingAt === undefined || ctx.now < key.deletePendingAt) return key;
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
    if (p.kind === 'alias') return resolveKey(ctx, `alias/${p.rest}`);
    keyArn = identifier;
  }
  const keyId = keyArn.slice(keyArn.lastIndexOf('/') + 1);
  const key = state.keys.get(keyId);
  if (key === undefined || key.keyArn !== keyArn) throw notFoundError(keyArn, `Key ${keyArn} not found`);
  return settleKey(ctx, state, key);
}

/** A `ResourceArn` (tagging, policies): key ARNs only. */
export async function resolveResourceArn(ctx: RequestContext, resourceArn: string): Promise<KeyRecord> {
  const p = parseArn(resourceArn);
  if (p === undefined || p.kind !== 'key') throw validationError(`ResourceArn ${resourceArn} is not a key ARN`);
  return resolveKey(ctx, resourceArn);
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

export function sealBinding(key: Pick<KeyRecord, 'keyUsage' | 'keyAlgorithm' | 'keyClass' | 'exportable'>): SealBinding {
  return { keyUsage: key.keyUsage, keyAlgorithm: key.keyAlgorithm, keyClass: key.keyClass, exportable: key.exportable };
}

/**
 * The clear key material of a key (symmetric key bytes, or the PKCS#8 DER private key of a key
 * pair), unsealed from the LMK. Callers must not keep it beyond the request, log it or put it
 * in an error message. Throws ValidationException when the key has no private material.
 */
export function keyMaterial(ctx: RequestContext, key: KeyRecord): Uint8Array {
  if (key.sealed === undefined) throw validationError(`Key ${key.keyArn} has no secret key material`);
  return ctx.services.vault.unseal(key.sealed, sealBinding(key));
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
