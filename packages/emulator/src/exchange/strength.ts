import { validationError } from '../core/errors.js';
import { KEY_ALGORITHMS } from '../keys/key-algorithms.js';

/**
 * "The wrapping key must be at least as strong as the key being exported" (AWS API docs), with
 * the strengths of keys/key-algorithms.ts (NIST SP 800-57 Part 1, table 2).
 * This reproduces the RSA table of tr34.md §7.3: TDES under RSA 2048/3072/4096; AES-128 only
 * under RSA 3072/4096; AES-192/256 under no RSA key.
 * NOTE: AWS does not publish the strength it gives HMAC keys or RSA-4096; see algorithms.ts.
 */
export function requireWrappingStrength(wrappingKeyAlgorithm: string, wrappedKeyAlgorithm: string, what = 'export'): void {
  const wrapping = KEY_ALGORITHMS[wrappingKeyAlgorithm];
  const wrapped = KEY_ALGORITHMS[wrappedKeyAlgorithm];
  if (wrapping === undefined || wrapped === undefined) throw validationError(`KeyAlgorithm ${wrapping === undefined ? wrappingKeyAlgorithm : wrappedKeyAlgorithm} cannot be used to ${what}`);
  if (wrapping.strength < wrapped.strength) {
    throw validationError(
      `The wrapping key (${wrappingKeyAlgorithm}) is weaker than the key to ${what} (${wrappedKeyAlgorithm}); the wrapping key must be at least as strong`,
    );
  }
}
