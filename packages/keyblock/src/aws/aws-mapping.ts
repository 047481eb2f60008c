import { KeyBlockError } from '../errors.js';
import type { Tr31Header } from '../tr31/header.js';

/**
 * The one table mapping TR-31 header attributes to AWS Payment Cryptography key attributes
 * (AWS API `KeyAttributes`; enum values from the service model, modes from the user guide's
 * "TR-31 mode of use" list). Anything missing here is not representable in AWS.
 */

/** TR-31 usage code ↔ AWS `KeyUsage` (the two characters after `TR31_`). */
export const AWS_KEY_USAGES: Readonly<Record<string, string>> = {
  B0: 'TR31_B0_BASE_DERIVATION_KEY',
  C0: 'TR31_C0_CARD_VERIFICATION_KEY',
  D0: 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY',
  D1: 'TR31_D1_ASYMMETRIC_KEY_FOR_DATA_ENCRYPTION',
  E0: 'TR31_E0_EMV_MKEY_APP_CRYPTOGRAMS',
  E1: 'TR31_E1_EMV_MKEY_CONFIDENTIALITY',
  E2: 'TR31_E2_EMV_MKEY_INTEGRITY',
  E4: 'TR31_E4_EMV_MKEY_DYNAMIC_NUMBERS',
  E5: 'TR31_E5_EMV_MKEY_CARD_PERSONALIZATION',
  E6: 'TR31_E6_EMV_MKEY_OTHER',
  K0: 'TR31_K0_KEY_ENCRYPTION_KEY',
  K1: 'TR31_K1_KEY_BLOCK_PROTECTION_KEY',
  K2: 'TR31_K2_TR34_ASYMMETRIC_KEY',
  K3: 'TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT',
  M0: 'TR31_M0_ISO_16609_MAC_KEY',
  M1: 'TR31_M1_ISO_9797_1_MAC_KEY',
  M3: 'TR31_M3_ISO_9797_3_MAC_KEY',
  M6: 'TR31_M6_ISO_9797_5_CMAC_KEY',
  M7: 'TR31_M7_HMAC_KEY',
  P0: 'TR31_P0_PIN_ENCRYPTION_KEY',
  P1: 'TR31_P1_PIN_GENERATION_KEY',
  S0: 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE',
  V1: 'TR31_V1_IBM3624_PIN_VERIFICATION_KEY',
  V2: 'TR31_V2_VISA_PIN_VERIFICATION_KEY',
};

/** Symmetric algorithm + key length ↔ AWS `KeyAlgorithm`. */
export const AWS_KEY_ALGORITHMS: readonly { algorithm: string; keyLength: number | undefined; hm?: string; aws: string }[] = [
  { algorithm: 'T', keyLength: 16, aws: 'TDES_2KEY' },
  { algorithm: 'T', keyLength: 24, aws: 'TDES_3KEY' },
  { algorithm: 'A', keyLength: 16, aws: 'AES_128' },
  { algorithm: 'A', keyLength: 24, aws: 'AES_192' },
  { algorithm: 'A', keyLength: 32, aws: 'AES_256' },
  // HMAC keys: the hash comes from the HM optional block (X9.143 table 13), not the key length
  { algorithm: 'H', keyLength: undefined, hm: '20', aws: 'HMAC_SHA224' },
  { algorithm: 'H', keyLength: undefined, hm: '21', aws: 'HMAC_SHA256' },
  { algorithm: 'H', keyLength: undefined, hm: '22', aws: 'HMAC_SHA384' },
  { algorithm: 'H', keyLength: undefined, hm: '23', aws: 'HMAC_SHA512' },
];

export interface AwsKeyModesOfUse {
  Encrypt: boolean;
  Decrypt: boolean;
  Wrap: boolean;
  Unwrap: boolean;
  Generate: boolean;
  Sign: boolean;
  Verify: boolean;
  DeriveKey: boolean;
  NoRestrictions: boolean;
}

export const AWS_MODE_FLAGS: readonly (keyof AwsKeyModesOfUse)[] = ['Encrypt', 'Decrypt', 'Wrap', 'Unwrap', 'Generate', 'Sign', 'Verify', 'DeriveKey', 'NoRestrictions'];

/** TR-31 mode of use ↔ the AWS `KeyModesOfUse` flags that are true (all others false). */
export const AWS_MODES_OF_USE: Readonly<Record<string, readonly (keyof AwsKeyModesOfUse)[]>> = {
  B: ['Encrypt', 'Decrypt', 'Wrap', 'Unwrap'],
  C: ['Generate', 'Verify'],
  D: ['Decrypt', 'Unwrap'],
  E: ['Encrypt', 'Wrap'],
  G: ['Generate'],
  N: ['NoRestrictions'],
  S: ['Sign'],
  V: ['Verify'],
  X: ['DeriveKey'],
};

/** TR-31 exportability ↔ AWS `KeyExportability`. */
export const AWS_EXPORTABILITY: Readonly<Record<string, string>> = { E: 'EXPORTABLE', N: 'NON_EXPORTABLE', S: 'SENSITIVE' };

export interface AwsKeyAttributes {
  KeyUsage: string;
  KeyClass: 'SYMMETRIC_KEY';
  KeyAlgorithm: string;
  KeyModesOfUse: AwsKeyModesOfUse;
}

