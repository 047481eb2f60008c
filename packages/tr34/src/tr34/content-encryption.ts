import { AesCipher, TdesCipher, cbcDecrypt, cbcEncrypt, type BlockCipher } from '@paycrypt/primitives';
import { OID } from '../der/oids.js';
import { Tr34Error, cryptoFailed } from '../errors.js';

/**
 * The content-encryption algorithms of a TR-34 EnvelopedData (tr34.md §1.3, §4.1 step 3):
 * the ephemeral key encrypts the inner key block with CBC and PKCS#7 padding.
 * One table: name, OID, ephemeral key length, IV length, block size, cipher.
 */
export const CONTENT_ENCRYPTION = {
  'des-ede3-cbc': { oid: OID.desEde3Cbc, keyLength: 24, ivLength: 8, blockSize: 8, cipher: (k: Uint8Array): BlockCipher => new TdesCipher(k) },
  'aes128-cbc': { oid: OID.aes128Cbc, keyLength: 16, ivLength: 16, blockSize: 16, cipher: (k: Uint8Array): BlockCipher => new AesCipher(k) },
} as const;
export type ContentEncryption = keyof typeof CONTENT_ENCRYPTION;

export function contentEncryptionByOid(oid: string): ContentEncryption {
  for (const [name, alg] of Object.entries(CONTENT_ENCRYPTION)) if (alg.oid === oid) return name as ContentEncryption;
  throw new Tr34Error('UNSUPPORTED', `unsupported content-encryption algorithm ${oid} (des-ede3-cbc or aes128-CBC)`);
}

/** CBC-encrypt `plaintext` with PKCS#7 padding (always adds 1..blockSize bytes). */
export function encryptContent(alg: ContentEncryption, key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const a = CONTENT_ENCRYPTION[alg];
  if (key.length !== a.keyLength) throw new RangeError(`"ephemeralKey" expected ${a.keyLength} bytes for ${alg}, got ${key.length}`);
  if (iv.length !== a.ivLength) throw new RangeError(`"iv" expected ${a.ivLength} bytes for ${alg}, got ${iv.length}`);
  const cipher = a.cipher(key);
  const bs = cipher.blockSize;
  const pad = bs - (plaintext.length % bs);
  const padded = new Uint8Array(plaintext.length + pad);
  padded.set(plaintext);
  padded.fill(pad, plaintext.length);
  return cbcEncrypt(cipher, iv, padded);
}

/**
 * CBC-decrypts without interpreting the padding: the caller takes the key block by its own
 * DER length (tr34.md §3.2: PKCS#7 in every sample, but the AWS Go importer omits it when aligned).
 * A wrong-size key is the opaque error (the key came out of RSA-OAEP); a bad IV or ciphertext
 * length is a format error (both are public).
 */
export function decryptContent(alg: ContentEncryption, key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const a = CONTENT_ENCRYPTION[alg];
  if (key.length !== a.keyLength) throw cryptoFailed();
  if (iv.length !== a.ivLength) throw new Tr34Error('MALFORMED', `malformed ${alg} IV (${iv.length} bytes, expected ${a.ivLength})`);
  const cipher = a.cipher(key);
  if (ciphertext.length === 0 || ciphertext.length % cipher.blockSize !== 0) {
    throw new Tr34Error('MALFORMED', `malformed encryptedContent (${ciphertext.length} bytes is not a positive multiple of ${cipher.blockSize})`);
  }
  return cbcDecrypt(cipher, iv, ciphertext);
}
