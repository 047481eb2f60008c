import { awsKeyAlgorithmFromTr31, awsKeyAttributesFromTr31, unwrapTr31, type AwsKeyAttributes, type Tr31Header } from '@paycrypt/keyblock';
import { bytesToHex, constantTimeEqual, hexToBytes, hmacSha, kcv, wipe, type HmacHash } from '@paycrypt/primitives';

/**
 * Open a TR-31 key block that the service exported (ExportKey with Tr31KeyBlock) with the clear
 * KEK it was wrapped under, and report what an auditor checks: the header, the AWS attributes
 * the header maps to, the key check value of the wrapped key, and whether it equals the KCV the
 * service answered. The clear key never leaves this function (it is wiped before return).
 * Engine packages only (no `node:`): runs in a browser too.
 */
export type KeyCheckValueAlgorithm = 'ANSI_X9_24' | 'CMAC' | 'HMAC';

export interface ServiceKeyCheckValue {
  /** the KCV the service returned (ExportKey's WrappedKey.KeyCheckValue, or the key's KeyCheckValue) */
  KeyCheckValue: string;
  /** default: the algorithm's default (ANSI_X9_24 for TDES, CMAC for AES, HMAC for HMAC keys) */
  KeyCheckValueAlgorithm?: string | undefined;
}

export interface OpenedKeyBlock {
  header: Tr31Header;
  /** bytes of the wrapped key */
  keyLength: number;
  /** the AWS key attributes of the header, when it has a mapping */
  keyAttributes: AwsKeyAttributes | undefined;
  keyCheckValueAlgorithm: KeyCheckValueAlgorithm;
  /** the KCV of the wrapped key, upper-case hex (6 characters) */
  keyCheckValue: string;
  /** whether it equals the service's KCV (undefined when none was given) */
  kcvMatches: boolean | undefined;
}

const HMAC_OF: Readonly<Record<string, HmacHash>> = { HMAC_SHA224: 'SHA224', HMAC_SHA256: 'SHA256', HMAC_SHA384: 'SHA384', HMAC_SHA512: 'SHA512' };

function defaultKcvAlgorithm(algorithm: string): KeyCheckValueAlgorithm {
  if (algorithm === 'T') return 'ANSI_X9_24';
  if (algorithm === 'A') return 'CMAC';
  if (algorithm === 'H') return 'HMAC';
  throw new RangeError(`"block" algorithm ${algorithm}: no key check value method for it`);
}

/** The KCV (3 bytes, hex) of a clear key by the service's methods; HMAC: leftmost 3 bytes of HMAC(key, empty message). */
export function keyCheckValue(key: Uint8Array, keyAlgorithm: string, method: KeyCheckValueAlgorithm): string {
  if (method === 'HMAC') {
    const hash = HMAC_OF[keyAlgorithm];
    if (hash === undefined) throw new RangeError(`"method" HMAC needs an HMAC key algorithm, got ${keyAlgorithm}`);
    return bytesToHex(hmacSha(hash, key, new Uint8Array(0)).subarray(0, 3));
  }
  const family = keyAlgorithm.startsWith('TDES') ? 'TDES' : keyAlgorithm.startsWith('AES') ? 'AES' : undefined;
  if (family === undefined) throw new RangeError(`"method" ${method} needs a TDES or AES key, got ${keyAlgorithm}`);
  return bytesToHex(kcv(key, family, { method }));
}

function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length || a.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(b)) return false;
  return constantTimeEqual(hexToBytes(a.toUpperCase()), hexToBytes(b.toUpperCase()));
}

/**
 * Unwrap `block` under `kek` and check its KCV. A block that does not authenticate under the
 * KEK throws @paycrypt/keyblock's opaque KeyBlockError.
 */
export function openExportedKeyBlock(kek: Uint8Array, block: string, service?: ServiceKeyCheckValue): OpenedKeyBlock {
  const { header, key } = unwrapTr31(kek, block);
  return describeKey(header, key, service);
}

/** Header, attributes and KCV of a clear key; wipes `key`. */
export function describeKey(header: Tr31Header, key: Uint8Array, service?: ServiceKeyCheckValue): OpenedKeyBlock {
  try {
    let keyAttributes: AwsKeyAttributes | undefined;
    try {
      keyAttributes = awsKeyAttributesFromTr31(header, key.length);
    } catch {
      keyAttributes = undefined;
    }
    const keyAlgorithm = keyAttributes?.KeyAlgorithm ?? awsKeyAlgorithmFromTr31(header, key.length);
    const method = (service?.KeyCheckValueAlgorithm as KeyCheckValueAlgorithm | undefined) ?? defaultKcvAlgorithm(header.algorithm);
    if (method !== 'ANSI_X9_24' && method !== 'CMAC' && method !== 'HMAC') throw new RangeError(`"KeyCheckValueAlgorithm" expected ANSI_X9_24, CMAC or HMAC, got ${String(method)}`);
    const computed = keyCheckValue(key, keyAlgorithm, method);
    return {
      header,
      keyLength: key.length,
      keyAttributes,
      keyCheckValueAlgorithm: method,
      keyCheckValue: computed,
      kcvMatches: service === undefined ? undefined : sameHex(computed, service.KeyCheckValue),
    };
  } finally {
    wipe(key);
  }
}
