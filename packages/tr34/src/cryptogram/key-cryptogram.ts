import { bytesToHex, hexToBytes } from '@paycrypt/primitives';
import { Tr34Error, cryptoFailed } from '../errors.js';
import { Certificate } from '../pki/certificate.js';
import type { RsaHash, RsaPrivateKey, RsaPublicKey } from '../pki/rsa-keys.js';
import { rsaOaepDecrypt, rsaOaepEncrypt } from './rsa-oaep.js';

/**
 * AWS Payment Cryptography `WrappingSpec` values for KeyCryptogram import/export
 * (tr34.md §8): RSAES-OAEP of the raw key bytes, MGF1 with the same hash, empty label.
 * RSA_OAEP_SHA_512's MGF1 hash is inferred (no public AWS code shows it).
 */
export const KEY_CRYPTOGRAM_SPECS = {
  RSA_OAEP_SHA_256: { hash: 'SHA-256' },
  RSA_OAEP_SHA_512: { hash: 'SHA-512' },
} as const satisfies Record<string, { hash: RsaHash }>;
export type KeyCryptogramSpec = keyof typeof KEY_CRYPTOGRAM_SPECS;

/** Raw key lengths a cryptogram may carry: TDES 2-key, AES-128 / TDES 3-key, AES-192, AES-256. */
const KEY_LENGTHS = [16, 24, 32];

function specHash(spec: KeyCryptogramSpec): RsaHash {
  const s = KEY_CRYPTOGRAM_SPECS[spec];
  if (s === undefined) throw new RangeError(`"wrappingSpec" expected RSA_OAEP_SHA_256 or RSA_OAEP_SHA_512, got ${String(spec)}`);
  return s.hash;
}

export interface WrapKeyCryptogramOptions {
  /** Default RSA_OAEP_SHA_256 (the AWS default when WrappingSpec is absent). */
  wrappingSpec?: KeyCryptogramSpec;
  /** Fixed OAEP seed (hLen bytes) for reproducible output; random when omitted. */
  oaepSeed?: Uint8Array;
}

/**
 * Wraps raw key bytes to the wrapping certificate's (or public key's) RSA key; returns the
 * upper-case hex cryptogram AWS takes as `WrappedKeyCryptogram` and returns as `KeyMaterial`.
 */
export async function wrapKeyCryptogram(
  wrappingKey: Certificate | RsaPublicKey,
  key: Uint8Array,
  options: WrapKeyCryptogramOptions = {},
): Promise<string> {
  if (!(key instanceof Uint8Array) || !KEY_LENGTHS.includes(key.length)) {
    throw new RangeError(`"key" expected 16, 24 or 32 bytes, got ${key instanceof Uint8Array ? key.length : typeof key}`);
  }
  const pub = wrappingKey instanceof Certificate ? wrappingKey.publicKey : wrappingKey;
  const hash = specHash(options.wrappingSpec ?? 'RSA_OAEP_SHA_256');
  return bytesToHex(await rsaOaepEncrypt(pub, hash, key, options.oaepSeed));
}

/**
 * Unwraps a key cryptogram (hex, either case, or bytes) with the RSA private key.
 * Every decryption failure, and a result that is not 16/24/32 bytes, is the opaque CRYPTO_FAILED.
 */
export async function unwrapKeyCryptogram(
  privateKey: RsaPrivateKey,
  cryptogram: string | Uint8Array,
  wrappingSpec: KeyCryptogramSpec = 'RSA_OAEP_SHA_256',
): Promise<Uint8Array> {
  const hash = specHash(wrappingSpec);
  let ct: Uint8Array;
  try {
    ct = typeof cryptogram === 'string' ? hexToBytes(cryptogram, { field: 'cryptogram' }) : cryptogram;
  } catch (e) {
    throw new Tr34Error('MALFORMED', 'malformed key cryptogram (not hex)', { cause: e });
  }
  if (ct.length !== privateKey.publicKey.byteLength) {
    throw new Tr34Error('MALFORMED', `malformed key cryptogram (${ct.length} bytes, RSA-${privateKey.bits} needs ${privateKey.publicKey.byteLength})`);
  }
  const key = await rsaOaepDecrypt(privateKey, hash, ct);
  if (!KEY_LENGTHS.includes(key.length)) {
    key.fill(0);
    throw cryptoFailed();
  }
  return key;
}
