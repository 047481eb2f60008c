import { StopKeyUsageCommand } from '@aws-sdk/client-payment-cryptography';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boto3Calls, dataPlaneHarness, hasBoto3, importByValue, kekByValue, tr31Block, type DataPlaneHarness } from './data-plane-kit.js';
import { addDigits, ALL4, clearBlock8, DEC_TABLE, DUKPT_VECTORS, encryptIso4, ibmNatural, PIN_VECTORS, pinKeys, PVK, tdes, visaPvv, type PinKeys } from './data-plane-pin-kit.js';

/**
 * VerifyPinData through boto3 over HTTP. Expected values: Visa PVV and IBM 3624 vectors of
 * test-vectors/pin.json (psec), the X9.24-1:2009 A.4 TDES DUKPT encrypted PIN blocks and the
 * X9.24-3:2017 supplement AES DUKPT ISO 4 PIN blocks of test-vectors/dukpt.json (PIN 1234; IBM
 * 3624 offset 7710 is PIN 1234 for the psec PVK and validation data 1122334455667788, pin.json).
 */
const PVV_VECTORS = PIN_VECTORS.filter((v) => v.description === 'Visa PVV');
const TDES_DUKPT = DUKPT_VECTORS.filter((v) => v.description.startsWith('TDES DUKPT') && v.expected.encrypted_pinblock !== undefined && v.inputs.clear_pinblock === '041274EDCBA9876F');
const AES_DUKPT = DUKPT_VECTORS.filter((v) => v.description.startsWith('AES-128') && v.expected.encrypted_pinblock !== undefined && v.inputs.pan === '4111111111111111');
const TDES_DUKPT_PAN = '4012345678909'; // dukpt.json pinblock_note: ISO-0, PIN 1234, PAN 4012345678909
const IBM_1234 = { DecimalizationTable: DEC_TABLE, PinValidationDataPadCharacter: 'F', PinValidationData: '1122334455667788', PinOffset: '7710' };
const INVALID_BLOCK = 'Pin block provided is invalid. Please check your input to ensure all field values are correct.';

const run = it.runIf(hasBoto3());
let h: DataPlaneHarness;
let k: PinKeys;

beforeAll(async () => {
  h = await dataPlaneHarness();
  k = await pinKeys(h);
});
afterAll(async () => h?.close());

const ver = (params: Record<string, unknown>) => ({ op: 'verify_pin_data', params });

