import { ImportKeyCommand } from '@aws-sdk/client-payment-cryptography';
import { tr31HeaderFieldsFromAws, wrapTr31 } from '@paycrypt/keyblock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boto3Calls, dataPlaneHarness, hasBoto3, type DataPlaneHarness } from './data-plane-kit.js';
import { ALL4, clearBlock8, decryptIso4, DUKPT_VECTORS, encryptIso4, pinKeys, tdes, type PinKeys } from './data-plane-pin-kit.js';
import { clearKeyOf, createSymmetric, hex, KEK_MODES, toHex } from './tr31-kit.js';

/**
 * DUKPT derivation types with AES BDKs in TranslatePinData, through boto3 over HTTP. Expected
 * values: the X9.24-3:2017 supplement AES-256 BDK PIN working keys (AES-128 and AES-256 types) of
 * test-vectors/dukpt.json. The published AES-256 BDK is imported as a TR-31 block under an
 * AES-256 KEK made with CreateKey (its clear value read test-side with clearKeyOf); the AES-256
 * PEK is made with CreateKey and read the same way.
 */
const AES256 = DUKPT_VECTORS.filter((v) => v.description.startsWith('AES-256 BDK counter') && v.expected.pin_key_aes256 !== undefined);
const UNPUBLISHED_2TDEA = DUKPT_VECTORS.find((v) => v.description.startsWith('AES128 BDK -> 2TDEA PIN working key'))!;
const PAN = '4111111111111111';

const run = it.runIf(hasBoto3());
let h: DataPlaneHarness;
let k: PinKeys;
let bdk256: string;
let pek256: { arn: string; clear: string };

beforeAll(async () => {
  h = await dataPlaneHarness();
  k = await pinKeys(h);
  const kek = await createSymmetric(h.client, 'TR31_K0_KEY_ENCRYPTION_KEY', 'AES_256', KEK_MODES);
  const fields = tr31HeaderFieldsFromAws({ KeyUsage: 'TR31_B0_BASE_DERIVATION_KEY', KeyAlgorithm: 'AES_256', KeyModesOfUse: { DeriveKey: true } as never }, 'E');
  const block = wrapTr31(clearKeyOf(h.emulator, kek.arn), { version: 'D', keyVersion: '00', keyContext: '0', optionalBlocks: [], ...fields }, hex(AES256[0]!.inputs.bdk as string));
  const out = await h.client.send(new ImportKeyCommand({ KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kek.arn, WrappedKeyBlock: block } } }));
  bdk256 = out.Key!.KeyArn!;
  const pek = await createSymmetric(h.client, 'TR31_P0_PIN_ENCRYPTION_KEY', 'AES_256', ALL4);
  pek256 = { arn: pek.arn, clear: toHex(clearKeyOf(h.emulator, pek.arn)) };
});
afterAll(async () => h?.close());

const tr = (params: Record<string, unknown>) => ({ op: 'translate_pin_data', params });
const iso0 = { IsoFormat0: { PrimaryAccountNumber: PAN } };
const iso4 = { IsoFormat4: { PrimaryAccountNumber: PAN } };
const pinBlock = (r: { ok?: Record<string, unknown> } | undefined) => {
  if (r?.ok === undefined) throw new Error(JSON.stringify(r));
  return r.ok.PinBlock as string;
};

