import {
  CreateKeyCommand,
  GetKeyCommand,
  ListKeysCommand,
  ResourceNotFoundException,
  ValidationException,
  paginateListKeys,
} from '@aws-sdk/client-payment-cryptography';
import { createCipheriv, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_MODES_FALSE, TRANSPORTS, failure, harness, type Harness } from './helpers.js';

describe.each(TRANSPORTS)('CreateKey / GetKey / ListKeys through the SDK (%s)', (transport) => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness(transport);
  });
  afterAll(async () => h.close());

  it('creates a TDES_2KEY CVK with a real KCV and all nine modes', async () => {
    const out = await h.client.send(
      new CreateKeyCommand({
        Exportable: true,
        KeyAttributes: {
          KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY',
          KeyClass: 'SYMMETRIC_KEY',
          KeyAlgorithm: 'TDES_2KEY',
          KeyModesOfUse: { Generate: true, Verify: true },
        },
        Tags: [{ Key: 'team', Value: 'cards' }],
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const key = out.Key!;
    expect(key.KeyArn).toMatch(/^arn:aws:payment-cryptography:us-east-1:111122223333:key\/[0-9a-z]{16}$/);
    expect(key.KeyAttributes!.KeyModesOfUse).toEqual({ ...ALL_MODES_FALSE, Generate: true, Verify: true });
    expect(key.KeyCheckValue).toMatch(/^[0-9A-F]{6}$/);
    expect(key.KeyCheckValueAlgorithm).toBe('ANSI_X9_24');
    expect(key.KeyState).toBe('CREATE_COMPLETE');
    expect(key.KeyOrigin).toBe('AWS_PAYMENT_CRYPTOGRAPHY');
    expect(key.Enabled).toBe(true);
    expect(key.Exportable).toBe(true);
    expect(key.CreateTimestamp).toBeInstanceOf(Date);
    expect(Math.abs(key.CreateTimestamp!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(key.UsageStartTimestamp).toBeInstanceOf(Date);

    const got = await h.client.send(new GetKeyCommand({ KeyIdentifier: key.KeyArn }));
    expect(got.Key).toEqual(key);
  });

  it('the KCV is the real one of the stored key (TDES: encrypt zero block)', async () => {
    const out = await h.client.send(
      new CreateKeyCommand({
        Exportable: false,
        KeyAttributes: { KeyUsage: 'TR31_P0_PIN_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_3KEY', KeyModesOfUse: { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true } },
      }),
    );
    const keyId = out.Key!.KeyArn!.split('/')[1]!;
    const rec = h.emulator.services.states.get('111122223333', 'us-east-1').keys.get(keyId)!;
    const clear = h.emulator.services.vault.unseal(rec.sealed!, { keyUsage: rec.keyUsage, keyAlgorithm: rec.keyAlgorithm, keyClass: rec.keyClass, exportable: rec.exportable });
    expect(clear.length).toBe(24);
    // independent computation with node:crypto (des-ede3, ECB) of the zero block
    const c = createCipheriv('des-ede3', clear, null).setAutoPadding(false);
    const expected = Buffer.concat([c.update(Buffer.alloc(8)), c.final()]).subarray(0, 3).toString('hex').toUpperCase();
    expect(out.Key!.KeyCheckValue).toBe(expected);
    // odd parity on every byte
    for (const b of clear) expect(((b >> 0) & 1) ^ ((b >> 1) & 1) ^ ((b >> 2) & 1) ^ ((b >> 3) & 1) ^ ((b >> 4) & 1) ^ ((b >> 5) & 1) ^ ((b >> 6) & 1) ^ ((b >> 7) & 1)).toBe(1);
  });

  it('creates AES-256, HMAC and asymmetric keys with their KCV algorithms', async () => {
    const mk = (KeyUsage: string, KeyClass: string, KeyAlgorithm: string, modes: object) =>
      h.client.send(new CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyUsage, KeyClass, KeyAlgorithm, KeyModesOfUse: modes } as never }));
    const aes = await mk('TR31_K0_KEY_ENCRYPTION_KEY', 'SYMMETRIC_KEY', 'AES_256', { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true });
    expect(aes.Key!.KeyCheckValueAlgorithm).toBe('CMAC');
    expect(aes.Key!.KeyCheckValue).toMatch(/^[0-9A-F]{6}$/);
    const hmac = await mk('TR31_M7_HMAC_KEY', 'SYMMETRIC_KEY', 'HMAC_SHA256', { Generate: true, Verify: true });
    expect(hmac.Key!.KeyCheckValueAlgorithm).toBe('HMAC');
    const rsa = await mk('TR31_D1_ASYMMETRIC_KEY_FOR_DATA_ENCRYPTION', 'ASYMMETRIC_KEY_PAIR', 'RSA_2048', { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true });
    expect(rsa.Key!.KeyCheckValue).toMatch(/^[0-9A-F]{8}$/);
    const ecc = await mk('TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT', 'ASYMMETRIC_KEY_PAIR', 'ECC_NIST_P256', { DeriveKey: true });
    expect(ecc.Key!.KeyAttributes!.KeyModesOfUse).toEqual({ ...ALL_MODES_FALSE, DeriveKey: true });
  });

  it('Enabled:false, KeyCheckValueAlgorithm choices, DeriveKeyUsage only on K3, HMAC KCV = HMAC(key, "")', async () => {
    const off = await h.client.send(
      new CreateKeyCommand({
        Exportable: true,
        Enabled: false,
        KeyCheckValueAlgorithm: 'CMAC',
        KeyAttributes: { KeyUsage: 'TR31_M6_ISO_9797_5_CMAC_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_3KEY', KeyModesOfUse: { Generate: true, Verify: true } },
      }),
    );
    expect(off.Key!.Enabled).toBe(false);
    expect(off.Key!.UsageStopTimestamp).toBeInstanceOf(Date);
    expect(off.Key!.UsageStartTimestamp).toBeUndefined();
    expect(off.Key!.KeyCheckValueAlgorithm).toBe('CMAC');
    const badKcv = await failure(() =>
      h.client.send(
        new CreateKeyCommand({
          Exportable: true,
          KeyCheckValueAlgorithm: 'HMAC',
          KeyAttributes: { KeyUsage: 'TR31_M6_ISO_9797_5_CMAC_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_128', KeyModesOfUse: { Generate: true } },
        }),
      ),
    );
    expect(badKcv).toBeInstanceOf(ValidationException);
    const badDerive = await failure(() =>
      h.client.send(
        new CreateKeyCommand({
          Exportable: true,
          DeriveKeyUsage: 'TR31_P0_PIN_ENCRYPTION_KEY',
          KeyAttributes: { KeyUsage: 'TR31_B0_BASE_DERIVATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_128', KeyModesOfUse: { DeriveKey: true } },
        }),
      ),
    );
    expect(badDerive).toBeInstanceOf(ValidationException);
    const k3 = await h.client.send(
      new CreateKeyCommand({
        Exportable: true,
        DeriveKeyUsage: 'TR31_P0_PIN_ENCRYPTION_KEY',
        KeyAttributes: { KeyUsage: 'TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT', KeyClass: 'ASYMMETRIC_KEY_PAIR', KeyAlgorithm: 'ECC_NIST_P521', KeyModesOfUse: { DeriveKey: true } },
      }),
    );
    expect(k3.Key!.DeriveKeyUsage).toBe('TR31_P0_PIN_ENCRYPTION_KEY');
    const hm = await h.client.send(
      new CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyUsage: 'TR31_M7_HMAC_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'HMAC_SHA384', KeyModesOfUse: { Verify: true } } }),
    );
    const rec = h.emulator.services.states.get('111122223333', 'us-east-1').keys.get(hm.Key!.KeyArn!.split('/')[1]!)!;
    const clear = h.emulator.services.vault.unseal(rec.sealed!, { keyUsage: rec.keyUsage, keyAlgorithm: rec.keyAlgorithm, keyClass: rec.keyClass, exportable: rec.exportable });
    expect(clear).toHaveLength(48);
    expect(hm.Key!.KeyCheckValue).toBe(createHmac('sha384', clear).digest().subarray(0, 3).toString('hex').toUpperCase());
  });

  it('refuses invalid usage × algorithm × modes with ValidationException (400)', async () => {
    const bad = [
      { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Encrypt: true } },
      { KeyUsage: 'TR31_M1_ISO_9797_1_MAC_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_128', KeyModesOfUse: { Generate: true } },
      { KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'ASYMMETRIC_KEY_PAIR', KeyAlgorithm: 'AES_128', KeyModesOfUse: { Encrypt: true, Wrap: true } },
      { KeyUsage: 'TR31_P1_PIN_GENERATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_3KEY', KeyModesOfUse: { Generate: true } },
      { KeyUsage: 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_128', KeyModesOfUse: { Encrypt: true } },
    ];
    for (const KeyAttributes of bad) {
      const e = await failure(() => h.client.send(new CreateKeyCommand({ Exportable: true, KeyAttributes: KeyAttributes as never })));
      expect(e).toBeInstanceOf(ValidationException);
      expect(e.name).toBe('ValidationException');
      expect(e.$metadata.httpStatusCode).toBe(400);
    }
  });

  it('validates the input against the model (required, enum, type) with AWS-style messages', async () => {
    const e1 = await failure(() => h.client.send(new CreateKeyCommand({ KeyAttributes: undefined, Exportable: true } as never)));
    expect(e1).toBeInstanceOf(ValidationException);
    expect(e1.message).toBe("1 validation error detected: Value null at 'keyAttributes' failed to satisfy constraint: Member must not be null");
    const e2 = await failure(() =>
      h.client.send(new CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyUsage: 'NOPE', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_128', KeyModesOfUse: {} } as never })),
    );
    expect(e2.message).toMatch(/^1 validation error detected: Value 'NOPE' at 'keyAttributes.keyUsage' failed to satisfy constraint: Member must satisfy enum value set: \[TR31_B0_BASE_DERIVATION_KEY, /);
    const e3 = await failure(() => h.client.send(new GetKeyCommand({ KeyIdentifier: 'kwapwa6qaifllw2h' })));
    expect(e3).toBeInstanceOf(ValidationException);
    expect(e3.message).toContain("at 'keyIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern");
  });

  it('GetKey of an unknown key is ResourceNotFoundException (404) with ResourceId', async () => {
    const arn = 'arn:aws:payment-cryptography:us-east-1:111122223333:key/abcdefghijklmnop';
    const e = await failure(() => h.client.send(new GetKeyCommand({ KeyIdentifier: arn })));
    expect(e).toBeInstanceOf(ResourceNotFoundException);
    expect(e.$metadata.httpStatusCode).toBe(404);
    expect(e.ResourceId).toBe(arn);
    const e2 = await failure(() => h.client.send(new GetKeyCommand({ KeyIdentifier: 'alias/nothing-here' })));
    expect(e2).toBeInstanceOf(ResourceNotFoundException);
  });

  it('keys are per region', async () => {
    const eu = h.clientFor('eu-west-1');
    const out = await eu.send(
      new CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyUsage: 'TR31_B0_BASE_DERIVATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_128', KeyModesOfUse: { DeriveKey: true } } }),
    );
    expect(out.Key!.KeyArn).toContain(':eu-west-1:');
    const e = await failure(() => h.client.send(new GetKeyCommand({ KeyIdentifier: out.Key!.KeyArn })));
    expect(e).toBeInstanceOf(ResourceNotFoundException);
    const list = await eu.send(new ListKeysCommand({}));
    expect(list.Keys!.map((k) => k.KeyArn)).toEqual([out.Key!.KeyArn]);
  });

  it('ListKeys pages: default 50, max 100, no NextToken on the last page; bad token refused', async () => {
    const c = h.clientFor('ap-south-1');
    const made: string[] = [];
    for (let i = 0; i < 57; i++) {
      const out = await c.send(
        new CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true } } }),
      );
      made.push(out.Key!.KeyArn!);
    }
    const first = await c.send(new ListKeysCommand({}));
    expect(first.Keys).toHaveLength(50);
    expect(first.NextToken).toBeDefined();
    const second = await c.send(new ListKeysCommand({ NextToken: first.NextToken }));
    expect(second.Keys).toHaveLength(7);
    expect(second.NextToken).toBeUndefined();
    const seen: string[] = [];
    for await (const page of paginateListKeys({ client: c, pageSize: 20 }, {})) seen.push(...page.Keys!.map((k) => k.KeyArn!));
    expect(seen).toEqual(made);
    expect(first.Keys![0]!.KeyAttributes!.KeyModesOfUse).toEqual({ ...ALL_MODES_FALSE, Generate: true });
    const e = await failure(() => c.send(new ListKeysCommand({ MaxResults: 101 })));
    expect(e).toBeInstanceOf(ValidationException);
    expect(e.message).toContain('Member must have value less than or equal to 100');
    const e2 = await failure(() => c.send(new ListKeysCommand({ NextToken: 'garbage' })));
    expect(e2).toBeInstanceOf(ValidationException);
  });
});
