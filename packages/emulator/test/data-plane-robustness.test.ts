import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_OPERATION_NAMES, DATA_PLANE, DATA_PLANE_MODEL, Emulator, isAwsError, type DataOperationName } from '../src/index.js';
import { startHttpServer, type RunningServer } from '../src/transport/http-server.js';
import { addPool, mutationsOf, recordingTable, shapeArb, withTimeout } from './robustness-kit.js';

/**
 * Robustness of the data plane: for every operation of the newest data-plane model, arbitrary
 * inputs — random JSON, values shaped after the model (edge strings, wrong types, identifiers of
 * seeded keys of every usage), and known-good inputs with one member replaced or removed — either
 * succeed or fail with an AWS client error the model lists for the operation (or
 * NotImplementedException where the table says so): never InternalServerException, never a
 * non-AWS error, never a hang. Over raw HTTP, random requests to the data-plane routes get a
 * 2xx/4xx/501 answer with the error name in `x-amzn-errortype`.
 */

const NUM_RUNS = 80;
const CLIENT = new Set(['ValidationException', 'ResourceNotFoundException', 'AccessDeniedException', 'VerificationFailedException']);

const raw: { last: unknown } = { last: undefined };
const table = recordingTable(DATA_PLANE, raw);

const em = Emulator.inMemory({ dataOperations: table });
const keys: Record<string, string> = {};
const examples: Partial<Record<DataOperationName, Record<string, unknown>[]>> = {};

