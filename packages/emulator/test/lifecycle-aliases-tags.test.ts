import {
  ConflictException,
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DeleteKeyCommand,
  GetAliasCommand,
  GetKeyCommand,
  ListAliasesCommand,
  ListKeysCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  RestoreKeyCommand,
  ServiceQuotaExceededException,
  StartKeyUsageCommand,
  StopKeyUsageCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  ValidationException,
  paginateListTagsForResource,
  type PaymentCryptographyClient,
} from '@aws-sdk/client-payment-cryptography';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRANSPORTS, failure, harness, type Harness } from './helpers.js';

const DAY = 86_400_000;

async function newKey(c: PaymentCryptographyClient, tags?: Array<{ Key: string; Value: string }>): Promise<string> {
  const out = await c.send(
    new CreateKeyCommand({
      Exportable: true,
      KeyAttributes: { KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_128', KeyModesOfUse: { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true } },
      Tags: tags,
    }),
  );
  return out.Key!.KeyArn!;
}

describe.each(TRANSPORTS)('lifecycle, aliases, tags through the SDK (%s)', (transport) => {
  let h: Harness;
  let now = Date.UTC(2026, 0, 10, 12, 0, 0);
  beforeAll(async () => {
    h = await harness(transport, { clock: () => now });
  });
  afterAll(async () => h.close());

  it('DeleteKey: DELETE_PENDING, disabled, default 7 days; RestoreKey keeps it disabled; StartKeyUsage enables', async () => {
    const arn = await newKey(h.client);
    const del = await h.client.send(new DeleteKeyCommand({ KeyIdentifier: arn }));
    expect(del.Key!.KeyState).toBe('DELETE_PENDING');
    expect(del.Key!.Enabled).toBe(false);
    expect(del.Key!.DeletePendingTimestamp!.getTime()).toBe(now + 7 * DAY);
    expect(del.Key!.UsageStopTimestamp!.getTime()).toBe(now);
    expect(del.Key!.UsageStartTimestamp).toBeUndefined();
    const again = await failure(() => h.client.send(new DeleteKeyCommand({ KeyIdentifier: arn })));
    expect(again).toBeInstanceOf(ConflictException);
    expect(again.$metadata.httpStatusCode).toBe(409);
    for (const Cmd of [StartKeyUsageCommand, StopKeyUsageCommand]) {
      expect(await failure(() => h.client.send(new Cmd({ KeyIdentifier: arn })))).toBeInstanceOf(ConflictException);
    }
    expect(await failure(() => h.client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'a', Value: 'b' }] })))).toBeInstanceOf(ConflictException);
    const restored = await h.client.send(new RestoreKeyCommand({ KeyIdentifier: arn }));
    expect(restored.Key!.KeyState).toBe('CREATE_COMPLETE');
    expect(restored.Key!.Enabled).toBe(false);
    expect(restored.Key!.DeletePendingTimestamp).toBeUndefined();
    expect(await failure(() => h.client.send(new RestoreKeyCommand({ KeyIdentifier: arn })))).toBeInstanceOf(ConflictException);
    now += 1000;
    const started = await h.client.send(new StartKeyUsageCommand({ KeyIdentifier: arn }));
    expect(started.Key!.Enabled).toBe(true);
    expect(started.Key!.UsageStartTimestamp!.getTime()).toBe(now);
    expect(started.Key!.UsageStopTimestamp).toBeUndefined();
    const stopped = await h.client.send(new StopKeyUsageCommand({ KeyIdentifier: arn }));
    expect(stopped.Key!.Enabled).toBe(false);
    expect(stopped.Key!.UsageStopTimestamp!.getTime()).toBe(now);
  });

  it('DeleteKeyInDays is 3..180; after the period the key is DELETE_COMPLETE and its aliases unassigned', async () => {
    const arn = await newKey(h.client);
    for (const d of [2, 181]) {
      const e = await failure(() => h.client.send(new DeleteKeyCommand({ KeyIdentifier: arn, DeleteKeyInDays: d })));
      expect(e).toBeInstanceOf(ValidationException);
    }
    await h.client.send(new CreateAliasCommand({ AliasName: `alias/doomed-${transport}`, KeyArn: arn }));
    const del = await h.client.send(new DeleteKeyCommand({ KeyIdentifier: `alias/doomed-${transport}`, DeleteKeyInDays: 3 }));
    expect(del.Key!.DeletePendingTimestamp!.getTime()).toBe(now + 3 * DAY);
    const pending = await h.client.send(new ListKeysCommand({ KeyState: 'DELETE_PENDING' }));
    expect(pending.Keys!.map((k) => k.KeyArn)).toContain(arn);
    now += 3 * DAY;
    const got = await h.client.send(new GetKeyCommand({ KeyIdentifier: arn }));
    expect(got.Key!.KeyState).toBe('DELETE_COMPLETE');
    expect(got.Key!.DeleteTimestamp!.getTime()).toBe(now);
    const alias = await h.client.send(new GetAliasCommand({ AliasName: `alias/doomed-${transport}` }));
    expect(alias.Alias!.KeyArn).toBeUndefined();
    expect((await h.client.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyArn)).not.toContain(arn);
    expect((await h.client.send(new ListKeysCommand({ KeyState: 'DELETE_COMPLETE' }))).Keys!.map((k) => k.KeyArn)).toContain(arn);
    expect(await failure(() => h.client.send(new RestoreKeyCommand({ KeyIdentifier: arn })))).toBeInstanceOf(ConflictException);
  });

  it('aliases: create, resolve as KeyIdentifier (name and ARN), update, unassign, delete, list, conflicts', async () => {
    const k1 = await newKey(h.client);
    const k2 = await newKey(h.client);
    const name = `alias/team/${transport}_1`;
    const created = await h.client.send(new CreateAliasCommand({ AliasName: name, KeyArn: k1 }));
    expect(created.Alias).toEqual({ AliasName: name, KeyArn: k1 });
    expect((await h.client.send(new GetKeyCommand({ KeyIdentifier: name }))).Key!.KeyArn).toBe(k1);
    const aliasArn = `arn:aws:payment-cryptography:us-east-1:111122223333:${name}`;
    expect((await h.client.send(new GetKeyCommand({ KeyIdentifier: aliasArn }))).Key!.KeyArn).toBe(k1);
    const dup = await failure(() => h.client.send(new CreateAliasCommand({ AliasName: name, KeyArn: k2 })));
    expect(dup).toBeInstanceOf(ConflictException);
    const upd = await h.client.send(new UpdateAliasCommand({ AliasName: name, KeyArn: k2 }));
    expect(upd.Alias!.KeyArn).toBe(k2);
    const listed = await h.client.send(new ListAliasesCommand({ KeyArn: k2 } as never));
    expect(listed.Aliases).toEqual([{ AliasName: name, KeyArn: k2 }]);
    const unassigned = await h.client.send(new UpdateAliasCommand({ AliasName: name }));
    expect(unassigned.Alias).toEqual({ AliasName: name });
    expect(await failure(() => h.client.send(new GetKeyCommand({ KeyIdentifier: name })))).toBeInstanceOf(ResourceNotFoundException);
    const missingKey = 'arn:aws:payment-cryptography:us-east-1:111122223333:key/zzzzzzzzzzzzzzzz';
    expect(await failure(() => h.client.send(new CreateAliasCommand({ AliasName: `alias/x-${transport}`, KeyArn: missingKey })))).toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect(await failure(() => h.client.send(new CreateAliasCommand({ AliasName: 'bad-name' })))).toBeInstanceOf(ValidationException);
    await h.client.send(new DeleteAliasCommand({ AliasName: name }));
    expect(await failure(() => h.client.send(new GetAliasCommand({ AliasName: name })))).toBeInstanceOf(ResourceNotFoundException);
    expect(await failure(() => h.client.send(new DeleteAliasCommand({ AliasName: name })))).toBeInstanceOf(ResourceNotFoundException);
    expect((await h.client.send(new GetKeyCommand({ KeyIdentifier: k2 }))).Key!.KeyState).toBe('CREATE_COMPLETE');
  });

  it('ListAliases pages with NextToken', async () => {
    const c = h.clientFor('sa-east-1');
    const k = await newKey(c);
    for (let i = 0; i < 5; i++) await c.send(new CreateAliasCommand({ AliasName: `alias/p${i}`, KeyArn: k }));
    const p1 = await c.send(new ListAliasesCommand({ MaxResults: 3 }));
    expect(p1.Aliases!.map((a) => a.AliasName)).toEqual(['alias/p0', 'alias/p1', 'alias/p2']);
    const p2 = await c.send(new ListAliasesCommand({ MaxResults: 3, NextToken: p1.NextToken }));
    expect(p2.Aliases!.map((a) => a.AliasName)).toEqual(['alias/p3', 'alias/p4']);
    expect(p2.NextToken).toBeUndefined();
  });

  it('tags: set at creation, upsert, silent untag of missing keys, limits, pagination', async () => {
    const arn = await newKey(h.client, [{ Key: 'env', Value: 'dev' }]);
    await h.client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'Owner', Value: 'x' }] }));
    let tags = await h.client.send(new ListTagsForResourceCommand({ ResourceArn: arn }));
    expect(tags.Tags).toEqual([{ Key: 'env', Value: 'prod' }, { Key: 'Owner', Value: 'x' }]);
    expect(tags.NextToken).toBeUndefined();
    await h.client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['owner', 'Owner', 'absent'] }));
    tags = await h.client.send(new ListTagsForResourceCommand({ ResourceArn: arn }));
    expect(tags.Tags).toEqual([{ Key: 'env', Value: 'prod' }]);
    const many = Array.from({ length: 49 }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
    await h.client.send(new TagResourceCommand({ ResourceArn: arn, Tags: many }));
    const over = await failure(() => h.client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'one-more', Value: 'v' }] })));
    expect(over).toBeInstanceOf(ServiceQuotaExceededException);
    expect(over.$metadata.httpStatusCode).toBe(402);
    const seen: string[] = [];
    for await (const page of paginateListTagsForResource({ client: h.client, pageSize: 20 }, { ResourceArn: arn })) seen.push(...page.Tags!.map((t) => t.Key!));
    expect(seen).toHaveLength(50);
    expect(await failure(() => h.client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'aws:x', Value: 'v' }] })))).toBeInstanceOf(ValidationException);
    expect(await failure(() => h.client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'k', Value: '' }] })))).toBeInstanceOf(ValidationException);
    expect(await failure(() => h.client.send(new TagResourceCommand({ ResourceArn: 'alias/nope-not-a-key', Tags: [] })))).toBeInstanceOf(ValidationException);
    const ghost = 'arn:aws:payment-cryptography:us-east-1:111122223333:key/zzzzzzzzzzzzzzzz';
    expect(await failure(() => h.client.send(new ListTagsForResourceCommand({ ResourceArn: ghost })))).toBeInstanceOf(ResourceNotFoundException);
    const tooMany = Array.from({ length: 51 }, (_, i) => ({ Key: `t${i}`, Value: 'v' }));
    expect(await failure(() => newKey(h.client, tooMany))).toBeInstanceOf(ValidationException);
    expect(await failure(() => newKey(h.client, [{ Key: 'd', Value: '1' }, { Key: 'd', Value: '2' }]))).toBeInstanceOf(ValidationException);
  });
});
