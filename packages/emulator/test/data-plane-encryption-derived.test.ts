import { createCipheriv, createDecipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boto3Calls, dataPlaneHarness, hasBoto3, importByValue, kekByValue, tr31Block, type Boto3Call, type DataPlaneHarness } from './data-plane-kit.js';
import { toHex } from './tr31-kit.js';

/**
 * EncryptData / DecryptData with `Dukpt` (B0 BDKs) and `Emv` (E1/E6 IMKs), and ReEncryptData,
 * through boto3 over HTTP. Expected values:
 * - TDES DUKPT: X9.24-1 A.4 data (openemv dukpt-tool CBC ciphertexts, test-vectors/dukpt.json),
 *   the AWS sample's data key (dukpt.json), and the response key computed here with node:crypto
 *   from a published transaction key (variant mask + one-way step of X9.24-1:2009).
 * - AES DUKPT: X9.24-3 supplement data-encryption working keys (dukpt.json) + node:crypto AES;
 *   the RESPONSE variant against moov-io/dukpt's implementation-generated ciphertext (a peer's value).
 * - EMV: pyemv docstring ICC master keys (emv.json, IMK 0123…3210), then the common session key and
 *   TDES computed here with node:crypto (the CSK code itself checked on pyemv's published CSK).
 */

interface Json {
  [k: string]: unknown;
}
const read = (name: string): Json => JSON.parse(readFileSync(new URL(`../../../test-vectors/${name}`, import.meta.url), 'utf8')) as Json;
const DUKPT = read('dukpt.json') as unknown as { description: string; source: string; inputs: Json; expected: Json }[];
const EMV = (read('emv.json').vectors as { id: string; inputs: Json; expected: Json }[]);

const DERIVE = { DeriveKey: true };
const ALL4 = { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true };
const D0 = 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY';
const B0 = 'TR31_B0_BASE_DERIVATION_KEY';
const buf = (h: string): Buffer => Buffer.from(h, 'hex');

function nodeCrypt(decrypt: boolean, name: string, key: Buffer, iv: Buffer | null, data: Buffer): string {
  const k = name.startsWith('des-ede3') && key.length === 16 ? Buffer.concat([key, key.subarray(0, 8)]) : key;
  const c = (decrypt ? createDecipheriv : createCipheriv)(name, k, iv).setAutoPadding(false);
  return toHex(Buffer.concat([c.update(data), c.final()]));
}
const tdesEcb = (key: Buffer, data: Buffer): Buffer => buf(nodeCrypt(false, 'des-ede3-ecb', key, null, data));

/** X9.24-1:2009 data key from a transaction key: XOR the variant byte in both halves, then each half TDES-encrypted under the result. */
function tdesDataKey(txn: Buffer, maskByte: number): Buffer {
  const v = Buffer.from(txn);
  v[maskByte] = v[maskByte]! ^ 0xff;
  v[8 + maskByte] = v[8 + maskByte]! ^ 0xff;
  return Buffer.concat([tdesEcb(v, v.subarray(0, 8)), tdesEcb(v, v.subarray(8, 16))]);
}

function oddParity(k: Buffer): Buffer {
  return Buffer.from(k.map((b) => {
    let ones = 0;
    for (let v = b >> 1; v !== 0; v >>= 1) ones += v & 1;
    return (b & 0xfe) | (ones % 2 === 0 ? 1 : 0);
  }));
}
/** EMV Book 2 A1.3.1 common session key, with node:crypto. */
function csk(mk: Buffer, r: Buffer): Buffer {
  const a = Buffer.from(r);
  a[2] = 0xf0;
  const b = Buffer.from(r);
  b[2] = 0x0f;
  return oddParity(Buffer.concat([tdesEcb(mk, a), tdesEcb(mk, b)]));
}

const encDukpt = (KeyIdentifier: string, PlainText: string, Dukpt: Json): Boto3Call => ({ op: 'encrypt_data', params: { KeyIdentifier, PlainText, EncryptionAttributes: { Dukpt } } });
const decDukpt = (KeyIdentifier: string, CipherText: string, Dukpt: Json): Boto3Call => ({ op: 'decrypt_data', params: { KeyIdentifier, CipherText, DecryptionAttributes: { Dukpt } } });
const encEmv = (KeyIdentifier: string, PlainText: string, Emv: Json): Boto3Call => ({ op: 'encrypt_data', params: { KeyIdentifier, PlainText, EncryptionAttributes: { Emv } } });
const decEmv = (KeyIdentifier: string, CipherText: string, Emv: Json): Boto3Call => ({ op: 'decrypt_data', params: { KeyIdentifier, CipherText, DecryptionAttributes: { Emv } } });

