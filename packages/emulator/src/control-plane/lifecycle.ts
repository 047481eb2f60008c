import { conflictError } from '../core/errors.js';
import { handler, type PartialOperationTable } from '../core/registry.js';
import { requireNotDeleted, requireNotPendingDeletion, withKey } from '../keys/key-access.js';
import { cloneKey } from '../state/commit.js';
import { keyView } from '../keys/key-view.js';
import { commitWithReplicas, requireNotReplica } from './replication.js';

/**
 * Key lifecycle (aws-api.md §10.1):
 *   CREATE_COMPLETE --DeleteKey--> DELETE_PENDING --(DeleteKeyInDays pass)--> DELETE_COMPLETE
 *   DELETE_PENDING --RestoreKey--> CREATE_COMPLETE (still disabled: call StartKeyUsage)
 * DeleteKeyInDays 3–180 (range checked by the model), default 7.
 * NOTE: AWS says the actual wait may be up to 24 hours longer; the emulator deletes exactly at
 * DeletePendingTimestamp (checked lazily when the key is next read).
 * NOTE: the errors for DeleteKey on a pending key, RestoreKey on a key not pending deletion, and
 * Start/StopKeyUsage on a pending key are not documented: ConflictException here.
 */
export const DEFAULT_DELETE_KEY_IN_DAYS = 7;
const DAY_MS = 86_400_000;

export const lifecycleOperations: PartialOperationTable<'DeleteKey' | 'RestoreKey' | 'StartKeyUsage' | 'StopKeyUsage'> = {
  DeleteKey: handler<'DeleteKey'>(async (input, ctx) =>
    withKey(ctx, input.KeyIdentifier!, async (key) => {
      requireNotPendingDeletion(key);
      requireNotReplica(key);
      const days = input.DeleteKeyInDays ?? DEFAULT_DELETE_KEY_IN_DAYS;
      const next = cloneKey(key);
      next.state = 'DELETE_PENDING';
      next.enabled = false;
      next.usageStopAt = ctx.now;
      delete next.usageStartAt;
      next.deletePendingAt = ctx.now + days * DAY_MS;
      return { Key: keyView(await commitWithReplicas(ctx, key, next)) };
    }),
  ),

  RestoreKey: handler<'RestoreKey'>(async (input, ctx) =>
    withKey(ctx, input.KeyIdentifier!, async (key) => {
      requireNotDeleted(key);
      requireNotReplica(key);
      if (key.state !== 'DELETE_PENDING') throw conflictError(`Key ${key.keyArn} is not pending deletion (state ${key.state})`);
      const next = cloneKey(key);
      next.state = 'CREATE_COMPLETE';
      delete next.deletePendingAt;
      return { Key: keyView(await commitWithReplicas(ctx, key, next)) };
    }),
  ),

  StartKeyUsage: handler<'StartKeyUsage'>(async (input, ctx) =>
    withKey(ctx, input.KeyIdentifier!, async (key) => {
      requireNotPendingDeletion(key);
      requireNotReplica(key);
      // NOTE: starting an enabled key keeps its UsageStartTimestamp.
      if (key.enabled) return { Key: keyView(key) };
      const next = cloneKey(key);
      next.enabled = true;
      next.usageStartAt = ctx.now;
      delete next.usageStopAt;
      return { Key: keyView(await commitWithReplicas(ctx, key, next)) };
    }),
  ),

  StopKeyUsage: handler<'StopKeyUsage'>(async (input, ctx) =>
    withKey(ctx, input.KeyIdentifier!, async (key) => {
      requireNotPendingDeletion(key);
      requireNotReplica(key);
      if (!key.enabled) return { Key: keyView(key) };
      const next = cloneKey(key);
      next.enabled = false;
      next.usageStopAt = ctx.now;
      delete next.usageStartAt;
      return { Key: keyView(await commitWithReplicas(ctx, key, next)) };
    }),
  ),
};
