import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Emulator } from '../src/index.js';
import { hex } from './as2805-kit.js';

/**
 * strictAlgorithms (EmulatorOptions): the AS2805 choices no source publishes are refused — the
 * TERMINAL_MAJOR_KEY_VARIANT_00 mask, the VARIANT_MASK_82C0 layout and the candidate KPE
 * derivation of IncomingAs2805Attributes — while the published ones (AWS sample) keep working.
 * In process (emulator.call), both planes.
 */
describe('AS2805 under strictAlgorithms', () => {
  const em = Emulator.inMemory({ strictAlgorithms: true });
  afterAll(async () => em.close());
  const ALL4 = { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true };

  it('published variants work, unpublished ones are refused with a ValidationException', async () => {
    const kek = await em.call('CreateKey', { KeyAttributes: { KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: ALL4 }, Exportable: true });
    const kekArn = kek.Key!.KeyArn!;
    const imp = (As2805KeyVariant: string) =>
      em.call('ImportKey', { KeyMaterial: { As2805KeyCryptogram: { WrappingKeyIdentifier: kekArn, As2805KeyVariant, Exportable: true, KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: ALL4, WrappedKeyCryptogram: hex(randomBytes(16)) } } });
    await expect(imp('PIN_ENCRYPTION_KEY_VARIANT_28')).resolves.toMatchObject({ Key: { KeyAttributes: { KeyUsage: 'TR31_P0_PIN_ENCRYPTION_KEY' } } });
    await expect(imp('TERMINAL_MAJOR_KEY_VARIANT_00')).rejects.toMatchObject({ awsName: 'ValidationException', message: expect.stringMatching(/strictAlgorithms/) });
    const kv = (RandomKeySendVariantMask: string) => em.call('GenerateAs2805KekValidation', { KeyIdentifier: kekArn, KekValidationType: { KekValidationRequest: { DeriveKeyAlgorithm: 'TDES_2KEY' } }, RandomKeySendVariantMask });
    await expect(kv('VARIANT_MASK_82')).resolves.toMatchObject({ KeyArn: kekArn });
    await expect(kv('VARIANT_MASK_82C0')).rejects.toMatchObject({ awsName: 'ValidationException', message: expect.stringMatching(/strictAlgorithms/) });
  });

  it('IncomingAs2805Attributes (candidate KPE derivation) is refused', async () => {
    const kek = await em.call('CreateKey', { KeyAttributes: { KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: ALL4 }, Exportable: true });
    const pek = await em.call('CreateKey', { KeyAttributes: { KeyUsage: 'TR31_P0_PIN_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: ALL4 }, Exportable: true });
    // the export itself (published variant) works under strict
    const exp = await em.call('ExportKey', { ExportKeyIdentifier: pek.Key!.KeyArn!, KeyMaterial: { As2805KeyCryptogram: { WrappingKeyIdentifier: kek.Key!.KeyArn!, As2805KeyVariant: 'PIN_ENCRYPTION_KEY_VARIANT_28' } } });
    expect(exp.WrappedKey!.KeyMaterial).toMatch(/^[0-9A-F]{32}$/);
    const iso0 = { IsoFormat0: { PrimaryAccountNumber: '4242424242424242' } };
    await expect(
      em.call('TranslatePinData', { IncomingKeyIdentifier: pek.Key!.KeyArn!, OutgoingKeyIdentifier: pek.Key!.KeyArn!, IncomingTranslationAttributes: iso0, OutgoingTranslationAttributes: iso0, EncryptedPinBlock: '0123456789ABCDEF', IncomingAs2805Attributes: { SystemTraceAuditNumber: '000438', TransactionAmount: '000000000328' } }),
    ).rejects.toMatchObject({ awsName: 'ValidationException', message: expect.stringMatching(/IncomingAs2805Attributes is refused \(strictAlgorithms\)/) });
  });
});
