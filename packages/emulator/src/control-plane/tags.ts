import type { Tag } from '@aws-sdk/client-payment-cryptography';
import { quotaError, validationError } from '../core/errors.js';
import { handler, type PartialOperationTable } from '../core/registry.js';
import { checkResourceArn, requireNotPendingDeletion, resolveResourceArn, updateKey, withKey } from '../keys/key-access.js';
import { cloneKey } from '../state/commit.js';
import { tagsView } from '../keys/key-view.js';
import { paginateUnordered } from './pagination.js';

/**
 * Tags (user guide "Tagging keys"; aws-api.md §10.3): at most 50 user tags per key, keys and
 * values case-sensitive, TagResource upserts, UntagResource ignores absent keys, a key pending
 * deletion cannot be tagged or untagged. Aliases cannot be tagged (ResourceArn is a key ARN).
 */
export const MAX_TAGS_PER_KEY = 50;

/**
 * Checks a Tags list of one request and returns it as a map.
 * NOTE: AWS's answers are not documented for: a duplicate key in one request, an `aws:` prefix
 * (reserved AWS-wide), more than 50 tags in one request → ValidationException here.
 */
export function checkTags(tags: readonly Tag[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of tags ?? []) {
    const key = t.Key!;
    if (key.toLowerCase().startsWith('aws:')) throw validationError(`Tag key ${key} uses the reserved prefix aws:`);
    if (out.has(key)) throw validationError(`Duplicate tag key ${key}`);
    out.set(key, t.Value!);
  }
  if (out.size > MAX_TAGS_PER_KEY) throw validationError(`A key can have at most ${MAX_TAGS_PER_KEY} tags, ${out.size} given`);
  return out;
}

export const tagOperations: PartialOperationTable<'TagResource' | 'UntagResource' | 'ListTagsForResource'> = {
  TagResource: handler<'TagResource'>(async (input, ctx) => {
    checkResourceArn(input.ResourceArn!);
    return withKey(ctx, input.ResourceArn!, async (key) => {
      requireNotPendingDeletion(key);
      const add = checkTags(input.Tags);
      const merged = new Map(key.tags ?? []);
      for (const [k, v] of add) merged.set(k, v);
      if (merged.size > MAX_TAGS_PER_KEY) {
        throw quotaError(`A key can have at most ${MAX_TAGS_PER_KEY} tags; this request would give it ${merged.size}`);
      }
      const next = cloneKey(key);
      if (merged.size > 0) next.tags = merged;
      await updateKey(ctx, ctx.state, key, next);
      return {};
    });
  }),

  UntagResource: handler<'UntagResource'>(async (input, ctx) => {
    checkResourceArn(input.ResourceArn!);
    return withKey(ctx, input.ResourceArn!, async (key) => {
      requireNotPendingDeletion(key);
      if (key.tags !== undefined) {
        const next = cloneKey(key);
        for (const k of input.TagKeys!) next.tags!.delete(k);
        if (next.tags!.size === 0) delete next.tags;
        await updateKey(ctx, ctx.state, key, next);
      }
      return {};
    });
  }),

  ListTagsForResource: handler<'ListTagsForResource'>(async (input, ctx) => {
    const key = await resolveResourceArn(ctx, input.ResourceArn!);
    const page = paginateUnordered(tagsView(key.tags), (t) => t.Key!, `ListTagsForResource:${key.keyArn}`, input.NextToken, input.MaxResults);
    return page.nextToken === undefined ? { Tags: page.items } : { Tags: page.items, NextToken: page.nextToken };
  }),
};
