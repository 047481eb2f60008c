import { validationError } from '../../core/errors.js';

/**
 * Security strength in bits of each AWS KeyAlgorithm (NIST SP 800-57 Part 1 Rev. 5, table 2:
 * 2TDEA 80, 3TDEA 112, AES-n n, RSA-2048 112, RSA-3072 128, RSA-4096 ~152 (between the 128 of
 * 3072 and the 192 of 7680; 152 is the usual interpolation), ECC P-256 128, P-384 192, P-521 256).
 *
 * NOTE: AWS documents the rule ("the wrapping key must be at least as strong as the key being
 * exported", and the RSA table of keys-importexport) but not the strengths it assigns. HMAC keys
 * are given the strength of their hash's output size halved, capped at 256 (SHA-224 112,
 * SHA-256 128, SHA-384 192, SHA-512 256) — an assumption.
 */
export const KEY_STRENGTH_BITS: Readonly<Record<string, number>> = {
  TDES_2KEY: 80,
  TDES_3KEY: 112,
  AES_128: 128,
  AES_192: 192,
  AES_256: 256,
  HMAC_SHA224: 112,
  HMAC_SHA256: 128,
  HMAC_SHA384: 192,
  HMAC_SHA512: 256,
  RSA_2048: 112,
  RSA_3072: 128,
  RSA_4096: 152,
  ECC_NIST_P256: 128,
  ECC_NIST_P384: 192,
  ECC_NIST_P521: 256,
};

export function keyStrengthBits(keyAlgorithm: string): number {
  const bits = KEY_STRENGTH_BITS[keyAlgorithm];
  if (bits === undefined) throw validationError(`KeyAlgorithm ${keyAlgorithm} cannot be used here`);
  return bits;
}

/**
 * Throws a ValidationException unless `wrappingKeyAlgorithm` is at least as strong as
 * `wrappedKeyAlgorithm`. `what` names the operation for the message, e.g. "export".
 * Reproduces the RSA table of tr34.md §7.3: TDES under RSA 2048/3072/4096; AES-128 only under
 * RSA 3072/4096; AES-192/256 under no RSA key.
 */
export function requireWrappingStrength(wrappingKeyAlgorithm: string, wrappedKeyAlgorithm: string, what = 'export'): void {
  if (keyStrengthBits(wrappingKeyAlgorithm) < keyStrengthBits(wrappedKeyAlgorithm)) {
    throw validationError(
      `The wrapping key (${wrappingKeyAlgorithm}) is weaker than the key to ${what} (${wrappedKeyAlgorithm}); the wrapping key must be at least as strong`,
    );
  }
}