interface Case {
  name: string;
  call: Boto3Call;
  out?: string;
  error?: RegExp;
}
async function run(h: DataPlaneHarness, cases: Case[]): Promise<void> {
  const results = await boto3Calls(h.endpoint, cases.map((c) => c.call));
  results.forEach((r, i) => {
    const c = cases[i]!;
    if (c.error !== undefined) {
      expect(r.error?.code, c.name).toBe('ValidationException');
      expect(r.error?.status, c.name).toBe(400);
      expect(r.error?.message, c.name).toMatch(c.error);
      return;
    }
    expect(r.error, c.name).toBeUndefined();
    expect(r.ok!.CipherText ?? r.ok!.PlainText, c.name).toBe(c.out);
  });
}

describe.runIf(hasBoto3())('EncryptData / DecryptData — Dukpt and Emv; ReEncryptData — through boto3', () => {
  let h: DataPlaneHarness;
  const bdks = new Map<string, string>();
  const bdk = async (hex: string, alg: string): Promise<string> => {
    let arn = bdks.get(hex);
    if (arn === undefined) {
      arn = (await importByValue(h.client, hex, B0, alg, DERIVE)).arn;
      bdks.set(hex, arn);
    }
    return arn;
  };
  beforeAll(async () => {
    h = await dataPlaneHarness();
  }, 60_000);
  afterAll(async () => h?.close());

  it('TDES DUKPT: X9.24-1 data request key (default, REQUEST, BIDIRECTIONAL), RESPONSE key, ECB; decrypt inverts', async () => {
    const cases: Case[] = [];
    for (const v of DUKPT.filter((x) => x.description === 'TDES DUKPT data-encryption request, TDES-CBC')) {
      const arn = await bdk(String(v.inputs.bdk), 'TDES_2KEY');
      const ksn = String(v.inputs.ksn);
      const iv = String(v.inputs.iv);
      const pt = String(v.inputs.plaintext_hex);
      const ct = String(v.expected.ciphertext);
      const base = { KeySerialNumber: ksn, ...(iv === '0000000000000000' ? {} : { InitializationVector: iv }) };
      cases.push({ name: `openemv ${ksn} default`, call: encDukpt(arn, pt, base), out: ct });
      cases.push({ name: `openemv ${ksn} REQUEST CBC`, call: encDukpt(arn, pt, { ...base, DukptKeyVariant: 'REQUEST', Mode: 'CBC' }), out: ct });
      cases.push({ name: `openemv ${ksn} BIDIRECTIONAL`, call: encDukpt(arn, pt, { ...base, DukptKeyVariant: 'BIDIRECTIONAL', DukptKeyDerivationType: 'TDES_2KEY' }), out: ct });
      cases.push({ name: `openemv ${ksn} decrypt`, call: decDukpt(arn, ct, base), out: pt });
    }
    for (const v of DUKPT.filter((x) => x.description.startsWith('AWS sample: TDES DUKPT data-encryption key')).slice(0, 3)) {
      const arn = await bdk(String(v.inputs.bdk), 'TDES_2KEY');
      const pt = '4111111111111111D2512101000000000000';
      const padded = pt.padEnd(48, '0');
      const out = nodeCrypt(false, 'des-ede3-cbc', buf(String(v.expected.data_key)), Buffer.alloc(8), buf(padded));
      cases.push({ name: `AWS sample data key ${String(v.inputs.ksn)}`, call: encDukpt(arn, padded, { KeySerialNumber: v.inputs.ksn }), out });
      const ecb = nodeCrypt(false, 'des-ede3-ecb', buf(String(v.expected.data_key)), null, buf(padded));
      cases.push({ name: `AWS sample data key ${String(v.inputs.ksn)} ECB`, call: encDukpt(arn, padded, { KeySerialNumber: v.inputs.ksn, Mode: 'ECB' }), out: ecb });
    }
    // RESPONSE: published transaction keys (shenyan1206 / Annex C), response mask byte 3 + one-way step, computed with node:crypto
    for (const v of DUKPT.filter((x) => x.description.startsWith('TDES DUKPT working keys (X9.24-1:2009 variants)'))) {
      const arn = await bdk(String(v.inputs.bdk), 'TDES_2KEY');
      // the request key computed the same way must equal the published data_request_key (checks the helper)
      expect(toHex(tdesDataKey(buf(String(v.expected.transaction_key)), 5))).toBe(v.expected.data_request_key);
      const resp = tdesDataKey(buf(String(v.expected.transaction_key)), 3);
      const pt = '00112233445566778899AABBCCDDEEFF';
      const out = nodeCrypt(false, 'des-ede3-cbc', resp, Buffer.alloc(8), buf(pt));
      cases.push({ name: `RESPONSE ${String(v.inputs.ksn)}`, call: encDukpt(arn, pt, { KeySerialNumber: v.inputs.ksn, DukptKeyVariant: 'RESPONSE' }), out });
      cases.push({ name: `RESPONSE ${String(v.inputs.ksn)} decrypt`, call: decDukpt(arn, out, { KeySerialNumber: v.inputs.ksn, DukptKeyVariant: 'RESPONSE' }), out: pt });
    }
    await run(h, cases);
  });

  it('AES-128 DUKPT: X9.24-3 data-encryption working keys (REQUEST, default); RESPONSE vs moov-io (peer-computed)', async () => {
    const cases: Case[] = [];
    for (const v of DUKPT.filter((x) => String(x.description).startsWith('AES-128 BDK -> AES-128 keys, counter'))) {
      const arn = await bdk(String(v.inputs.bdk), 'AES_128');
      const key = buf(String(v.expected.data_enc_key));
      const pt = '4012345678909D987000000000000000000000000000000000000000000000000'.slice(0, 64);
      const iv = '0F0E0D0C0B0A09080706050403020100';
      cases.push({ name: `X9.24-3 ${String(v.inputs.ksn)} CBC`, call: encDukpt(arn, pt, { KeySerialNumber: v.inputs.ksn, InitializationVector: iv }), out: nodeCrypt(false, 'aes-128-cbc', key, buf(iv), buf(pt)) });
      cases.push({ name: `X9.24-3 ${String(v.inputs.ksn)} ECB REQUEST`, call: encDukpt(arn, pt, { KeySerialNumber: v.inputs.ksn, Mode: 'ECB', DukptKeyVariant: 'REQUEST', DukptKeyDerivationType: 'AES_128' }), out: nodeCrypt(false, 'aes-128-ecb', key, null, buf(pt)) });
    }
    const moov = DUKPT.find((x) => String(x.source).includes('moov-io') && x.expected.data_response !== undefined && x.inputs.ksn === '123456789012345600000001')!;
    const arn = await bdk(String(moov.inputs.bdk), 'AES_128');
    const msg = Buffer.alloc(32);
    Buffer.from(String(moov.inputs.message_ascii), 'ascii').copy(msg);
    cases.push({ name: 'moov data_request (peer-computed)', call: encDukpt(arn, toHex(msg), { KeySerialNumber: moov.inputs.ksn, DukptKeyVariant: 'REQUEST' }), out: String(moov.expected.data_request) });
    cases.push({ name: 'moov data_response (peer-computed)', call: encDukpt(arn, toHex(msg), { KeySerialNumber: moov.inputs.ksn, DukptKeyVariant: 'RESPONSE' }), out: String(moov.expected.data_response) });
    cases.push({ name: 'moov data_response decrypt', call: decDukpt(arn, String(moov.expected.data_response), { KeySerialNumber: moov.inputs.ksn, DukptKeyVariant: 'RESPONSE' }), out: toHex(msg) });
    await run(h, cases);
  });

  it('refusals: KSN length per BDK type, derivation type stronger than the BDK or of the other family, counter 0, wrong key usages', async () => {
    const tdes = await bdk('0123456789ABCDEFFEDCBA9876543210', 'TDES_2KEY');
    const aes = await bdk('FEDCBA9876543210F1F1F1F1F1F1F1F1', 'AES_128');
    const pt = '00'.repeat(16);
    const d0 = (await importByValue(h.client, '0123456789ABCDEFFEDCBA9876543210', D0, 'TDES_2KEY', ALL4)).arn;
    const e0 = (await importByValue(h.client, '0123456789ABCDEFFEDCBA9876543210', 'TR31_E0_EMV_MKEY_APP_CRYPTOGRAMS', 'TDES_2KEY', DERIVE)).arn;
    await run(h, [
      { name: 'TDES BDK, 24-hex KSN', call: encDukpt(tdes, pt, { KeySerialNumber: '123456789012345600000001' }), error: /20 hex characters/ },
      { name: 'AES BDK, 20-hex KSN', call: encDukpt(aes, pt, { KeySerialNumber: 'FFFF9876543210E00001' }), error: /24 hex characters/ },
      { name: 'TDES BDK, AES derivation', call: encDukpt(tdes, pt, { KeySerialNumber: 'FFFF9876543210E00001', DukptKeyDerivationType: 'AES_128' }), error: /DukptKeyDerivationType/ },
      { name: 'AES-128 BDK, AES-256 working key', call: encDukpt(aes, pt, { KeySerialNumber: '123456789012345600000001', DukptKeyDerivationType: 'AES_256' }), error: /stronger/ },
      { name: 'TDES counter 0', call: encDukpt(tdes, pt, { KeySerialNumber: 'FFFF9876543210E00000' }), error: /counter/ },
      { name: 'AES IV of 8 bytes', call: encDukpt(aes, pt, { KeySerialNumber: '123456789012345600000001', InitializationVector: '00'.repeat(8) }), error: /32 hex/ },
      { name: 'D0 key with Dukpt', call: encDukpt(d0, pt, { KeySerialNumber: 'FFFF9876543210E00001' }), error: /KeyUsage TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY is not allowed/ },
      { name: 'E0 key with Emv', call: encEmv(e0, pt, { MajorKeyDerivationMode: 'EMV_OPTION_A', PrimaryAccountNumber: '9137631040001422', PanSequenceNumber: '01', SessionDerivationData: '000B000000000000' }), error: /KeyUsage TR31_E0_EMV_MKEY_APP_CRYPTOGRAMS is not allowed/ },
      { name: 'BDK with Symmetric', call: { op: 'encrypt_data', params: { KeyIdentifier: tdes, PlainText: pt, EncryptionAttributes: { Symmetric: { Mode: 'CBC' } } } }, error: /KeyUsage TR31_B0_BASE_DERIVATION_KEY is not allowed/ },
    ]);
  });

  it('Emv: ICC MK (Option A / B, pyemv vectors) → common session key → TDES CBC/ECB (node:crypto); E1 and E6; Option B with a 16-digit PAN refused', async () => {
    const sk = EMV.find((v) => v.id === 'pyemv-doc-sk_common-e9fb384a')!;
    expect(toHex(csk(buf(String(sk.inputs.mk)), buf(String(sk.inputs.r))))).toBe(sk.expected.value);
    const imkHex = '0123456789ABCDEFFEDCBA9876543210';
    const e6 = await importByValue(h.client, imkHex, 'TR31_E6_EMV_MKEY_OTHER', 'TDES_2KEY', DERIVE);
    const e1 = await importByValue(h.client, imkHex, 'TR31_E1_EMV_MKEY_CONFIDENTIALITY', 'TDES_2KEY', DERIVE);
    const cases: Case[] = [];
    const pt = '0102030405060708090A0B0C0D0E0F10';
    for (const [id, mode] of [['pyemv-doc-icc_mk_option_a-67f82923', 'EMV_OPTION_A'], ['pyemv-doc-icc_mk_option_a-73ad5468', 'EMV_OPTION_A'], ['pyemv-doc-icc_mk_option_b-ad406d7f', 'EMV_OPTION_B']] as const) {
      const v = EMV.find((x) => x.id === id)!;
      const sdd = '001C000000000000';
      const key = csk(buf(String(v.expected.value)), buf(sdd));
      const attrs = { MajorKeyDerivationMode: mode, PrimaryAccountNumber: v.inputs.pan, PanSequenceNumber: v.inputs.psn, SessionDerivationData: sdd };
      const cbc = nodeCrypt(false, 'des-ede3-cbc', key, Buffer.alloc(8), buf(pt));
      const iv = '1122334455667788';
      cases.push({ name: `${id} E6 default mode (CBC)`, call: encEmv(e6.arn, pt, attrs), out: cbc });
      cases.push({ name: `${id} E1 CBC + IV`, call: encEmv(e1.arn, pt, { ...attrs, Mode: 'CBC', InitializationVector: iv }), out: nodeCrypt(false, 'des-ede3-cbc', key, buf(iv), buf(pt)) });
      cases.push({ name: `${id} ECB`, call: encEmv(e6.arn, pt, { ...attrs, Mode: 'ECB' }), out: nodeCrypt(false, 'des-ede3-ecb', key, null, buf(pt)) });
      cases.push({ name: `${id} decrypt`, call: decEmv(e1.arn, cbc, attrs), out: pt });
    }
    const base = { PrimaryAccountNumber: '9137631040001422', PanSequenceNumber: '01', SessionDerivationData: '000B000000000000' };
    cases.push({ name: 'Option B, 16-digit PAN', call: encEmv(e6.arn, pt, { ...base, MajorKeyDerivationMode: 'EMV_OPTION_B' }), error: /pan/i });
    cases.push({ name: 'data not a multiple of 8', call: encEmv(e6.arn, '0011', { ...base, MajorKeyDerivationMode: 'EMV_OPTION_A' }), error: /multiple of 8/ });
    await run(h, cases);
  });

  it('ReEncryptData: DUKPT → TDES D0, AES D0 → DUKPT, TDES D0 → AES D0; dynamic incoming key; NoRestrictions D0 refused', async () => {
    const v = DUKPT.find((x) => x.description === 'TDES DUKPT data-encryption request, TDES-CBC')!;
    const tdesBdk = await bdk(String(v.inputs.bdk), 'TDES_2KEY');
    const aesHex = '2B7E151628AED2A6ABF7158809CF4F3C';
    const aesD0 = await importByValue(h.client, aesHex, D0, 'AES_128', ALL4);
    const tdesHex = '0123456789ABCDEF23456789ABCDEF01';
    const tdesD0 = await importByValue(h.client, tdesHex, D0, 'TDES_2KEY', ALL4);
    const noRestr = await importByValue(h.client, tdesHex, D0, 'TDES_2KEY', { NoRestrictions: true });
    const aesBdk = DUKPT.find((x) => String(x.description).startsWith('AES-128 BDK -> AES-128 keys, counter 1'))!;
    const aesBdkArn = await bdk(String(aesBdk.inputs.bdk), 'AES_128');
    const kek = await kekByValue(h.client);
    const block = await tr31Block(h.client, tdesHex, D0, 'TDES_2KEY', ALL4);
    // 24 bytes of clear data: for AES it must be re-blocked, so use 32 bytes
    const clear = '00112233445566778899AABBCCDDEEFF0123456789ABCDEFFEDCBA9876543210';
    const tdesCt = nodeCrypt(false, 'des-ede3-cbc', buf(tdesHex), Buffer.alloc(8), buf(clear));
    const aesOut = nodeCrypt(false, 'aes-128-cbc', buf(aesHex), Buffer.alloc(16), buf(clear));
    const re = (IncomingKeyIdentifier: string, OutgoingKeyIdentifier: string, CipherText: string, inc: Json, out: Json, extra: Json = {}): Boto3Call => ({
      op: 're_encrypt_data',
      params: { IncomingKeyIdentifier, OutgoingKeyIdentifier, CipherText, IncomingEncryptionAttributes: inc, OutgoingEncryptionAttributes: out, ...extra },
    });
    const results = await boto3Calls(h.endpoint, [
      re(tdesBdk, tdesD0.arn, String(v.expected.ciphertext), { Dukpt: { KeySerialNumber: v.inputs.ksn } }, { Symmetric: { Mode: 'ECB' } }),
      re(aesD0.arn, aesBdkArn, aesOut, { Symmetric: { Mode: 'CBC' } }, { Dukpt: { KeySerialNumber: aesBdk.inputs.ksn, Mode: 'ECB' } }),
      re(tdesD0.arn, aesD0.arn, tdesCt, { Symmetric: { Mode: 'CBC' } }, { Symmetric: { Mode: 'CBC' } }),
      re(kek.arn, aesD0.arn, tdesCt, { Symmetric: { Mode: 'CBC' } }, { Symmetric: { Mode: 'CBC' } }, { IncomingWrappedKey: { WrappedKeyMaterial: { Tr31KeyBlock: block } } }),
      re(noRestr.arn, aesD0.arn, tdesCt, { Symmetric: { Mode: 'CBC' } }, { Symmetric: { Mode: 'CBC' } }),
      { op: 'decrypt_data', params: { KeyIdentifier: noRestr.arn, CipherText: tdesCt, DecryptionAttributes: { Symmetric: { Mode: 'CBC' } } } },
    ]);
    expect(results[0]!.error, 'DUKPT → D0').toBeUndefined();
    expect(results[0]!.ok?.CipherText).toBe(nodeCrypt(false, 'des-ede3-ecb', buf(tdesHex), null, buf(String(v.inputs.plaintext_hex))));
    expect(results[0]!.ok?.KeyArn).toBe(tdesD0.arn);
    expect(results[0]!.ok?.KeyCheckValue).toBe(tdesD0.kcv);
    expect(results[1]!.ok?.CipherText).toBe(nodeCrypt(false, 'aes-128-ecb', buf(String(aesBdk.expected.data_enc_key)), null, buf(clear)));
    expect(results[2]!.ok?.CipherText).toBe(aesOut);
    expect(results[3]!.ok?.CipherText).toBe(aesOut);
    expect(results[4]!.error?.code).toBe('ValidationException');
    expect(results[4]!.error?.message).toMatch(/KeyModesOfUse/);
    expect(results[5]!.ok?.PlainText, 'DecryptData accepts NoRestrictions').toBe(clear);
  });
});
