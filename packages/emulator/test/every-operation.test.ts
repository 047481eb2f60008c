import * as sdk from '@aws-sdk/client-payment-cryptography';
import { constants, publicEncrypt, randomBytes, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CONTROL_OPERATION_NAMES, CONTROL_PLANE_MODEL } from '../src/index.js';
import { failure, harness, TRANSPORTS } from './helpers.js';
import { KEK_MODES, nodeKcv } from './tr31-kit.js';

/**
 * One scenario that calls each of the 20 operations of @aws-sdk/client-payment-cryptography
 * 3.882.0 through the real SDK, in-process and over HTTP, and checks each answer against
 * something computed outside the emulator (node:crypto KCVs and certificate checks) or against
 * an earlier answer. The set of operations called is compared with the model's SDK operations.
 */

const pem = (awsBase64: string): X509Certificate => new X509Certificate(Buffer.from(awsBase64, 'base64').toString('utf8'));

describe.each(TRANSPORTS)('every SDK operation through the SDK (%s)', (transport) => {
  it('runs a full key-management scenario', { timeout: 60_000 }, async () => {
    const h = await harness(transport);
    const called = new Set<string>();
    const send = async <O>(cmd: { constructor: { name: string } }): Promise<O> => {
      called.add(cmd.constructor.name.replace(/Command$/, ''));
      return (await h.client.send(cmd as never)) as O;
    };
    try {
      // keys
      const kek = await send<sdk.CreateKeyOutput>(
        new sdk.CreateKeyCommand({
          Exportable: true,
          KeyAttributes: { KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_256', KeyModesOfUse: KEK_MODES },
        }),
      );
      const cvk = await send<sdk.CreateKeyOutput>(
        new sdk.CreateKeyCommand({
          Exportable: true,
          KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } },
          Tags: [{ Key: 'team', Value: 'issuing' }],
        }),
      );
      const kekArn = kek.Key!.KeyArn!;
      const cvkArn = cvk.Key!.KeyArn!;
      expect((await send<sdk.GetKeyOutput>(new sdk.GetKeyCommand({ KeyIdentifier: cvkArn }))).Key!.KeyCheckValue).toBe(cvk.Key!.KeyCheckValue);
      const listed = await send<sdk.ListKeysOutput>(new sdk.ListKeysCommand({}));
      expect(listed.Keys!.map((k) => k.KeyArn).sort()).toEqual([kekArn, cvkArn].sort());

      // aliases
      await send(new sdk.CreateAliasCommand({ AliasName: 'alias/cvk', KeyArn: kekArn }));
      await send(new sdk.UpdateAliasCommand({ AliasName: 'alias/cvk', KeyArn: cvkArn }));
      expect((await send<sdk.GetAliasOutput>(new sdk.GetAliasCommand({ AliasName: 'alias/cvk' }))).Alias!.KeyArn).toBe(cvkArn);
      expect((await send<sdk.ListAliasesOutput>(new sdk.ListAliasesCommand({ KeyArn: cvkArn }))).Aliases!.map((a) => a.AliasName)).toEqual(['alias/cvk']);

      // tags
      await send(new sdk.TagResourceCommand({ ResourceArn: cvkArn, Tags: [{ Key: 'env', Value: 'test' }] }));
      await send(new sdk.UntagResourceCommand({ ResourceArn: cvkArn, TagKeys: ['team'] }));
      expect((await send<sdk.ListTagsForResourceOutput>(new sdk.ListTagsForResourceCommand({ ResourceArn: cvkArn }))).Tags).toEqual([{ Key: 'env', Value: 'test' }]);

      // usage: a stopped KEK cannot wrap; started again it can
      await send(new sdk.StopKeyUsageCommand({ KeyIdentifier: kekArn }));
      const stopped = await failure(() => h.client.send(new sdk.ExportKeyCommand({ ExportKeyIdentifier: 'alias/cvk', KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kekArn } } })));
      expect(stopped.name).toBe('ValidationException');
      await send(new sdk.StartKeyUsageCommand({ KeyIdentifier: kekArn }));

      // TR-31 export through the alias, and import back
      const exported = await send<sdk.ExportKeyOutput>(
        new sdk.ExportKeyCommand({ ExportKeyIdentifier: 'alias/cvk', KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kekArn } } }),
      );
      expect(exported.WrappedKey!.KeyMaterial!.slice(0, 1)).toBe('D');
      expect(exported.WrappedKey!.KeyMaterial!.slice(5, 8)).toBe('C0T');
      const imported = await send<sdk.ImportKeyOutput>(
        new sdk.ImportKeyCommand({ KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kekArn, WrappedKeyBlock: exported.WrappedKey!.KeyMaterial! } } }),
      );
      expect(imported.Key!.KeyCheckValue).toBe(cvk.Key!.KeyCheckValue);
      expect(imported.Key!.KeyOrigin).toBe('EXTERNAL');

      // RSA key cryptogram: node:crypto wraps a known key to the import token's certificate
      const imp = await send<sdk.GetParametersForImportOutput>(new sdk.GetParametersForImportCommand({ KeyMaterialType: 'KEY_CRYPTOGRAM', WrappingKeyAlgorithm: 'RSA_2048' }));
      const wrapCert = pem(imp.WrappingKeyCertificate!);
      expect(wrapCert.verify(pem(imp.WrappingKeyCertificateChain!).publicKey)).toBe(true);
      const clear = randomBytes(16);
      const cryptogram = publicEncrypt({ key: wrapCert.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, clear);
      const viaRsa = await send<sdk.ImportKeyOutput>(
        new sdk.ImportKeyCommand({
          KeyMaterial: {
            KeyCryptogram: {
              KeyAttributes: { KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: KEK_MODES },
              Exportable: true,
              WrappedKeyCryptogram: cryptogram.toString('hex').toUpperCase(),
              ImportToken: imp.ImportToken!,
            },
          },
        }),
      );
      expect(viaRsa.Key!.KeyCheckValue).toBe(nodeKcv(clear, 'TDES', 'ANSI_X9_24'));

      // export parameters: a signing certificate from the same CA
      const exp = await send<sdk.GetParametersForExportOutput>(new sdk.GetParametersForExportCommand({ KeyMaterialType: 'TR34_KEY_BLOCK', SigningKeyAlgorithm: 'RSA_2048' }));
      expect(exp.ExportToken).toMatch(/^export-token-[0-9a-z]{16}$/);
      expect(pem(exp.SigningKeyCertificate!).verify(pem(exp.SigningKeyCertificateChain!).publicKey)).toBe(true);

      // a key pair's public key certificate
      const pair = await send<sdk.CreateKeyOutput>(
        new sdk.CreateKeyCommand({
          Exportable: false,
          KeyAttributes: { KeyUsage: 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE', KeyClass: 'ASYMMETRIC_KEY_PAIR', KeyAlgorithm: 'RSA_2048', KeyModesOfUse: { Sign: true } },
        }),
      );
      const pub = await send<sdk.GetPublicKeyCertificateOutput>(new sdk.GetPublicKeyCertificateCommand({ KeyIdentifier: pair.Key!.KeyArn! }));
      const leaf = pem(pub.KeyCertificate!);
      expect(leaf.verify(pem(pub.KeyCertificateChain!).publicKey)).toBe(true);
      expect(leaf.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);

      // cleanup: alias, deletion, restore
      await send(new sdk.DeleteAliasCommand({ AliasName: 'alias/cvk' }));
      const del = await send<sdk.DeleteKeyOutput>(new sdk.DeleteKeyCommand({ KeyIdentifier: cvkArn, DeleteKeyInDays: 3 }));
      expect(del.Key!.KeyState).toBe('DELETE_PENDING');
      expect(del.Key!.DeletePendingTimestamp!.getTime() - Date.now()).toBeGreaterThan(3 * 86_400_000 - 60_000);
      const restored = await send<sdk.RestoreKeyOutput>(new sdk.RestoreKeyCommand({ KeyIdentifier: cvkArn }));
      expect(restored.Key!.KeyState).toBe('CREATE_COMPLETE');

      const sdkOperations = CONTROL_OPERATION_NAMES.filter((op) => CONTROL_PLANE_MODEL.operations[op].inSdk);
      expect([...called].sort()).toEqual([...sdkOperations].sort());
    } finally {
      await h.close();
    }
  });
});
