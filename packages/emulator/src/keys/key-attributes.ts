import type { KeyModesOfUse } from '@aws-sdk/client-payment-cryptography';

/**
 * The ONE table of key attributes CreateKey accepts (aws-api.md §10.7, from the AWS user guide
 * "Understanding key attributes"): per KeyUsage the key class, the algorithms, and the exact
 * sets of modes of use (the listed flags true, every other flag false).
 */
export const MODE_NAMES = ['Encrypt', 'Decrypt', 'Wrap', 'Unwrap', 'Generate', 'Sign', 'Verify', 'DeriveKey', 'NoRestrictions'] as const;
export type ModeName = (typeof MODE_NAMES)[number];
export type FullModesOfUse = Required<Pick<KeyModesOfUse, ModeName>>;

type ModeSet = readonly ModeName[];

const TDES = ['TDES_2KEY', 'TDES_3KEY'] as const;
const SYM = ['TDES_2KEY', 'TDES_3KEY', 'AES_128', 'AES_192', 'AES_256'] as const;
const HMAC = ['HMAC_SHA224', 'HMAC_SHA256', 'HMAC_SHA384', 'HMAC_SHA512'] as const;
const RSA = ['RSA_2048', 'RSA_3072', 'RSA_4096'] as const;
const ECC = ['ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521'] as const;

const DERIVE: readonly ModeSet[] = [['DeriveKey'], ['NoRestrictions']];
const ENC: readonly ModeSet[] = [['Encrypt', 'Decrypt', 'Wrap', 'Unwrap'], ['Encrypt', 'Wrap'], ['Decrypt', 'Unwrap'], ['NoRestrictions']];
const GEN_VER: readonly ModeSet[] = [['Generate'], ['Verify'], ['Generate', 'Verify'], ['NoRestrictions']];
const ASYM_ENC: readonly ModeSet[] = [['Encrypt', 'Decrypt', 'Wrap', 'Unwrap'], ['Encrypt', 'Wrap'], ['Decrypt', 'Unwrap']];

export interface CreateKeyRule {
  keyClass: 'SYMMETRIC_KEY' | 'ASYMMETRIC_KEY_PAIR';
  algorithms: readonly string[];
  modes: readonly ModeSet[];
  /** `DeriveKeyUsage` may be given (ECC K3 keys only) */
  deriveKeyUsage?: true;
}

export const CREATE_KEY_RULES: Readonly<Record<string, CreateKeyRule>> = {
  TR31_B0_BASE_DERIVATION_KEY: { keyClass: 'SYMMETRIC_KEY', algorithms: SYM, modes: DERIVE },
  TR31_C0_CARD_VERIFICATION_KEY: { keyClass: 'SYMMETRIC_KEY', algorithms: SYM, modes: GEN_VER },
  TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY: { keyClass: 'SYMMETRIC_KEY', algorithms: SYM, modes: ENC },
  TR31_E0_EMV_MKEY_APP_CRYPTOGRAMS: { keyClass: 'SYMMETRIC_KEY', algorithms: SYM, modes: DERIVE },
  TR31_E1_EMV_MKEY_CONFIDENTIALITY: { keyClass: 'SYMMETRIC_KEY', algorithms: SYM, modes: DERIVE },
  TR31_E2_EMV_MKEY_INTEGRITY: { keyClass: 'SYMMETRIC_KEY', algorithms: SYM, modes: DERIVE },
  TR31_E4_EMV_MKEY_DYNAMIC_NUMBERS: { keyClass: 'SYMMETRIC_KEY', algorithms: SYM, modes: DERIVE },
  TR31_E5_EMV_MKEY_CARD_PERSONALIZATION: { keyClass: 'SYMMETRIC_KEY', algorithms: SYM, modes: DERIVE },
  TR31_E6_EMV_MKEY_OTHER: { keyClass: 'SYMMETRIC_KEY', algorithms: SYM, modes: DERIVE },
  TR31_K0_KEY_ENCRYPTION_KEY: { keyClass: 'SYMMETRIC_KEY', algorithms: SYM, modes: ENC },
  TR31_K1_KEY_BLOCK_PROTECTION_KEY: { keyClass: 'SYMMETRIC_KEY', algorithms: SYM, modes: ENC },
  TR31_M0_ISO_16609_MAC_KEY: { keyClass: 'SYMMETRIC_KEY', algorithms: TDES, modes: [['Generate'], ['Verify'], ['Generate', 'Verify']] },
  TR31_M1_ISO_9797_1_MAC_KEY: { keyClass: 'SYMMETRIC_KEY', algorithms: TDES, modes: GEN_VER },
  TR31_M3_ISO_9797_3_MAC_KEY: { keyClass: 'SYMMETRIC_KEY', algorithms: TDES, modes: GEN_VER },
  TR31_M6_ISO_9797_5_CMAC_KEY: { keyClass: 'SYMMETRIC_KEY', algorithms: SYM, modes: GEN_VER },
  // The user-guide table lists TDES/AES for M7 (stale); the API enum and the CLI use HMAC_*.
  TR31_M7_HMAC_KEY: { keyClass: 'SYMMETRIC_KEY', algorithms: HMAC, modes: GEN_VER },
  TR31_P0_PIN_ENCRYPTION_KEY: { keyClass: 'SYMMETRIC_KEY', algorithms: SYM, modes: ENC },
  TR31_V1_IBM3624_PIN_VERIFICATION_KEY: { keyClass: 'SYMMETRIC_KEY', algorithms: SYM, modes: GEN_VER },
  TR31_V2_VISA_PIN_VERIFICATION_KEY: { keyClass: 'SYMMETRIC_KEY', algorithms: SYM, modes: GEN_VER },
  TR31_D1_ASYMMETRIC_KEY_FOR_DATA_ENCRYPTION: { keyClass: 'ASYMMETRIC_KEY_PAIR', algorithms: RSA, modes: ASYM_ENC },
  TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE: { keyClass: 'ASYMMETRIC_KEY_PAIR', algorithms: RSA, modes: [['Sign'], ['Verify']] },
  TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT: { keyClass: 'ASYMMETRIC_KEY_PAIR', algorithms: ECC, modes: [['DeriveKey']], deriveKeyUsage: true },
  TR31_K2_TR34_ASYMMETRIC_KEY: { keyClass: 'ASYMMETRIC_KEY_PAIR', algorithms: RSA, modes: [['DeriveKey'], ...ASYM_ENC] },
  // TR31_P1_PIN_GENERATION_KEY: listed by the user guide as not currently used → refused.
};

