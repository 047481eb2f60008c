import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_PLANE_MODEL, isAwsError } from '../src/index.js';
import { dataPlaneHarness, type DataPlaneHarness } from './data-plane-kit.js';
import { clearBlock8, DEC_TABLE, DUKPT_VECTORS, pinKeys, tdes, type PinKeys } from './data-plane-pin-kit.js';
import { mutationsOf } from './robustness-kit.js';

/**
 * PIN operations under arbitrary inputs, in-process: (1) known-good inputs with real keys, one
 * member replaced by a model-shaped/edge/wrong-typed value or removed, answer a result or a client
 * error, never a server error; (2) round trips over model-valid inputs — every generation member,
 * random PANs, formats and lengths — verify after GeneratePinData and after two translations.
 */
const CLIENT = new Set(['ValidationException', 'ResourceNotFoundException', 'VerificationFailedException', 'AccessDeniedException']);
const PAN = '4012345678909';
const A4 = DUKPT_VECTORS.find((v) => v.description.startsWith('TDES DUKPT initial sequence'))!;

let h: DataPlaneHarness;
let k: PinKeys;
beforeAll(async () => {
  h = await dataPlaneHarness();
  k = await pinKeys(h);
});
afterAll(async () => h?.close());

async function clientErrorOnly(op: 'GeneratePinData' | 'VerifyPinData' | 'TranslatePinData', v: unknown): Promise<void> {
  try {
    await h.emulator.call(op, v);
  } catch (e) {
    expect(isAwsError(e), String(e)).toBe(true);
    expect(CLIENT, `${(e as Error).name}: ${(e as Error).message} for ${JSON.stringify(v)}`).toContain((e as Error).name);
  }
}

