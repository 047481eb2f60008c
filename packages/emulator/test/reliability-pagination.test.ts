import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Emulator } from '../src/index.js';

/**
 * Issue 11 item 3: NextToken is a cursor over a stable order. Filtered walks of ListKeys (and
 * ListAliases, ListTagsForResource) while keys are deleted, restored and created between pages:
 * no item is returned twice, and every item that matched the filter and did not change for the
 * whole walk is returned.
 */
const TDES = {
  Exportable: true,
  KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } },
};
type Step = { kind: 'delete' | 'restore' | 'create'; pick: number };
const stepArb = fc.record({ kind: fc.constantFrom('delete', 'restore', 'create'), pick: fc.nat() }) as fc.Arbitrary<Step>;

async function stateOf(em: Emulator, arn: string): Promise<string> {
  return (await em.call('GetKey', { KeyIdentifier: arn })).Key!.KeyState!;
}

describe('reliability: pagination cursors under concurrent writes (issue 11 item 3)', () => {
  it('filtered ListKeys walks never repeat a key and never skip an unchanged one', async () => {
    let now = Date.parse('2026-06-01T00:00:00Z');
    const em = Emulator.inMemory({ clock: () => (now += 7) });
    const arns: string[] = [];
    for (let i = 0; i < 40; i++) {
      const arn = (await em.call('CreateKey', TDES)).Key!.KeyArn!;
      arns.push(arn);
      if (i % 3 === 0) await em.call('DeleteKey', { KeyIdentifier: arn });
    }
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(undefined, 'CREATE_COMPLETE', 'DELETE_PENDING'),
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.array(stepArb, { maxLength: 3 }), { minLength: 12, maxLength: 12 }),
        async (filter, pageSize, writes) => {
          const at = new Map<string, string>();
          for (const a of arns) at.set(a, await stateOf(em, a));
          const changed = new Set<string>();
          const seen: string[] = [];
          let token: string | undefined;
          let page = 0;
          do {
            const r = await em.call('ListKeys', { ...(filter ? { KeyState: filter } : {}), MaxResults: pageSize, ...(token ? { NextToken: token } : {}) });
            seen.push(...r.Keys!.map((k) => k.KeyArn!));
            token = r.NextToken;
            // writes between the first pages only (creations after the cursor lengthen the walk)
            for (const w of writes[page++] ?? []) {
              if (w.kind === 'create') {
                const arn = (await em.call('CreateKey', TDES)).Key!.KeyArn!;
                arns.push(arn);
                changed.add(arn);
                continue;
              }
              const arn = arns[w.pick % arns.length]!;
              const s = await stateOf(em, arn);
              if (w.kind === 'delete' && s === 'CREATE_COMPLETE') await em.call('DeleteKey', { KeyIdentifier: arn });
              else if (w.kind === 'restore' && s === 'DELETE_PENDING') await em.call('RestoreKey', { KeyIdentifier: arn });
              else continue;
              changed.add(arn);
            }
          } while (token !== undefined);
          expect(new Set(seen).size).toBe(seen.length);
          const want = [...at].filter(([a, s]) => !changed.has(a) && (filter === undefined ? s !== 'DELETE_COMPLETE' : s === filter)).map(([a]) => a);
          for (const a of want) expect(seen).toContain(a);
        },
      ),
      { numRuns: 25 },
    );
    await em.close();
  });

  it('ListAliases and ListTagsForResource walks keep their cursor while items come and go', async () => {
    const em = Emulator.inMemory();
    const arn = (await em.call('CreateKey', TDES)).Key!.KeyArn!;
    for (let i = 0; i < 12; i++) await em.call('CreateAlias', { AliasName: `alias/a${String(i).padStart(2, '0')}`, KeyArn: arn });
    await em.call('TagResource', { ResourceArn: arn, Tags: Array.from({ length: 12 }, (_, i) => ({ Key: `t${i}`, Value: 'v' })) });
    // aliases: delete the one just returned and one not yet returned, add one before and after the cursor
    const a1 = await em.call('ListAliases', { MaxResults: 4 });
    await em.call('DeleteAlias', { AliasName: 'alias/a03' });
    await em.call('DeleteAlias', { AliasName: 'alias/a08' });
    await em.call('CreateAlias', { AliasName: 'alias/a00x', KeyArn: arn });
    await em.call('CreateAlias', { AliasName: 'alias/a99', KeyArn: arn });
    const names = a1.Aliases!.map((a) => a.AliasName!);
    let token = a1.NextToken;
    while (token !== undefined) {
      const r = await em.call('ListAliases', { MaxResults: 4, NextToken: token });
      names.push(...r.Aliases!.map((a) => a.AliasName!));
      token = r.NextToken;
    }
    expect(new Set(names).size).toBe(names.length);
    for (const i of [0, 1, 2, 4, 5, 6, 7, 9, 10, 11]) expect(names).toContain(`alias/a${String(i).padStart(2, '0')}`);
    // tags: untag returned and unreturned ones between pages
    const t1 = await em.call('ListTagsForResource', { ResourceArn: arn, MaxResults: 5 });
    await em.call('UntagResource', { ResourceArn: arn, TagKeys: [t1.Tags![4]!.Key!, 't9'] });
    await em.call('TagResource', { ResourceArn: arn, Tags: [{ Key: 'new', Value: 'v' }] });
    const tags = t1.Tags!.map((t) => t.Key!);
    let tt = t1.NextToken;
    while (tt !== undefined) {
      const r = await em.call('ListTagsForResource', { ResourceArn: arn, MaxResults: 5, NextToken: tt });
      tags.push(...r.Tags!.map((t) => t.Key!));
      tt = r.NextToken;
    }
    expect(new Set(tags).size).toBe(tags.length);
    for (let i = 0; i < 12; i++) if (i !== 9) expect(tags).toContain(`t${i}`);
    // a token of another listing is refused
    await expect(em.call('ListKeys', { NextToken: a1.NextToken })).rejects.toMatchObject({ awsName: 'ValidationException' });
    await em.close();
  });
});