const interned = new Map<number, Readonly<FullModesOfUse>>();

function bitsOf(m: Partial<Record<ModeName, boolean | undefined>>): number {
  let bits = 0;
  MODE_NAMES.forEach((name, i) => {
    if (m[name] === true) bits |= 1 << i;
  });
  return bits;
}

/**
 * All nine booleans, false ones included (real responses print all nine). Instances are frozen
 * and shared per combination, so 100,000 keys hold at most 512 of these objects.
 */
export function normaliseModes(m: Partial<Record<ModeName, boolean | undefined>>): Readonly<FullModesOfUse> {
  const bits = bitsOf(m);
  let v = interned.get(bits);
  if (v === undefined) {
    const obj = {} as FullModesOfUse;
    MODE_NAMES.forEach((name, i) => {
      obj[name] = (bits & (1 << i)) !== 0;
    });
    v = Object.freeze(obj);
    interned.set(bits, v);
  }
  return v;
}

export function modesText(m: Partial<Record<ModeName, boolean | undefined>>): string {
  const on = MODE_NAMES.filter((n) => m[n] === true);
  return on.length === 0 ? '{}' : `{${on.join(', ')}}`;
}

/** Returns an error message, or undefined when the combination is one CreateKey accepts. */
export function checkCreateKeyAttributes(attrs: {
  KeyUsage: string;
  KeyClass: string;
  KeyAlgorithm: string;
  KeyModesOfUse: Partial<Record<ModeName, boolean | undefined>>;
}): string | undefined {
  const rule = CREATE_KEY_RULES[attrs.KeyUsage];
  if (rule === undefined) return `KeyUsage ${attrs.KeyUsage} cannot be used to create a key`;
  if (attrs.KeyClass !== rule.keyClass) return `KeyUsage ${attrs.KeyUsage} requires KeyClass ${rule.keyClass}, got ${attrs.KeyClass}`;
  if (!rule.algorithms.includes(attrs.KeyAlgorithm)) {
    return `KeyAlgorithm ${attrs.KeyAlgorithm} is not valid for KeyUsage ${attrs.KeyUsage}; valid: ${rule.algorithms.join(', ')}`;
  }
  const bits = bitsOf(attrs.KeyModesOfUse);
  if (!rule.modes.some((set) => bitsOf(Object.fromEntries(set.map((n) => [n, true]))) === bits)) {
    return `KeyModesOfUse ${modesText(attrs.KeyModesOfUse)} is not valid for KeyUsage ${attrs.KeyUsage}; valid: ${rule.modes.map((s) => `{${s.join(', ')}}`).join(' or ')}`;
  }
  return undefined;
}
