import type { RequestContext } from '../core/context.js';
import { validationError } from '../core/errors.js';
import { handler, type PartialOperationTable } from '../core/registry.js';
import { lockName, locked, requireNotPendingDeletion, withKey } from '../keys/key-access.js';
import { cloneKey, commit, keyChange, settingsChange, type Change } from '../state/commit.js';
import type { KeyRecord } from '../state/records.js';
import { keyView } from '../keys/key-view.js';

/**
 * Multi-Region key replication (2025-09 operations): AddKeyReplicationRegions,
 * RemoveKeyReplicationRegions, Enable/Disable/GetDefaultKeyReplicationRegions, and
 * `ReplicationRegions` of CreateKey.
 *
 * NOTE: replication is immediate and always succeeds: the replica (same key id, same material,
 * `MultiRegionKeyType: REPLICA`, `PrimaryRegion`) appears at once in the other region's state of
 * the same account, and the primary reports every region as SYNCHRONIZED.
 * NOTE: lifecycle changes of the primary (delete, restore, start/stop usage) are copied to its
 * replicas; tags, aliases and policies are per region and not copied.
 * NOTE: a replica cannot be changed directly (ValidationException); AWS's exact error is not documented.
 * NOTE: removing a region that is not replicated is ignored.
 */

export interface ReplicationPlan {
  regions: string[];
  usingDefault: boolean;
}

function cleanRegions(ctx: RequestContext, regions: readonly string[]): string[] {
  const out = [...new Set(regions)];
  if (out.includes(ctx.region)) throw validationError(`Replication region ${ctx.region} is the key's own region`);
  return out;
}

/** CreateKey/ImportKey: explicit regions, else the account's default regions, else none. */
export function checkReplicationRegions(ctx: RequestContext, regions: readonly string[] | undefined): ReplicationPlan | undefined {
  if (regions !== undefined && regions.length > 0) return { regions: cleanRegions(ctx, regions), usingDefault: false };
  const defaults = ctx.state.defaultReplicationRegions;
  return defaults.length > 0 ? { regions: [...defaults], usingDefault: true } : undefined;
}

function replicaOf(ctx: RequestContext, primary: KeyRecord, region: string): KeyRecord {
  const state = ctx.services.states.get(ctx.accountId, region);
  const { replicationRegions: _r, usingDefaultReplicationRegions: _u, tags: _t, policy: _p, ...copy } = primary;
  return { ...copy, keyArn: state.keyArn(primary.keyId), multiRegionKeyType: 'REPLICA', primaryRegion: ctx.region };
}

/** The changes that copy `primary` (its next version) to its replicas in `regions`. */
export function replicaChanges(ctx: RequestContext, primary: KeyRecord, regions: readonly string[] = primary.replicationRegions ?? []): Change[] {
  const out: Change[] = [];
  for (const region of regions) {
    const state = ctx.services.states.get(ctx.accountId, region);
    const existing = state.keys.get(primary.keyId);
    const replica = replicaOf(ctx, primary, region);
    if (existing !== undefined) {
      // keep the replica's own tags and policy
      if (existing.tags !== undefined) replica.tags = existing.tags;
      if (existing.policy !== undefined) replica.policy = existing.policy;
    }
    out.push(keyChange(ctx, state, existing, replica));
  }
  return out;
}

/**
 * Make `key` a primary replicated to `plan.regions`: the primary and every replica are written
 * before any of them changes in memory. Answers the new primary record; `key` itself is updated
 * too once everything is stored (callers that keep it see the result). A new key (CreateKey,
 * ImportKey) is made a primary with its replicas in its own commit instead: newPrimary.
 */
export async function replicateNewKey(ctx: RequestContext, key: KeyRecord, plan: ReplicationPlan | undefined): Promise<KeyRecord> {
  if (plan === undefined || plan.regions.length === 0) return key;
  const next = cloneKey(key);
  next.multiRegionKeyType = 'PRIMARY';
  next.primaryRegion = ctx.region;
  next.replicationRegions = [...plan.regions];
  next.usingDefaultReplicationRegions = plan.usingDefault;
  await commit(ctx, [keyChange(ctx, ctx.state, key, next), ...replicaChanges(ctx, next, plan.regions)]);
  Object.assign(key, cloneKey(next));
  return next;
}

/**
 * CreateKey and ImportKey (TR-31, ECDH): make the new record `rec` a primary replicated per `plan`
 * (before it is stored) and answer the replica writes, committed with it (key-factory.ts
 * `withRecord`), so a failed replica write leaves neither the key nor any replica.
 */
