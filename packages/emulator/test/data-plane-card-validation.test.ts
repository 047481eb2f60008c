import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boto3Calls, dataPlaneHarness, hasBoto3, importByValue, type Boto3Call, type Boto3Result, type DataPlaneHarness } from './data-plane-kit.js';

/**
 * GenerateCardValidationData / VerifyCardValidationData through boto3 over HTTP, with keys
 * imported by value. Expected values: test-vectors/cvv.json (published Visa CVV/CVV2/iCVV/CVC
 * tables), test-vectors/dynamic-card-verification-code.json (pyemv HSM-checked CVC3 digits),
 * test-vectors/card-validation-extra.json (jPOS CVC3/dCVV/CAVV test values — a peer
 * implementation's values; Amex CSC — unverified regression values of a candidate algorithm).
 */

interface Json {
  [k: string]: unknown;
}
const readVectors = (name: string): Json[] => JSON.parse(readFileSync(new URL(`../../../test-vectors/${name}`, import.meta.url), 'utf8')) as Json[];
const CVV = readVectors('cvv.json');
const EXTRA = readVectors('card-validation-extra.json');
const CVC3_HSM = readVectors('dynamic-card-verification-code.json');
const extra = (prefix: string): Json[] => EXTRA.filter((v) => String(v.id).startsWith(prefix));

const GEN_VER = { Generate: true, Verify: true };
const DERIVE = { DeriveKey: true };

const gen = (KeyIdentifier: string, PrimaryAccountNumber: string, GenerationAttributes: Json, ValidationDataLength?: number): Boto3Call => ({
  op: 'generate_card_validation_data',
  params: { KeyIdentifier, PrimaryAccountNumber, GenerationAttributes, ...(ValidationDataLength === undefined ? {} : { ValidationDataLength }) },
});
const ver = (KeyIdentifier: string, PrimaryAccountNumber: string, VerificationAttributes: Json, ValidationData: string): Boto3Call => ({
  op: 'verify_card_validation_data',
  params: { KeyIdentifier, PrimaryAccountNumber, VerificationAttributes, ValidationData },
});

/** One expectation: a call, and the ValidationData it must answer (or just success for a verify). */
interface Case {
  name: string;
  call: Boto3Call;
  value?: string;
  kcv: string;
}