describe('TranslatePinData with AES DUKPT derivation types (boto3 over HTTP)', () => {
  it('has the published vectors it needs', () => expect(AES256.length).toBe(3));

  run('AES-256 BDK: incoming ISO 4 under the published AES-256 and AES-128 PIN working keys; outgoing AES_256', async () => {
    const outIso0 = tdes(k.pekTdes.clear, clearBlock8(0, '1234', PAN));
    const calls = AES256.flatMap((v) => [
      tr({ IncomingKeyIdentifier: bdk256, IncomingTranslationAttributes: iso4, IncomingDukptAttributes: { KeySerialNumber: v.inputs.ksn, DukptKeyDerivationType: 'AES_256' }, OutgoingKeyIdentifier: k.pekTdes.arn, OutgoingTranslationAttributes: iso0, EncryptedPinBlock: encryptIso4(v.expected.pin_key_aes256!, '1234', PAN, 'legacy') }),
      tr({ IncomingKeyIdentifier: bdk256, IncomingTranslationAttributes: iso4, IncomingDukptAttributes: { KeySerialNumber: v.inputs.ksn }, OutgoingKeyIdentifier: k.pekTdes.arn, OutgoingTranslationAttributes: iso0, EncryptedPinBlock: encryptIso4(v.expected.pin_key_aes256!, '1234', PAN, 'legacy') }),
      tr({ IncomingKeyIdentifier: bdk256, IncomingTranslationAttributes: iso4, IncomingDukptAttributes: { KeySerialNumber: v.inputs.ksn, DukptKeyDerivationType: 'AES_128' }, OutgoingKeyIdentifier: k.pekTdes.arn, OutgoingTranslationAttributes: iso0, EncryptedPinBlock: encryptIso4(v.expected.pin_key_aes128!, '1234', PAN, 'legacy') }),
      tr({ IncomingKeyIdentifier: k.pekTdes.arn, IncomingTranslationAttributes: iso0, OutgoingKeyIdentifier: bdk256, OutgoingTranslationAttributes: iso4, OutgoingDukptAttributes: { KeySerialNumber: v.inputs.ksn, DukptKeyDerivationType: 'AES_256', DukptKeyVariant: 'BIDIRECTIONAL' }, EncryptedPinBlock: outIso0 }),
    ]);
    const res = await boto3Calls(h.endpoint, calls);
    AES256.forEach((v, i) => {
      for (let j = 0; j < 3; j++) expect(pinBlock(res[4 * i + j]), `${v.inputs.ksn} #${j}`).toBe(outIso0);
      expect(decryptIso4(v.expected.pin_key_aes256!, pinBlock(res[4 * i + 3]), PAN, 'legacy').pin).toBe('1234');
    });
  });

  run('AES-128 BDK with TDES_2KEY derivation: ISO 0 under the 2TDEA PIN key (value computed locally, unpublished: regression only)', async () => {
    const v = UNPUBLISHED_2TDEA;
    const [r] = await boto3Calls(h.endpoint, [
      tr({ IncomingKeyIdentifier: k.bdkAes.arn, IncomingTranslationAttributes: iso0, IncomingDukptAttributes: { KeySerialNumber: v.inputs.ksn, DukptKeyDerivationType: 'TDES_2KEY' }, OutgoingKeyIdentifier: k.pekTdes.arn, OutgoingTranslationAttributes: iso0, EncryptedPinBlock: tdes(v.expected.pin_key!, clearBlock8(0, '9876', PAN)) }),
    ]);
    expect(pinBlock(r)).toBe(tdes(k.pekTdes.clear, clearBlock8(0, '9876', PAN)));
  });

  run('AES-256 PEK (CreateKey) out; derivation type stronger than the BDK and ISO 0 under an AES PIN key refused', async () => {
    const ksn = '123456789012345600000001';
    const in0 = tdes(k.pekTdes.clear, clearBlock8(0, '20261201', PAN));
    const res = await boto3Calls(h.endpoint, [
      tr({ IncomingKeyIdentifier: k.pekTdes.arn, IncomingTranslationAttributes: iso0, OutgoingKeyIdentifier: pek256.arn, OutgoingTranslationAttributes: iso4, EncryptedPinBlock: in0 }),
      tr({ IncomingKeyIdentifier: k.bdkAes.arn, IncomingTranslationAttributes: iso4, IncomingDukptAttributes: { KeySerialNumber: ksn, DukptKeyDerivationType: 'AES_256' }, OutgoingKeyIdentifier: k.pekTdes.arn, OutgoingTranslationAttributes: iso0, EncryptedPinBlock: '00'.repeat(16) }),
      tr({ IncomingKeyIdentifier: k.bdkAes.arn, IncomingTranslationAttributes: iso0, IncomingDukptAttributes: { KeySerialNumber: ksn }, OutgoingKeyIdentifier: k.pekTdes.arn, OutgoingTranslationAttributes: iso0, EncryptedPinBlock: in0 }),
      tr({ IncomingKeyIdentifier: k.bdkAes.arn, IncomingTranslationAttributes: iso4, IncomingDukptAttributes: { KeySerialNumber: 'FFFF9876543210E00001' }, OutgoingKeyIdentifier: k.pekTdes.arn, OutgoingTranslationAttributes: iso0, EncryptedPinBlock: '00'.repeat(16) }),
    ]);
    expect(decryptIso4(pek256.clear, pinBlock(res[0]), PAN, 'legacy').pin).toBe('20261201');
    for (const r of res.slice(1)) expect(r.error?.code, JSON.stringify(r)).toBe('ValidationException');
  });
});
