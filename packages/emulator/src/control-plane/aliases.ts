import type { RequestContext } from '../core/context.js';
import { conflictError, notFoundError } from '../core/errors.js';
import { handler, type PartialOperationTable } from '../core/registry.js';
import { lockName, locked, lookupKey, requireNotPendingDeletion, resolveKey, settleLocked } from '../keys/key-access.js';
import type { AliasRecord } from '../state/records.js';
import { aliasChange, commit } from '../state/commit.js';
import { aliasView } from '../keys/key-view.js';
import { paginateOrdered } from './pagination.js';

/**
 * Aliases (aws-api.md §10.2): `alias/<name>`, unique and case-sensitive per account and region;
 * one alias → at most one key, one key → many aliases. `KeyArn` is optional in CreateAlias and
 * UpdateAlias (the model), so an alias may exist unassigned. DeleteAlias never touches the key.
 * NOTE: CreateAlias of an existing name answers ConflictException even when it names the same key.
 * Changes of one alias name are serialised (withAlias): of concurrent CreateAlias calls of one
 * name exactly one succeeds, the others get ConflictException.
 */

/**
 * The key an alias is to point at, checked while its lock is held (not pending deletion).
 * NOTE: an alias cannot be pointed at a key pending deletion (ConflictException).
 */
async function targetArnLocked(ctx: RequestContext, keyArn: string | undefined): Promise<string | undefined> {
  if (keyArn === undefined) return undefined;
  const key = await settleLocked(ctx, ctx.state, lookupKey(ctx, keyArn));
  requireNotPendingDeletion(key);
  return key.keyArn;
}

function getAlias(ctx: RequestContext, aliasName: string): AliasRecord {
  const a = ctx.state.aliases.get(aliasName);
  if (a === undefined) throw notFoundError(ctx.state.aliasArn(aliasName), `Alias ${aliasName} not found`);
  return a;
}

function makeAlias(aliasName: string, keyArn: string | undefined): AliasRecord {
  return keyArn === undefined ? { aliasName } : { aliasName, keyArn };
}

/**
 * Run `fn` holding the alias name's lock, the lock of the key it points at now and of the key
 * `newTarget` names: alias changes are serialised per name, and against the deletion of either
 * key (settleKey unassigns aliases holding the key's lock). A missing target key is
 * ResourceNotFoundException, before anything is locked.
 */
async function withAlias<T>(ctx: RequestContext, aliasName: string, newTarget: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (newTarget !== undefined) await resolveKey(ctx, newTarget);
  const keyLock = (arn: string | undefined): string[] => (arn === undefined ? [] : [lockName(ctx.state, 'key', lookupKey(ctx, arn).keyId)]);
  return locked(
    ctx,
    () => [lockName(ctx.state, 'alias', aliasName), ...keyLock(ctx.state.aliases.get(aliasName)?.keyArn), ...keyLock(newTarget)],
    fn,
  );
}

type AliasOps = 'CreateAlias' | 'GetAlias' | 'UpdateAlias' | 'DeleteAlias' | 'ListAliases';

export const aliasOperations: PartialOperationTable<AliasOps> = {
  CreateAlias: handler<'CreateAlias'>(async (input, ctx) => {
    const name = input.AliasName!;
    if (ctx.state.aliases.has(name)) throw conflictError(`Alias ${name} already exists`);
    return withAlias(ctx, name, input.KeyArn, async () => {
      if (ctx.state.aliases.has(name)) throw conflictError(`Alias ${name} already exists`);
      const alias = makeAlias(name, await targetArnLocked(ctx, input.KeyArn));
      await commit(ctx, [aliasChange(ctx, ctx.state, undefined, alias)]);
      return { Alias: aliasView(alias) };
    });
  }),

  GetAlias: handler<'GetAlias'>((input, ctx) => ({ Alias: aliasView(getAlias(ctx, input.AliasName!)) })),

  UpdateAlias: handler<'UpdateAlias'>(async (input, ctx) => {
    getAlias(ctx, input.AliasName!);
    return withAlias(ctx, input.AliasName!, input.KeyArn, async () => {
      const old = getAlias(ctx, input.AliasName!);
      const alias = makeAlias(old.aliasName, await targetArnLocked(ctx, input.KeyArn));
      await commit(ctx, [aliasChange(ctx, ctx.state, old, alias)]);
      return { Alias: aliasView(alias) };
    });
  }),

  DeleteAlias: handler<'DeleteAlias'>(async (input, ctx) => {
    getAlias(ctx, input.AliasName!);
    return withAlias(ctx, input.AliasName!, undefined, async () => {
      const alias = getAlias(ctx, input.AliasName!);
      await commit(ctx, [aliasChange(ctx, ctx.state, alias, undefined)]);
      return {};
    });
  }),

  /**
   * Aliases in name order (code points), `KeyArn` (newest model) filters to one key's aliases.
   * NOTE: AWS does not document the order; name order is stable across a walk and a restart.
   */
  ListAliases: handler<'ListAliases'>((input, ctx) => {
    const keyArn = (input as { KeyArn?: string }).KeyArn;
    const all = [...ctx.state.aliases.values()].filter((a) => keyArn === undefined || a.keyArn === keyArn);
    const page = paginateOrdered(all.map(aliasView), (a) => a.AliasName!, `ListAliases:${keyArn ?? ''}`, input.NextToken, input.MaxResults);
    return page.nextToken === undefined ? { Aliases: page.items } : { Aliases: page.items, NextToken: page.nextToken };
  }),
};
