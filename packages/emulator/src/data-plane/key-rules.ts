import type { ModeName } from '../keys/key-attributes.js';

/**
 * The ONE table of which keys each data-plane operation accepts (aws-api.md §10.8, from the AWS
 * user guide "Valid keys for cryptographic operations"): per use, the key usages, the key
 * algorithms, and the sets of modes of use of which the key must have at least one (every flag
 * of the set true). Handlers name a rule; operation-key.ts applies it.
 *
 * NOTE: where the guide lists only the generate side for a verification (card validation, MAC),
 * the emulator also accepts a key with Verify alone (a CreateKey-valid C0/M* key).
 */
export interface KeyRule {
  readonly usages: readonly string[];
  readonly algorithms: readonly string[];
  readonly modes: readonly (readonly ModeName[])[];
}

const TDES = ['TDES_2KEY', 'TDES_3KEY'] as const;
const AES = ['AES_128', 'AES_192', 'AES_256'] as const;
const SYM = [...TDES, ...AES] as const;
const ALL4: readonly ModeName[] = ['Encrypt', 'Decrypt', 'Wrap', 'Unwrap'];
const ENCRYPT = [['Encrypt', 'Wrap'], ALL4, ['NoRestrictions']] as const;
const DECRYPT = [['Decrypt', 'Unwrap'], ALL4, ['NoRestrictions']] as const;
const GENERATE = [['Generate'], ['NoRestrictions']] as const;
const VERIFY = [['Verify'], ['NoRestrictions']] as const;
const DERIVE = [['DeriveKey'], ['NoRestrictions']] as const;

