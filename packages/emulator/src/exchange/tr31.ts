import { TR31_VERSIONS, parseTr31, prepareKbpk, unwrapTr31, wrapTr31, type PreparedKbpk, type Tr31Header, type Tr31Version } from '@paycrypt/keyblock';
import type { RequestContext } from '../core/context.js';
import { validationError } from '../core/errors.js';
import { keyMaterial } from '../keys/key-access.js';
import type { KeyRecord } from '../state/records.js';

/**
 * TR-31 blocks under a protector, shared by the control plane (ImportKey / ExportKey Tr31KeyBlock
 * and DiffieHellmanTr31KeyBlock) and the data plane (TranslateKeyMaterial): the KBPK is either a
 * stored KEK record or a key derived by ECDH (exchange/ecdh.ts). The clear KBPK is prepared per
 * block version and wiped at once; keyblock's errors (a MAC failure is one fixed message) become
 * ValidationException (core/errors.ts).
 */

/**
 * What protects a TR-31 block: the wrapping key of `Tr31KeyBlock` (a KEK record) or the KBPK
 * derived by ECDH (`DiffieHellmanTr31KeyBlock`, ecdh.ts).
 */
export interface Tr31Protector {
  /** AWS KeyAlgorithm of the KBPK: its family picks the block versions */
  readonly keyAlgorithm: string;
  readonly family: 'TDES' | 'AES';
  /** how messages name the KBPK (a key ARN, or a description) */
  readonly name: string;
  /** AWS KeyAlgorithms that must each be at least as strong as the protected key (strength.ts) */
  readonly strengthOf: readonly string[];
  /** a fresh copy of the clear KBPK; the TR-31 code wipes it once prepared */
  readonly clearKey: () => Uint8Array;
}

/** A stored KEK as a protector (its clear value is read per use and wiped once prepared). */
export function kekProtector(ctx: RequestContext, kek: KeyRecord, family: 'TDES' | 'AES'): Tr31Protector {
  return { keyAlgorithm: kek.keyAlgorithm, family, name: kek.keyArn, strengthOf: [kek.keyAlgorithm], clearKey: () => keyMaterial(ctx, kek) };
}

/** The clear KBPK prepared for one version; the caller destroys it (wipes its copy). */
export function preparedKbpk(w: Tr31Protector, version: Tr31Version): PreparedKbpk {
  const clear = w.clearKey();
  try {
    return prepareKbpk(clear, version);
  } finally {
    clear.fill(0);
  }
}

/**
 * The version of `block`, checked against the protector's family: A, B, C need a TDES KBPK; D
 * (and ISO 20038 E) an AES one. NOTE: the block is read strictly (X9.143: upper-case hex, 0004
 * extended lengths, registered header values); the model pattern [0-9a-zA-Z]+ lets lower-case
 * blocks through to here.
 */
export function tr31VersionFor(w: Tr31Protector, block: string): Tr31Version {
  const { version } = parseTr31(block);
  const needs = TR31_VERSIONS[version].kbpkFamily;
  if (needs !== w.family) throw validationError(`A version ${version} key block needs a ${needs} wrapping key; ${w.name} is ${w.keyAlgorithm}`);
  return version;
}

/** Unwraps `block` (of `version`, from tr31VersionFor) under the protector; the caller wipes `key`. */
export function unwrapTr31Under(w: Tr31Protector, block: string, version: Tr31Version): { header: Tr31Header; key: Uint8Array } {
  const kbpk = preparedKbpk(w, version);
  try {
    return unwrapTr31(kbpk, block);
  } finally {
    kbpk.destroy();
  }
}

/** Wraps `key` under the protector with `header` (its version must fit the protector's family). */
export function wrapTr31Under(w: Tr31Protector, header: Tr31Header, key: Uint8Array): string {
  const kbpk = preparedKbpk(w, header.version);
  try {
    return wrapTr31(kbpk, header, key);
  } finally {
    kbpk.destroy();
  }
}

/** The version of an outgoing block: B under a TDES KBPK, D under an AES one (aws-api.md §10.6). */
export function outgoingTr31Version(w: Tr31Protector): Tr31Version {
  return w.family === 'TDES' ? 'B' : 'D';
}
