import { StopKeyUsageCommand } from '@aws-sdk/client-payment-cryptography';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boto3Calls, dataPlaneHarness, hasBoto3, importByValue, type Boto3Call, type DataPlaneHarness, type ImportedKey } from './data-plane-kit.js';

/**
 * VerifyAuthRequestCryptogram / GenerateAuthRequestCryptogram through boto3 over HTTP (and raw
 * HTTP for GenerateAuthRequestCryptogram, which boto3 1.43's model lacks). Expected values:
 * test-vectors/emv.json — the two AWS User Guide ARQCs (AWS's own output, IMK KCV 08D7B4) and
 * jPOS JCESecurityModuleTest ARQC / ARPC method 1 / method 2 values (published in jPOS's tests).
 */

interface Vector {
  id: string;
  family: string;
  published?: boolean;
  computedBy?: unknown;
  inputs: Record<string, string | Record<string, unknown>>;
  expected: Record<string, string>;
}
const EMV = (JSON.parse(readFileSync(new URL('../../../test-vectors/emv.json', import.meta.url), 'utf8')) as { vectors: Vector[] }).vectors;
const byId = (id: string): Vector => {
  const v = EMV.find((x) => x.id === id);
  if (v === undefined) throw new Error(`no vector ${id}`);
  return v;
};
const published = (v: Vector): string => (v.published === true ? 'published' : `peer-computed: ${JSON.stringify(v.computedBy)}`);

const AWS_IMK = '0123456789ABCDEFFEDCBA9876543210';
const DERIVE = { DeriveKey: true };

/** jPOS's `awsSessionKeyDerivation` label → the AWS SessionKeyDerivation member. */
function sessionKeyAttributes(v: Vector): Record<string, unknown> {
  const i = v.inputs as Record<string, string>;
  const base = { PrimaryAccountNumber: i.pan, PanSequenceNumber: i.psn };
  const label = i.awsSessionKeyDerivation!;
  if (label.startsWith('VISA')) return { Visa: base };
  if (label.startsWith('MASTERCARD')) return { Mastercard: { ...base, ApplicationTransactionCounter: i.atc, UnpredictableNumber: i.un } };
  if (label.startsWith('EMV_COMMON')) return { EmvCommon: { ...base, ApplicationTransactionCounter: i.atc } };
  throw new Error(`unmapped ${label}`);
}
/** jPOS zero-pads unaligned data itself (ISO 9797-1 method 1); an AWS caller pads before sending. */
const padded = (data: unknown): string => String(data).padEnd(Math.ceil(String(data).length / 16) * 16, '0');
const mode = (v: Vector): string => ((v.inputs as Record<string, string>).option === 'B' ? 'EMV_OPTION_B' : 'EMV_OPTION_A');

const verify = (KeyIdentifier: string, p: Record<string, unknown>): Boto3Call => ({ op: 'verify_auth_request_cryptogram', params: { KeyIdentifier, ...p } });

