import { constants, createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt, type KeyObject } from 'node:crypto';
import { decodeRsaesPkcs1v15 } from '@paycrypt/tr34';
import type { RequestContext } from '../core/context.js';
import { validationError } from '../core/errors.js';
import type { KeyRecord } from '../state/records.js';
import { prepared, type OperationKey } from './operation-key.js';

/**
 * `Asymmetric{PaddingType}` with a D1 RSA key (data-plane.md §6): EncryptData uses the public key
 * (a key pair's, or an imported public key), DecryptData the private key (the record's sealed
 * PKCS#8). node:crypto (OpenSSL) runs RSA; the PKCS#1 v1.5 decoding is @paycrypt/tr34's
 * `decodeRsaesPkcs1v15` over the raw RSA operation, because Node 20 refuses PKCS#1 v1.5
 * decryption (Marvin-attack mitigation).
 *
 * | PaddingType | scheme                          | largest PlainText      |
 * |-------------|---------------------------------|------------------------|
 * | PKCS1       | RSAES-PKCS1-v1_5 (RFC 8017 7.2) | k − 11                 |
 * | OAEP_SHA1/256/512 | RSAES-OAEP, MGF1 with the same hash, empty label | k − 2·hLen − 2 |
 * | (none)      | raw RSA (RSAEP/RSADP)           | exactly k, value < n   |
 *
 * NOTE: with no PaddingType the emulator does raw RSA, from AWS's "For RSA, it should be equal to
 * the key size unless padding is enabled" (model doc). NOTE: every decryption failure (padding,
 * OAEP check, a ciphertext ≥ n) is one ValidationException with a fixed message.
 */
type Padding = 'PKCS1' | 'OAEP_SHA1' | 'OAEP_SHA256' | 'OAEP_SHA512' | undefined;

const OAEP: Readonly<Record<string, { hash: string; hLen: number }>> = {
  OAEP_SHA1: { hash: 'sha1', hLen: 20 },
  OAEP_SHA256: { hash: 'sha256', hLen: 32 },
  OAEP_SHA512: { hash: 'sha512', hLen: 64 },
};

export const RSA_DECRYPTION_FAILED = 'CipherText could not be decrypted with the given key and padding.';

const PUBLIC = new WeakMap<KeyRecord, { spki: string; key: KeyObject }>();

function publicKeyOf(key: OperationKey): KeyObject {
  const rec = key.record;
  if (rec?.publicKey === undefined) throw validationError(`Key ${key.arn} has no public key`);
  let entry = PUBLIC.get(rec);
  if (entry === undefined || entry.spki !== rec.publicKey) {
    entry = { spki: rec.publicKey, key: createPublicKey({ key: Buffer.from(rec.publicKey, 'base64'), format: 'der', type: 'spki' }) };
    PUBLIC.set(rec, entry);
  }
  return entry.key;
}

function modulusBytes(k: KeyObject): number {
  return Math.ceil((k.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
}

function paddingName(p: Padding): string {
  return p ?? 'no padding';
}

export function rsaEncrypt(key: OperationKey, padding: Padding, plaintext: Uint8Array): Uint8Array {
  const pub = publicKeyOf(key);
  const k = modulusBytes(pub);
  const oaep = padding === undefined ? undefined : OAEP[padding];
  const max = padding === undefined ? k : padding === 'PKCS1' ? k - 11 : k - 2 * oaep!.hLen - 2;
  if (padding === undefined ? plaintext.length !== k : plaintext.length > max) {
    const rule = padding === undefined ? `exactly ${k}` : `at most ${max}`;
    throw validationError(`PlainText of ${plaintext.length} bytes does not fit ${key.keyAlgorithm} with ${paddingName(padding)}: it must be ${rule} bytes`);
  }
  try {
    if (oaep !== undefined) return new Uint8Array(publicEncrypt({ key: pub, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: oaep.hash }, plaintext));
    const p = padding === 'PKCS1' ? constants.RSA_PKCS1_PADDING : constants.RSA_NO_PADDING;
    return new Uint8Array(publicEncrypt({ key: pub, padding: p }, plaintext));
  } catch {
    // only raw RSA can get here (a value ≥ n); the plaintext is the caller's own
    throw validationError(`PlainText is out of range for the ${key.keyAlgorithm} modulus`);
  }
}

export function rsaDecrypt(ctx: RequestContext, key: OperationKey, padding: Padding, ciphertext: Uint8Array): Uint8Array {
  const rec = key.record;
  if (rec === undefined || rec.keyClass !== 'ASYMMETRIC_KEY_PAIR' || rec.sealed === undefined) {
    throw validationError(`Key ${key.arn} has no private key: Asymmetric decryption needs an ASYMMETRIC_KEY_PAIR key`);
  }
  const priv = prepared(ctx, key, 'encryption:rsa-private', (clear) => createPrivateKey({ key: Buffer.from(clear), format: 'der', type: 'pkcs8' }));
  const k = modulusBytes(priv);
  if (ciphertext.length !== k) throw validationError(`CipherText must be ${k} bytes for ${key.keyAlgorithm}, got ${ciphertext.length}`);
  const oaep = padding === undefined ? undefined : OAEP[padding];
  let raw: Uint8Array | undefined;
  try {
    if (oaep !== undefined) return new Uint8Array(privateDecrypt({ key: priv, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: oaep.hash }, ciphertext));
    const b = privateDecrypt({ key: priv, padding: constants.RSA_NO_PADDING }, ciphertext);
    raw = new Uint8Array(b.buffer, b.byteOffset, b.length); // a view: wiped below
    return padding === 'PKCS1' ? decodeRsaesPkcs1v15(raw, k) : raw.slice();
  } catch {
    throw validationError(RSA_DECRYPTION_FAILED);
  } finally {
    raw?.fill(0);
  }
}