const ALL = { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true };
const SEEDS: [string, string, string, Record<string, boolean>, string?][] = [
  ['cvk', 'TR31_C0_CARD_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true, Verify: true }],
  ['pek', 'TR31_P0_PIN_ENCRYPTION_KEY', 'TDES_2KEY', ALL],
  ['pekAes', 'TR31_P0_PIN_ENCRYPTION_KEY', 'AES_128', ALL],
  ['pvkVisa', 'TR31_V2_VISA_PIN_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true, Verify: true }],
  ['pvkIbm', 'TR31_V1_IBM3624_PIN_VERIFICATION_KEY', 'TDES_3KEY', { Generate: true, Verify: true }],
  ['bdk', 'TR31_B0_BASE_DERIVATION_KEY', 'TDES_2KEY', { DeriveKey: true }],
  ['bdkAes', 'TR31_B0_BASE_DERIVATION_KEY', 'AES_128', { DeriveKey: true }],
  ['dek', 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', 'AES_128', ALL],
  ['dekTdes', 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', 'TDES_3KEY', ALL],
  ['m1', 'TR31_M1_ISO_9797_1_MAC_KEY', 'TDES_2KEY', { Generate: true, Verify: true }],
  ['m3', 'TR31_M3_ISO_9797_3_MAC_KEY', 'TDES_2KEY', { Generate: true, Verify: true }],
  ['m6', 'TR31_M6_ISO_9797_5_CMAC_KEY', 'AES_128', { Generate: true, Verify: true }],
  ['m7', 'TR31_M7_HMAC_KEY', 'HMAC_SHA256', { Generate: true, Verify: true }],
  ['e0', 'TR31_E0_EMV_MKEY_APP_CRYPTOGRAMS', 'TDES_2KEY', { DeriveKey: true }],
  ['e1', 'TR31_E1_EMV_MKEY_CONFIDENTIALITY', 'TDES_2KEY', { DeriveKey: true }],
  ['e2', 'TR31_E2_EMV_MKEY_INTEGRITY', 'TDES_2KEY', { DeriveKey: true }],
  ['e4', 'TR31_E4_EMV_MKEY_DYNAMIC_NUMBERS', 'TDES_2KEY', { DeriveKey: true }],
  ['e6', 'TR31_E6_EMV_MKEY_OTHER', 'TDES_2KEY', { DeriveKey: true }],
  ['kek', 'TR31_K0_KEY_ENCRYPTION_KEY', 'AES_128', ALL],
  ['rsa', 'TR31_D1_ASYMMETRIC_KEY_FOR_DATA_ENCRYPTION', 'RSA_2048', ALL, 'ASYMMETRIC_KEY_PAIR'],
];

const PAN = '4123456789012345';
function seedExamples(): void {
  const k = keys;
  const ex: Partial<Record<DataOperationName, Record<string, unknown>[]>> = {
    GenerateCardValidationData: [
      { KeyIdentifier: k.cvk, PrimaryAccountNumber: PAN, GenerationAttributes: { CardVerificationValue2: { CardExpiryDate: '1230' } } },
      { KeyIdentifier: k.e4, PrimaryAccountNumber: PAN, GenerationAttributes: { DynamicCardVerificationCode: { UnpredictableNumber: '12345678', PanSequenceNumber: '00', ApplicationTransactionCounter: '0001', TrackData: '1234567890ABCDEF' } } },
    ],
    VerifyCardValidationData: [{ KeyIdentifier: k.cvk, PrimaryAccountNumber: PAN, ValidationData: '123', VerificationAttributes: { CardVerificationValue1: { CardExpiryDate: '1230', ServiceCode: '101' } } }],
    GeneratePinData: [
      { GenerationKeyIdentifier: k.pvkVisa, EncryptionKeyIdentifier: k.pek, PrimaryAccountNumber: PAN, PinBlockFormat: 'ISO_FORMAT_0', GenerationAttributes: { VisaPin: { PinVerificationKeyIndex: 1 } } },
      { GenerationKeyIdentifier: k.pvkIbm, EncryptionKeyIdentifier: k.pek, PrimaryAccountNumber: PAN, PinBlockFormat: 'ISO_FORMAT_3', GenerationAttributes: { Ibm3624RandomPin: { DecimalizationTable: '0123456789012345', PinValidationDataPadCharacter: 'F', PinValidationData: '1234567890' } } },
    ],
    VerifyPinData: [
      { VerificationKeyIdentifier: k.pvkVisa, EncryptionKeyIdentifier: k.pek, PrimaryAccountNumber: PAN, PinBlockFormat: 'ISO_FORMAT_0', EncryptedPinBlock: '0123456789ABCDEF', VerificationAttributes: { VisaPin: { PinVerificationKeyIndex: 1, VerificationValue: '1234' } } },
    ],
    TranslatePinData: [
      { IncomingKeyIdentifier: k.pek, OutgoingKeyIdentifier: k.pekAes, EncryptedPinBlock: '0123456789ABCDEF', IncomingTranslationAttributes: { IsoFormat0: { PrimaryAccountNumber: PAN } }, OutgoingTranslationAttributes: { IsoFormat4: { PrimaryAccountNumber: PAN } } },
      { IncomingKeyIdentifier: k.bdk, OutgoingKeyIdentifier: k.pek, EncryptedPinBlock: '0123456789ABCDEF', IncomingTranslationAttributes: { IsoFormat0: { PrimaryAccountNumber: PAN } }, OutgoingTranslationAttributes: { IsoFormat3: { PrimaryAccountNumber: PAN } }, IncomingDukptAttributes: { KeySerialNumber: 'FFFF9876543210E00001', DukptKeyDerivationType: 'TDES_2KEY' } },
    ],
    EncryptData: [
      { KeyIdentifier: k.dek, PlainText: '00112233445566778899AABBCCDDEEFF', EncryptionAttributes: { Symmetric: { Mode: 'CBC', InitializationVector: '000102030405060708090A0B0C0D0E0F' } } },
      { KeyIdentifier: k.bdk, PlainText: '0011223344556677', EncryptionAttributes: { Dukpt: { KeySerialNumber: 'FFFF9876543210E00001' } } },
    ],
    DecryptData: [{ KeyIdentifier: k.dekTdes, CipherText: '0011223344556677', DecryptionAttributes: { Symmetric: { Mode: 'OFB' } } }],
    ReEncryptData: [
      { IncomingKeyIdentifier: k.dek, OutgoingKeyIdentifier: k.dekTdes, CipherText: '00112233445566778899AABBCCDDEEFF', IncomingEncryptionAttributes: { Symmetric: { Mode: 'ECB' } }, OutgoingEncryptionAttributes: { Symmetric: { Mode: 'CBC' } } },
    ],
    GenerateMac: [
      { KeyIdentifier: k.m6, MessageData: '3132333435', GenerationAttributes: { Algorithm: 'CMAC' } },
      { KeyIdentifier: k.e2, MessageData: '3132333435363738', GenerationAttributes: { EmvMac: { MajorKeyDerivationMode: 'EMV_OPTION_A', PrimaryAccountNumber: PAN, PanSequenceNumber: '00', SessionKeyDerivationMode: 'EMV_COMMON_SESSION_KEY', SessionKeyDerivationValue: { ApplicationCryptogram: '0123456789ABCDEF' } } } },
    ],
    VerifyMac: [{ KeyIdentifier: k.m3, MessageData: '3132333435', Mac: '01234567', VerificationAttributes: { Algorithm: 'ISO9797_ALGORITHM3' } }],
    VerifyAuthRequestCryptogram: [
      { KeyIdentifier: k.e0, TransactionData: '00000000100000000000000008400080008000084016051700000000', AuthRequestCryptogram: '0123456789ABCDEF', MajorKeyDerivationMode: 'EMV_OPTION_A', SessionKeyDerivationAttributes: { EmvCommon: { PrimaryAccountNumber: PAN, PanSequenceNumber: '00', ApplicationTransactionCounter: '000B' } }, AuthResponseAttributes: { ArpcMethod1: { AuthResponseCode: '3030' } } },
    ],
    GenerateAuthRequestCryptogram: [
      { KeyIdentifier: k.e0, TransactionData: '0000000010000000', MajorKeyDerivationMode: 'EMV_OPTION_A', SessionKeyDerivationAttributes: { Visa: { PrimaryAccountNumber: PAN, PanSequenceNumber: '01' } } },
    ],
    GenerateMacEmvPinChange: [
      {
        NewPinPekIdentifier: k.pek,
        NewEncryptedPinBlock: '0123456789ABCDEF',
        PinBlockFormat: 'ISO_FORMAT_0',
        SecureMessagingIntegrityKeyIdentifier: k.e2,
        SecureMessagingConfidentialityKeyIdentifier: k.e1,
        MessageData: '00A4040008A000000004101080',
        DerivationMethodAttributes: { EmvCommon: { PrimaryAccountNumber: PAN, PanSequenceNumber: '00', ApplicationCryptogram: '0123456789ABCDEF', Mode: 'CBC', PinBlockPaddingType: 'ISO_IEC_7816_4', PinBlockLengthPosition: 'FRONT_OF_PIN_BLOCK' } },
      },
    ],
  };
  Object.assign(examples, ex);
}

const show = (v: unknown): string => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 400 ? `${s.slice(0, 400)}…` : s;
};

async function checkCall(op: DataOperationName, input: unknown): Promise<void> {
  raw.last = undefined;
  try {
    await withTimeout(em.call(op, input), op);
  } catch (e) {
    if (!isAwsError(e)) throw new Error(`${op} threw a non-AWS error ${String(e)} for ${show(input)}`);
    if (e.awsName === 'NotImplementedException' && DATA_PLANE[op].kind === 'not-implemented') return;
    const listed = DATA_PLANE_MODEL.operations[op].errors.includes(e.awsName) && CLIENT.has(e.awsName);
    if (!listed) {
      const r = raw.last;
      const detail = r instanceof Error ? `${r.name}: ${r.message}\n${r.stack ?? ''}` : String(r);
      throw new Error(`${op} answered ${e.awsName} (${e.message}) for ${show(input)}; raw: ${detail}`);
    }
  }
}

let server: RunningServer;
beforeAll(async () => {
  for (const [name, KeyUsage, KeyAlgorithm, KeyModesOfUse, KeyClass] of SEEDS) {
    const out = await em.call('CreateKey', { Exportable: true, KeyAttributes: { KeyUsage, KeyClass: KeyClass ?? 'SYMMETRIC_KEY', KeyAlgorithm, KeyModesOfUse } });
    keys[name] = out.Key!.KeyArn!;
  }
  await em.call('CreateAlias', { AliasName: 'alias/robust-cvk', KeyArn: keys.cvk });
  addPool('KeyArnOrKeyAliasType', [...Object.values(keys), 'alias/robust-cvk', 'alias/missing', keys.cvk!.replace(/key\/.*/, 'key/aaaaaaaaaaaaaaaa')]);
  seedExamples();
  server = await startHttpServer(em);
}, 60_000);
afterAll(async () => {
  await server.close();
  await em.close();
});

describe('data-plane core: arbitrary inputs never cause a server error', () => {
  it.each(DATA_OPERATION_NAMES.map((op) => [op]))('%s', { timeout: 60_000 }, async (op) => {
    const inputShape = DATA_PLANE_MODEL.operations[op].input!;
    const shapes = DATA_PLANE_MODEL.shapes;
    const memberNames = Object.keys((shapes[inputShape] as { m: Record<string, string> }).m);
    const parts: fc.WeightedArbitrary<unknown>[] = [
      { weight: 5, arbitrary: shapeArb(inputShape, 0, shapes) },
      { weight: 2, arbitrary: fc.dictionary(fc.constantFrom(...memberNames, 'x'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    ];
    const list = examples[op];
    if (list !== undefined) parts.push({ weight: 6, arbitrary: mutationsOf(list, inputShape, shapes) });
    await fc.assert(fc.asyncProperty(fc.oneof(...parts), (input) => checkCall(op, input)), { numRuns: NUM_RUNS });
  });
});

describe('data-plane routes over raw HTTP: random bodies and paths never answer 5xx', () => {
  it('random requests to every route', { timeout: 60_000 }, async () => {
    const routes = DATA_OPERATION_NAMES.map((op) => DATA_PLANE_MODEL.operations[op].http!.uri);
    const label = fc.oneof(fc.constantFrom(...Object.values(keys)).map(encodeURIComponent), fc.constantFrom('alias%2Frobust-cvk', '%E0%A4%A', '%2F..%2F', 'x'), fc.string({ maxLength: 20 }).map(encodeURIComponent));
    const path = fc.tuple(fc.constantFrom(...routes), label).map(([r, l]) => r.replace(/\{[^}]+\}/, l));
    const body = fc.oneof(fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? ''), fc.string({ maxLength: 200 }), fc.constant(''));
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(path, body, async (p, b) => {
        const r = await fetch(`${server.endpoint}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: b });
        await r.arrayBuffer();
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        expect(r.status < 500 || r.status === 501, `${p} ${b.slice(0, 100)} → ${r.status}`).toBe(true);
        if (r.status !== 200) expect(r.headers.get('x-amzn-errortype')).toMatch(/^[A-Za-z]+Exception$/);
      }),
      { numRuns: 150 },
    );
    console.log(`data-plane robustness over HTTP: statuses ${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')}`);
  });
});
