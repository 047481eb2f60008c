import { AwsError } from '../core/errors.js';
import type { RequestContext } from '../core/context.js';
import type { RegionState } from './region-state.js';
import type { AliasRecord, KeyRecord, MpaAssociationRecord } from './records.js';

/**
 * Disk before memory. A mutating handler builds the changed records as copies, describes each
 * as a Change, and calls commit(): every write is awaited in order and only once all of them
 * succeeded are the copies swapped into the in-memory state. A failed write answers
 * InternalServerException (500) with no visible change, and logs one line (the operation, the
 * request id, what could not be written and the error code; never key material).
 *
 * When a later write of a multi-record change fails (a primary key and its replicas, a key and
 * the aliases it unassigns), the records already written are rewritten to their old versions;
 * one that cannot be restored either is swapped in, so memory always equals what a restart loads.
 */
export interface Change {
  /** for the log line: `key <arn>`, `alias <name>`, `settings` */
  readonly what: string;
  write(): Promise<void>;
  /** put the old version back on disk (after a later write failed) */
  undo(): Promise<void>;
  /** make the change visible in memory (only after the write succeeded) */
  apply(): void;
}

function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Z0-9_]{1,32}$/.test(code)) return code;
  return e instanceof Error ? e.name.slice(0, 64) : 'unknown error';
}

/** The answer to a failed write: 500 with a fixed message (the SDK retries it). */
export function persistenceError(): AwsError {
  return new AwsError('InternalServerException', 'The emulator could not store the change; nothing was changed');
}

export async function commit(ctx: RequestContext, changes: readonly Change[]): Promise<void> {
  const done: Change[] = [];
  for (const c of changes) {
    try {
      await c.write();
    } catch (e) {
      for (const d of done.reverse()) {
        try {
          await d.undo();
        } catch {
          d.apply(); // on disk it stays new: so must memory
        }
      }
      ctx.services.log(`paycrypt-emulator: ${ctx.operation} (request ${ctx.requestId}) could not write ${c.what}: ${errorCode(e)}; the change was not made`);
      throw persistenceError();
    }
    done.push(c);
  }
  for (const c of changes) c.apply();
}

/** A copy of a key record that can be changed without touching the original (tags and lists copied). */
export function cloneKey(k: KeyRecord): KeyRecord {
  const out: KeyRecord = { ...k };
  if (k.tags !== undefined) out.tags = new Map(k.tags);
  if (k.replicationRegions !== undefined) out.replicationRegions = [...k.replicationRegions];
  return out;
}

/** Write `after` (a new record, or a changed copy of `before`), then make it the key of `state`. */
export function keyChange(ctx: RequestContext, state: RegionState, before: KeyRecord | undefined, after: KeyRecord): Change {
  const store = ctx.services.store;
  return {
    what: `key ${after.keyArn}`,
    write: () => store.saveKey(state, after),
    undo: () => (before === undefined ? store.deleteKey(state, after.keyId) : store.saveKey(state, before)),
    apply: () => void state.keys.set(after.keyId, after),
  };
}

/** Create (before undefined), change, or delete (after undefined) an alias. */
export function aliasChange(ctx: RequestContext, state: RegionState, before: AliasRecord | undefined, after: AliasRecord | undefined): Change {
  const store = ctx.services.store;
  const name = (after ?? before)!.aliasName;
  const put = (a: AliasRecord | undefined): Promise<void> => (a === undefined ? store.deleteAlias(state, name) : store.saveAlias(state, a));
  return {
    what: `alias ${name}`,
    write: () => put(after),
    undo: () => put(before),
    apply: () => {
      if (after === undefined) state.aliases.delete(name);
      else state.aliases.set(name, after);
    },
  };
}

/** The region-level settings (default replication regions, MPA associations). */
export interface RegionSettings {
  defaultReplicationRegions: string[];
  mpa: ReadonlyMap<string, MpaAssociationRecord>;
}

export function settingsChange(ctx: RequestContext, state: RegionState, after: RegionSettings): Change {
  const store = ctx.services.store;
  const before: RegionSettings = { defaultReplicationRegions: [...state.defaultReplicationRegions], mpa: new Map(state.mpa) };
  return {
    what: `settings of ${state.accountId}/${state.region}`,
    write: () => store.saveSettings(state, after),
    undo: () => store.saveSettings(state, before),
    apply: () => {
      state.defaultReplicationRegions = [...after.defaultReplicationRegions];
      state.mpa.clear();
      for (const [k, v] of after.mpa) state.mpa.set(k, v);
    },
  };
}
