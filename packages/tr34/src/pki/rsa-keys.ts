import { Tr34Error, malformed } from '../errors.js';
import { expectChildren, expectTag, tlvValue, type Tlv, readSequence } from '../der/der-reader.js';
import { derBitString, derNull, derOid, derSequence, derUnsignedInteger, oidToString } from '../der/der-writer.js';
import { OID } from '../der/oids.js';
import { pemToDer } from './pem.js';
import { bs, subtle } from '../webcrypto.js';

export type RsaHash = 'SHA-256' | 'SHA-384' | 'SHA-512';
export type RsaModulusBits = 2048 | 3072 | 4096;
export const RSA_MODULUS_SIZES: readonly RsaModulusBits[] = [2048, 3072, 4096];


function stripZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

function unsignedInteger(t: Tlv | undefined, what: string): Uint8Array {
  const v = tlvValue(expectTag(t, 0x02, what));
  if (v.length === 0 || (v[0]! & 0x80) !== 0) throw malformed(`${what} (not a positive INTEGER)`);
  return stripZeros(v);
}

export function bytesToBigInt(b: Uint8Array): bigint {
  let x = 0n;
  for (const v of b) x = (x << 8n) | BigInt(v);
  return x;
}

export function bigIntToBytes(x: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  if (x !== 0n) throw new RangeError('bigIntToBytes: value does not fit');
  return out;
}

function bitLength(magnitude: Uint8Array): number {
  return magnitude.length === 0 ? 0 : (magnitude.length - 1) * 8 + (32 - Math.clz32(magnitude[0]!));
}

/**
 * An RSA public key (rsaEncryption SubjectPublicKeyInfo). WebCrypto keys are imported lazily,
 * once per algorithm and hash, and cached on the instance.
 */
export class RsaPublicKey {
  readonly spki: Uint8Array;
  /** Big-endian modulus without leading zeros. */
  readonly modulus: Uint8Array;
  readonly publicExponent: Uint8Array;
  readonly bits: number;
  readonly #keys = new Map<string, Promise<CryptoKey>>();
  #n: bigint | undefined;
  #e: bigint | undefined;

  private constructor(spki: Uint8Array, modulus: Uint8Array, publicExponent: Uint8Array) {
    this.spki = spki;
    this.modulus = modulus;
    this.publicExponent = publicExponent;
    this.bits = bitLength(modulus);
  }

  /** From SubjectPublicKeyInfo DER (or a PEM "PUBLIC KEY"). */
  static fromSpki(input: Uint8Array | string): RsaPublicKey {
    const spki = typeof input === 'string' ? pemToDer(input, 'PUBLIC KEY') : new Uint8Array(input); // a copy (Buffer.slice() is a view)
    const top = readSequence(spki, 'SubjectPublicKeyInfo');
    const alg = expectChildren(top[0], 0x30, 'SubjectPublicKeyInfo algorithm');
    const oid = oidToString(tlvValue(expectTag(alg[0], 0x06, 'SubjectPublicKeyInfo algorithm OID')));
    if (oid !== OID.rsaEncryption) throw new Tr34Error('UNSUPPORTED', `unsupported public key algorithm ${oid} (RSA only)`);
    const bits = tlvValue(expectTag(top[1], 0x03, 'SubjectPublicKeyInfo subjectPublicKey'));
    if (bits[0] !== 0) throw malformed('SubjectPublicKeyInfo subjectPublicKey (unused bits)');
    const rsa = readSequence(bits.subarray(1), 'RSAPublicKey');
    return new RsaPublicKey(spki, unsignedInteger(rsa[0], 'RSA modulus').slice(), unsignedInteger(rsa[1], 'RSA publicExponent').slice());
  }

  /** From modulus and public exponent (big-endian). */
  static fromComponents(modulus: Uint8Array, publicExponent: Uint8Array): RsaPublicKey {
    const rsaPublicKey = derSequence(derUnsignedInteger(modulus), derUnsignedInteger(publicExponent));
    const spki = derSequence(derSequence(derOid(OID.rsaEncryption), derNull()), derBitString(rsaPublicKey));
    return new RsaPublicKey(spki, stripZeros(modulus).slice(), stripZeros(publicExponent).slice());
  }

  /** Modulus length in bytes (the RSA block size k). */
  get byteLength(): number {
    return Math.ceil(this.bits / 8);
  }

  /** A WebCrypto key for RSASSA-PKCS1-v1_5 verification with `hash`. */
  verifyKey(hash: RsaHash): Promise<CryptoKey> {
    return this.#imported('RSASSA-PKCS1-v1_5', hash, 'verify');
  }

  /** A WebCrypto key for RSA-OAEP encryption with `hash` (also the MGF1 hash, empty label). */
  oaepKey(hash: RsaHash): Promise<CryptoKey> {
    return this.#imported('RSA-OAEP', hash, 'encrypt');
  }

