import { generateKey } from '../keys/key-material.js';
import { validationError } from '../core/errors.js';
import { handler, type PartialOperationTable } from '../core/registry.js';
import { resolveKey, settleKey } from '../keys/key-access.js';
import { checkCreateKeyAttributes } from '../keys/key-attributes.js';
import { createKeyRecord } from '../keys/key-factory.js';
import { keySummaryView, keyView } from '../keys/key-view.js';
import { keyOrder, paginateOrdered } from './pagination.js';
import { checkReplicationRegions, newPrimary } from './replication.js';
import { checkTags } from './tags.js';

/** CreateKey, GetKey, ListKeys. */
export const keyOperations: PartialOperationTable<'CreateKey' | 'GetKey' | 'ListKeys'> = {
  CreateKey: handler<'CreateKey'>(async (input, ctx) => {
    const attrs = input.KeyAttributes!;
    const problem = checkCreateKeyAttributes({
      KeyUsage: attrs.KeyUsage!,
      KeyClass: attrs.KeyClass!,
      KeyAlgorithm: attrs.KeyAlgorithm!,
      KeyModesOfUse: attrs.KeyModesOfUse!,
    });
    if (problem !== undefined) throw validationError(problem);
    if (input.DeriveKeyUsage !== undefined && attrs.KeyUsage !== 'TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT') {
      throw validationError('DeriveKeyUsage can only be set for TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT keys');
    }
    const tags = checkTags(input.Tags);
    const replication = checkReplicationRegions(ctx, (input as { ReplicationRegions?: string[] }).ReplicationRegions);
    const material = await generateKey(attrs.KeyAlgorithm!);
    const rec = await createKeyRecord(ctx, ctx.state, {
      keyUsage: attrs.KeyUsage!,
      keyClass: attrs.KeyClass!,
      keyAlgorithm: attrs.KeyAlgorithm!,
      modes: attrs.KeyModesOfUse!,
      exportable: input.Exportable!,
      enabled: input.Enabled ?? true,
      origin: 'AWS_PAYMENT_CRYPTOGRAPHY',
      kcvAlgorithm: input.KeyCheckValueAlgorithm,
      deriveKeyUsage: input.DeriveKeyUsage,
      tags,
      material,
      withRecord: newPrimary(ctx, replication),
    });
    material.kind === 'symmetric' ? material.key.fill(0) : material.privateKeyPkcs8.fill(0);
    return { Key: keyView(rec) };
  }),

  GetKey: handler<'GetKey'>(async (input, ctx) => {
    const key = await resolveKey(ctx, input.KeyIdentifier!);
    return { Key: keyView(key) };
  }),

  /**
   * Keys in creation order (creation time, then key id: the cursor's order, pagination.ts). NOTE: DELETE_COMPLETE keys are listed only when asked for with
   * `KeyState: DELETE_COMPLETE` (AWS's behaviour is not documented).
   */
  ListKeys: handler<'ListKeys'>(async (input, ctx) => {
    const wanted = input.KeyState;
    const all = [];
    for (const k of ctx.state.keys.values()) {
      const key = await settleKey(ctx, ctx.state, k);
      if (wanted === undefined ? key.state !== 'DELETE_COMPLETE' : key.state === wanted) all.push(key);
    }
    const page = paginateOrdered(all, keyOrder, `ListKeys:${wanted ?? ''}`, input.NextToken, input.MaxResults);
    const Keys = page.items.map(keySummaryView);
    return page.nextToken === undefined ? { Keys } : { Keys, NextToken: page.nextToken };
  }),
};
