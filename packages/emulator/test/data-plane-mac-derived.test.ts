import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boto3Calls, dataPlaneHarness, hasBoto3, importByValue, type Boto3Call, type DataPlaneHarness } from './data-plane-kit.js';
import { message, nodeAlg1, nodeAlg3, nodeCmac } from './data-plane-mac-oracle.js';

/**
 * GenerateMac / VerifyMac with derived keys through boto3 over HTTP: the DUKPT members
 * (DukptIso9797Algorithm1/3, DukptCmac) under B0 BDKs and EmvMac under E2 issuer master keys,
 * all imported by value.
 * Expected values: test-vectors/dukpt.json — published TDES MAC request/response working keys
 * (shenyan1206, CyberChef), the X9.24-3 supplement's AES MAC-generation keys (the MACs over them
 * computed with node:crypto), moov-io's AES DUKPT request/response CMACs; test-vectors/emv.json
 * family emv_mac — pyemv HSM-verified command MACs and jPOS issuer-script MACs.
 */
interface Json {
  [k: string]: unknown;
}
const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../test-vectors/${name}`, import.meta.url), 'utf8'));
const DUKPT = read('dukpt.json') as { description: string; inputs: Record<string, string>; expected: Record<string, string> }[];
const EMV = (read('emv.json') as { vectors: { id: string; algorithm: string; family: string; inputs: Json; expected: Json }[] }).vectors.filter((v) => v.family === 'emv_mac');

const TDES_BDK = '0123456789ABCDEFFEDCBA9876543210';
const AES_BDK = 'FEDCBA9876543210F1F1F1F1F1F1F1F1';
const TDES_KEYS = DUKPT.filter((v) => v.description.startsWith('TDES DUKPT working keys (X9.24-1:2009 variants)'));
const TDES_MAC_RESP = DUKPT.find((v) => v.description === "TDES DUKPT counter 1 working-key variant 'mac_resp'")!;
const AES_KEYS = DUKPT.filter((v) => v.description.startsWith('AES-128 BDK -> AES-128 keys, counter'));
const MOOV = DUKPT.filter((v) => v.description.startsWith('AES-128 DUKPT request/response MACs'));

type Member = 'DukptIso9797Algorithm1' | 'DukptIso9797Algorithm3' | 'DukptCmac';
const dukptAttrs = (member: Member, KeySerialNumber: string, DukptKeyVariant: string, DukptDerivationType?: string): Json => ({
  [member]: { KeySerialNumber, DukptKeyVariant, ...(DukptDerivationType === undefined ? {} : { DukptDerivationType }) },
});
const gen = (KeyIdentifier: string, GenerationAttributes: Json, MessageData: string, MacLength?: number): Boto3Call => ({
  op: 'generate_mac',
  params: { KeyIdentifier, MessageData, GenerationAttributes, ...(MacLength === undefined ? {} : { MacLength }) },
});
const ver = (KeyIdentifier: string, VerificationAttributes: Json, MessageData: string, Mac: string, MacLength?: number): Boto3Call => ({
  op: 'verify_mac',
  params: { KeyIdentifier, MessageData, Mac, VerificationAttributes, ...(MacLength === undefined ? {} : { MacLength }) },
});
const flip = (hex: string): string => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
const ascii = (s: string): string => Buffer.from(s, 'latin1').toString('hex').toUpperCase();

describe.runIf(hasBoto3())('GenerateMac / VerifyMac with DUKPT and EMV keys through boto3', () => {
  let h: DataPlaneHarness;
  const k: Record<string, { arn: string; kcv: string }> = {};

  beforeAll(async () => {
    h = await dataPlaneHarness();
    k.tdesBdk = await importByValue(h.client, TDES_BDK, 'TR31_B0_BASE_DERIVATION_KEY', 'TDES_2KEY', { DeriveKey: true });
    k.aesBdk = await importByValue(h.client, AES_BDK, 'TR31_B0_BASE_DERIVATION_KEY', 'AES_128', { DeriveKey: true });
    k.cmac = await importByValue(h.client, TDES_BDK, 'TR31_M6_ISO_9797_5_CMAC_KEY', 'TDES_2KEY', { Generate: true, Verify: true });
    k.pyemvSmi = await importByValue(h.client, 'FEDCBA98765432100123456789ABCDEF', 'TR31_E2_EMV_MKEY_INTEGRITY', 'TDES_2KEY', { DeriveKey: true });
    k.jposSmi = await importByValue(h.client, '2315208C9110AD402315208C9110AD40', 'TR31_E2_EMV_MKEY_INTEGRITY', 'TDES_2KEY', { DeriveKey: true });
    k.e0 = await importByValue(h.client, 'FEDCBA98765432100123456789ABCDEF', 'TR31_E0_EMV_MKEY_APP_CRYPTOGRAMS', 'TDES_2KEY', { DeriveKey: true });
  }, 60_000);
  afterAll(async () => h?.close());

  it('TDES DUKPT: published MAC request/response working keys → alg 1, alg 3 (aligned data, no padding) and CMAC', async () => {
    const msg = message(24, 3);
    const cases: { name: string; call: Boto3Call; mac: string }[] = [];
    for (const v of TDES_KEYS) {
      const ksn = v.inputs.ksn!;
      const wk = v.expected.mac_request_key!;
      for (const variant of ['REQUEST', 'BIDIRECTIONAL']) {
        cases.push({ name: `${ksn} ${variant} alg1`, call: gen(k.tdesBdk!.arn, dukptAttrs('DukptIso9797Algorithm1', ksn, variant), msg, 8), mac: nodeAlg1(wk, msg) });
        cases.push({ name: `${ksn} ${variant} alg3`, call: gen(k.tdesBdk!.arn, dukptAttrs('DukptIso9797Algorithm3', ksn, variant, 'TDES_2KEY'), msg, 8), mac: nodeAlg3(wk, msg, 'none') });
      }
      cases.push({ name: `${ksn} REQUEST CMAC`, call: gen(k.tdesBdk!.arn, dukptAttrs('DukptCmac', ksn, 'REQUEST'), msg), mac: nodeCmac(wk, msg, false) });
    }
    const rk = TDES_MAC_RESP.expected.key!;
    const rksn = TDES_MAC_RESP.inputs.ksn!;
    cases.push({ name: 'RESPONSE alg3', call: gen(k.tdesBdk!.arn, dukptAttrs('DukptIso9797Algorithm3', rksn, 'RESPONSE'), msg, 8), mac: nodeAlg3(rk, msg, 'none') });
    cases.push({ name: 'RESPONSE alg1 default length 4', call: gen(k.tdesBdk!.arn, dukptAttrs('DukptIso9797Algorithm1', rksn, 'RESPONSE'), msg), mac: nodeAlg1(rk, msg).slice(0, 8) });
    cases.push({ name: 'RESPONSE CMAC', call: gen(k.tdesBdk!.arn, dukptAttrs('DukptCmac', rksn, 'RESPONSE'), msg), mac: nodeCmac(rk, msg, false) });
    const res = await boto3Calls(h.endpoint, [...cases.map((c) => c.call), ...cases.map((c) => ({ ...c.call, op: 'verify_mac', params: { ...verParams(c.call), Mac: c.mac.slice(0, 16) } }))]);
    cases.forEach((c, i) => {
      expect(res[i]!.ok?.Mac, c.name).toBe(c.mac);
      expect(res[i]!.ok?.KeyCheckValue, c.name).toBe(k.tdesBdk!.kcv);
      expect(res[cases.length + i]!.ok, `${c.name} verify ${JSON.stringify(res[cases.length + i])}`).toBeDefined();
    });
  });

  it('AES DUKPT: moov-io request/response CMACs and the X9.24-3 MAC-generation keys (node:crypto CMAC over them)', async () => {
    const calls: Boto3Call[] = [];
    const want: { name: string; mac: string }[] = [];
    for (const v of MOOV) {
      const m = ascii(v.inputs.message_ascii!);
      for (const [variant, field] of [['REQUEST', 'cmac_request'], ['RESPONSE', 'cmac_response']] as const) {
        calls.push(gen(k.aesBdk!.arn, dukptAttrs('DukptCmac', v.inputs.ksn!, variant, 'AES_128'), m, 16));
        want.push({ name: `moov ${v.inputs.ksn} ${variant}`, mac: v.expected[field]! });
        calls.push(gen(k.aesBdk!.arn, dukptAttrs('DukptCmac', v.inputs.ksn!, variant), m));
        want.push({ name: `moov ${v.inputs.ksn} ${variant} default 8 bytes (NOTE)`, mac: v.expected[field]!.slice(0, 16) });
      }
    }
    for (const v of AES_KEYS) {
      const m = message(19, 7);
      calls.push(gen(k.aesBdk!.arn, dukptAttrs('DukptCmac', v.inputs.ksn!, 'REQUEST'), m, 16));
      want.push({ name: `X9.24-3 ${v.inputs.ksn}`, mac: nodeCmac(v.expected.mac_gen_key!, m, true) });
    }
    const res = await boto3Calls(h.endpoint, [...calls, ...calls.map((c, i) => ({ op: 'verify_mac', params: { ...verParams(c), Mac: want[i]!.mac.slice(0, 16) } }))]);
    want.forEach((w, i) => {
      expect(res[i]!.ok?.Mac, w.name).toBe(w.mac);
      expect(res[calls.length + i]!.ok, `${w.name} verify`).toBeDefined();
    });
  });

  it('AES DUKPT: ISO 9797 members derive a TDES working key (round trip; BIDIRECTIONAL differs from REQUEST — emulator-computed, NOTE)', async () => {
    const ksn = AES_KEYS[0]!.inputs.ksn!;
    const m = message(32, 9);
    const g = await boto3Calls(h.endpoint, [
      gen(k.aesBdk!.arn, dukptAttrs('DukptIso9797Algorithm3', ksn, 'REQUEST'), m, 8),
      gen(k.aesBdk!.arn, dukptAttrs('DukptIso9797Algorithm3', ksn, 'REQUEST', 'TDES_2KEY'), m, 8),
      gen(k.aesBdk!.arn, dukptAttrs('DukptIso9797Algorithm1', ksn, 'REQUEST', 'TDES_3KEY'), m, 8),
      gen(k.aesBdk!.arn, dukptAttrs('DukptCmac', ksn, 'BIDIRECTIONAL'), m, 16),
      gen(k.aesBdk!.arn, dukptAttrs('DukptCmac', ksn, 'REQUEST'), m, 16),
    ]);
    expect(g[0]!.ok?.Mac).toBe(g[1]!.ok?.Mac);
    expect(g[3]!.ok?.Mac).not.toBe(g[4]!.ok?.Mac);
    const v = await boto3Calls(h.endpoint, [
      ver(k.aesBdk!.arn, dukptAttrs('DukptIso9797Algorithm3', ksn, 'REQUEST'), m, String(g[0]!.ok?.Mac)),
      ver(k.aesBdk!.arn, dukptAttrs('DukptIso9797Algorithm1', ksn, 'REQUEST', 'TDES_3KEY'), m, String(g[2]!.ok?.Mac)),
    ]);
    expect(v.map((r) => r.ok !== undefined)).toEqual([true, true]);
  });

  it('DUKPT failures: unaligned alg 1/3 data, short messages, MAC lengths, derivation types, KSNs, key usage, mismatch', async () => {
    const ksn = TDES_KEYS[0]!.inputs.ksn!;
    const aesKsn = AES_KEYS[0]!.inputs.ksn!;
    const m = message(16);
    const good = nodeAlg3(TDES_KEYS[0]!.expected.mac_request_key!, m, 'none');
    const res = await boto3Calls(h.endpoint, [
      gen(k.tdesBdk!.arn, dukptAttrs('DukptIso9797Algorithm1', ksn, 'REQUEST'), message(17)), // 0 unaligned
      gen(k.tdesBdk!.arn, dukptAttrs('DukptIso9797Algorithm3', ksn, 'REQUEST'), message(12)), // 1 unaligned
      gen(k.tdesBdk!.arn, dukptAttrs('DukptCmac', ksn, 'REQUEST'), message(7)), // 2 shorter than 8 bytes
      ver(k.tdesBdk!.arn, dukptAttrs('DukptIso9797Algorithm3', ksn, 'REQUEST'), m, good.slice(0, 12)), // 3 12-hex MAC
      gen(k.tdesBdk!.arn, dukptAttrs('DukptCmac', ksn, 'REQUEST', 'AES_128'), m), // 4 TDES BDK, AES type
      gen(k.tdesBdk!.arn, dukptAttrs('DukptCmac', aesKsn, 'REQUEST'), m), // 5 24-hex KSN for TDES
      gen(k.aesBdk!.arn, dukptAttrs('DukptIso9797Algorithm3', aesKsn, 'REQUEST', 'AES_128'), m), // 6 ISO with AES type
      gen(k.cmac!.arn, dukptAttrs('DukptCmac', ksn, 'REQUEST'), m), // 7 M6 key, not a BDK
      gen(k.tdesBdk!.arn, dukptAttrs('DukptIso9797Algorithm3', ksn, 'REQUEST'), m, 9), // 8 MacLength 9
      ver(k.tdesBdk!.arn, dukptAttrs('DukptIso9797Algorithm3', ksn, 'REQUEST'), m, flip(good)), // 9 mismatch
      ver(k.tdesBdk!.arn, dukptAttrs('DukptIso9797Algorithm3', ksn, 'RESPONSE'), m, good), // 10 other variant
      ver(k.tdesBdk!.arn, dukptAttrs('DukptIso9797Algorithm3', ksn, 'REQUEST'), m, good), // 11 ok
      gen(k.tdesBdk!.arn, dukptAttrs('DukptCmac', 'FFFF9876543210E00000', 'REQUEST'), m), // 12 counter 0
    ]);
    for (const i of [0, 1, 2, 3, 4, 5, 6, 7, 8, 12]) {
      expect(res[i]!.error?.code, `case ${i}: ${JSON.stringify(res[i])}`).toBe('ValidationException');
    }
    expect(res[3]!.error?.message).toContain('8 or 16');
    for (const i of [9, 10]) expect(res[i]!.error?.fields.Reason, `case ${i}`).toBe('INVALID_MAC');
    expect(res[11]!.ok).toBeDefined();
  });

  it('EmvMac: pyemv HSM-verified command MACs and jPOS script MACs (padding method 2 by the service)', async () => {
    // pyemv CVN → AWS SessionKeyDerivationMode (which session key the CVN's script MAC uses) and the caller-built message
    const PYEMV: Record<string, { mode: string; value: 'ATC' | 'AC'; withAtcArqc: boolean }> = {
      VisaCVN10: { mode: 'VISA', value: 'ATC', withAtcArqc: true },
      VisaCVN18: { mode: 'VISA', value: 'ATC', withAtcArqc: true },
      VisaCVN22: { mode: 'EMV_COMMON_SESSION_KEY', value: 'AC', withAtcArqc: true },
      InteracCVN133: { mode: 'EMV_COMMON_SESSION_KEY', value: 'AC', withAtcArqc: false },
      MasterCardCVN16: { mode: 'MASTERCARD_SESSION_KEY', value: 'AC', withAtcArqc: true },
      MasterCardCVN17: { mode: 'MASTERCARD_SESSION_KEY', value: 'AC', withAtcArqc: true },
      MasterCardCVN20: { mode: 'MASTERCARD_SESSION_KEY', value: 'AC', withAtcArqc: true },
      MasterCardCVN21: { mode: 'MASTERCARD_SESSION_KEY', value: 'AC', withAtcArqc: true },
    };
    const cases: { name: string; key: string; attrs: Json; msg: string; mac: string }[] = [];
    for (const v of EMV) {
      if (v.algorithm.startsWith('cvn.')) {
        const p = PYEMV[v.algorithm.split('.')[1]!]!;
        const a = v.inputs.args as Record<string, string>;
        const card = v.inputs.card as Record<string, string>;
        const msg = p.withAtcArqc ? `${a.command_header}${a.tag_9f36 ?? ''}${a.tag_9f26}${a.command_data}` : `${a.command_header}${a.command_data}`;
        const value = p.value === 'ATC' ? { ApplicationTransactionCounter: a.tag_9f36 } : { ApplicationCryptogram: a.tag_9f26 };
        cases.push({ name: v.id, key: 'pyemvSmi', msg, mac: String(v.expected.value), attrs: emvAttrs(card.pan!, card.psn!, p.mode, value) });
      } else if (v.id.startsWith('jpos-')) {
        const i = v.inputs as Record<string, string> & { messageData: string; pan: string; psn: string; awsEmvMac: { SessionKeyDerivationMode: string; SessionKeyDerivationValue: Json } };
        cases.push({ name: v.id, key: 'jposSmi', msg: i.messageData, mac: String(v.expected.mac), attrs: emvAttrs(i.pan, i.psn, i.awsEmvMac.SessionKeyDerivationMode, i.awsEmvMac.SessionKeyDerivationValue) });
      }
    }
    expect(cases.length).toBe(12);
    const res = await boto3Calls(h.endpoint, [
      ...cases.map((c) => gen(k[c.key]!.arn, { EmvMac: c.attrs }, c.msg)),
      ...cases.map((c) => ver(k[c.key]!.arn, { EmvMac: c.attrs }, c.msg, c.mac)),
      ...cases.map((c) => gen(k[c.key]!.arn, { EmvMac: c.attrs }, c.msg, 4)),
    ]);
    cases.forEach((c, i) => {
      expect(res[i]!.ok?.Mac, `${c.name} (default 8 bytes, NOTE)`).toBe(c.mac);
      expect(res[cases.length + i]!.ok, `${c.name} verify`).toBeDefined();
      expect(res[2 * cases.length + i]!.ok?.Mac, `${c.name} MacLength 4`).toBe(c.mac.slice(0, 8));
    });
  });

  it('EmvMac: AMEX = the Visa SM key (assumption), EMV2000 round trip; refusals and INVALID_MAC', async () => {
    const visa = EMV.find((v) => v.algorithm === 'cvn.VisaCVN10.generate_command_mac')!;
    const a = visa.inputs.args as Record<string, string>;
    const msg = `${a.command_header}${a.tag_9f36}${a.tag_9f26}`;
    const atc = { ApplicationTransactionCounter: a.tag_9f36 };
    const pan = '1234567890123456';
    const smi = k.pyemvSmi!.arn;
    const res = await boto3Calls(h.endpoint, [
      gen(smi, { EmvMac: emvAttrs(pan, '00', 'AMEX', atc) }, msg), // 0
      gen(smi, { EmvMac: emvAttrs(pan, '00', 'EMV2000', atc) }, msg), // 1
      gen(smi, { EmvMac: emvAttrs(pan, '00', 'UNION_PAY', atc) }, msg), // 2 unpublished
      gen(smi, { EmvMac: emvAttrs(pan, '00', 'VISA', atc, 'EMV_OPTION_B') }, msg), // 3 Option B, 16-digit PAN
      gen(smi, { EmvMac: emvAttrs(pan, '00', 'VISA', { ApplicationCryptogram: a.tag_9f26 }) }, msg), // 4 wrong value member
      gen(smi, { EmvMac: emvAttrs(pan, '00', 'EMV_COMMON_SESSION_KEY', atc) }, msg), // 5 wrong value member
      gen(smi, { EmvMac: emvAttrs(pan, '00', 'VISA', atc) }, msg, 9), // 6 MacLength 9
      ver(smi, { EmvMac: emvAttrs(pan, '00', 'VISA', atc) }, msg, flip(String(visa.expected.value))), // 7 mismatch
      ver(smi, { EmvMac: emvAttrs(pan, '01', 'VISA', atc) }, msg, String(visa.expected.value)), // 8 other PSN
      gen(k.e0!.arn, { EmvMac: emvAttrs(pan, '00', 'VISA', atc) }, msg), // 9 E0 key
      gen(smi, { EmvMac: emvAttrs('1234567890123456789', '00', 'VISA', atc, 'EMV_OPTION_B') }, msg), // 10 Option B, 19 digits
    ]);
    expect(res[0]!.ok?.Mac).toBe(visa.expected.value);
    expect(res[1]!.ok?.Mac).toMatch(/^[0-9A-F]{16}$/);
    expect(res[10]!.ok?.Mac).toMatch(/^[0-9A-F]{16}$/);
    for (const i of [2, 3, 4, 5, 6, 9]) expect(res[i]!.error?.code, `case ${i}: ${JSON.stringify(res[i])}`).toBe('ValidationException');
    for (const i of [7, 8]) {
      expect(res[i]!.error?.code, `case ${i}`).toBe('VerificationFailedException');
      expect(res[i]!.error?.fields.Reason).toBe('INVALID_MAC');
    }
    const back = await boto3Calls(h.endpoint, [
      ver(smi, { EmvMac: emvAttrs(pan, '00', 'EMV2000', atc) }, msg, String(res[1]!.ok?.Mac)),
      ver(smi, { EmvMac: emvAttrs('1234567890123456789', '00', 'VISA', atc, 'EMV_OPTION_B') }, msg, String(res[10]!.ok?.Mac)),
    ]);
    expect(back.map((r) => r.ok !== undefined)).toEqual([true, true]);
  });

  it('in-process: DukptCmac and EmvMac through emulator.call', async () => {
    const v = MOOV[0]!;
    const out = await h.emulator.call('GenerateMac', {
      KeyIdentifier: k.aesBdk!.arn,
      MessageData: ascii(v.inputs.message_ascii!),
      GenerationAttributes: { DukptCmac: { KeySerialNumber: v.inputs.ksn!, DukptKeyVariant: 'RESPONSE' } },
      MacLength: 16,
    });
    expect(out.Mac).toBe(v.expected.cmac_response);
    const j = EMV.find((x) => x.id === 'jpos-emvmac-vsdc-e218cc')!;
    const i = j.inputs as Record<string, string>;
    await expect(
      h.emulator.call('VerifyMac', {
        KeyIdentifier: k.jposSmi!.arn,
        MessageData: i.messageData!,
        Mac: flip(String(j.expected.mac)),
        VerificationAttributes: { EmvMac: emvAttrs(i.pan!, i.psn!, 'VISA', { ApplicationTransactionCounter: i.atc }) as never },
      }),
    ).rejects.toMatchObject({ awsName: 'VerificationFailedException', members: { Reason: 'INVALID_MAC' } });
  });
});

function emvAttrs(pan: string, psn: string, mode: string, value: Json, major = 'EMV_OPTION_A'): Json {
  return { MajorKeyDerivationMode: major, PrimaryAccountNumber: pan, PanSequenceNumber: psn, SessionKeyDerivationMode: mode, SessionKeyDerivationValue: value };
}

/** A generate_mac call's parameters as verify_mac parameters (without Mac, MacLength). */
function verParams(c: Boto3Call): Json {
  const { GenerationAttributes, MacLength: _l, ...rest } = c.params;
  return { ...rest, VerificationAttributes: GenerationAttributes };
}
