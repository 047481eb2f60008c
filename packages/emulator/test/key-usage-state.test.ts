import {
  ConflictException,
  CreateAliasCommand,
  DeleteKeyCommand,
  ExportKeyCommand,
  GetKeyCommand,
  ImportKeyCommand,
  ListTagsForResourceCommand,
  type PaymentCryptographyClient,
  RestoreKeyCommand,
  StartKeyUsageCommand,
  StopKeyUsageCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-payment-cryptography';
import { unwrapTr31 } from '@paycrypt/keyblock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, harness, type Harness } from './helpers.js';
import { clearKeyOf, createSymmetric, KEK_MODES, nodeKcv } from './tr31-kit.js';

const exportTr31 = (c: PaymentCryptographyClient, key: string, kek: string) =>
  c.send(new ExportKeyCommand({ ExportKeyIdentifier: key, KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kek } } }));
const importTr31 = (c: PaymentCryptographyClient, kek: string, block: string) =>
  c.send(new ImportKeyCommand({ KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kek, WrappedKeyBlock: block } } }));

/**
 * What a disabled or pending-deletion key may and may not do (aws-api.md §10.1): neither can be
 * exported nor wrap/unwrap; a disabled key can still be tagged, aliased and deleted; a pending
 * key cannot be tagged or aliased; RestoreKey leaves it disabled until StartKeyUsage.
 */
describe('disabled and pending-deletion keys (SDK in-process)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness('in-process');
  });
  afterAll(() => h.close());

  it('a disabled key is not exported and does not wrap; it can be tagged, aliased, and works again after StartKeyUsage', async () => {
    const kek = await createSymmetric(h.client, 'TR31_K0_KEY_ENCRYPTION_KEY', 'AES_256', KEK_MODES);
    const cvk = await createSymmetric(h.client, 'TR31_C0_CARD_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true, Verify: true });
    await h.client.send(new StopKeyUsageCommand({ KeyIdentifier: cvk.arn }));
    const e = await failure(() => exportTr31(h.client, cvk.arn, kek.arn));
    expect([e.name, e.message]).toEqual(['ValidationException', expect.stringMatching(/is disabled/)]);
    await h.client.send(new TagResourceCommand({ ResourceArn: cvk.arn, Tags: [{ Key: 'state', Value: 'stopped' }] }));
    expect((await h.client.send(new ListTagsForResourceCommand({ ResourceArn: cvk.arn }))).Tags).toEqual([{ Key: 'state', Value: 'stopped' }]);
    await h.client.send(new CreateAliasCommand({ AliasName: 'alias/stopped-cvk', KeyArn: cvk.arn }));

    await h.client.send(new StopKeyUsageCommand({ KeyIdentifier: kek.arn }));
    await h.client.send(new StartKeyUsageCommand({ KeyIdentifier: cvk.arn }));
    const w = await failure(() => exportTr31(h.client, 'alias/stopped-cvk', kek.arn));
    expect([w.name, w.message]).toEqual(['ValidationException', expect.stringMatching(/is disabled/)]);
    await h.client.send(new StartKeyUsageCommand({ KeyIdentifier: kek.arn }));
    const block = (await exportTr31(h.client, 'alias/stopped-cvk', kek.arn)).WrappedKey!.KeyMaterial!;
    expect(nodeKcv(unwrapTr31(clearKeyOf(h.emulator, kek.arn), block).key, 'TDES', 'ANSI_X9_24')).toBe(cvk.kcv);
  });

  it('a pending-deletion key is neither exported, nor a wrapping key for export or import, nor tagged or aliased; restored it stays disabled', async () => {
    const kek = await createSymmetric(h.client, 'TR31_K0_KEY_ENCRYPTION_KEY', 'AES_256', KEK_MODES);
    const cvk = await createSymmetric(h.client, 'TR31_C0_CARD_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true, Verify: true });
    const block = (await exportTr31(h.client, cvk.arn, kek.arn)).WrappedKey!.KeyMaterial!;

    await h.client.send(new DeleteKeyCommand({ KeyIdentifier: kek.arn }));
    for (const call of [() => exportTr31(h.client, cvk.arn, kek.arn), () => importTr31(h.client, kek.arn, block)]) {
      const e = await failure(call);
      expect([e.name, e.message]).toEqual(['ValidationException', expect.stringMatching(/DELETE_PENDING/)]);
    }
    await h.client.send(new DeleteKeyCommand({ KeyIdentifier: cvk.arn, DeleteKeyInDays: 30 }));
    const other = await createSymmetric(h.client, 'TR31_K0_KEY_ENCRYPTION_KEY', 'AES_256', KEK_MODES);
    const x = await failure(() => h.client.send(new ExportKeyCommand({ ExportKeyIdentifier: cvk.arn, KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: other.arn } } })));
    expect([x.name, x.message]).toEqual(['ValidationException', expect.stringMatching(/DELETE_PENDING/)]);
    expect(await failure(() => h.client.send(new TagResourceCommand({ ResourceArn: cvk.arn, Tags: [{ Key: 'a', Value: 'b' }] })))).toBeInstanceOf(ConflictException);
    expect(await failure(() => h.client.send(new UntagResourceCommand({ ResourceArn: cvk.arn, TagKeys: ['a'] })))).toBeInstanceOf(ConflictException);
    expect(await failure(() => h.client.send(new CreateAliasCommand({ AliasName: 'alias/pending-cvk', KeyArn: cvk.arn })))).toBeInstanceOf(ConflictException);
    // metadata stays readable, KCV included
    expect((await h.client.send(new GetKeyCommand({ KeyIdentifier: cvk.arn }))).Key).toMatchObject({ KeyState: 'DELETE_PENDING', Enabled: false, KeyCheckValue: cvk.kcv });

    await h.client.send(new RestoreKeyCommand({ KeyIdentifier: kek.arn }));
    const still = await failure(() => exportTr31(h.client, other.arn, kek.arn));
    expect([still.name, still.message]).toEqual(['ValidationException', expect.stringMatching(/is disabled/)]);
    await h.client.send(new StartKeyUsageCommand({ KeyIdentifier: kek.arn }));
    expect((await importTr31(h.client, kek.arn, block)).Key!.KeyCheckValue).toBe(cvk.kcv);
  });
});
