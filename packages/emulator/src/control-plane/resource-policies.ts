import { notFoundError, publicPolicyError, validationError } from '../core/errors.js';
import { handler, type PartialOperationTable } from '../core/registry.js';
import { checkResourceArn, requireNotPendingDeletion, resolveResourceArn, updateKey, withKey } from '../keys/key-access.js';
import { cloneKey } from '../state/commit.js';

/**
 * Resource-based policies on keys (2026-04): PutResourcePolicy, GetResourcePolicy,
 * DeleteResourcePolicy. The policy is stored on the key and returned verbatim.
 * NOTE: policies are stored, not enforced (the emulator does no authorization).
 * NOTE: the policy must be a JSON object with a `Statement`; anything else is ValidationException.
 * NOTE: "public" = an Allow statement whose Principal is `*` (or `{"AWS": "*"}`) without a
 * Condition → PublicPolicyException; AWS's exact analysis is not documented.
 * NOTE: GetResourcePolicy of a key without a policy answers ResourceNotFoundException;
 * DeleteResourcePolicy of a key without one succeeds (the model marks it idempotent).
 */

interface Statement {
  Effect?: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

function grantsPublicAccess(p: unknown): boolean {
  if (p === '*') return true;
  if (typeof p === 'object' && p !== null) {
    const aws = (p as Record<string, unknown>)['AWS'];
    return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
  }
  return false;
}

function checkPolicy(text: string): void {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw validationError('The policy is not valid JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw validationError('The policy must be a JSON object');
  const st = (doc as { Statement?: unknown }).Statement;
  if (st === undefined) throw validationError('The policy has no Statement');
  const statements = (Array.isArray(st) ? st : [st]) as Statement[];
  for (const s of statements) {
    if (typeof s !== 'object' || s === null) throw validationError('Each policy statement must be a JSON object');
    if (s.Effect === 'Allow' && grantsPublicAccess(s.Principal) && s.Condition === undefined) {
      throw publicPolicyError('The policy grants public access to the key');
    }
  }
}

export const resourcePolicyOperations: PartialOperationTable<'PutResourcePolicy' | 'GetResourcePolicy' | 'DeleteResourcePolicy'> = {
  PutResourcePolicy: handler<'PutResourcePolicy'>(async (input, ctx) => {
    checkResourceArn(input.ResourceArn);
    return withKey(ctx, input.ResourceArn, async (key) => {
      requireNotPendingDeletion(key);
      checkPolicy(input.Policy);
      const next = cloneKey(key);
      next.policy = input.Policy;
      await updateKey(ctx, ctx.state, key, next);
      return { ResourceArn: next.keyArn, Policy: input.Policy };
    });
  }),

  GetResourcePolicy: handler<'GetResourcePolicy'>(async (input, ctx) => {
    const key = await resolveResourceArn(ctx, input.ResourceArn);
    if (key.policy === undefined) throw notFoundError(key.keyArn, `Key ${key.keyArn} has no resource policy`);
    return { ResourceArn: key.keyArn, Policy: key.policy };
  }),

  DeleteResourcePolicy: handler<'DeleteResourcePolicy'>(async (input, ctx) => {
    checkResourceArn(input.ResourceArn);
    return withKey(ctx, input.ResourceArn, async (key) => {
      if (key.policy !== undefined) {
        const next = cloneKey(key);
        delete next.policy;
        await updateKey(ctx, ctx.state, key, next);
      }
      return {};
    });
  }),
};