export const KEY_RULES = {
  // card validation data
  CVV_GENERATE: { usages: ['TR31_C0_CARD_VERIFICATION_KEY'], algorithms: ['TDES_2KEY'], modes: GENERATE },
  CVV_VERIFY: { usages: ['TR31_C0_CARD_VERIFICATION_KEY'], algorithms: ['TDES_2KEY'], modes: VERIFY },
  CSC_GENERATE: { usages: ['TR31_C0_CARD_VERIFICATION_KEY'], algorithms: TDES, modes: GENERATE },
  CSC_VERIFY: { usages: ['TR31_C0_CARD_VERIFICATION_KEY'], algorithms: TDES, modes: VERIFY },
  DYNAMIC_CVC3: { usages: ['TR31_E4_EMV_MKEY_DYNAMIC_NUMBERS'], algorithms: ['TDES_2KEY'], modes: DERIVE },
  DYNAMIC_CVV: { usages: ['TR31_E6_EMV_MKEY_OTHER'], algorithms: ['TDES_2KEY'], modes: DERIVE },
  // PIN
  PEK_ENCRYPT: { usages: ['TR31_P0_PIN_ENCRYPTION_KEY'], algorithms: SYM, modes: ENCRYPT },
  PEK_DECRYPT: { usages: ['TR31_P0_PIN_ENCRYPTION_KEY'], algorithms: SYM, modes: DECRYPT },
  PVK_VISA_GENERATE: { usages: ['TR31_V2_VISA_PIN_VERIFICATION_KEY'], algorithms: TDES, modes: GENERATE },
  PVK_VISA_VERIFY: { usages: ['TR31_V2_VISA_PIN_VERIFICATION_KEY'], algorithms: TDES, modes: VERIFY },
  PVK_IBM3624_GENERATE: { usages: ['TR31_V1_IBM3624_PIN_VERIFICATION_KEY'], algorithms: ['TDES_3KEY'], modes: GENERATE },
  PVK_IBM3624_VERIFY: { usages: ['TR31_V1_IBM3624_PIN_VERIFICATION_KEY'], algorithms: ['TDES_3KEY'], modes: VERIFY },
  BDK: { usages: ['TR31_B0_BASE_DERIVATION_KEY'], algorithms: ['TDES_2KEY', ...AES], modes: DERIVE },
  // data encryption
  DEK_ENCRYPT: { usages: ['TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY'], algorithms: SYM, modes: ENCRYPT },
  DEK_DECRYPT: { usages: ['TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY'], algorithms: SYM, modes: DECRYPT },
  // ReEncryptData: a D0 key with NoRestrictions is refused ("KeyUsages not allowed", data-plane.md §1)
  DEK_REENCRYPT_DECRYPT: { usages: ['TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY'], algorithms: SYM, modes: [['Decrypt', 'Unwrap'], ALL4] },
  DEK_REENCRYPT_ENCRYPT: { usages: ['TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY'], algorithms: SYM, modes: [['Encrypt', 'Wrap'], ALL4] },
  RSA_ENCRYPT: { usages: ['TR31_D1_ASYMMETRIC_KEY_FOR_DATA_ENCRYPTION'], algorithms: ['RSA_2048', 'RSA_3072', 'RSA_4096'], modes: [['Encrypt', 'Wrap'], ALL4] },
  RSA_DECRYPT: { usages: ['TR31_D1_ASYMMETRIC_KEY_FOR_DATA_ENCRYPTION'], algorithms: ['RSA_2048', 'RSA_3072', 'RSA_4096'], modes: [['Decrypt', 'Unwrap'], ALL4] },
  EMV_ENCRYPT: { usages: ['TR31_E1_EMV_MKEY_CONFIDENTIALITY', 'TR31_E6_EMV_MKEY_OTHER'], algorithms: ['TDES_2KEY'], modes: DERIVE },
  // MAC
  MAC_ISO9797_1_GENERATE: { usages: ['TR31_M1_ISO_9797_1_MAC_KEY'], algorithms: TDES, modes: GENERATE },
  MAC_ISO9797_1_VERIFY: { usages: ['TR31_M1_ISO_9797_1_MAC_KEY'], algorithms: TDES, modes: VERIFY },
  MAC_ISO9797_3_GENERATE: { usages: ['TR31_M3_ISO_9797_3_MAC_KEY'], algorithms: TDES, modes: GENERATE },
  MAC_ISO9797_3_VERIFY: { usages: ['TR31_M3_ISO_9797_3_MAC_KEY'], algorithms: TDES, modes: VERIFY },
  MAC_CMAC_GENERATE: { usages: ['TR31_M6_ISO_9797_5_CMAC_KEY'], algorithms: SYM, modes: GENERATE },
  MAC_CMAC_VERIFY: { usages: ['TR31_M6_ISO_9797_5_CMAC_KEY'], algorithms: SYM, modes: VERIFY },
  MAC_HMAC_GENERATE: { usages: ['TR31_M7_HMAC_KEY'], algorithms: ['HMAC_SHA224', 'HMAC_SHA256', 'HMAC_SHA384', 'HMAC_SHA512'], modes: GENERATE },
  MAC_HMAC_VERIFY: { usages: ['TR31_M7_HMAC_KEY'], algorithms: ['HMAC_SHA224', 'HMAC_SHA256', 'HMAC_SHA384', 'HMAC_SHA512'], modes: VERIFY },
  MAC_AS2805_GENERATE: { usages: ['TR31_M0_ISO_16609_MAC_KEY'], algorithms: TDES, modes: GENERATE },
  MAC_AS2805_VERIFY: { usages: ['TR31_M0_ISO_16609_MAC_KEY'], algorithms: TDES, modes: VERIFY },
  EMV_MAC: { usages: ['TR31_E2_EMV_MKEY_INTEGRITY'], algorithms: ['TDES_2KEY'], modes: DERIVE },
  // EMV
  EMV_AC: { usages: ['TR31_E0_EMV_MKEY_APP_CRYPTOGRAMS'], algorithms: ['TDES_2KEY'], modes: DERIVE },
  EMV_SMC: { usages: ['TR31_E1_EMV_MKEY_CONFIDENTIALITY'], algorithms: ['TDES_2KEY'], modes: DERIVE },
  EMV_SMI: { usages: ['TR31_E2_EMV_MKEY_INTEGRITY'], algorithms: ['TDES_2KEY'], modes: DERIVE },
  // key exchange
  KEK_WRAP: { usages: ['TR31_K0_KEY_ENCRYPTION_KEY', 'TR31_K1_KEY_BLOCK_PROTECTION_KEY'], algorithms: SYM, modes: [['Encrypt', 'Wrap'], ALL4, ['NoRestrictions']] },
  KEK_UNWRAP: { usages: ['TR31_K0_KEY_ENCRYPTION_KEY', 'TR31_K1_KEY_BLOCK_PROTECTION_KEY'], algorithms: SYM, modes: [['Decrypt', 'Unwrap'], ALL4, ['NoRestrictions']] },
  // AS2805 KEK validation: the KEK enciphers KRs and KRr and deciphers a partner's KRs (NOTE: both directions required)
  AS2805_KEK_VALIDATION: { usages: ['TR31_K0_KEY_ENCRYPTION_KEY'], algorithms: TDES, modes: [['Wrap', 'Unwrap'], ['Encrypt', 'Decrypt'], ['NoRestrictions']] },
  ECDH: { usages: ['TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT'], algorithms: ['ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521'], modes: DERIVE },
} as const satisfies Readonly<Record<string, KeyRule>>;

export type KeyRuleName = keyof typeof KEY_RULES;

/** Why `key` does not fit `rule`, or undefined when it does. */
export function keyRuleProblem(rule: KeyRule, key: { keyUsage: string; keyAlgorithm: string; modes: Readonly<Record<ModeName, boolean>> }): string | undefined {
  if (!rule.usages.includes(key.keyUsage)) return `KeyUsage ${key.keyUsage} is not allowed here; expected ${rule.usages.join(' or ')}`;
  if (!rule.algorithms.includes(key.keyAlgorithm)) return `KeyAlgorithm ${key.keyAlgorithm} is not allowed here; expected ${rule.algorithms.join(', ')}`;
  if (!rule.modes.some((set) => set.every((m) => key.modes[m] === true))) {
    return `KeyModesOfUse do not allow this operation; expected ${rule.modes.map((s) => `{${s.join(', ')}}`).join(' or ')}`;
  }
  return undefined;
}