describe('VerifyPinData (boto3 over HTTP)', () => {
  it('has the published vectors it needs', () => {
    expect(TDES_DUKPT.length).toBeGreaterThanOrEqual(30);
    expect(AES_DUKPT.length).toBe(9);
  });

  run('VisaPin: psec PVVs match (ISO 0 under a TDES PEK); a wrong PVV is INVALID_PIN', async () => {
    const calls = PVV_VECTORS.flatMap((v) => {
      const pan = String(v.inputs.pan);
      const base = { VerificationKeyIdentifier: k.pvkVisa.arn, EncryptionKeyIdentifier: k.pekTdes.arn, PrimaryAccountNumber: pan, PinBlockFormat: 'ISO_FORMAT_0', EncryptedPinBlock: tdes(k.pekTdes.clear, clearBlock8(0, String(v.inputs.pin), pan)) };
      const wrong = addDigits(v.expected.pvv!, '0001', 1);
      return [
        ver({ ...base, VerificationAttributes: { VisaPin: { PinVerificationKeyIndex: Number(v.inputs.pvki), VerificationValue: v.expected.pvv } } }),
        ver({ ...base, VerificationAttributes: { VisaPin: { PinVerificationKeyIndex: Number(v.inputs.pvki), VerificationValue: wrong } } }),
      ];
    });
    const res = await boto3Calls(h.endpoint, calls);
    for (let i = 0; i < res.length; i += 2) {
      expect(res[i]!.ok).toEqual({ VerificationKeyArn: k.pvkVisa.arn, VerificationKeyCheckValue: k.pvkVisa.kcv, EncryptionKeyArn: k.pekTdes.arn, EncryptionKeyCheckValue: k.pekTdes.kcv });
      expect(res[i + 1]!.error).toMatchObject({ code: 'VerificationFailedException', status: 400, message: 'Pin block verification failed.', fields: { Reason: 'INVALID_PIN' } });
    }
  });

  run('Ibm3624Pin: psec offsets (ISO 0, ISO 1, ISO 3, ISO 4 full-PAN under AES) match; a wrong offset is INVALID_PIN', async () => {
    const pan = '1122334455667788';
    const base = { VerificationKeyIdentifier: k.pvkIbm.arn, PrimaryAccountNumber: pan, VerificationAttributes: { Ibm3624Pin: IBM_1234 } };
    const res = await boto3Calls(h.endpoint, [
      ver({ ...base, EncryptionKeyIdentifier: k.pekTdes.arn, PinBlockFormat: 'ISO_FORMAT_0', EncryptedPinBlock: tdes(k.pekTdes.clear, clearBlock8(0, '1234', pan)) }),
      ver({ ...base, EncryptionKeyIdentifier: k.pekTdes.arn, PinBlockFormat: 'ISO_FORMAT_1', EncryptedPinBlock: tdes(k.pekTdes.clear, clearBlock8(1, '1234')) }),
      ver({ ...base, EncryptionKeyIdentifier: k.pekTdes.arn, PinBlockFormat: 'ISO_FORMAT_3', EncryptedPinBlock: tdes(k.pekTdes.clear, clearBlock8(3, '1234', pan)) }),
      ver({ ...base, EncryptionKeyIdentifier: k.pekAes.arn, PinBlockFormat: 'ISO_FORMAT_4', EncryptedPinBlock: encryptIso4(k.pekAes.clear, '1234', pan, 'full') }),
      ver({ ...base, EncryptionKeyIdentifier: k.pekTdes.arn, PinBlockFormat: 'ISO_FORMAT_0', EncryptedPinBlock: tdes(k.pekTdes.clear, clearBlock8(0, '1235', pan)) }),
      ver({ ...base, VerificationAttributes: { Ibm3624Pin: { ...IBM_1234, PinOffset: '7711' } }, EncryptionKeyIdentifier: k.pekTdes.arn, PinBlockFormat: 'ISO_FORMAT_0', EncryptedPinBlock: tdes(k.pekTdes.clear, clearBlock8(0, '1234', pan)) }),
    ]);
    for (const r of res.slice(0, 4)) expect(r.ok, JSON.stringify(r)).toBeDefined();
    for (const r of res.slice(4)) expect(r.error?.fields.Reason, JSON.stringify(r)).toBe('INVALID_PIN');
  });

  run('Ibm3624Pin PinDataLength: only the rightmost digits are checked (natural PIN computed test-side)', async () => {
    const pan = '1122334455667788';
    const natural6 = ibmNatural(PVK, '1122334455667788', 'F', DEC_TABLE, 6);
    const offset6 = '123456';
    const pin6 = addDigits(natural6, offset6, 1);
    const other = String((Number(pin6[0]) + 1) % 10) + String((Number(pin6[1]) + 1) % 10) + pin6.slice(2); // leftmost two digits differ
    const blk = (pin: string) => tdes(k.pekTdes.clear, clearBlock8(0, pin, pan));
    const base = { VerificationKeyIdentifier: k.pvkIbm.arn, EncryptionKeyIdentifier: k.pekTdes.arn, PrimaryAccountNumber: pan, PinBlockFormat: 'ISO_FORMAT_0', VerificationAttributes: { Ibm3624Pin: { ...IBM_1234, PinOffset: offset6 } } };
    const res = await boto3Calls(h.endpoint, [
      ver({ ...base, EncryptedPinBlock: blk(pin6) }),
      ver({ ...base, EncryptedPinBlock: blk(other) }),
      ver({ ...base, EncryptedPinBlock: blk(other), PinDataLength: 4 }),
      ver({ ...base, EncryptedPinBlock: blk(pin6), PinDataLength: 6 }),
      ver({ ...base, EncryptedPinBlock: blk(other), PinDataLength: 5 }),
    ]);
    expect(res.map((r) => (r.ok ? 'ok' : r.error?.fields.Reason))).toEqual(['ok', 'INVALID_PIN', 'ok', 'ok', 'INVALID_PIN']);
  });

  run('DukptAttributes TDES_2KEY: X9.24-1 A.4 encrypted PIN blocks (initial + rollover KSNs) verify; wrong offset fails', async () => {
    const calls = TDES_DUKPT.map((v) =>
      ver({
        VerificationKeyIdentifier: k.pvkIbm.arn,
        EncryptionKeyIdentifier: k.bdkTdes.arn,
        PrimaryAccountNumber: TDES_DUKPT_PAN,
        PinBlockFormat: 'ISO_FORMAT_0',
        EncryptedPinBlock: v.expected.encrypted_pinblock,
        DukptAttributes: { KeySerialNumber: v.inputs.ksn, DukptDerivationType: 'TDES_2KEY' },
        VerificationAttributes: { Ibm3624Pin: IBM_1234 },
      }),
    );
    const v0 = TDES_DUKPT[0]!;
    const dk = { KeySerialNumber: v0.inputs.ksn, DukptDerivationType: 'TDES_2KEY' };
    const common = { VerificationKeyIdentifier: k.pvkIbm.arn, EncryptionKeyIdentifier: k.bdkTdes.arn, PrimaryAccountNumber: TDES_DUKPT_PAN, PinBlockFormat: 'ISO_FORMAT_0', EncryptedPinBlock: v0.expected.encrypted_pinblock };
    calls.push(
      ver({ ...common, DukptAttributes: dk, VerificationAttributes: { Ibm3624Pin: { ...IBM_1234, PinOffset: '0000' } } }),
      ver({ ...common, DukptAttributes: dk, VerificationKeyIdentifier: k.pvkVisa.arn, VerificationAttributes: { VisaPin: { PinVerificationKeyIndex: 1, VerificationValue: visaPvv(PVK, TDES_DUKPT_PAN, '1234', 1) } } }),
      ver({ ...common, DukptAttributes: { ...dk, DukptDerivationType: 'AES_128' }, VerificationAttributes: { Ibm3624Pin: IBM_1234 } }),
      ver({ ...common, DukptAttributes: { ...dk, KeySerialNumber: 'FFFF9876543210E00002' }, VerificationAttributes: { Ibm3624Pin: IBM_1234 } }),
      ver({ ...common, VerificationAttributes: { Ibm3624Pin: IBM_1234 } }), // the BDK without DukptAttributes
    );
    const res = await boto3Calls(h.endpoint, calls);
    TDES_DUKPT.forEach((v, i) => expect(res[i]!.ok, `${v.inputs.ksn} ${JSON.stringify(res[i])}`).toMatchObject({ EncryptionKeyArn: k.bdkTdes.arn, EncryptionKeyCheckValue: k.bdkTdes.kcv }));
    const n = TDES_DUKPT.length;
    expect(res[n]!.error?.fields.Reason).toBe('INVALID_PIN');
    expect(res[n + 1]!.ok).toBeDefined(); // NOTE: AWS answers 500 here (data-plane.md §5); the emulator verifies
    expect(res[n + 2]!.error?.code).toBe('ValidationException');
    expect(res[n + 3]!.error).toMatchObject({ code: 'ValidationException', message: INVALID_BLOCK }); // other KSN: does not decode
    expect(res[n + 4]!.error?.code).toBe('ValidationException');
  });

  run('DukptAttributes AES_128: X9.24-3 supplement ISO 4 PIN blocks (full PAN) verify', async () => {
    const res = await boto3Calls(
      h.endpoint,
      AES_DUKPT.map((v) =>
        ver({
          VerificationKeyIdentifier: k.pvkIbm.arn,
          EncryptionKeyIdentifier: k.bdkAes.arn,
          PrimaryAccountNumber: v.inputs.pan,
          PinBlockFormat: 'ISO_FORMAT_4',
          EncryptedPinBlock: v.expected.encrypted_pinblock,
          DukptAttributes: { KeySerialNumber: v.inputs.ksn, DukptDerivationType: 'AES_128' },
          VerificationAttributes: { Ibm3624Pin: IBM_1234 },
        }),
      ),
    );
    res.forEach((r, i) => expect(r.ok, `${AES_DUKPT[i]!.inputs.ksn} ${JSON.stringify(r)}`).toMatchObject({ EncryptionKeyArn: k.bdkAes.arn }));
  });

  run('EncryptionWrappedKey (dynamic PEK), undecodable blocks, key rules, disabled key', async () => {
    const pan = '1122334455667788';
    const kek = await kekByValue(h.client);
    const wrapped = await tr31Block(h.client, k.pekTdes2.clear, 'TR31_P0_PIN_ENCRYPTION_KEY', 'TDES_2KEY', ALL4);
    const encOnly = await importByValue(h.client, k.pekTdes.clear, 'TR31_P0_PIN_ENCRYPTION_KEY', 'TDES_2KEY', { Encrypt: true, Wrap: true });
    const disabled = await importByValue(h.client, k.pekTdes.clear, 'TR31_P0_PIN_ENCRYPTION_KEY', 'TDES_2KEY', ALL4);
    await h.client.send(new StopKeyUsageCommand({ KeyIdentifier: disabled.arn }));
    const good = tdes(k.pekTdes.clear, clearBlock8(0, '1234', pan));
    const base = { VerificationKeyIdentifier: k.pvkIbm.arn, EncryptionKeyIdentifier: k.pekTdes.arn, PrimaryAccountNumber: pan, PinBlockFormat: 'ISO_FORMAT_0', EncryptedPinBlock: good, VerificationAttributes: { Ibm3624Pin: IBM_1234 } };
    const res = await boto3Calls(h.endpoint, [
      ver({ ...base, EncryptionKeyIdentifier: kek.arn, EncryptionWrappedKey: { WrappedKeyMaterial: { Tr31KeyBlock: wrapped } }, EncryptedPinBlock: tdes(k.pekTdes2.clear, clearBlock8(0, '1234', pan)) }),
      ver({ ...base, EncryptedPinBlock: tdes(k.pekTdes2.clear, clearBlock8(0, '1234', pan)) }), // wrong PEK
      ver({ ...base, EncryptedPinBlock: tdes(k.pekTdes.clear, 'FFFFFFFFFFFFFFFF') }),
      ver({ ...base, EncryptedPinBlock: good + 'AB' }), // 18 hex
      ver({ ...base, PrimaryAccountNumber: '1122334455667796' }), // another PAN
      ver({ ...base, EncryptionKeyIdentifier: encOnly.arn }),
      ver({ ...base, EncryptionKeyIdentifier: disabled.arn }),
      ver({ ...base, VerificationKeyIdentifier: k.pvkVisa.arn }),
      ver({ ...base, PinBlockFormat: 'ISO_FORMAT_4' }),
      ver({ ...base, PrimaryAccountNumber: undefined }),
    ]);
    expect(res[0]!.ok).toMatchObject({ EncryptionKeyArn: kek.arn, EncryptionKeyCheckValue: k.pekTdes2.kcv });
    for (const r of res.slice(1, 5)) expect(r.error, JSON.stringify(r)).toMatchObject({ code: 'ValidationException', status: 400, message: INVALID_BLOCK });
    for (const r of res.slice(5)) expect(r.error?.code, JSON.stringify(r)).toBe('ValidationException');
    expect(res[6]!.error!.message).toMatch(/disabled/);
  });
});
