import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleRequest } from '../src/protocol/router.js';
import { boto3Calls, dataPlaneHarness, hasBoto3, kekByValue, tr31Block, type DataPlaneHarness } from './data-plane-kit.js';
import { ALL4, aes, clearBlock8, decodeBlock8, decryptIso4, DUKPT_VECTORS, encryptIso4, pinKeys, tdes, type PinKeys } from './data-plane-pin-kit.js';

/**
 * TranslatePinData through boto3 over HTTP. Expected values: the X9.24-1:2009 A.4 TDES DUKPT
 * encrypted PIN blocks (clear ISO 0 block 041274EDCBA9876F = PIN 1234, PAN 4012345678909) and
 * the X9.24-3:2017 supplement AES-128 DUKPT PIN working keys of test-vectors/dukpt.json; outputs
 * with random fill (ISO 1/3/4) are decrypted and decoded test-side (data-plane-pin-kit.ts).
 * ISO 4 in TranslatePinData uses the legacy PAN field (12 rightmost digits excluding the check
 * digit, M = 0): the NOTE in src/data-plane/pin-translate.ts.
 */
const TDES_DUKPT = DUKPT_VECTORS.filter((v) => v.description.startsWith('TDES DUKPT') && v.expected.encrypted_pinblock !== undefined && v.inputs.clear_pinblock === '041274EDCBA9876F');
const AES_PIN_KEYS = DUKPT_VECTORS.filter((v) => v.description.startsWith('AES-128 BDK -> AES-128 keys') && v.expected.pin_key !== undefined);
const PAN = '4012345678909';
const CLEAR_ISO0 = '041274EDCBA9876F'; // PIN 1234, PAN 4012345678909 (X9.24-1:2009 A.4)
const INVALID_BLOCK = 'Pin block provided is invalid. Please check your input to ensure all field values are correct.';

const run = it.runIf(hasBoto3());
let h: DataPlaneHarness;
let k: PinKeys;

beforeAll(async () => {
  h = await dataPlaneHarness();
  k = await pinKeys(h);
});
afterAll(async () => h?.close());

const tr = (params: Record<string, unknown>) => ({ op: 'translate_pin_data', params });
const iso = (n: 0 | 1 | 3 | 4, pan = PAN) => (n === 1 ? { IsoFormat1: {} } : { [`IsoFormat${n}`]: { PrimaryAccountNumber: pan } });
const block = (r: { ok?: Record<string, unknown> } | undefined) => {
  if (r?.ok === undefined) throw new Error(JSON.stringify(r));
  return r.ok.PinBlock as string;
};

