import { ownEntry } from '@paycrypt/primitives';
import { KeyBlockError } from '../errors.js';
import { TR31_KEY_USAGES, algorithmFacts, keyStrengthBits } from './attributes.js';
import type { Tr31Header } from './header.js';
import type { Tr31KeyOptions } from './options.js';
import type { VersionFacts } from './versions.js';

/** Key length against the header's algorithm (TDES 16/24, AES 16/24/32, DES 8; others free). */
export function checkKeyLength(header: Tr31Header, keyLength: number, options: Tr31KeyOptions): void {
  if (keyLength === 0) throw new KeyBlockError('INVALID_KEY_LENGTH', 'the key is empty', { field: 'key' });
  if (options.allowNonStandardKeyLength === true) return;
  const lengths = algorithmFacts(header.algorithm)?.keyLengths;
  if (lengths !== undefined && !lengths.includes(keyLength)) {
    throw new KeyBlockError(
      'INVALID_KEY_LENGTH',
      `algorithm ${header.algorithm} needs a key of ${lengths.join(', ')} bytes, got ${keyLength} (see allowNonStandardKeyLength)`,
      { field: 'key' },
    );
  }
}

/** Security strength of a KBPK in bits (SP 800-57: 2-key TDES 80, 3-key TDES 112, AES its size). */
export function kbpkStrengthBits(f: VersionFacts, kbpkLength: number): number {
  return f.kbpkFamily === 'AES' ? kbpkLength * 8 : kbpkLength === 24 ? 112 : 80;
}

/**
 * The opt-in policy (`policy: true`): the usage × algorithm × mode-of-use table
 * (`TR31_KEY_USAGES`) and X9.143's rule that a key must not be protected by a weaker key.
 * Asymmetric keys are not strength-checked (their strength is inside the DER).
 */
export function checkPolicy(header: Tr31Header, keyLength: number, f: VersionFacts, kbpkLength: number): void {
  const usage = ownEntry(TR31_KEY_USAGES, header.keyUsage);
  if (usage === undefined) {
    throw new KeyBlockError('POLICY_VIOLATION', `policy: key usage "${header.keyUsage}" is not an X9.143 usage`, { field: 'keyUsage' });
  }
  if (!usage.algorithms.includes(header.algorithm)) {
    throw new KeyBlockError('POLICY_VIOLATION', `policy: key usage ${header.keyUsage} does not allow algorithm ${header.algorithm} (allowed: ${usage.algorithms.split('').join(', ')})`, {
      field: 'algorithm',
    });
  }
  if (!usage.modes.includes(header.modeOfUse)) {
    throw new KeyBlockError('POLICY_VIOLATION', `policy: key usage ${header.keyUsage} does not allow mode of use ${header.modeOfUse} (allowed: ${usage.modes.split('').join(', ')})`, {
      field: 'modeOfUse',
    });
  }
  const keyBits = keyStrengthBits(header.algorithm, keyLength);
  const kbpkBits = kbpkStrengthBits(f, kbpkLength);
  if (keyBits !== undefined && keyBits > kbpkBits) {
    throw new KeyBlockError('POLICY_VIOLATION', `policy: a ${keyBits}-bit key must not be wrapped by a weaker ${kbpkBits}-bit KBPK (X9.143)`, { field: 'kbpk' });
  }
}