  /** The raw RSA public operation m^e mod n (RFC 8017 §5.1.1 RSAEP), for own OAEP encoding. */
  rawPublic(message: Uint8Array): Uint8Array {
    this.#n ??= bytesToBigInt(this.modulus);
    this.#e ??= bytesToBigInt(this.publicExponent);
    const m = bytesToBigInt(message);
    if (m >= this.#n) throw new RangeError('rawPublic: message representative out of range');
    return bigIntToBytes(modPow(m, this.#e, this.#n), this.byteLength);
  }

  /** True when both keys have the same modulus and exponent. */
  equals(other: RsaPublicKey): boolean {
    return sameBytes(this.modulus, other.modulus) && sameBytes(this.publicExponent, other.publicExponent);
  }

  #imported(name: string, hash: RsaHash, usage: KeyUsage): Promise<CryptoKey> {
    const id = `${name}/${hash}`;
    let p = this.#keys.get(id);
    if (p === undefined) {
      p = subtle().importKey('spki', bs(this.spki), { name, hash }, false, [usage]);
      this.#keys.set(id, p);
    }
    return p;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  for (let e = exp; e > 0n; e >>= 1n) {
    if ((e & 1n) === 1n) result = (result * b) % mod;
    b = (b * b) % mod;
  }
  return result;
}

/**
 * An RSA private key held as PKCS#8. WebCrypto keys are imported lazily (non-extractable),
 * once per algorithm and hash. The PKCS#8 bytes stay private to the instance.
 */
export class RsaPrivateKey {
  readonly #pkcs8: Uint8Array;
  readonly #keys = new Map<string, Promise<CryptoKey>>();
  /** The matching public key. */
  readonly publicKey: RsaPublicKey;

  private constructor(pkcs8: Uint8Array, publicKey: RsaPublicKey) {
    this.#pkcs8 = pkcs8;
    this.publicKey = publicKey;
  }

  /** From PKCS#8 PrivateKeyInfo DER or a PEM "PRIVATE KEY" block. */
  static fromPkcs8(input: Uint8Array | string): RsaPrivateKey {
    const der = typeof input === 'string' ? pemToDer(input, 'PRIVATE KEY') : new Uint8Array(input); // a copy (Buffer.slice() is a view)
    const top = readSequence(der, 'PrivateKeyInfo');
    const alg = expectChildren(top[1], 0x30, 'PrivateKeyInfo algorithm');
    const oid = oidToString(tlvValue(expectTag(alg[0], 0x06, 'PrivateKeyInfo algorithm OID')));
    if (oid !== OID.rsaEncryption) throw new Tr34Error('UNSUPPORTED', `unsupported private key algorithm ${oid} (RSA only)`);
    const inner = tlvValue(expectTag(top[2], 0x04, 'PrivateKeyInfo privateKey'));
    const rsa = readSequence(inner, 'RSAPrivateKey');
    const pub = RsaPublicKey.fromComponents(unsignedInteger(rsa[1], 'RSA modulus'), unsignedInteger(rsa[2], 'RSA publicExponent'));
    return new RsaPrivateKey(der, pub);
  }

  /** From an extractable WebCrypto RSA private key. */
  static async fromCryptoKey(key: CryptoKey): Promise<RsaPrivateKey> {
    if (!key.extractable) throw new TypeError('"key" must be extractable (its PKCS#8 form is needed to use it for several algorithms)');
    return RsaPrivateKey.fromPkcs8(new Uint8Array(await subtle().exportKey('pkcs8', key)));
  }

  get bits(): number {
    return this.publicKey.bits;
  }

  /** PKCS#8 DER (a copy): for storing the key (e.g. wrapped under a master key). */
  exportPkcs8(): Uint8Array {
    return this.#pkcs8.slice();
  }

  /** RSASSA-PKCS1-v1_5 signature with `hash` (deterministic). */
  async sign(hash: RsaHash, data: Uint8Array): Promise<Uint8Array> {
    const k = await this.#imported('RSASSA-PKCS1-v1_5', hash, 'sign');
    return new Uint8Array(await subtle().sign('RSASSA-PKCS1-v1_5', k, bs(data)));
  }

  /** A WebCrypto key for RSA-OAEP decryption with `hash` (also MGF1's hash). */
  oaepKey(hash: RsaHash): Promise<CryptoKey> {
    return this.#imported('RSA-OAEP', hash, 'decrypt');
  }

  /** A WebCrypto key for RSASSA-PKCS1-v1_5 signing with `hash` (WebCrypto). */
  signingKey(hash: RsaHash): Promise<CryptoKey> {
    return this.#imported('RSASSA-PKCS1-v1_5', hash, 'sign');
  }

  #imported(name: string, hash: RsaHash, usage: KeyUsage): Promise<CryptoKey> {
    const id = `${name}/${hash}`;
    let p = this.#keys.get(id);
    if (p === undefined) {
      p = subtle().importKey('pkcs8', bs(this.#pkcs8), { name, hash }, false, [usage]);
      this.#keys.set(id, p);
    }
    return p;
  }
}

export interface RsaKeyPair {
  privateKey: RsaPrivateKey;
  publicKey: RsaPublicKey;
}

/** A fresh RSA key pair (public exponent 65537). WebCrypto key generation cannot be seeded. */
export async function generateRsaKeyPair(bits: RsaModulusBits): Promise<RsaKeyPair> {
  if (!RSA_MODULUS_SIZES.includes(bits)) throw new RangeError(`"bits" expected 2048, 3072 or 4096, got ${String(bits)}`);
  const pair = await subtle().generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: bits, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  );
  const privateKey = await RsaPrivateKey.fromCryptoKey(pair.privateKey);
  return { privateKey, publicKey: privateKey.publicKey };
}
