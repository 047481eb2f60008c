import { ownEntry } from '@paycrypt/primitives';
/**
 * The ONE table of facts about each AWS `KeyAlgorithm`: key length, family, key check value
 * methods, strength. Everything else (generation, KCV, vault binding) reads it.
 *
 * KCV methods (aws-api.md §10.5; model docs of `KeyCheckValueAlgorithm`):
 * - TDES: `ANSI_X9_24` (default: encrypt 8 zero bytes, leftmost 3 bytes); `CMAC` also accepted.
 * - AES: `CMAC` (default: AES-CMAC of 16 zero bytes, leftmost 3 bytes); `ANSI_X9_24` also accepted.
 * - HMAC: `HMAC` (HMAC with the key's hash over the empty message, leftmost 3 bytes).
 * - RSA / ECC: `SHA_1`, see the NOTE in key-material.ts.
 */
export type AlgorithmFamily = 'TDES' | 'AES' | 'HMAC' | 'RSA' | 'ECC';

export interface AlgorithmFacts {
  family: AlgorithmFamily;
  /** symmetric key length in bytes */
  keyBytes?: number;
  /** HMAC hash (node:crypto name) */
  hash?: 'sha224' | 'sha256' | 'sha384' | 'sha512';
  modulusBits?: number;
  /** node:crypto named curve */
  curve?: 'P-256' | 'P-384' | 'P-521';
  /** the OpenSSL name node:crypto reports in `asymmetricKeyDetails.namedCurve` */
  openSslCurve?: 'prime256v1' | 'secp384r1' | 'secp521r1';
  defaultKcv: string;
  kcvAllowed: readonly string[];
  /** security strength in bits (NIST SP 800-57 part 1, table 2), for "wrapping key at least as strong" */
  strength: number;
}

const TDES_KCV = ['ANSI_X9_24', 'CMAC'] as const;
const AES_KCV = ['CMAC', 'ANSI_X9_24'] as const;

export const KEY_ALGORITHMS: Readonly<Record<string, AlgorithmFacts>> = {
  TDES_2KEY: { family: 'TDES', keyBytes: 16, defaultKcv: 'ANSI_X9_24', kcvAllowed: TDES_KCV, strength: 80 },
  TDES_3KEY: { family: 'TDES', keyBytes: 24, defaultKcv: 'ANSI_X9_24', kcvAllowed: TDES_KCV, strength: 112 },
  AES_128: { family: 'AES', keyBytes: 16, defaultKcv: 'CMAC', kcvAllowed: AES_KCV, strength: 128 },
  AES_192: { family: 'AES', keyBytes: 24, defaultKcv: 'CMAC', kcvAllowed: AES_KCV, strength: 192 },
  AES_256: { family: 'AES', keyBytes: 32, defaultKcv: 'CMAC', kcvAllowed: AES_KCV, strength: 256 },
  // HMAC key length = hash output length (RFC 2104 §3 recommends at least L bytes).
  HMAC_SHA224: { family: 'HMAC', keyBytes: 28, hash: 'sha224', defaultKcv: 'HMAC', kcvAllowed: ['HMAC'], strength: 112 },
  HMAC_SHA256: { family: 'HMAC', keyBytes: 32, hash: 'sha256', defaultKcv: 'HMAC', kcvAllowed: ['HMAC'], strength: 128 },
  HMAC_SHA384: { family: 'HMAC', keyBytes: 48, hash: 'sha384', defaultKcv: 'HMAC', kcvAllowed: ['HMAC'], strength: 192 },
  HMAC_SHA512: { family: 'HMAC', keyBytes: 64, hash: 'sha512', defaultKcv: 'HMAC', kcvAllowed: ['HMAC'], strength: 256 },
  RSA_2048: { family: 'RSA', modulusBits: 2048, defaultKcv: 'SHA_1', kcvAllowed: ['SHA_1'], strength: 112 },
  RSA_3072: { family: 'RSA', modulusBits: 3072, defaultKcv: 'SHA_1', kcvAllowed: ['SHA_1'], strength: 128 },
  RSA_4096: { family: 'RSA', modulusBits: 4096, defaultKcv: 'SHA_1', kcvAllowed: ['SHA_1'], strength: 152 },
  ECC_NIST_P256: { family: 'ECC', curve: 'P-256', openSslCurve: 'prime256v1', defaultKcv: 'SHA_1', kcvAllowed: ['SHA_1'], strength: 128 },
  ECC_NIST_P384: { family: 'ECC', curve: 'P-384', openSslCurve: 'secp384r1', defaultKcv: 'SHA_1', kcvAllowed: ['SHA_1'], strength: 192 },
  ECC_NIST_P521: { family: 'ECC', curve: 'P-521', openSslCurve: 'secp521r1', defaultKcv: 'SHA_1', kcvAllowed: ['SHA_1'], strength: 256 },
};

export function algorithmFacts(keyAlgorithm: string): AlgorithmFacts {
  const f = KEY_ALGORITHMS[keyAlgorithm];
  if (f === undefined) throw new RangeError(`"keyAlgorithm" unknown: ${keyAlgorithm}`);
  return f;
}

export function isSymmetricFamily(f: AlgorithmFamily): boolean {
  return f === 'TDES' || f === 'AES' || f === 'HMAC';
}

/**
 * The AWS KeyAlgorithm of an asymmetric node:crypto key (RSA_2048/3072/4096, ECC_NIST_P256/384/521),
 * or undefined for any other type, size or curve.
 */
export function asymmetricKeyAlgorithm(key: { asymmetricKeyType?: string; asymmetricKeyDetails?: { modulusLength?: number; namedCurve?: string } }): string | undefined {
  const d = key.asymmetricKeyDetails;
  const name =
    key.asymmetricKeyType === 'rsa'
      ? `RSA_${d?.modulusLength}`
      : key.asymmetricKeyType === 'ec'
        ? Object.keys(KEY_ALGORITHMS).find((a) => d?.namedCurve !== undefined && KEY_ALGORITHMS[a]!.openSslCurve === d.namedCurve)
        : undefined;
  return ownEntry(KEY_ALGORITHMS, name) !== undefined ? name : undefined;
}
