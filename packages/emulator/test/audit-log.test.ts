import { CreateAliasCommand, CreateKeyCommand, DeleteAliasCommand, ExportKeyCommand, GetKeyCommand, GetParametersForImportCommand, ImportKeyCommand, PaymentCryptographyClient } from '@aws-sdk/client-payment-cryptography';
import { tr31HeaderFieldsFromAws, wrapTr31 } from '@paycrypt/keyblock';
import { constants, publicEncrypt, randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emulator } from '../src/emulator.js';
import { inProcessHandler } from '../src/transport/in-process.js';
import { auditLines, botoCalls, expectNoSecrets, type AuditLine } from './audit-kit.js';
import { dataPlaneHarness, hasBoto3, importByValue, kekByValue, type DataPlaneHarness } from './data-plane-kit.js';
import { clearBlock8, tdes } from './data-plane-pin-kit.js';
import { failure, type Failure } from './helpers.js';
import { toHex } from './tr31-kit.js';

/**
 * The audit log (issue 11): one JSON line per call over HTTP (the AWS SDK for the control plane,
 * boto3 for the data plane), in-process (the SDK's requestHandler) and direct; the fields, the
 * request id of the answer, failures, alias resolution — and no key material: every clear key,
 * key block, cryptogram, PAN, PIN block, plaintext and ciphertext the test used is searched for.
 * Expected values are the SDK's / boto3's answers and the test's own inputs.
 */
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const PAN = '4123456789012345';
const hex = (n: number): string => toHex(randomBytes(n));
const ALL4 = { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true };
const runBoto = it.runIf(hasBoto3());