describe.runIf(hasBoto3())('ARQC / ARPC through boto3 (vectors)', () => {
  let h: DataPlaneHarness;
  let awsImk: ImportedKey;
  let jposImk: ImportedKey;

  beforeAll(async () => {
    h = await dataPlaneHarness();
    awsImk = await importByValue(h.client, AWS_IMK, 'TR31_E0_EMV_MKEY_APP_CRYPTOGRAMS', 'TDES_2KEY', DERIVE);
    jposImk = await importByValue(h.client, '13345779133457791334577913345779', 'TR31_E0_EMV_MKEY_APP_CRYPTOGRAMS', 'TDES_2KEY', DERIVE);
  });
  afterAll(async () => h.close());

  const awsDoc = ['aws-doc-arqc-visa-cvn10', 'aws-doc-arqc-visa-cvn18-emvcommon'].map(byId);

  it('the two AWS User Guide ARQCs verify with the 08D7B4 IMK (AWS output)', async () => {
    expect(awsImk.kcv).toBe('08D7B4');
    const calls = awsDoc.map((v) =>
      verify(awsImk.arn, {
        TransactionData: v.inputs.transactionData,
        AuthRequestCryptogram: v.expected.authRequestCryptogram,
        MajorKeyDerivationMode: v.inputs.majorKeyDerivationMode,
        SessionKeyDerivationAttributes: v.inputs.sessionKeyDerivation,
      }),
    );
    const res = await boto3Calls(h.endpoint, calls);
    res.forEach((r, i) => {
      expect(r.error ?? r.clientValidation, awsDoc[i]!.id).toBeUndefined();
      expect(r.ok).toEqual({ KeyArn: awsImk.arn, KeyCheckValue: '08D7B4' });
    });
  });

  it('GenerateAuthRequestCryptogram over raw HTTP returns the AWS User Guide ARQCs (AWS output)', async () => {
    for (const v of awsDoc) {
      const res = await fetch(`${h.endpoint}/cryptogram/generate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          KeyIdentifier: awsImk.arn,
          TransactionData: v.inputs.transactionData,
          MajorKeyDerivationMode: v.inputs.majorKeyDerivationMode,
          SessionKeyDerivationAttributes: v.inputs.sessionKeyDerivation,
        }),
      });
      expect(res.status, v.id).toBe(200);
      expect(await res.json()).toEqual({ KeyArn: awsImk.arn, KeyCheckValue: '08D7B4', AuthRequestCryptogram: v.expected.authRequestCryptogram });
    }
  });

  it('GenerateAuthRequestCryptogram through emulator.call returns the AWS User Guide ARQCs (AWS output)', async () => {
    for (const v of awsDoc) {
      const out = await h.emulator.call('GenerateAuthRequestCryptogram', {
        KeyIdentifier: awsImk.arn,
        TransactionData: v.inputs.transactionData,
        MajorKeyDerivationMode: v.inputs.majorKeyDerivationMode,
        SessionKeyDerivationAttributes: v.inputs.sessionKeyDerivation,
      });
      expect(out.AuthRequestCryptogram, v.id).toBe(v.expected.authRequestCryptogram);
    }
  });

  const jposArqc = EMV.filter((v) => v.family === 'arqc' && v.id.startsWith('jpos-') && !(v.inputs.option === 'B' && String(v.inputs.pan).length <= 16));

  it(`jPOS ARQCs verify (Visa, Mastercard, EmvCommon; Option A and B): ${jposArqc.length} vectors (published)`, async () => {
    expect(jposArqc.length).toBeGreaterThanOrEqual(9);
    const res = await boto3Calls(
      h.endpoint,
      jposArqc.map((v) =>
        verify(jposImk.arn, {
          TransactionData: padded(v.inputs.transactionData),
          AuthRequestCryptogram: v.expected.authRequestCryptogram,
          MajorKeyDerivationMode: mode(v),
          SessionKeyDerivationAttributes: sessionKeyAttributes(v),
        }),
      ),
    );
    res.forEach((r, i) => expect(r.error ?? r.clientValidation, `${jposArqc[i]!.id} (${published(jposArqc[i]!)})`).toBeUndefined());
  });

  // the ARPC vectors name the ARQC; its transaction data is that of the jPOS ARQC vector with the same cryptogram
  const arpcs = EMV.filter((v) => (v.family === 'arpc_method1' || v.family === 'arpc_method2') && v.id.startsWith('jpos-'));

  it(`jPOS ARPC method 1 and method 2 as AuthResponseValue: ${arpcs.length} vectors (published)`, async () => {
    expect(arpcs.length).toBeGreaterThanOrEqual(9);
    const calls = arpcs.map((v) => {
      const arqc = jposArqc.find((a) => a.expected.authRequestCryptogram === v.inputs.arqc && a.inputs.pan === v.inputs.pan && a.inputs.option === v.inputs.option);
      if (arqc === undefined) throw new Error(`no ARQC vector for ${v.id}`);
      const i = v.inputs as Record<string, string>;
      return verify(jposImk.arn, {
        TransactionData: padded(arqc.inputs.transactionData),
        AuthRequestCryptogram: i.arqc,
        MajorKeyDerivationMode: mode(v),
        SessionKeyDerivationAttributes: sessionKeyAttributes(arqc),
        AuthResponseAttributes: v.family === 'arpc_method1' ? { ArpcMethod1: { AuthResponseCode: i.authResponseCode } } : { ArpcMethod2: { CardStatusUpdate: i.cardStatusUpdate } },
      });
    });
    const res = await boto3Calls(h.endpoint, calls);
    res.forEach((r, i) => {
      const v = arpcs[i]!;
      expect(r.error ?? r.clientValidation, v.id).toBeUndefined();
      expect(r.ok!.AuthResponseValue, `${v.id} (${published(v)})`).toBe(v.expected.authResponseValue);
    });
  });

  it('failures: mismatch, Option B with a 16-digit PAN, unaligned data, UnionPay, bad ARPC data, wrong key, disabled key, unknown key', async () => {
    const cvn18 = awsDoc[1]!;
    const ok = {
      TransactionData: cvn18.inputs.transactionData as string,
      AuthRequestCryptogram: cvn18.expected.authRequestCryptogram!,
      MajorKeyDerivationMode: 'EMV_OPTION_A',
      SessionKeyDerivationAttributes: cvn18.inputs.sessionKeyDerivation,
    };
    const flipped = (ok.AuthRequestCryptogram.slice(0, 15) + (ok.AuthRequestCryptogram[15] === '4' ? '5' : '4')).toString();
    const smi = await importByValue(h.client, AWS_IMK, 'TR31_E2_EMV_MKEY_INTEGRITY', 'TDES_2KEY', DERIVE);
    const disabled = await importByValue(h.client, AWS_IMK, 'TR31_E0_EMV_MKEY_APP_CRYPTOGRAMS', 'TDES_2KEY', DERIVE);
    await h.client.send(new StopKeyUsageCommand({ KeyIdentifier: disabled.arn }));
    const optB16 = byId('jpos-arqc-cskd-optb-pan16-p00');
    const calls: [string, Boto3Call][] = [
      ['mismatch', verify(awsImk.arn, { ...ok, AuthRequestCryptogram: flipped, AuthResponseAttributes: { ArpcMethod1: { AuthResponseCode: '3030' } } })],
      ['data changed', verify(awsImk.arn, { ...ok, TransactionData: `1${ok.TransactionData.slice(1)}` })],
      [
        'option B, 16-digit PAN',
        verify(jposImk.arn, {
          TransactionData: padded(optB16.inputs.transactionData),
          AuthRequestCryptogram: optB16.expected.authRequestCryptogram,
          MajorKeyDerivationMode: 'EMV_OPTION_B',
          SessionKeyDerivationAttributes: sessionKeyAttributes(optB16),
        }),
      ],
      ['unaligned data', verify(awsImk.arn, { ...ok, TransactionData: ok.TransactionData.slice(0, -2) })],
      ['odd-length data', verify(awsImk.arn, { ...ok, TransactionData: ok.TransactionData.slice(0, -1) })],
      ['odd ProprietaryAuthenticationData', verify(awsImk.arn, { ...ok, AuthResponseAttributes: { ArpcMethod2: { CardStatusUpdate: '00120000', ProprietaryAuthenticationData: 'ABC' } } })],
      ['E2 key', verify(smi.arn, ok)],
      ['disabled key', verify(disabled.arn, ok)],
      ['unknown key', verify(awsImk.arn.replace(/key\/.*/, 'key/abcdefghijklmnop'), ok)],
    ];
    const res = await boto3Calls(h.endpoint, calls.map(([, c]) => c));
    const err = (name: string) => res[calls.findIndex(([n]) => n === name)]!.error!;
    for (const name of ['mismatch', 'data changed']) {
      expect(err(name), name).toMatchObject({ code: 'VerificationFailedException', status: 400, message: 'Auth request cryptogram verification failed.' });
      expect(err(name).fields.Reason, name).toBe('INVALID_AUTH_REQUEST_CRYPTOGRAM');
    }
    expect(err('option B, 16-digit PAN')).toMatchObject({ code: 'ValidationException', status: 400 });
    expect(err('option B, 16-digit PAN').message).toMatch(/EMV_OPTION_B requires a PAN of more than 16 digits/);
    expect(err('unaligned data').message).toMatch(/TransactionData must be a whole number of 8-byte blocks/);
    expect(err('odd-length data').code).toBe('ValidationException');
    // boto3 1.43's model has no UnionPay member: over raw HTTP
    const unionPay = await fetch(`${h.endpoint}/cryptogram/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ KeyIdentifier: awsImk.arn, ...ok, SessionKeyDerivationAttributes: { UnionPay: { PrimaryAccountNumber: '9137631040001422', PanSequenceNumber: '01', ApplicationTransactionCounter: '000B' } } }),
    });
    expect(unionPay.status).toBe(400);
    expect(unionPay.headers.get('x-amzn-errortype')).toMatch(/^ValidationException/);
    expect(((await unionPay.json()) as { message: string }).message).toMatch(/SessionKeyDerivationAttributes\.UnionPay: .*not published/);
    expect(err('odd ProprietaryAuthenticationData').message).toMatch(/ProprietaryAuthenticationData: expected an even number/);
    expect(err('E2 key').message).toMatch(/KeyUsage TR31_E2_EMV_MKEY_INTEGRITY is not allowed/);
    expect(err('disabled key').message).toMatch(/disabled/);
    expect(err('unknown key').code).toBe('ResourceNotFoundException');
    for (const [name] of calls) expect(err(name).code, name).not.toBe('InternalServerException');
  });

  it('a key with the wrong modes of use (E0 with Generate) is refused', async () => {
    // E0 is DeriveKey-only in TR-31; ask with Generate and expect a refusal at import or at use
    const r = await importByValue(h.client, AWS_IMK, 'TR31_E0_EMV_MKEY_APP_CRYPTOGRAMS', 'TDES_2KEY', { Generate: true }).catch((e: Error) => e);
    if (r instanceof Error) return expect(r.name).toBe('ValidationException');
    const v = awsDoc[0]!;
    const [res] = await boto3Calls(h.endpoint, [
      verify(r.arn, { TransactionData: v.inputs.transactionData, AuthRequestCryptogram: v.expected.authRequestCryptogram, MajorKeyDerivationMode: 'EMV_OPTION_A', SessionKeyDerivationAttributes: v.inputs.sessionKeyDerivation }),
    ]);
    expect(res!.error).toMatchObject({ code: 'ValidationException' });
    expect(res!.error!.message).toMatch(/KeyModesOfUse/);
  });
});