const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function notRepresentable(message: string, field: string): KeyBlockError {
  return new KeyBlockError('NOT_REPRESENTABLE', message, { field });
}

/** `C0` → `TR31_C0_CARD_VERIFICATION_KEY`. */
export function tr31KeyUsageToAws(code: string): string {
  if (typeof code === 'string' && own(AWS_KEY_USAGES, code)) return AWS_KEY_USAGES[code]!;
  throw notRepresentable(`key usage "${String(code)}" has no AWS KeyUsage`, 'keyUsage');
}

/** `TR31_C0_CARD_VERIFICATION_KEY` → `C0`. */
export function awsKeyUsageToTr31(keyUsage: string): string {
  for (const [code, name] of Object.entries(AWS_KEY_USAGES)) if (name === keyUsage) return code;
  throw notRepresentable(`unknown AWS KeyUsage "${String(keyUsage)}"`, 'keyUsage');
}

/** Algorithm + key length (+ the HM block for HMAC keys) → AWS `KeyAlgorithm`. */
export function awsKeyAlgorithmFromTr31(header: Pick<Tr31Header, 'algorithm' | 'optionalBlocks'>, keyLength: number): string {
  const hm = header.optionalBlocks?.find((b) => b.id === 'HM')?.data;
  const row = AWS_KEY_ALGORITHMS.find((r) => r.algorithm === header.algorithm && (r.keyLength === undefined ? r.hm === hm : r.keyLength === keyLength));
  if (row === undefined) {
    throw notRepresentable(
      header.algorithm === 'H' ? 'an HMAC key needs an HM block with SHA-224/256/384/512 for AWS' : `algorithm ${header.algorithm} with a ${keyLength}-byte key has no AWS KeyAlgorithm`,
      'algorithm',
    );
  }
  return row.aws;
}

/** Mode of use → the nine AWS `KeyModesOfUse` flags. */
export function awsKeyModesFromTr31(modeOfUse: string): AwsKeyModesOfUse {
  if (!own(AWS_MODES_OF_USE, modeOfUse)) throw notRepresentable(`mode of use "${modeOfUse}" has no AWS KeyModesOfUse`, 'modeOfUse');
  const on = AWS_MODES_OF_USE[modeOfUse]!;
  const out = {} as AwsKeyModesOfUse;
  for (const k of AWS_MODE_FLAGS) out[k] = on.includes(k);
  return out;
}

/** Exportability → AWS `KeyExportability`. */
export function awsExportabilityFromTr31(exportability: string): string {
  if (!own(AWS_EXPORTABILITY, exportability)) throw notRepresentable(`exportability "${exportability}" has no AWS equivalent`, 'exportability');
  return AWS_EXPORTABILITY[exportability]!;
}

/** The AWS key attributes for a TR-31 header and key length; throws NOT_REPRESENTABLE otherwise. */
export function awsKeyAttributesFromTr31(header: Tr31Header, keyLength: number): AwsKeyAttributes {
  return {
    KeyUsage: tr31KeyUsageToAws(header.keyUsage),
    KeyClass: 'SYMMETRIC_KEY',
    KeyAlgorithm: awsKeyAlgorithmFromTr31(header, keyLength),
    KeyModesOfUse: awsKeyModesFromTr31(header.modeOfUse),
  };
}

/** The nine AWS `KeyModesOfUse` flags → the one TR-31 mode of use with exactly those flags, or undefined. */
export function tr31ModeOfUseFromAws(modes: Partial<AwsKeyModesOfUse>): string | undefined {
  const on = AWS_MODE_FLAGS.filter((k) => modes[k] === true);
  return Object.keys(AWS_MODES_OF_USE).find((m) => {
    const want = AWS_MODES_OF_USE[m]!;
    return want.length === on.length && want.every((k) => on.includes(k));
  });
}

/** AWS key attributes → TR-31 usage, algorithm, mode of use and exportability (default `E`). */
export function tr31HeaderFieldsFromAws(
  attrs: { KeyUsage: string; KeyAlgorithm: string; KeyModesOfUse: Partial<AwsKeyModesOfUse> },
  exportability: 'E' | 'N' | 'S' = 'E',
): Pick<Tr31Header, 'keyUsage' | 'algorithm' | 'modeOfUse' | 'exportability'> {
  const keyUsage = awsKeyUsageToTr31(attrs.KeyUsage);
  const row = AWS_KEY_ALGORITHMS.find((r) => r.aws === attrs.KeyAlgorithm);
  if (row === undefined) throw notRepresentable(`AWS KeyAlgorithm "${String(attrs.KeyAlgorithm)}" has no TR-31 key block algorithm`, 'algorithm');
  const modeOfUse = tr31ModeOfUseFromAws(attrs.KeyModesOfUse ?? {});
  if (modeOfUse === undefined) {
    const on = AWS_MODE_FLAGS.filter((k) => attrs.KeyModesOfUse?.[k] === true);
    throw notRepresentable(`KeyModesOfUse {${on.join(', ')}} has no single TR-31 mode of use`, 'modeOfUse');
  }
  if (!own(AWS_EXPORTABILITY, exportability)) throw new RangeError(`"exportability" expected E, N or S, got ${String(exportability)}`);
  return { keyUsage, algorithm: row.algorithm, modeOfUse, exportability };
}
