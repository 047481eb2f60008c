import * as sdk from '@aws-sdk/client-payment-cryptography';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROL_OPERATION_NAMES, CONTROL_PLANE_MODEL } from '../src/index.js';
import { failure, harness, type Harness } from './helpers.js';

/**
 * A failure path of each of the 20 SDK operations, through the real SDK over HTTP: the SDK must
 * surface the AWS exception class (from x-amzn-errortype / __type) with the AWS status code.
 * The success paths of all 20 over HTTP are in every-operation.test.ts.
 */
const GHOST = 'arn:aws:payment-cryptography:us-east-1:111122223333:key/zzzzzzzzzzzzzzzz';

describe('a failure of every SDK operation over HTTP', () => {
  let h: Harness;
  let cvk: string;
  beforeAll(async () => {
    h = await harness('http');
    cvk = (
      await h.client.send(
        new sdk.CreateKeyCommand({
          Exportable: true,
          KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true } },
        }),
      )
    ).Key!.KeyArn!;
  });
  afterAll(() => h.close());

  it('each answers its AWS exception and status', async () => {
    const V = [sdk.ValidationException, 400] as const;
    const NF = [sdk.ResourceNotFoundException, 404] as const;
    const C = [sdk.ConflictException, 409] as const;
    const cases: Array<[string, object, readonly [new (...a: never[]) => Error, number]]> = [
      ['CreateKey', new sdk.CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyUsage: 'TR31_M1_ISO_9797_1_MAC_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_128', KeyModesOfUse: { Generate: true } } }), V],
      ['GetKey', new sdk.GetKeyCommand({ KeyIdentifier: GHOST }), NF],
      ['ListKeys', new sdk.ListKeysCommand({ NextToken: 'garbage' }), V],
      ['DeleteKey', new sdk.DeleteKeyCommand({ KeyIdentifier: GHOST }), NF],
      ['RestoreKey', new sdk.RestoreKeyCommand({ KeyIdentifier: cvk }), C],
      ['StartKeyUsage', new sdk.StartKeyUsageCommand({ KeyIdentifier: GHOST }), NF],
      ['StopKeyUsage', new sdk.StopKeyUsageCommand({ KeyIdentifier: 'alias/none' }), NF],
      ['CreateAlias', new sdk.CreateAliasCommand({ AliasName: 'alias/x', KeyArn: GHOST }), NF],
      ['GetAlias', new sdk.GetAliasCommand({ AliasName: 'alias/none' }), NF],
      ['UpdateAlias', new sdk.UpdateAliasCommand({ AliasName: 'alias/none', KeyArn: cvk }), NF],
      ['DeleteAlias', new sdk.DeleteAliasCommand({ AliasName: 'alias/none' }), NF],
      ['ListAliases', new sdk.ListAliasesCommand({ MaxResults: 101 }), V],
      ['TagResource', new sdk.TagResourceCommand({ ResourceArn: GHOST, Tags: [{ Key: 'a', Value: 'b' }] }), NF],
      ['UntagResource', new sdk.UntagResourceCommand({ ResourceArn: GHOST, TagKeys: ['a'] }), NF],
      ['ListTagsForResource', new sdk.ListTagsForResourceCommand({ ResourceArn: GHOST }), NF],
      ['GetParametersForImport', new sdk.GetParametersForImportCommand({ KeyMaterialType: 'ROOT_PUBLIC_KEY_CERTIFICATE', WrappingKeyAlgorithm: 'RSA_2048' }), V],
      ['GetParametersForExport', new sdk.GetParametersForExportCommand({ KeyMaterialType: 'TR34_KEY_BLOCK', SigningKeyAlgorithm: 'RSA_4096' }), V],
      ['ImportKey', new sdk.ImportKeyCommand({ KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: GHOST, WrappedKeyBlock: 'D0112K0AB00E0000'.padEnd(112, '0') } } }), NF],
      ['ExportKey', new sdk.ExportKeyCommand({ ExportKeyIdentifier: GHOST, KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: cvk } } }), NF],
      ['GetPublicKeyCertificate', new sdk.GetPublicKeyCertificateCommand({ KeyIdentifier: cvk }), V],
    ];
    for (const [op, cmd, [cls, status]] of cases) {
      const e = await failure(() => h.client.send(cmd as never));
      expect(e, op).toBeInstanceOf(cls);
      expect(e.$metadata.httpStatusCode, op).toBe(status);
      expect(e.message, op).not.toBe('');
    }
    expect(cases.map(([op]) => op).sort()).toEqual(CONTROL_OPERATION_NAMES.filter((op) => CONTROL_PLANE_MODEL.operations[op].inSdk).sort());
  });
});
