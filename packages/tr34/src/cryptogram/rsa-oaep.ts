import { cryptoFailed } from '../errors.js';
import { bs, subtle } from '../webcrypto.js';
import type { RsaHash, RsaPrivateKey, RsaPublicKey } from '../pki/rsa-keys.js';

/** Digest lengths of the OAEP hashes (hLen, RFC 8017 §7.1). */
const HASH_LENGTH: Readonly<Record<RsaHash, number>> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };


async function digest(hash: RsaHash, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest(hash, bs(data)));
}

/** MGF1 (RFC 8017 §B.2.1) with `hash`. */
async function mgf1(hash: RsaHash, seed: Uint8Array, length: number): Promise<Uint8Array> {
  const hLen = HASH_LENGTH[hash];
  const out = new Uint8Array(Math.ceil(length / hLen) * hLen);
  const input = new Uint8Array(seed.length + 4);
  input.set(seed);
  for (let counter = 0, o = 0; o < length; counter++, o += hLen) {
    input[seed.length] = counter >>> 24;
    input[seed.length + 1] = (counter >>> 16) & 0xff;
    input[seed.length + 2] = (counter >>> 8) & 0xff;
    input[seed.length + 3] = counter & 0xff;
    out.set(await digest(hash, input), o);
  }
  return out.subarray(0, length);
}

/** The largest message RSAES-OAEP can carry: k − 2·hLen − 2 (RFC 8017 §7.1.1 step 1b). */
export function oaepCapacity(publicKey: RsaPublicKey, hash: RsaHash): number {
  return publicKey.byteLength - 2 * HASH_LENGTH[hash] - 2;
}

/**
 * RSAES-OAEP encryption, hash = MGF1 hash = `hash`, empty label.
 * Without `seed`: WebCrypto (native). With `seed` (hLen bytes): the EME-OAEP encoding is done
 * here (RFC 8017 §7.1.1 step 2) and the public operation with BigInt — for byte-exact
 * reproduction of recorded vectors. Both paths give the same output for the same seed.
 */
export async function rsaOaepEncrypt(publicKey: RsaPublicKey, hash: RsaHash, message: Uint8Array, seed?: Uint8Array): Promise<Uint8Array> {
  const hLen = HASH_LENGTH[hash];
  const k = publicKey.byteLength;
  if (message.length > k - 2 * hLen - 2) {
    throw new RangeError(`"message" of ${message.length} bytes does not fit RSA-${publicKey.bits} OAEP with ${hash}`);
  }
  if (seed === undefined) {
    return new Uint8Array(await subtle().encrypt({ name: 'RSA-OAEP' }, await publicKey.oaepKey(hash), bs(message)));
  }
  if (!(seed instanceof Uint8Array) || seed.length !== hLen) throw new RangeError(`"oaepSeed" expected ${hLen} bytes, got ${seed?.length}`);
  const lHash = await digest(hash, new Uint8Array(0));
  // DB = lHash ‖ PS ‖ 0x01 ‖ M
  const db = new Uint8Array(k - hLen - 1);
  db.set(lHash, 0);
  db[db.length - message.length - 1] = 0x01;
  db.set(message, db.length - message.length);
  const dbMask = await mgf1(hash, seed, db.length);
  for (let i = 0; i < db.length; i++) db[i]! ^= dbMask[i]!;
  const seedMask = await mgf1(hash, db, hLen);
  const em = new Uint8Array(k);
  for (let i = 0; i < hLen; i++) em[1 + i] = seed[i]! ^ seedMask[i]!;
  em.set(db, 1 + hLen);
  return publicKey.rawPublic(em);
}

/** RSAES-OAEP decryption through WebCrypto; every failure is the one opaque error. */
export async function rsaOaepDecrypt(privateKey: RsaPrivateKey, hash: RsaHash, ciphertext: Uint8Array): Promise<Uint8Array> {
  if (ciphertext.length !== privateKey.publicKey.byteLength) throw cryptoFailed();
  try {
    return new Uint8Array(await subtle().decrypt({ name: 'RSA-OAEP' }, await privateKey.oaepKey(hash), bs(ciphertext)));
  } catch {
    throw cryptoFailed();
  }
}
