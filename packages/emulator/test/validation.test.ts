import { CONTROL_PLANE_MODEL } from '../src/index.js';
import { afterAll, describe, expect, it } from 'vitest';
import { Emulator } from '../src/index.js';
import { validateShape } from '../src/model/validator.js';

/**
 * Server-side validation against the model (aws-api.md §6), through the core (`Emulator.call`,
 * what both transports run): lengths, the two Java-only `{2}+` patterns, the alternation
 * patterns, unions, integer ranges and types, list items, and sensitive values never echoed.
 * The wire-level failures (bad JSON, target, size) are in wire.test.ts.
 */

const em = Emulator.inMemory();
afterAll(() => em.close());

const KEY_ARN = 'arn:aws:payment-cryptography:us-east-1:111122223333:key/abcdefghijklmnop';

/** The AWS error name and message of a call that must fail. */
async function failureOf(op: string, input: unknown): Promise<{ name: string; message: string }> {
  try {
    await em.call(op as never, input);
  } catch (e) {
    const err = e as { awsName: string; message: string };
    return { name: err.awsName, message: err.message };
  }
  throw new Error(`${op} succeeded`);
}

const exportTr31 = (headers: Record<string, unknown>) => ({
  ExportKeyIdentifier: KEY_ARN,
  KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: 'alias/kek', KeyBlockHeaders: headers } },
});

