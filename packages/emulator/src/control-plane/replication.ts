import type { RequestContext } from '../core/context.js';
import { validationError } from '../core/errors.js';
import { handler, type PartialOperationTable } from '../core/registry.js';
import { requireNotPendingDeletion, resolveKey, saveKey } from '../keys/key-access.js';
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

async function writeReplicas(ctx: RequestContext, primary: KeyRecord, regions: readonly string[]): Promise<void> {
  for (const region of regions) {
    const state = ctx.services.states.get(ctx.accountId, region);
    const existing = state.keys.get(primary.keyId);
    const replica = replicaOf(ctx, primary, region);
    if (existing !== undefined) {
      // keep the replica's own tags and policy
      if (existing.tags !== undefined) replica.tags = existing.tags;
      if (existing.policy !== undefined) replica.policy = existing.policy;
    }
    await ctx.services.store.saveKey(state, replica);
    state.keys.set(primary.keyId, replica);
  }
}

export async function replicateNewKey(ctx: RequestContext, key: KeyRecord, plan: ReplicationPlan | undefined): Promise<void> {
  if (plan === undefined || plan.regions.length === 0) return;
  key.multiRegionKeyType = 'PRIMARY';
  key.primaryRegion = ctx.region;
  key.replicationRegions = plan.regions;
  key.usingDefaultReplicationRegions = plan.usingDefault;
  await saveKey(ctx, ctx.state, key);
  await writeReplicas(ctx, key, plan.regions);
}

/** After a lifecycle change of a primary key: copy it to the replicas. */
export async function syncReplicas(ctx: RequestContext, primary: KeyRecord): Promise<void> {
  if (primary.multiRegionKeyType === 'PRIMARY' && primary.replicationRegions !== undefined) {
    await writeReplicas(ctx, primary, primary.replicationRegions);
  }
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
  AddKeyReplicationRegions: handler<'AddKeyReplicationRegions'>(async (input, ctx) => {
    const key = await resolveKey(ctx, input.KeyIdentifier);
    requireNotPendingDeletion(key);
    requireNotReplica(key);
    const add = cleanRegions(ctx, input.ReplicationRegions);
    const regions = [...new Set([...(key.replicationRegions ?? []), ...add])];
    await replicateNewKey(ctx, key, { regions, usingDefault: false });
    return { Key: keyView(key) };
  }),

  RemoveKeyReplicationRegions: handler<'RemoveKeyReplicationRegions'>(async (input, ctx) => {
    const key = await resolveKey(ctx, input.KeyIdentifier);
    requireNotPendingDeletion(key);
    requireNotReplica(key);
    const remove = new Set(input.ReplicationRegions);
    const current = key.replicationRegions ?? [];
    for (const region of current.filter((r) => remove.has(r))) {
      const state = ctx.services.states.get(ctx.accountId, region);
      const replica = state.keys.get(key.keyId);
      if (replica !== undefined && replica.state !== 'DELETE_COMPLETE') {
        replica.state = 'DELETE_COMPLETE';
        replica.enabled = false;
        replica.deletedAt = ctx.now;
        delete replica.sealed;
        await ctx.services.store.saveKey(state, replica);
      }
    }
    const left = current.filter((r) => !remove.has(r));
    if (left.length === 0) {
      delete key.multiRegionKeyType;
      delete key.primaryRegion;
      delete key.replicationRegions;
      delete key.usingDefaultReplicationRegions;
    } else {
      key.replicationRegions = left;
      key.usingDefaultReplicationRegions = false;
    }
    await saveKey(ctx, ctx.state, key);
    return { Key: keyView(key) };
  }),

  EnableDefaultKeyReplicationRegions: handler<'EnableDefaultKeyReplicationRegions'>(async (input, ctx) => {
    const add = cleanRegions(ctx, input.ReplicationRegions);
    ctx.state.defaultReplicationRegions = [...new Set([...ctx.state.defaultReplicationRegions, ...add])];
    await ctx.services.store.saveSettings(ctx.state);
    return { EnabledReplicationRegions: [...ctx.state.defaultReplicationRegions] };
  }),

  DisableDefaultKeyReplicationRegions: handler<'DisableDefaultKeyReplicationRegions'>(async (input, ctx) => {
    const remove = new Set(input.ReplicationRegions);
    ctx.state.defaultReplicationRegions = ctx.state.defaultReplicationRegions.filter((r) => !remove.has(r));
    await ctx.services.store.saveSettings(ctx.state);
    return { EnabledReplicationRegions: [...ctx.state.defaultReplicationRegions] };
  }),

  GetDefaultKeyReplicationRegions: handler<'GetDefaultKeyReplicationRegions'>((_input, ctx) => ({
    EnabledReplicationRegions: [...ctx.state.defaultReplicationRegions],
  })),
};
