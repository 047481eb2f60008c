import { CreateKeyCommand } from '@aws-sdk/client-payment-cryptography';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_OPERATION_NAMES, DATA_PLANE, DATA_PLANE_MODEL } from '../src/index.js';
import { boto3Calls, dataPlaneHarness, hasBoto3, importByValue, type DataPlaneHarness } from './data-plane-kit.js';

describe('data plane on the wire (restJson1)', () => {
  let h: DataPlaneHarness;
  beforeAll(async () => {
    h = await dataPlaneHarness();
  });
  afterAll(async () => h.close());

  it('the table has every operation of the newest data-plane model (15), each with a route', () => {
    expect(DATA_OPERATION_NAMES).toHaveLength(15);
    expect(Object.keys(DATA_PLANE).sort()).toEqual([...DATA_OPERATION_NAMES].sort());
    for (const op of DATA_OPERATION_NAMES) expect(DATA_PLANE_MODEL.operations[op].http?.method).toBe('POST');
  });

  it('an unknown path without X-Amz-Target is UnknownOperationException', async () => {
    const r = await fetch(`${h.endpoint}/nothing/here`, { method: 'POST', body: '{}' });
    expect(r.status).toBe(400);
    expect(r.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });

  it('a model violation answers the data-plane ValidationException shape: message and fieldList', async () => {
    const r = await fetch(`${h.endpoint}/cardvalidationdata/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ PrimaryAccountNumber: 'x' }) });
    expect(r.status).toBe(400);
    expect(r.headers.get('x-amzn-errortype')).toBe('ValidationException');
    const body = (await r.json()) as { message: string; fieldList: { path: string; message: string }[]; Message?: string };
    expect(body.message).toMatch(/validation errors? detected/);
    expect(body.Message).toBeUndefined();
    expect(body.fieldList.map((f) => f.path)).toEqual(expect.arrayContaining(['keyIdentifier', 'generationAttributes', 'primaryAccountNumber']));
  });

  it('URI labels are matched raw and then percent-decoded: an ARN and an alias in the path reach the handler', async () => {
    const key = await h.client.send(
      new CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyUsage: 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_128', KeyModesOfUse: { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true } } }),
    );
    const arn = key.Key!.KeyArn!;
    // a key ARN that does not exist: the decoded label reaches resolveKey (404 names it)
    const missing = arn.replace(/key\/.*/, 'key/aaaaaaaaaaaaaaaa');
    const r = await fetch(`${h.endpoint}/keys/${encodeURIComponent(missing)}/encrypt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ PlainText: '00112233445566778899AABBCCDDEEFF', EncryptionAttributes: { Symmetric: { Mode: 'ECB' } } }),
    });
    const body = (await r.json()) as Record<string, unknown>;
    // either the operation is implemented (404 for the missing key) or not yet (501): never a routing error
    expect([404, 501]).toContain(r.status);
    if (r.status === 404) expect(body.ResourceId).toBe(missing);
  });

  it.runIf(hasBoto3())('boto3 reaches the data plane: errors come back as botocore ClientErrors with the model fields', async () => {
    const cvk = await importByValue(h.client, '0123456789ABCDEFFEDCBA9876543210', 'TR31_C0_CARD_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true, Verify: true });
    const [bad] = await boto3Calls(h.endpoint, [
      { op: 'generate_card_validation_data', params: { KeyIdentifier: 'alias/does-not-exist', PrimaryAccountNumber: '4123456789012345', GenerationAttributes: { CardVerificationValue2: { CardExpiryDate: '0123' } } } },
    ]);
    expect(bad!.error?.code).toBe('ResourceNotFoundException');
    expect(bad!.error?.status).toBe(404);
    expect(cvk.kcv).toMatch(/^[0-9A-F]{6}$/);
  });
});