function check(cases: Case[], results: Boto3Result[]): void {
  cases.forEach((c, i) => {
    const r = results[i]!;
    expect(r.error ?? r.clientValidation, c.name).toBeUndefined();
    if (c.value !== undefined) expect(r.ok!.ValidationData, c.name).toBe(c.value);
    expect(r.ok!.KeyCheckValue, c.name).toBe(c.kcv);
    expect(r.ok!.KeyArn, c.name).toMatch(/^arn:aws:payment-cryptography:us-east-1:\d{12}:key\//);
  });
}

describe.runIf(hasBoto3())('card validation data through boto3 (vectors)', () => {
  let h: DataPlaneHarness;
  const keys = new Map<string, { arn: string; kcv: string }>();
  const key = async (hex: string, usage: string, modes: Json): Promise<{ arn: string; kcv: string }> => {
    const id = `${usage}/${hex}`;
    let k = keys.get(id);
    if (k === undefined) {
      k = await importByValue(h.client, hex, usage, 'TDES_2KEY', modes as never);
      keys.set(id, k);
    }
    return k;
  };
  beforeAll(async () => {
    h = await dataPlaneHarness();
  });
  afterAll(async () => h.close());

  it('Visa CVV (CardVerificationValue1), CVV2 (CardVerificationValue2, service code 000), iCVV (999), 4-digit CVC: published tables (cvv.json)', async () => {
    const cases: Case[] = [];
    for (const v of CVV) {
      const inp = v.inputs as Record<string, string | number>;
      const exp = v.expected as Record<string, string>;
      const cvkHex = String(inp.cvk ?? `${inp.cvk_a}${inp.cvk_b}`);
      const k = await key(cvkHex, 'TR31_C0_CARD_VERIFICATION_KEY', GEN_VER);
      const pan = String(inp.pan);
      const expiry = String(inp.expiry_yymm ?? inp.expiry ?? inp.expiry_as_entered ?? inp.expiry_field);
      const sc = String(inp.service_code);
      const value = exp.cvv ?? exp.cvc ?? exp.cvv2 ?? exp.value!;
      const len = inp.digits === undefined ? undefined : Number(inp.digits);
      const cv1 = { CardVerificationValue1: { CardExpiryDate: expiry, ServiceCode: sc } };
      cases.push({ name: `${v.description} generate`, call: gen(k.arn, pan, cv1, len), value, kcv: k.kcv });
      cases.push({ name: `${v.description} verify`, call: ver(k.arn, pan, cv1, value), kcv: k.kcv });
      if (sc === '000') {
        const cv2 = { CardVerificationValue2: { CardExpiryDate: expiry } };
        cases.push({ name: `${v.description} CVV2 generate`, call: gen(k.arn, pan, cv2, len), value, kcv: k.kcv });
        cases.push({ name: `${v.description} CVV2 verify`, call: ver(k.arn, pan, cv2, value), kcv: k.kcv });
      }
    }
    expect(cases.length).toBeGreaterThanOrEqual(36);
    check(cases, await boto3Calls(h.endpoint, cases.map((c) => c.call)));
  });

  it('Visa CAVV through CardVerificationValue1 with repurposed fields (jPOS peer values, not published)', async () => {
    const cases: Case[] = [];
    for (const v of extra('jpos-cavv-')) {
      const inp = v.inputs as { cvk: string; pan: string; aws: Json };
      const k = await key(inp.cvk, 'TR31_C0_CARD_VERIFICATION_KEY', GEN_VER);
      const value = (v.expected as { cavv: string }).cavv;
      cases.push({ name: `${String(v.id)} generate`, call: gen(k.arn, inp.pan, inp.aws), value, kcv: k.kcv });
      cases.push({ name: `${String(v.id)} verify`, call: ver(k.arn, inp.pan, inp.aws, value), kcv: k.kcv });
    }
    expect(cases).toHaveLength(4);
    check(cases, await boto3Calls(h.endpoint, cases.map((c) => c.call)));
  });

  it('Mastercard CVC3 (DynamicCardVerificationCode, E4 key): pyemv HSM-checked digits and jPOS peer values', async () => {
    const cases: Case[] = [];
    for (const v of CVC3_HSM) {
      const inp = v.inputs as Record<string, string>;
      const k = await key(inp.imk!, 'TR31_E4_EMV_MKEY_DYNAMIC_NUMBERS', DERIVE);
      const track = inp.track_data_hex ?? Buffer.from(inp.track_data_ascii!, 'ascii').toString('hex').toUpperCase();
      const attrs = { DynamicCardVerificationCode: { UnpredictableNumber: inp.un, PanSequenceNumber: inp.psn, ApplicationTransactionCounter: inp.atc, TrackData: track } };
      const value = (v.expected as { cvc3_last3: string }).cvc3_last3;
      cases.push({ name: `${v.description} generate (default length 3)`, call: gen(k.arn, inp.pan!, attrs), value, kcv: k.kcv });
      cases.push({ name: `${v.description} verify`, call: ver(k.arn, inp.pan!, attrs, value), kcv: k.kcv });
    }
    // Option A only (AWS's member has no derivation mode); the jPOS "IVCVC3 given directly" case is jPOS-specific
    for (const v of extra('jpos-cvc3-').filter((x) => (x.inputs as Json).option === 'A' && !String(x.id).endsWith('ivcvc3'))) {
      const inp = v.inputs as Record<string, string>;
      const k = await key(inp.imkCvc3!, 'TR31_E4_EMV_MKEY_DYNAMIC_NUMBERS', DERIVE);
      const attrs = { DynamicCardVerificationCode: { UnpredictableNumber: inp.un, PanSequenceNumber: inp.psn, ApplicationTransactionCounter: inp.atc, TrackData: inp.trackData } };
      const value = (v.expected as { cvc3: string }).cvc3;
      cases.push({ name: `${String(v.id)} generate (jPOS peer value)`, call: gen(k.arn, inp.pan!, attrs, value.length), value, kcv: k.kcv });
      cases.push({ name: `${String(v.id)} verify (jPOS peer value)`, call: ver(k.arn, inp.pan!, attrs, value), kcv: k.kcv });
      // the n rightmost digits verify on their own
      cases.push({ name: `${String(v.id)} verify last 3 (jPOS peer value)`, call: ver(k.arn, inp.pan!, attrs, value.slice(-3)), kcv: k.kcv });
    }
    expect(cases).toHaveLength(10);
    check(cases, await boto3Calls(h.endpoint, cases.map((c) => c.call)));
  });

  it('Visa dCVV candidate (DynamicCardVerificationValue, E6 key): jPOS peer values, Option A', async () => {
    const cases: Case[] = [];
    for (const v of extra('jpos-dcvv-opta-')) {
      const inp = v.inputs as Record<string, string>;
      const k = await key(inp.imkAc!, 'TR31_E6_EMV_MKEY_OTHER', DERIVE);
      const attrs = { DynamicCardVerificationValue: { PanSequenceNumber: inp.psn, CardExpiryDate: inp.expiry, ServiceCode: inp.serviceCode, ApplicationTransactionCounter: inp.atc } };
      const value = (v.expected as { dcvv: string }).dcvv;
      cases.push({ name: `${String(v.id)} generate`, call: gen(k.arn, inp.pan!, attrs), value, kcv: k.kcv });
      cases.push({ name: `${String(v.id)} verify`, call: ver(k.arn, inp.pan!, attrs, value), kcv: k.kcv });
    }
    expect(cases).toHaveLength(4);
    check(cases, await boto3Calls(h.endpoint, cases.map((c) => c.call)));
  });

  it('Amex CSC v1/v2 candidate (C0 key), 3/4/5 digits: unverified regression values, not AWS outputs', async () => {
    const cases: Case[] = [];
    for (const v of extra('amex-csc-')) {
      const inp = v.inputs as { csck: string; pan: string; expiryYYMM: string; version: number; serviceCode: string | null };
      const k = await key(inp.csck, 'TR31_C0_CARD_VERIFICATION_KEY', GEN_VER);
      const attrs =
        inp.version === 1
          ? { AmexCardSecurityCodeVersion1: { CardExpiryDate: inp.expiryYYMM } }
          : { AmexCardSecurityCodeVersion2: { CardExpiryDate: inp.expiryYYMM, ServiceCode: inp.serviceCode } };
      for (const n of [3, 4, 5]) {
        const value = (v.expected as Record<string, string>)[`csc${n}`]!;
        cases.push({ name: `${String(v.id)} csc${n} generate`, call: gen(k.arn, inp.pan, attrs, n), value, kcv: k.kcv });
        cases.push({ name: `${String(v.id)} csc${n} verify`, call: ver(k.arn, inp.pan, attrs, value), kcv: k.kcv });
      }
    }
    expect(cases).toHaveLength(24);
    check(cases, await boto3Calls(h.endpoint, cases.map((c) => c.call)));
  });
});