describe('PIN operations: arbitrary inputs never cause a server error', () => {
  const ibm = () => ({ DecimalizationTable: DEC_TABLE, PinValidationDataPadCharacter: 'F', PinValidationData: '1122334455667788' });
  const good = () => {
    const b0 = tdes(k.pekTdes.clear, clearBlock8(0, '1234', PAN));
    return {
      GeneratePinData: [
        { GenerationKeyIdentifier: k.pvkIbm.arn, EncryptionKeyIdentifier: k.pekTdes.arn, PrimaryAccountNumber: PAN, PinBlockFormat: 'ISO_FORMAT_0', GenerationAttributes: { Ibm3624PinOffset: { EncryptedPinBlock: b0, ...ibm() } } },
        { GenerationKeyIdentifier: k.pvkVisa.arn, EncryptionKeyIdentifier: k.pekAes.arn, PrimaryAccountNumber: PAN, PinBlockFormat: 'ISO_FORMAT_4', GenerationAttributes: { VisaPin: { PinVerificationKeyIndex: 1 } }, PinDataLength: 6 },
        { GenerationKeyIdentifier: k.pvkVisa.arn, EncryptionKeyIdentifier: k.pekTdes.arn, PrimaryAccountNumber: PAN, PinBlockFormat: 'ISO_FORMAT_3', GenerationAttributes: { VisaPinVerificationValue: { EncryptedPinBlock: tdes(k.pekTdes.clear, clearBlock8(3, '1234', PAN)), PinVerificationKeyIndex: 2 } } },
      ],
      VerifyPinData: [
        { VerificationKeyIdentifier: k.pvkIbm.arn, EncryptionKeyIdentifier: k.pekTdes.arn, PrimaryAccountNumber: PAN, PinBlockFormat: 'ISO_FORMAT_0', EncryptedPinBlock: b0, VerificationAttributes: { Ibm3624Pin: { ...ibm(), PinOffset: '7710' } } },
        { VerificationKeyIdentifier: k.pvkIbm.arn, EncryptionKeyIdentifier: k.bdkTdes.arn, PrimaryAccountNumber: PAN, PinBlockFormat: 'ISO_FORMAT_0', EncryptedPinBlock: A4.expected.encrypted_pinblock, DukptAttributes: { KeySerialNumber: A4.inputs.ksn, DukptDerivationType: 'TDES_2KEY' }, VerificationAttributes: { Ibm3624Pin: { ...ibm(), PinOffset: '7710' } } },
      ],
      TranslatePinData: [
        { IncomingKeyIdentifier: k.bdkTdes.arn, IncomingDukptAttributes: { KeySerialNumber: A4.inputs.ksn }, OutgoingKeyIdentifier: k.pekAes.arn, IncomingTranslationAttributes: { IsoFormat0: { PrimaryAccountNumber: PAN } }, OutgoingTranslationAttributes: { IsoFormat4: { PrimaryAccountNumber: PAN } }, EncryptedPinBlock: A4.expected.encrypted_pinblock },
        { IncomingKeyIdentifier: k.pekTdes.arn, OutgoingKeyIdentifier: k.bdkAes.arn, OutgoingDukptAttributes: { KeySerialNumber: '123456789012345600000001' }, IncomingTranslationAttributes: { IsoFormat0: { PrimaryAccountNumber: PAN } }, OutgoingTranslationAttributes: { IsoFormat4: { PrimaryAccountNumber: PAN } }, EncryptedPinBlock: b0 },
      ],
    };
  };

  for (const op of ['GeneratePinData', 'VerifyPinData', 'TranslatePinData'] as const) {
    it(`${op}: mutated known-good inputs`, { timeout: 120_000 }, async () => {
      const list = good()[op] as Record<string, unknown>[];
      for (const ex of list) await h.emulator.call(op, ex); // the known-good inputs succeed
      await fc.assert(fc.asyncProperty(mutationsOf(list, `${op}Input`, DATA_PLANE_MODEL.shapes), (v) => clientErrorOnly(op, v)), { numRuns: 600 });
    });
  }

  it('round trips: every generation member verifies, also after ISO 0 → ISO 4 → ISO 3 translations', { timeout: 120_000 }, async () => {
    const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
    const ibmArb = fc.record({ DecimalizationTable: digits(16, 16), PinValidationDataPadCharacter: fc.constantFrom(...'0123456789ABCDEF'), PinValidationData: digits(4, 16) });
    const member = fc.oneof(
      fc.record({ VisaPin: fc.record({ PinVerificationKeyIndex: fc.integer({ min: 0, max: 6 }) }) }),
      fc.record({ Ibm3624NaturalPin: ibmArb }),
      fc.record({ Ibm3624RandomPin: ibmArb }),
      fc.record({ Ibm3624PinFromOffset: fc.record({ DecimalizationTable: digits(16, 16), PinValidationDataPadCharacter: fc.constantFrom(...'0123456789ABCDEF'), PinValidationData: digits(4, 16), PinOffset: digits(4, 12) }) }),
    );
    const format = fc.constantFrom('ISO_FORMAT_0', 'ISO_FORMAT_1', 'ISO_FORMAT_3', 'ISO_FORMAT_4');
    await fc.assert(
      fc.asyncProperty(member, digits(12, 19), format, fc.integer({ min: 4, max: 12 }), async (m, pan, f, n) => {
        const visa = 'VisaPin' in m;
        const pvk = visa ? k.pvkVisa.arn : k.pvkIbm.arn;
        const pek = f === 'ISO_FORMAT_4' ? k.pekAes.arn : k.pekTdes.arn;
        const g = await h.emulator.call('GeneratePinData', { GenerationKeyIdentifier: pvk, EncryptionKeyIdentifier: pek, PrimaryAccountNumber: pan, PinBlockFormat: f, PinDataLength: n, GenerationAttributes: m });
        const attrs = visa
          ? { VisaPin: { PinVerificationKeyIndex: (m as { VisaPin: { PinVerificationKeyIndex: number } }).VisaPin.PinVerificationKeyIndex, VerificationValue: g.PinData.VerificationValue! } }
          : { Ibm3624Pin: { ...(Object.values(m)[0] as Record<string, string>), PinOffset: g.PinData.PinOffset! } };
        const verify = (block: string, fmt: string, key: string) => h.emulator.call('VerifyPinData', { VerificationKeyIdentifier: pvk, EncryptionKeyIdentifier: key, PrimaryAccountNumber: pan, PinBlockFormat: fmt, EncryptedPinBlock: block, VerificationAttributes: attrs });
        await verify(g.EncryptedPinBlock, f, pek);
        if (f !== 'ISO_FORMAT_0') return;
        const t4 = await h.emulator.call('TranslatePinData', { IncomingKeyIdentifier: pek, OutgoingKeyIdentifier: k.pekAes.arn, IncomingTranslationAttributes: { IsoFormat0: { PrimaryAccountNumber: pan } }, OutgoingTranslationAttributes: { IsoFormat4: { PrimaryAccountNumber: pan } }, EncryptedPinBlock: g.EncryptedPinBlock });
        const t3 = await h.emulator.call('TranslatePinData', { IncomingKeyIdentifier: k.pekAes.arn, OutgoingKeyIdentifier: k.pekTdes2.arn, IncomingTranslationAttributes: { IsoFormat4: { PrimaryAccountNumber: pan } }, OutgoingTranslationAttributes: { IsoFormat3: { PrimaryAccountNumber: pan } }, EncryptedPinBlock: t4.PinBlock });
        await verify(t3.PinBlock, 'ISO_FORMAT_3', k.pekTdes2.arn);
      }),
      { numRuns: 300 },
    );
  });
});
