/**
 * Facts of AES DUKPT (ANSI X9.24-3:2017), in one place.
 *
 * Derivation data (6.3.2, tables 2 and 3), 16 bytes, encrypted with AES-ECB under the
 * deriving key, one block per 128 bits of output (block counter 1, 2):
 *
 *   01 ‖ block counter ‖ key usage (2) ‖ algorithm (2) ‖ length in bits (2) ‖ 8 bytes
 *
 * where the 8 bytes are the initial key ID for the initial key, and otherwise the derivation
 * ID (rightmost 4 bytes of the IK ID) ‖ the 32-bit transaction counter.
 */
export type AesDukptKeyType = '2TDEA' | '3TDEA' | 'AES128' | 'AES192' | 'AES256' | 'HMAC128' | 'HMAC192' | 'HMAC256';

export type AesDukptKeyUsage =
  | 'KEY_ENCRYPTION_KEY'
  | 'PIN_ENCRYPTION'
  | 'MAC_GENERATION'
  | 'MAC_VERIFICATION'
  | 'MAC_BOTH_WAYS'
  | 'DATA_ENCRYPT'
  | 'DATA_DECRYPT'
  | 'DATA_BOTH_WAYS'
  | 'KEY_DERIVATION'
  | 'KEY_DERIVATION_INITIAL_KEY';

export interface AesDukptKeyTypeFacts {
  /** Algorithm indicator in the derivation data (6.2.1). */
  readonly algorithm: number;
  /** Key length in bits (6.2.2); the derived key is this many bits. */
  readonly bits: 128 | 192 | 256;
  /**
   * Security strength used for the rule of 6.1.3 ("working keys shall be the same strength or
   * weaker than the key from which they are derived"); values from NIST SP 800-57 part 1.
   */
  readonly strength: number;
  /** Whether the type may be a BDK / initial key / intermediate derivation key (AES only, 6.3.1). */
  readonly derivation: boolean;
  /** The AWS `DukptDerivationType` / `DukptKeyDerivationType` name, where AWS has one. */
  readonly aws?: 'TDES_2KEY' | 'TDES_3KEY' | 'AES_128' | 'AES_192' | 'AES_256';
}

export const AES_DUKPT_KEY_TYPES: Readonly<Record<AesDukptKeyType, AesDukptKeyTypeFacts>> = {
  '2TDEA': { algorithm: 0x0000, bits: 128, strength: 80, derivation: false, aws: 'TDES_2KEY' },
  '3TDEA': { algorithm: 0x0001, bits: 192, strength: 112, derivation: false, aws: 'TDES_3KEY' },
  AES128: { algorithm: 0x0002, bits: 128, strength: 128, derivation: true, aws: 'AES_128' },
  AES192: { algorithm: 0x0003, bits: 192, strength: 192, derivation: true, aws: 'AES_192' },
  AES256: { algorithm: 0x0004, bits: 256, strength: 256, derivation: true, aws: 'AES_256' },
  HMAC128: { algorithm: 0x0005, bits: 128, strength: 128, derivation: false },
  HMAC192: { algorithm: 0x0005, bits: 192, strength: 192, derivation: false },
  HMAC256: { algorithm: 0x0005, bits: 256, strength: 256, derivation: false },
};

/** Key usage indicators (6.3.2 tables 2 and 3). */
export const AES_DUKPT_KEY_USAGES: Readonly<Record<AesDukptKeyUsage, number>> = {
  KEY_ENCRYPTION_KEY: 0x0002,
  PIN_ENCRYPTION: 0x1000,
  MAC_GENERATION: 0x2000,
  MAC_VERIFICATION: 0x2001,
  MAC_BOTH_WAYS: 0x2002,
  DATA_ENCRYPT: 0x3000,
  DATA_DECRYPT: 0x3001,
  DATA_BOTH_WAYS: 0x3002,
  KEY_DERIVATION: 0x8000, // intermediate derivation keys
  KEY_DERIVATION_INITIAL_KEY: 0x8001, // the initial key, from the BDK
};

/** Maximum transaction counter (the last counter with ≤ 16 one-bits). */
export const AES_DUKPT_MAX_COUNTER = 0xffff0000;

/** The AES DUKPT key type for an AWS derivation type name (`TDES_2KEY`, `AES_128`, …). */
export function aesDukptKeyTypeFromAws(name: string): AesDukptKeyType {
  for (const [type, facts] of Object.entries(AES_DUKPT_KEY_TYPES)) {
    if (facts.aws === name) return type as AesDukptKeyType;
  }
  throw new RangeError(`"derivationType" expected TDES_2KEY, TDES_3KEY, AES_128, AES_192 or AES_256, got ${String(name)}`);
}

/** The AES key type of a derivation key of `length` bytes (BDK, initial key, intermediate key). */
export function aesDerivationKeyType(length: number, name = 'key'): 'AES128' | 'AES192' | 'AES256' {
  switch (length) {
    case 16:
      return 'AES128';
    case 24:
      return 'AES192';
    case 32:
      return 'AES256';
    default:
      throw new RangeError(`"${name}" expected 16, 24 or 32 bytes, got ${length}`);
  }
}
