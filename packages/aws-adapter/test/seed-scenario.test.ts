import { CreateKeyCommand, ExportKeyCommand, ImportKeyCommand } from '@aws-sdk/client-payment-cryptography';
import { Emulator, startHttpServer, type RunningServer } from '@paycrypt/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentCryptographyDataClient as BrowserDataClient } from '../src/browser.js';
import { createPaymentCryptography, fetchTransport, GenerateCardValidationDataCommand, type PaymentCryptography } from '../src/index.js';
import { credentials } from './kit.js';
import { EXPIRY, PAN } from './kit.js';

/**
 * The seed scenario through the adapter: create a KEK and a CVK, CVV2, export the CVK as TR-31
 * under the KEK, import it back, CVV2 again — the two CVV2s and the KCVs match.
 */
async function seedScenario(pc: PaymentCryptography): Promise<{ before: string; after: string; kcv: string; importedKcv: string; block: string; dataKeyArn: string }> {
  const kek = (
    await pc.controlPlane.send(
      new CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_256', KeyModesOfUse: { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true } } }),
    )
  ).Key!;
  const cvk = (
    await pc.controlPlane.send(new CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } } }))
  ).Key!;
  const cvv2 = (arn: string) => pc.dataPlane.send(new GenerateCardValidationDataCommand({ KeyIdentifier: arn, PrimaryAccountNumber: PAN, GenerationAttributes: { CardVerificationValue2: { CardExpiryDate: EXPIRY } } }));
  const first = await cvv2(cvk.KeyArn!);
  const wrapped = (await pc.controlPlane.send(new ExportKeyCommand({ ExportKeyIdentifier: cvk.KeyArn, KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kek.KeyArn } } }))).WrappedKey!;
  const imported = (await pc.controlPlane.send(new ImportKeyCommand({ KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kek.KeyArn, WrappedKeyBlock: wrapped.KeyMaterial } } }))).Key!;
  const after = (await cvv2(imported.KeyArn!)).ValidationData;
  return { before: first.ValidationData, dataKeyArn: first.KeyArn, after, kcv: cvk.KeyCheckValue!, importedKcv: imported.KeyCheckValue!, block: wrapped.KeyMaterial! };
}

function expectScenario(r: Awaited<ReturnType<typeof seedScenario>>): void {
  expect(r.before).toMatch(/^[0-9]{3}$/);
  expect(r.after).toBe(r.before);
  expect(r.importedKcv).toBe(r.kcv);
  expect(r.block.slice(0, 1)).toBe('D');
  expect(r.block.slice(5, 7)).toBe('C0');
}

describe('seed scenario through createPaymentCryptography', () => {
  it("target 'emulator' in-process (no socket)", async () => {
    const pc = createPaymentCryptography({ target: 'emulator', env: {} });
    expect(pc.transport).toBe('in-process');
    expect(pc.emulator).toBeInstanceOf(Emulator);
    try {
      expectScenario(await seedScenario(pc));
    } finally {
      await pc.close();
    }
  });

  describe('over HTTP (startHttpServer)', () => {
    let emulator: Emulator;
    let server: RunningServer;
    beforeAll(async () => {
      emulator = Emulator.inMemory();
      server = await startHttpServer(emulator);
    });
    afterAll(async () => {
      await server.close();
      await emulator.close();
    });

    it("target 'emulator' with an endpoint", async () => {
      const pc = createPaymentCryptography({ target: 'emulator', endpoint: server.endpoint, env: {} });
      expect(pc.transport).toBe('http');
      try {
        expectScenario(await seedScenario(pc));
      } finally {
        await pc.close();
      }
    });

    it('the same program, target and endpoint from the environment (PAYCRYPT_TARGET, AWS_ENDPOINT_URL)', async () => {
      const pc = createPaymentCryptography({ env: { PAYCRYPT_TARGET: 'emulator', AWS_ENDPOINT_URL: server.endpoint, AWS_REGION: 'eu-west-1' } });
      expect(pc.target).toBe('emulator');
      expect(pc.region).toBe('eu-west-1');
      try {
        const r = await seedScenario(pc);
        expectScenario(r);
        // the region reached the emulator through the SigV4 credential scope of both planes
        expect(r.dataKeyArn).toMatch(/^arn:aws:payment-cryptography:eu-west-1:\d{12}:key\//);
      } finally {
        await pc.close();
      }
    });

    it("the browser entry's client (fetch, sha256-js) gets the same CVV2 as the Node entry's", async () => {
      const pc = createPaymentCryptography({ target: 'emulator', endpoint: server.endpoint, env: {} });
      try {
        const cvk = (await pc.controlPlane.send(new CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } } }))).Key!;
        const input = { KeyIdentifier: cvk.KeyArn!, PrimaryAccountNumber: PAN, GenerationAttributes: { CardVerificationValue2: { CardExpiryDate: EXPIRY } } };
        const browser = new BrowserDataClient({ region: 'us-east-1', endpoint: server.endpoint, credentials, transport: fetchTransport() });
        const a = await browser.send(new GenerateCardValidationDataCommand(input));
        const b = await pc.dataPlane.send(new GenerateCardValidationDataCommand(input));
        expect(a.ValidationData).toBe(b.ValidationData);
        expect(a.$metadata.httpStatusCode).toBe(200);
        const err = await browser.generateCardValidationData({ ...input, KeyIdentifier: 'alias/none' }).catch((e: unknown) => e as Error);
        expect((err as Error).name).toBe('ResourceNotFoundException');
        // the browser entry has no default credential chain
        const bare = new BrowserDataClient({ region: 'us-east-1', endpoint: server.endpoint });
        await expect(bare.generateCardValidationData(input)).rejects.toThrow(/credentials/);
      } finally {
        await pc.close();
      }
    });

    it('service-specific endpoint variables win over AWS_ENDPOINT_URL', async () => {
      const pc = createPaymentCryptography({
        env: { PAYCRYPT_TARGET: 'emulator', AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_ENDPOINT_URL_PAYMENT_CRYPTOGRAPHY_DATA: server.endpoint, AWS_ENDPOINT_URL_PAYMENT_CRYPTOGRAPHY: server.endpoint },
      });
      try {
        expect(pc.dataPlane.endpoint.origin).toBe(new URL(server.endpoint).origin);
        expectScenario(await seedScenario(pc));
      } finally {
        await pc.close();
      }
    });
  });
});