describe('audit log over HTTP', () => {
  let path: string;
  let em: Emulator;
  let h: DataPlaneHarness;
  const secrets: string[] = [];
  let kekArn: string;
  let cvkArn: string;
  const tail = async (from: number): Promise<AuditLine[]> => (await auditLines(em, path)).slice(from);
  const count = async (): Promise<number> => (await auditLines(em, path)).length;

  beforeAll(async () => {
    path = join(mkdtempSync(join(tmpdir(), 'paycrypt-audit-')), 'audit.jsonl');
    em = Emulator.inMemory({ auditLog: path });
    h = await dataPlaneHarness(em);
  });
  afterAll(async () => h?.close());

  it('control plane (AWS SDK): one line per call, the answer request id, keys as given and resolved, failures', async () => {
    const c = h.client;
    const params = await c.send(new GetParametersForImportCommand({ KeyMaterialType: 'KEY_CRYPTOGRAM', WrappingKeyAlgorithm: 'RSA_3072' }));
    const cert = new X509Certificate(Buffer.from(params.WrappingKeyCertificate!, 'base64').toString('utf8'));
    const kekClear = randomBytes(16);
    const cryptogram = toHex(publicEncrypt({ key: cert.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, kekClear));
    const kek = await c.send(
      new ImportKeyCommand({
        KeyMaterial: {
          KeyCryptogram: {
            KeyAttributes: { KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_128', KeyModesOfUse: ALL4 },
            Exportable: true,
            WrappedKeyCryptogram: cryptogram,
            ImportToken: params.ImportToken!,
          },
        },
      }),
    );
    kekArn = kek.Key!.KeyArn!;
    const cvkClear = randomBytes(16);
    const modes = { Generate: true, Verify: true };
    const fields = tr31HeaderFieldsFromAws({ KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: modes as never }, 'E');
    const block = wrapTr31(new Uint8Array(kekClear), { version: 'D', keyVersion: '00', keyContext: '0', optionalBlocks: [], ...fields }, new Uint8Array(cvkClear));
    const cvk = await c.send(new ImportKeyCommand({ KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kekArn, WrappedKeyBlock: block } } }));
    cvkArn = cvk.Key!.KeyArn!;
    const alias = await c.send(new CreateAliasCommand({ AliasName: 'alias/audit-cvk', KeyArn: cvkArn }));
    const got = await c.send(new GetKeyCommand({ KeyIdentifier: 'alias/audit-cvk' }));
    const missing = `arn:aws:payment-cryptography:${REGION}:${ACCOUNT}:key/zzzzzzzzzzzzzzzz`;
    const err = await failure(() => c.send(new GetKeyCommand({ KeyIdentifier: missing })));
    expect(err.name).toBe('ResourceNotFoundException');
    secrets.push(toHex(kekClear), cryptogram, toHex(cvkClear), block);

    const lines = await auditLines(em, path);
    expect(lines.map((l) => l.operation)).toEqual(['GetParametersForImport', 'ImportKey', 'ImportKey', 'CreateAlias', 'GetKey', 'GetKey']);
    expect(lines.map((l) => l.requestId)).toEqual([params, kek, cvk, alias, got].map((r) => r.$metadata.requestId).concat(requestIdOf(err)));
    for (const l of lines) {
      expect(l).toMatchObject({ transport: 'http', plane: 'control-plane', account: ACCOUNT, region: REGION });
      expect(Math.abs(Date.parse(l.time) - Date.now())).toBeLessThan(10 * 60_000);
    }
    expect(lines[0]).toEqual({ ...pick(lines[0]!), outcome: 'ok', status: 200 });
    // ImportKey names no key at the top: the line carries the key it made, the wrapping key apart
    expect(lines[1]).toEqual({ ...pick(lines[1]!), keyArn: kekArn, outcome: 'ok', status: 200 });
    expect(lines[2]).toEqual({
      ...pick(lines[2]!),
      keyArn: cvkArn,
      otherKeys: [{ member: 'KeyMaterial.Tr31KeyBlock.WrappingKeyIdentifier', keyIdentifier: kekArn, keyArn: kekArn }],
      outcome: 'ok',
      status: 200,
    });
    expect(lines[3]).toMatchObject({ keyIdentifier: 'alias/audit-cvk', keyArn: cvkArn, otherKeys: [{ member: 'KeyArn', keyIdentifier: cvkArn, keyArn: cvkArn }], outcome: 'ok' });
    expect(lines[4]).toEqual({ ...pick(lines[4]!), keyIdentifier: 'alias/audit-cvk', keyArn: cvkArn, outcome: 'ok', status: 200 });
    expect(lines[5]).toEqual({ ...pick(lines[5]!), keyIdentifier: missing, outcome: 'ResourceNotFoundException', status: 404 });
    expectNoSecrets(readFileSync(path, 'utf8'), secrets);
  });

  runBoto('data plane (boto3): CVV2, a failed verification, encryption, a PIN translation, a missing alias', async () => {
    const d0Clear = hex(16);
    const d0 = await importByValue(h.client, d0Clear, 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', 'AES_128', ALL4);
    const pek1Clear = hex(16);
    const pek2Clear = hex(16);
    const pek1 = await importByValue(h.client, pek1Clear, 'TR31_P0_PIN_ENCRYPTION_KEY', 'TDES_2KEY', ALL4);
    const pek2 = await importByValue(h.client, pek2Clear, 'TR31_P0_PIN_ENCRYPTION_KEY', 'TDES_2KEY', ALL4);
    await h.client.send(new CreateAliasCommand({ AliasName: 'alias/audit-pek-out', KeyArn: pek2.arn }));
    const from = await count();
    const plain = hex(32);
    const iv = hex(16);
    const pinBlock = tdes(pek1Clear, clearBlock8(0, '1234', PAN));
    const iso0 = { IsoFormat0: { PrimaryAccountNumber: PAN } };
    const cvv2 = { CardVerificationValue2: { CardExpiryDate: '1230' } };
    const [gen, ...rest] = await botoCalls(h.endpoint, [
      { op: 'generate_card_validation_data', params: { KeyIdentifier: 'alias/audit-cvk', PrimaryAccountNumber: PAN, GenerationAttributes: cvv2 } },
    ]);
    expect(gen!.ok?.KeyArn).toBe(cvkArn);
    const value = String(gen!.ok!.ValidationData);
    const wrong = value.replace(/^./, (d) => String((Number(d) + 1) % 10));
    rest.push(
      ...(await botoCalls(h.endpoint, [
        { op: 'verify_card_validation_data', params: { KeyIdentifier: 'alias/audit-cvk', PrimaryAccountNumber: PAN, VerificationAttributes: cvv2, ValidationData: wrong } },
        { op: 'encrypt_data', params: { KeyIdentifier: d0.arn, PlainText: plain, EncryptionAttributes: { Symmetric: { Mode: 'CBC', InitializationVector: iv } } } },
        {
          op: 'translate_pin_data',
          params: { IncomingKeyIdentifier: pek1.arn, OutgoingKeyIdentifier: 'alias/audit-pek-out', IncomingTranslationAttributes: iso0, OutgoingTranslationAttributes: iso0, EncryptedPinBlock: pinBlock },
        },
        { op: 'encrypt_data', params: { KeyIdentifier: 'alias/audit-missing', PlainText: plain, EncryptionAttributes: { Symmetric: { Mode: 'ECB' } } } },
      ])),
    );
    const [ver, enc, tr, miss] = rest;
    expect(ver).toMatchObject({ error: 'VerificationFailedException', status: 400 });
    expect(enc!.ok?.KeyArn).toBe(d0.arn);
    expect(tr!.ok?.KeyArn).toBe(pek2.arn);
    expect(miss).toMatchObject({ error: 'ResourceNotFoundException', status: 404 });
    const kit = await kekByValue(h.client);
    secrets.push(d0Clear, pek1Clear, pek2Clear, plain, String(enc!.ok!.CipherText), pinBlock, String(tr!.ok!.PinBlock), toHex(kit.clear), PAN);

    const lines = await tail(from);
    expect(lines.map((l) => l.requestId)).toEqual([gen, ver, enc, tr, miss].map((r) => r!.requestId));
    for (const l of lines) expect(l).toMatchObject({ transport: 'http', plane: 'data-plane', account: ACCOUNT, region: REGION });
    expect(lines[0]).toEqual({ ...pick(lines[0]!), operation: 'GenerateCardValidationData', keyIdentifier: 'alias/audit-cvk', keyArn: cvkArn, outcome: 'ok', status: 200 });
    // a failed call still names the key its identifier resolves to
    expect(lines[1]).toEqual({ ...pick(lines[1]!), operation: 'VerifyCardValidationData', keyIdentifier: 'alias/audit-cvk', keyArn: cvkArn, outcome: 'VerificationFailedException', status: 400 });
    expect(lines[2]).toEqual({ ...pick(lines[2]!), operation: 'EncryptData', keyIdentifier: d0.arn, keyArn: d0.arn, outcome: 'ok', status: 200 });
    // the outgoing key is the one the answer's KeyArn names; the incoming one is listed apart
    expect(lines[3]).toEqual({
      ...pick(lines[3]!),
      operation: 'TranslatePinData',
      keyIdentifier: 'alias/audit-pek-out',
      keyArn: pek2.arn,
      otherKeys: [{ member: 'IncomingKeyIdentifier', keyIdentifier: pek1.arn, keyArn: pek1.arn }],
      outcome: 'ok',
      status: 200,
    });
    expect(lines[4]).toEqual({ ...pick(lines[4]!), operation: 'EncryptData', keyIdentifier: 'alias/audit-missing', outcome: 'ResourceNotFoundException', status: 404 });
    const text = readFileSync(path, 'utf8');
    expectNoSecrets(text, secrets);
    for (const v of [value, wrong]) expect(text).not.toMatch(new RegExp(`"${v}"`));
  });
});

describe('audit log in-process and direct', () => {
  let path: string;
  let em: Emulator;
  let client: PaymentCryptographyClient;
  beforeAll(() => {
    path = join(mkdtempSync(join(tmpdir(), 'paycrypt-audit-')), 'audit.jsonl');
    em = Emulator.inMemory({ auditLog: path });
    client = new PaymentCryptographyClient({
      region: 'eu-west-1',
      endpoint: 'http://emulator.local',
      credentials: { accessKeyId: '444455556666', secretAccessKey: 'test' },
      requestHandler: inProcessHandler(em),
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client?.destroy();
    await em?.close();
  });

  it('in-process SDK: ExportKey under an alias KEK, DeleteAlias, the alias gone; the exported block absent', async () => {
    const create = (KeyUsage: string) =>
      client.send(new CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyUsage: KeyUsage as never, KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_128', KeyModesOfUse: ALL4 } }));
    const kek = await create('TR31_K0_KEY_ENCRYPTION_KEY');
    const d0 = await create('TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY');
    const kekArn = kek.Key!.KeyArn!;
    const d0Arn = d0.Key!.KeyArn!;
    expect(kekArn).toContain(':eu-west-1:444455556666:key/');
    await client.send(new CreateAliasCommand({ AliasName: 'alias/audit-kek', KeyArn: kekArn }));
    const exported = await client.send(new ExportKeyCommand({ ExportKeyIdentifier: d0Arn, KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: 'alias/audit-kek' } } }));
    const deleted = await client.send(new DeleteAliasCommand({ AliasName: 'alias/audit-kek' }));
    const gone = await failure(() => client.send(new GetKeyCommand({ KeyIdentifier: 'alias/audit-kek' })));
    expect(gone.name).toBe('ResourceNotFoundException');

    const lines = await auditLines(em, path);
    expect(lines.map((l) => l.operation)).toEqual(['CreateKey', 'CreateKey', 'CreateAlias', 'ExportKey', 'DeleteAlias', 'GetKey']);
    for (const l of lines) expect(l).toMatchObject({ transport: 'in-process', plane: 'control-plane', account: '444455556666', region: 'eu-west-1' });
    expect(lines[0]).toMatchObject({ keyArn: kekArn, outcome: 'ok', status: 200 });
    expect(lines[3]).toEqual({
      ...pick(lines[3]!),
      requestId: exported.$metadata.requestId,
      keyIdentifier: d0Arn,
      keyArn: d0Arn,
      otherKeys: [{ member: 'KeyMaterial.Tr31KeyBlock.WrappingKeyIdentifier', keyIdentifier: 'alias/audit-kek', keyArn: kekArn }],
      outcome: 'ok',
      status: 200,
    });
    // DeleteAlias answers nothing: the ARN is the one the alias named before the call
    expect(lines[4]).toEqual({ ...pick(lines[4]!), requestId: deleted.$metadata.requestId, keyIdentifier: 'alias/audit-kek', keyArn: kekArn, outcome: 'ok', status: 200 });
    expect(lines[5]).toEqual({ ...pick(lines[5]!), requestId: requestIdOf(gone), keyIdentifier: 'alias/audit-kek', outcome: 'ResourceNotFoundException', status: 404 });
    const block = exported.WrappedKey!.KeyMaterial!;
    expectNoSecrets(readFileSync(path, 'utf8'), [block, toHex(clearOf(em, kekArn)), toHex(clearOf(em, d0Arn))]);
  });

  it('direct Emulator.call(): transport direct, the given request id; a value that is no identifier is not written', async () => {
    const from = (await auditLines(em, path)).length;
    const requestId = randomUUID();
    const made = await em.call('CreateKey', { Exportable: false, KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } } }, { requestId });
    const key = { Key: made.Key! };
    const secretPan = '5500000000000004';
    await expect(em.call('GetKey', { KeyIdentifier: secretPan })).rejects.toMatchObject({ awsName: 'ValidationException' });
    await expect(em.call('GenerateCardValidationData', { KeyIdentifier: key.Key.KeyArn, PrimaryAccountNumber: secretPan, GenerationAttributes: { CardVerificationValue2: { CardExpiryDate: '1230' } } })).resolves.toMatchObject({
      KeyArn: key.Key.KeyArn,
    });
    const lines = (await auditLines(em, path)).slice(from);
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l).toMatchObject({ transport: 'direct', account: ACCOUNT, region: REGION });
    expect(lines[0]).toEqual({ ...pick(lines[0]!), requestId, plane: 'control-plane', operation: 'CreateKey', keyArn: key.Key.KeyArn, outcome: 'ok', status: 200 });
    expect(lines[1]).toEqual({ ...pick(lines[1]!), plane: 'control-plane', operation: 'GetKey', outcome: 'ValidationException', status: 400 });
    expect(lines[2]).toEqual({ ...pick(lines[2]!), plane: 'data-plane', operation: 'GenerateCardValidationData', keyIdentifier: key.Key.KeyArn, keyArn: key.Key.KeyArn, outcome: 'ok', status: 200 });
    expect(readFileSync(path, 'utf8')).not.toContain(secretPan);
  });
});

/** The clear key of `arn` read test-side through the emulator's state and vault (as tr31-kit.ts clearKeyOf, any account). */
function clearOf(em: Emulator, arn: string): Uint8Array {
  const [, , , region, account] = arn.split(':');
  const rec = em.services.states.get(account!, region!).keys.get(arn.slice(arn.lastIndexOf('/') + 1))!;
  return em.services.vault.unseal(rec.sealed!, { keyUsage: rec.keyUsage, keyAlgorithm: rec.keyAlgorithm, keyClass: rec.keyClass, exportable: rec.exportable });
}

/** The request id the SDK read from an error answer's x-amzn-RequestId. */
const requestIdOf = (e: Failure): string | undefined => (e.$metadata as { requestId?: string }).requestId;

/** The fields every line has, as the line has them (the test states the rest). */
function pick(l: AuditLine): Partial<AuditLine> {
  const out: Partial<AuditLine> = { time: l.time, requestId: l.requestId, transport: l.transport };
  for (const k of ['plane', 'operation', 'account', 'region'] as const) if (l[k] !== undefined) out[k] = l[k];
  return out;
}