describe('TranslatePinData (boto3 over HTTP)', () => {
  it('has the published vectors it needs', () => {
    expect(TDES_DUKPT.length).toBeGreaterThanOrEqual(30);
    expect(AES_PIN_KEYS.length).toBe(8);
  });

  run('PEK → PEK across ISO 0, 1, 3 and 4 (AES PEK); outputs decoded test-side', async () => {
    const in0 = tdes(k.pekTdes.clear, clearBlock8(0, '1234', PAN));
    const in1 = tdes(k.pekTdes.clear, clearBlock8(1, '987654'));
    const in4 = encryptIso4(k.pekAes.clear, '55667788', PAN, 'legacy');
    const t = (inKey: string, i: 0 | 1 | 3 | 4, outKey: string, o: 0 | 1 | 3 | 4, b: string) =>
      tr({ IncomingKeyIdentifier: inKey, OutgoingKeyIdentifier: outKey, IncomingTranslationAttributes: iso(i), OutgoingTranslationAttributes: iso(o), EncryptedPinBlock: b });
    const res = await boto3Calls(h.endpoint, [
      t(k.pekTdes.arn, 0, k.pekTdes2.arn, 0, in0),
      t(k.pekTdes.arn, 0, k.pekTdes2.arn, 3, in0),
      t(k.pekTdes.arn, 0, k.pekAes.arn, 4, in0),
      t(k.pekTdes.arn, 1, k.pekTdes2.arn, 1, in1),
      t(k.pekTdes.arn, 1, k.pekTdes2.arn, 0, in1),
      t(k.pekAes.arn, 4, k.pekTdes2.arn, 0, in4),
      t(k.pekAes.arn, 4, k.pekAes.arn, 4, in4),
    ]);
    expect(res[0]!.ok).toEqual({ PinBlock: tdes(k.pekTdes2.clear, clearBlock8(0, '1234', PAN)), KeyArn: k.pekTdes2.arn, KeyCheckValue: k.pekTdes2.kcv });
    expect(decodeBlock8(3, tdes(k.pekTdes2.clear, block(res[1]), true), PAN).pin).toBe('1234');
    expect(decryptIso4(k.pekAes.clear, block(res[2]), PAN, 'legacy').pin).toBe('1234');
    expect(res[2]!.ok).toMatchObject({ KeyArn: k.pekAes.arn, KeyCheckValue: k.pekAes.kcv });
    expect(decodeBlock8(1, tdes(k.pekTdes2.clear, block(res[3]), true)).pin).toBe('987654');
    expect(block(res[4])).toBe(tdes(k.pekTdes2.clear, clearBlock8(0, '987654', PAN)));
    expect(block(res[5])).toBe(tdes(k.pekTdes2.clear, clearBlock8(0, '55667788', PAN)));
    const again = decryptIso4(k.pekAes.clear, block(res[6]), PAN, 'legacy');
    expect(again.pin).toBe('55667788');
    expect(block(res[6])).not.toBe(in4); // fresh random part
  });

  run('incoming TDES DUKPT (X9.24-1 A.4 blocks) → PEK ISO 0 gives the published clear block; → AES PEK ISO 4 decodes to PIN 1234', async () => {
    const vs = TDES_DUKPT.slice(0, 6).concat(TDES_DUKPT.slice(-3));
    const calls = vs.flatMap((v) => {
      const base = { IncomingKeyIdentifier: k.bdkTdes.arn, IncomingTranslationAttributes: iso(0), EncryptedPinBlock: v.expected.encrypted_pinblock, IncomingDukptAttributes: { KeySerialNumber: v.inputs.ksn, DukptKeyDerivationType: 'TDES_2KEY', DukptKeyVariant: 'REQUEST' } };
      return [tr({ ...base, OutgoingKeyIdentifier: k.pekTdes.arn, OutgoingTranslationAttributes: iso(0) }), tr({ ...base, OutgoingKeyIdentifier: k.pekAes.arn, OutgoingTranslationAttributes: iso(4) })];
    });
    const res = await boto3Calls(h.endpoint, calls);
    vs.forEach((v, i) => {
      expect(tdes(k.pekTdes.clear, block(res[2 * i]), true), String(v.inputs.ksn)).toBe(CLEAR_ISO0);
      expect(decryptIso4(k.pekAes.clear, block(res[2 * i + 1]), PAN, 'legacy').pin).toBe('1234');
    });
  });

  run('outgoing TDES DUKPT: PEK ISO 0 → BDK gives the published X9.24-1 A.4 encrypted PIN blocks', async () => {
    const vs = TDES_DUKPT.slice(0, 4).concat(TDES_DUKPT.slice(-2));
    const inBlock = tdes(k.pekTdes.clear, CLEAR_ISO0);
    const res = await boto3Calls(
      h.endpoint,
      vs.map((v) =>
        tr({ IncomingKeyIdentifier: k.pekTdes.arn, IncomingTranslationAttributes: iso(0), OutgoingKeyIdentifier: k.bdkTdes.arn, OutgoingTranslationAttributes: iso(0), EncryptedPinBlock: inBlock, OutgoingDukptAttributes: { KeySerialNumber: v.inputs.ksn } }),
      ),
    );
    vs.forEach((v, i) => expect(res[i]!.ok).toEqual({ PinBlock: v.expected.encrypted_pinblock, KeyArn: k.bdkTdes.arn, KeyCheckValue: k.bdkTdes.kcv }));
  });

  run('AES-128 DUKPT in and out (ISO 4 under the published X9.24-3 PIN working keys, legacy PAN field)', async () => {
    const pan = '4111111111111111';
    const inTdes = tdes(k.pekTdes.clear, clearBlock8(0, '4321', pan));
    const calls = AES_PIN_KEYS.flatMap((v) => [
      tr({ IncomingKeyIdentifier: k.bdkAes.arn, IncomingTranslationAttributes: iso(4, pan), IncomingDukptAttributes: { KeySerialNumber: v.inputs.ksn, DukptKeyDerivationType: 'AES_128' }, OutgoingKeyIdentifier: k.pekTdes.arn, OutgoingTranslationAttributes: iso(0, pan), EncryptedPinBlock: encryptIso4(v.expected.pin_key!, '1234', pan, 'legacy') }),
      tr({ IncomingKeyIdentifier: k.pekTdes.arn, IncomingTranslationAttributes: iso(0, pan), OutgoingKeyIdentifier: k.bdkAes.arn, OutgoingTranslationAttributes: iso(4, pan), OutgoingDukptAttributes: { KeySerialNumber: v.inputs.ksn }, EncryptedPinBlock: inTdes }),
    ]);
    const res = await boto3Calls(h.endpoint, calls);
    AES_PIN_KEYS.forEach((v, i) => {
      expect(block(res[2 * i])).toBe(tdes(k.pekTdes.clear, clearBlock8(0, '1234', pan)));
      expect(decryptIso4(v.expected.pin_key!, block(res[2 * i + 1]), pan, 'legacy').pin).toBe('4321');
      expect(res[2 * i + 1]!.ok).toMatchObject({ KeyArn: k.bdkAes.arn, KeyCheckValue: k.bdkAes.kcv });
    });
  });

  run('dynamic IncomingWrappedKey / OutgoingWrappedKey (TR-31 P0 under the KEK)', async () => {
    const kek = await kekByValue(h.client);
    const wrapped = { WrappedKeyMaterial: { Tr31KeyBlock: await tr31Block(h.client, k.pekTdes2.clear, 'TR31_P0_PIN_ENCRYPTION_KEY', 'TDES_2KEY', ALL4) } };
    const res = await boto3Calls(h.endpoint, [
      tr({ IncomingKeyIdentifier: kek.arn, IncomingWrappedKey: wrapped, IncomingTranslationAttributes: iso(0), OutgoingKeyIdentifier: k.pekTdes.arn, OutgoingTranslationAttributes: iso(0), EncryptedPinBlock: tdes(k.pekTdes2.clear, CLEAR_ISO0) }),
      tr({ IncomingKeyIdentifier: k.pekTdes.arn, IncomingTranslationAttributes: iso(0), OutgoingKeyIdentifier: kek.arn, OutgoingWrappedKey: wrapped, OutgoingTranslationAttributes: iso(0), EncryptedPinBlock: tdes(k.pekTdes.clear, CLEAR_ISO0) }),
    ]);
    expect(block(res[0])).toBe(tdes(k.pekTdes.clear, CLEAR_ISO0));
    expect(res[1]!.ok).toEqual({ PinBlock: tdes(k.pekTdes2.clear, CLEAR_ISO0), KeyArn: kek.arn, KeyCheckValue: k.pekTdes2.kcv });
  });

  run('refusals: PAN-bound → ISO 1, As2805Format0, IncomingAs2805Attributes, key rules, format/key mismatch, bad blocks', async () => {
    const in0 = tdes(k.pekTdes.clear, CLEAR_ISO0);
    const base = { IncomingKeyIdentifier: k.pekTdes.arn, IncomingTranslationAttributes: iso(0), OutgoingKeyIdentifier: k.pekTdes2.arn, OutgoingTranslationAttributes: iso(0), EncryptedPinBlock: in0 };
    const res = await boto3Calls(h.endpoint, [
      tr({ ...base, OutgoingTranslationAttributes: iso(1) }),
      tr({ ...base, IncomingKeyIdentifier: k.pekAes.arn, IncomingTranslationAttributes: iso(4), EncryptedPinBlock: encryptIso4(k.pekAes.clear, '1234', PAN, 'legacy'), OutgoingTranslationAttributes: iso(1) }),
      tr({ ...base, OutgoingTranslationAttributes: { As2805Format0: { PrimaryAccountNumber: PAN } } }),
      tr({ ...base, IncomingAs2805Attributes: { SystemTraceAuditNumber: '000001', TransactionAmount: '000000001000' }, IncomingDukptAttributes: { KeySerialNumber: 'FFFF9876543210E00001' } }), // AS2805 KPE with DUKPT (AS2805 translation itself: data-plane-as2805-pin.test.ts)
      tr({ ...base, IncomingKeyIdentifier: k.pvkVisa.arn }),
      tr({ ...base, OutgoingKeyIdentifier: k.pvkIbm.arn }),
      tr({ ...base, OutgoingKeyIdentifier: k.pekAes.arn }), // ISO 0 out under an AES key
      tr({ ...base, IncomingKeyIdentifier: k.bdkTdes.arn }), // a BDK without DUKPT attributes
      tr({ ...base, IncomingKeyIdentifier: k.bdkTdes.arn, IncomingDukptAttributes: { KeySerialNumber: 'FFFF9876543210E00000' } }), // counter 0
      tr({ ...base, EncryptedPinBlock: tdes(k.pekTdes.clear, '1F00000000000000') }),
      tr({ ...base, IncomingTranslationAttributes: iso(0, '4012345678917') }), // other PAN
      tr({ ...base, IncomingKeyIdentifier: k.pekAes.arn, IncomingTranslationAttributes: iso(4), EncryptedPinBlock: encryptIso4(k.pekAes.clear, '1234', PAN, 'full') }), // full-PAN ISO 4
    ]);
    for (const r of res) expect(r.error?.code, JSON.stringify(r)).toBe('ValidationException');
    expect(res[0]!.error!.message).toMatch(/cannot be translated to ISO_FORMAT_1/);
    expect(res[2]!.error!.message).toMatch(/As2805Format0.*not emulated/);
    for (const r of res.slice(9)) expect(r.error!.message).toBe(INVALID_BLOCK);
  });

  it('in-process (router, no socket): ISO 1 → ISO 4 → ISO 0, and an undecodable block', async () => {
    const body = JSON.stringify({
      IncomingKeyIdentifier: k.pekTdes.arn,
      IncomingTranslationAttributes: { IsoFormat1: {} },
      OutgoingKeyIdentifier: k.pekAes.arn,
      OutgoingTranslationAttributes: { IsoFormat4: { PrimaryAccountNumber: PAN } },
      EncryptedPinBlock: tdes(k.pekTdes.clear, clearBlock8(1, '24680')),
    });
    const res = await handleRequest(h.emulator, { method: 'POST', path: '/pindata/translate', headers: {}, body });
    expect(res.status).toBe(200);
    const out = JSON.parse(String(res.body)) as { PinBlock: string };
    expect(decryptIso4(k.pekAes.clear, out.PinBlock, PAN, 'legacy').pin).toBe('24680');
    const direct = await h.emulator.call('TranslatePinData', {
      IncomingKeyIdentifier: k.pekAes.arn,
      IncomingTranslationAttributes: { IsoFormat4: { PrimaryAccountNumber: PAN } },
      OutgoingKeyIdentifier: k.pekTdes.arn,
      OutgoingTranslationAttributes: { IsoFormat0: { PrimaryAccountNumber: PAN } },
      EncryptedPinBlock: out.PinBlock,
    });
    expect(direct.PinBlock).toBe(tdes(k.pekTdes.clear, clearBlock8(0, '24680', PAN)));
    await expect(h.emulator.call('TranslatePinData', { ...JSON.parse(body), EncryptedPinBlock: aes(k.pekAes.clear, '00'.repeat(16)) })).rejects.toMatchObject({ awsName: 'ValidationException' });
  });
});
