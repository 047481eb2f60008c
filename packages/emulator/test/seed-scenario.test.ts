import { DeleteKeyCommand, ExportKeyCommand, GetKeyCommand, ImportKeyCommand } from '@aws-sdk/client-payment-cryptography';
import { unwrapTr31 } from '@paycrypt/keyblock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_MODES_FALSE, harness, TRANSPORTS, type Harness } from './helpers.js';
import { clearKeyOf, createSymmetric, KEK_MODES, nodeKcv } from './tr31-kit.js';

/**
 * The seed scenario of the issue, through the SDK: an AES-256 KEK and a TDES CVK; the CVK
 * exported under the KEK as TR-31, imported back, and both keys scheduled for deletion.
 */
describe.each(TRANSPORTS)('seed scenario (%s)', (transport) => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness(transport);
  });
  afterAll(() => h.close());

  it('KEK + CVK → TR-31 export → import back → delete in 3 days', async () => {
    const kek = await createSymmetric(h.client, 'TR31_K0_KEY_ENCRYPTION_KEY', 'AES_256', KEK_MODES);
    const cvk = await createSymmetric(h.client, 'TR31_C0_CARD_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true, Verify: true });
    expect(kek.kcv).toMatch(/^[0-9A-F]{6}$/);
    expect(cvk.kcv).toMatch(/^[0-9A-F]{6}$/);

    const exported = (await h.client.send(new ExportKeyCommand({ ExportKeyIdentifier: cvk.arn, KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kek.arn } } })))
      .WrappedKey!;
    const block = exported.KeyMaterial!;
    expect(block.startsWith('D0')).toBe(true);
    expect(block.slice(5, 8)).toBe('C0T');
    expect(exported.KeyCheckValue).toBe(cvk.kcv);
    // independent check: the block opens under the clear KEK to a key whose KCV (node:crypto) is the CVK's
    expect(nodeKcv(unwrapTr31(clearKeyOf(h.emulator, kek.arn), block).key, 'TDES', 'ANSI_X9_24')).toBe(cvk.kcv);

    const imported = (await h.client.send(new ImportKeyCommand({ KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kek.arn, WrappedKeyBlock: block } } }))).Key!;
    expect(imported.KeyArn).not.toBe(cvk.arn);
    expect(imported.KeyCheckValue).toBe(cvk.kcv);
    expect(imported.KeyOrigin).toBe('EXTERNAL');
    expect(imported.Exportable).toBe(true);
    expect(imported.KeyAttributes).toEqual({
      KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY',
      KeyClass: 'SYMMETRIC_KEY',
      KeyAlgorithm: 'TDES_2KEY',
      KeyModesOfUse: { ...ALL_MODES_FALSE, Generate: true, Verify: true },
    });

    for (const arn of [kek.arn, cvk.arn]) {
      const del = (await h.client.send(new DeleteKeyCommand({ KeyIdentifier: arn, DeleteKeyInDays: 3 }))).Key!;
      expect(del.KeyState).toBe('DELETE_PENDING');
      const due = del.DeletePendingTimestamp!.getTime() - Date.now();
      expect(due).toBeGreaterThan(3 * 86_400_000 - 60_000);
      expect(due).toBeLessThanOrEqual(3 * 86_400_000 + 1_000);
      expect((await h.client.send(new GetKeyCommand({ KeyIdentifier: arn }))).Key!.KeyState).toBe('DELETE_PENDING');
    }
  });
});