describe('validation against the model', () => {
  it('every model pattern compiles as a JavaScript regex and runs (the {2}+ ones rewritten)', () => {
    let n = 0;
    for (const [name, shape] of Object.entries(CONTROL_PLANE_MODEL.shapes)) {
      if (shape.t !== 'string' || shape.p === undefined) continue;
      n++;
      expect(() => validateShape(CONTROL_PLANE_MODEL.shapes, name, 'x'), name).not.toThrow();
    }
    expect(n).toBeGreaterThanOrEqual(25);
  });

  it('KeyVersion and OptionalBlockId (Java `[0-9A-Z]{2}+`) accept two upper-case/digit characters only', async () => {
    // valid values pass validation and reach the handler (which does not find the key)
    expect((await failureOf('ExportKey', exportTr31({ KeyVersion: '0A', OptionalBlocks: { LB: 'X1' } }))).name).toBe('ResourceNotFoundException');
    const v = await failureOf('ExportKey', exportTr31({ KeyVersion: 'a1' }));
    expect(v).toEqual({
      name: 'ValidationException',
      message: "1 validation error detected: Value 'a1' at 'keyMaterial.tr31KeyBlock.keyBlockHeaders.keyVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?:[0-9A-Z]{2})$",
    });
    expect((await failureOf('ExportKey', exportTr31({ KeyVersion: '123' }))).message).toContain('Member must have length less than or equal to 2');
    // OptionalBlockId is sensitive: the value is not echoed
    const id = await failureOf('ExportKey', exportTr31({ OptionalBlocks: { lb: 'SECRETVALUE1' } }));
    expect(id.name).toBe('ValidationException');
    expect(id.message).toContain("Value at 'keyMaterial.tr31KeyBlock.keyBlockHeaders.optionalBlocks.lb.key' failed to satisfy constraint: Member must satisfy regular expression pattern");
    const val = await failureOf('ExportKey', exportTr31({ OptionalBlocks: { LB: 'not-alnum!' } }));
    expect(val.message).toContain("Value at 'keyMaterial.tr31KeyBlock.keyBlockHeaders.optionalBlocks.LB.value'");
    expect(val.message).not.toContain('not-alnum');
  });

  it('alternation patterns (KeyArnOrKeyAliasType, HexLength20Or24) are two anchored forms', async () => {
    for (const id of ['alias/ok', KEY_ARN, 'arn:aws:payment-cryptography:us-east-1:111122223333:alias/ok']) {
      expect((await failureOf('GetKey', { KeyIdentifier: id })).name, id).toBe('ResourceNotFoundException');
    }
    for (const id of ['alias/ok x', `${KEY_ARN}alias/x`, `x${KEY_ARN}`, 'alias/a|alias/b$']) {
      expect((await failureOf('GetKey', { KeyIdentifier: id })).name, id).toBe('ValidationException');
    }
    const ksn = (KeySerialNumber: string) => ({ ...exportTr31({}), ExportAttributes: { ExportDukptInitialKey: { KeySerialNumber } } });
    expect((await failureOf('ExportKey', ksn('F'.repeat(20)))).name).toBe('ResourceNotFoundException');
    expect((await failureOf('ExportKey', ksn('F'.repeat(24)))).name).toBe('ResourceNotFoundException');
    const bad = await failureOf('ExportKey', ksn('F'.repeat(22)));
    expect(bad.message).toContain("at 'exportAttributes.exportDukptInitialKey.keySerialNumber' failed to satisfy constraint: Member must satisfy regular expression pattern");
    expect((await failureOf('ExportKey', ksn('f'.repeat(20)))).name).toBe('ValidationException');
  });

  it('string lengths count characters; integer ranges, types and list items are checked; several issues are aggregated', async () => {
    // 'alias/' is both too short and outside the pattern: both issues are reported
    expect((await failureOf('CreateAlias', { AliasName: 'alias/' })).message).toBe(
      "2 validation errors detected: Value 'alias/' at 'aliasName' failed to satisfy constraint: Member must have length greater than or equal to 7; " +
        "Value 'alias/' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?:alias/[a-zA-Z0-9/_-]+)$",
    );
    expect((await failureOf('CreateAlias', { AliasName: `alias/${'a'.repeat(251)}` })).message).toContain('Member must have length less than or equal to 256');
    expect((await failureOf('DeleteKey', { KeyIdentifier: KEY_ARN, DeleteKeyInDays: 3.5 })).message).toContain("Value '3.5' at 'deleteKeyInDays' failed to satisfy constraint: Member must be an integer");
    expect((await failureOf('DeleteKey', { KeyIdentifier: KEY_ARN, DeleteKeyInDays: '7' })).message).toContain('Member must be an integer');
    expect((await failureOf('ListKeys', { MaxResults: 0 })).message).toContain('Member must have value greater than or equal to 1');
    expect((await failureOf('ListKeys', { NextToken: '' })).message).toContain('Member must have length greater than or equal to 1');
    expect((await failureOf('UntagResource', { ResourceArn: KEY_ARN, TagKeys: ['a', null] })).message).toContain("at 'tagKeys.2.member' failed to satisfy constraint: Member must not be null");
    expect((await failureOf('UntagResource', { ResourceArn: KEY_ARN, TagKeys: 'a' })).message).toContain('Member must be a list');
    const many = await failureOf('CreateKey', { Exportable: 'yes', KeyAttributes: { KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_512', KeyModesOfUse: { Encrypt: 1 } } });
    expect(many.message).toMatch(/^3 validation errors detected: /);
    expect(many.message).toContain("at 'exportable' failed to satisfy constraint: Member must be a boolean");
    expect(many.message).toContain("Value 'AES_512' at 'keyAttributes.keyAlgorithm' failed to satisfy constraint: Member must satisfy enum value set");
    expect(many.message).toContain("at 'keyAttributes.keyModesOfUse.encrypt' failed to satisfy constraint: Member must be a boolean");
  });

  it('unions need exactly one member; a sensitive key block is never echoed', async () => {
    const none = await failureOf('ImportKey', { KeyMaterial: {} });
    expect(none.message).toContain("at 'keyMaterial' failed to satisfy constraint: Member must have exactly one of [");
    expect(none.message).toContain('found 0');
    const block = 'D0112K0AB00E0000'.padEnd(112, '0');
    const two = await failureOf('ImportKey', {
      KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: 'alias/kek', WrappedKeyBlock: block }, KeyCryptogram: {} },
    });
    expect(two.message).toContain('found 2');
    expect(two.message).not.toContain(block);
    const lower = 'ab'.repeat(40);
    const tr34 = await failureOf('ImportKey', {
      KeyMaterial: { Tr34KeyBlock: { CertificateAuthorityPublicKeyIdentifier: 'alias/ca', SigningKeyCertificate: 'LS0t', ImportToken: 'import-token-abcdefghijklmnop', WrappedKeyBlock: lower, KeyBlockFormat: 'X9_TR34_2012' } },
    });
    expect(tr34.name).toBe('ValidationException');
    expect(tr34.message).toContain("Value at 'keyMaterial.tr34KeyBlock.wrappedKeyBlock' failed to satisfy constraint: Member must satisfy regular expression pattern");
    expect(tr34.message).not.toContain(lower);
  });

  it('As2805KeyCryptogram (newest model) passes model validation and reaches the handler (the wrapping key is looked up)', async () => {
    const imp = await failureOf('ImportKey', {
      KeyMaterial: {
        As2805KeyCryptogram: {
          As2805KeyVariant: 'PIN_ENCRYPTION_KEY_VARIANT_28',
          KeyModesOfUse: { Encrypt: true, Wrap: true },
          KeyAlgorithm: 'TDES_2KEY',
          Exportable: true,
          WrappingKeyIdentifier: 'alias/kek',
          WrappedKeyCryptogram: '0123456789ABCDEF0123456789ABCDEF',
        },
      },
    });
    // not a model ValidationException: the handler resolves the (missing) wrapping key
    expect(imp.name).toBe('ResourceNotFoundException');
    expect(imp.message).toContain('alias/kek');
    const exp = await failureOf('ExportKey', { ExportKeyIdentifier: KEY_ARN, KeyMaterial: { As2805KeyCryptogram: { WrappingKeyIdentifier: 'alias/kek', As2805KeyVariant: 'TERMINAL_MAJOR_KEY_VARIANT_00' } } });
    // the exported key is resolved first
    expect(exp.name).toBe('ResourceNotFoundException');
  });
});