export function newPrimary(ctx: RequestContext, plan: ReplicationPlan | undefined): ((rec: KeyRecord) => Change[]) | undefined {
  if (plan === undefined || plan.regions.length === 0) return undefined;
  return (rec) => {
    rec.multiRegionKeyType = 'PRIMARY';
    rec.primaryRegion = ctx.region;
    rec.replicationRegions = [...plan.regions];
    rec.usingDefaultReplicationRegions = plan.usingDefault;
    return replicaChanges(ctx, rec, plan.regions);
  };
}

/** A lifecycle change of `key` (its next version `next`), copied to its replicas when it is a primary. */
export async function commitWithReplicas(ctx: RequestContext, key: KeyRecord, next: KeyRecord): Promise<KeyRecord> {
  const replicas = next.multiRegionKeyType === 'PRIMARY' ? replicaChanges(ctx, next) : [];
  await commit(ctx, [keyChange(ctx, ctx.state, key, next), ...replicas]);
  return next;
}

/** Lifecycle and replication changes go through the primary. */
export function requireNotReplica(key: KeyRecord): void {
  if (key.multiRegionKeyType === 'REPLICA') {
    throw validationError(`Key ${key.keyArn} is a replica; change its primary key in ${key.primaryRegion} instead`);
  }
}

type ReplicationOps =
  | 'AddKeyReplicationRegions'
  | 'RemoveKeyReplicationRegions'
  | 'EnableDefaultKeyReplicationRegions'
  | 'DisableDefaultKeyReplicationRegions'
  | 'GetDefaultKeyReplicationRegions';

export const replicationOperations: PartialOperationTable<ReplicationOps> = {
  AddKeyReplicationRegions: handler<'AddKeyReplicationRegions'>(async (input, ctx) =>
    withKey(ctx, input.KeyIdentifier, async (key) => {
      requireNotPendingDeletion(key);
      requireNotReplica(key);
      const add = cleanRegions(ctx, input.ReplicationRegions);
      const regions = [...new Set([...(key.replicationRegions ?? []), ...add])];
      return { Key: keyView(await replicateNewKey(ctx, key, { regions, usingDefault: false })) };
    }),
  ),

  RemoveKeyReplicationRegions: handler<'RemoveKeyReplicationRegions'>(async (input, ctx) =>
    withKey(ctx, input.KeyIdentifier, async (key) => {
      requireNotPendingDeletion(key);
      requireNotReplica(key);
      const remove = new Set(input.ReplicationRegions);
      const current = key.replicationRegions ?? [];
      const changes: Change[] = [];
      for (const region of current.filter((r) => remove.has(r))) {
        const state = ctx.services.states.get(ctx.accountId, region);
        const replica = state.keys.get(key.keyId);
        if (replica !== undefined && replica.state !== 'DELETE_COMPLETE') {
          const gone = cloneKey(replica);
          gone.state = 'DELETE_COMPLETE';
          gone.enabled = false;
          gone.deletedAt = ctx.now;
          delete gone.sealed;
          changes.push(keyChange(ctx, state, replica, gone));
        }
      }
      const next = cloneKey(key);
      const left = current.filter((r) => !remove.has(r));
      if (left.length === 0) {
        delete next.multiRegionKeyType;
        delete next.primaryRegion;
        delete next.replicationRegions;
        delete next.usingDefaultReplicationRegions;
      } else {
        next.replicationRegions = left;
        next.usingDefaultReplicationRegions = false;
      }
      await commit(ctx, [keyChange(ctx, ctx.state, key, next), ...changes]);
      return { Key: keyView(next) };
    }),
  ),

  EnableDefaultKeyReplicationRegions: handler<'EnableDefaultKeyReplicationRegions'>(async (input, ctx) =>
    locked(ctx, () => [lockName(ctx.state, 'settings')], async () => {
      const add = cleanRegions(ctx, input.ReplicationRegions);
      const regions = [...new Set([...ctx.state.defaultReplicationRegions, ...add])];
      await commit(ctx, [settingsChange(ctx, ctx.state, { defaultReplicationRegions: regions, mpa: ctx.state.mpa })]);
      return { EnabledReplicationRegions: [...ctx.state.defaultReplicationRegions] };
    }),
  ),

  DisableDefaultKeyReplicationRegions: handler<'DisableDefaultKeyReplicationRegions'>(async (input, ctx) =>
    locked(ctx, () => [lockName(ctx.state, 'settings')], async () => {
      const remove = new Set(input.ReplicationRegions);
      const regions = ctx.state.defaultReplicationRegions.filter((r) => !remove.has(r));
      await commit(ctx, [settingsChange(ctx, ctx.state, { defaultReplicationRegions: regions, mpa: ctx.state.mpa })]);
      return { EnabledReplicationRegions: [...ctx.state.defaultReplicationRegions] };
    }),
  ),

  GetDefaultKeyReplicationRegions: handler<'GetDefaultKeyReplicationRegions'>((_input, ctx) => ({
    EnabledReplicationRegions: [...ctx.state.defaultReplicationRegions],
  })),
};
