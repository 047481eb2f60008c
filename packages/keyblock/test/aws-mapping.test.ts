import { describe, expect, it } from 'vitest';
import {
  AWS_KEY_USAGES,
  AWS_MODES_OF_USE,
  KeyBlockError,
  awsExportabilityFromTr31,
  awsKeyAlgorithmFromTr31,
  awsKeyAttributesFromTr31,
  awsKeyModesFromTr31,
  awsKeyUsageToTr31,
  parseTr31Header,
  tr31HeaderFieldsFromAws,
  tr31KeyUsageToAws,
} from '../src/index.js';

const NONE = { Encrypt: false, Decrypt: false, Wrap: false, Unwrap: false, Generate: false, Sign: false, Verify: false, DeriveKey: false, NoRestrictions: false };

// Headers printed in the AWS Payment Cryptography user guide (keys-export), with the attributes
// AWS reports for them (reference/aws-api.md §10.6).
describe('AWS documentation headers', () => {
  it('D0144K0AB00E0000: K0, AES, mode B, exportable', () => {
    const h = parseTr31Header('D0144K0AB00E0000');
    expect([h.version, h.keyUsage, h.algorithm, h.modeOfUse, h.keyVersion, h.exportability, h.lengthField]).toEqual(['D', 'K0', 'A', 'B', '00', 'E', 144]);
    expect(awsKeyAttributesFromTr31(h, 32)).toEqual({
      KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY',
      KeyClass: 'SYMMETRIC_KEY',
      KeyAlgorithm: 'AES_256',
      KeyModesOfUse: { ...NONE, Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true },
    });
    expect(awsExportabilityFromTr31(h.exportability)).toBe('EXPORTABLE');
  });

  it('B0096B1TX00S0000: B1 (IPEK), TDES, mode X, sensitive; AWS has no B1 KeyUsage', () => {
    const h = parseTr31Header('B0096B1TX00S0000');
    expect([h.version, h.keyUsage, h.algorithm, h.modeOfUse, h.exportability]).toEqual(['B', 'B1', 'T', 'X', 'S']);
    expect(awsKeyModesFromTr31(h.modeOfUse)).toEqual({ ...NONE, DeriveKey: true });
    expect(awsKeyAlgorithmFromTr31(h, 16)).toBe('TDES_2KEY');
    expect(awsExportabilityFromTr31(h.exportability)).toBe('SENSITIVE');
    expect(() => awsKeyAttributesFromTr31(h, 16)).toThrow(expect.objectContaining({ code: 'NOT_REPRESENTABLE', field: 'keyUsage' }));
  });

  it('D0112C0TC00E0000: C0, TDES, mode C, exportable', () => {
    const h = parseTr31Header('D0112C0TC00E0000');
    expect(awsKeyAttributesFromTr31(h, 16)).toEqual({
      KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY',
      KeyClass: 'SYMMETRIC_KEY',
      KeyAlgorithm: 'TDES_2KEY',
      KeyModesOfUse: { ...NONE, Generate: true, Verify: true },
    });
    expect(awsExportabilityFromTr31(h.exportability)).toBe('EXPORTABLE');
  });

  it('D0112B0AX00E0000: B0, AES, mode X, exportable', () => {
    const h = parseTr31Header('D0112B0AX00E0000');
    expect(awsKeyAttributesFromTr31(h, 16)).toEqual({
      KeyUsage: 'TR31_B0_BASE_DERIVATION_KEY',
      KeyClass: 'SYMMETRIC_KEY',
      KeyAlgorithm: 'AES_128',
      KeyModesOfUse: { ...NONE, DeriveKey: true },
    });
    expect(awsExportabilityFromTr31(h.exportability)).toBe('EXPORTABLE');
  });
});

describe('the mapping table', () => {
  it('usage codes and AWS names map both ways', () => {
    for (const [code, name] of Object.entries(AWS_KEY_USAGES)) {
      expect(name.startsWith(`TR31_${code}_`)).toBe(true);
      expect(tr31KeyUsageToAws(code)).toBe(name);
      expect(awsKeyUsageToTr31(name)).toBe(code);
    }
    expect(() => tr31KeyUsageToAws('B1')).toThrow(KeyBlockError);
    expect(() => awsKeyUsageToTr31('TR31_X9_NOT_A_USAGE')).toThrow(KeyBlockError);
  });

  it('AWS attributes → TR-31 fields → AWS attributes is the identity for every mode and algorithm', () => {
    const algs: [string, string, number][] = [
      ['TDES_2KEY', 'T', 16],
      ['TDES_3KEY', 'T', 24],
      ['AES_128', 'A', 16],
      ['AES_192', 'A', 24],
      ['AES_256', 'A', 32],
    ];
    for (const mode of Object.keys(AWS_MODES_OF_USE)) {
      for (const [aws, alg, len] of algs) {
        const modes = awsKeyModesFromTr31(mode);
        const f = tr31HeaderFieldsFromAws({ KeyUsage: 'TR31_K1_KEY_BLOCK_PROTECTION_KEY', KeyAlgorithm: aws, KeyModesOfUse: modes }, 'N');
        expect(f).toEqual({ keyUsage: 'K1', algorithm: alg, modeOfUse: mode, exportability: 'N' });
        const back = awsKeyAttributesFromTr31({ version: 'D', keyVersion: '00', keyContext: '0', optionalBlocks: [], ...f }, len);
        expect(back.KeyAlgorithm).toBe(aws);
        expect(back.KeyModesOfUse).toEqual(modes);
      }
    }
  });

  it('HMAC keys take their AWS algorithm from the HM block', () => {
    const h = parseTr31Header('D0032M7HC00E0100HM0621');
    expect(awsKeyAttributesFromTr31(h, 32).KeyAlgorithm).toBe('HMAC_SHA256');
    expect(() => awsKeyAlgorithmFromTr31(parseTr31Header('D0032M7HC00E0000'), 32)).toThrow(expect.objectContaining({ code: 'NOT_REPRESENTABLE' }));
  });

  it('combinations AWS cannot express are refused', () => {
    expect(() => tr31HeaderFieldsFromAws({ KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Encrypt: true } })).toThrow(
      expect.objectContaining({ code: 'NOT_REPRESENTABLE', field: 'modeOfUse' }),
    );
    expect(() => tr31HeaderFieldsFromAws({ KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyAlgorithm: 'RSA_2048', KeyModesOfUse: { Generate: true } })).toThrow(
      expect.objectContaining({ code: 'NOT_REPRESENTABLE', field: 'algorithm' }),
    );
    expect(() => awsKeyModesFromTr31('Y')).toThrow(expect.objectContaining({ code: 'NOT_REPRESENTABLE' }));
    expect(() => awsKeyAlgorithmFromTr31({ algorithm: 'T', optionalBlocks: [] }, 8)).toThrow(expect.objectContaining({ code: 'NOT_REPRESENTABLE' }));
  });
});
