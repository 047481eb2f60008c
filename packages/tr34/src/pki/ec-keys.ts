import { Tr34Error, malformed } from '../errors.js';
import { expectChildren, expectTag, readSequence, tlvValue } from '../der/der-reader.js';
import { derBitString, derOid, derSequence, derUnsignedInteger, oidToString } from '../der/der-writer.js';
import { OID } from '../der/oids.js';
import { pemToDer } from './pem.js';
import { bs, subtle } from '../webcrypto.js';
import type { RsaHash } from './rsa-keys.js';

/** The NIST curves AWS Payment Cryptography's ECC keys use (WebCrypto names). */
export type EcCurve = 'P-256' | 'P-384' | 'P-521';
/** ECDSA signature hashes (the same three SHA-2 names as RSA's). */
export type EcdsaHash = RsaHash;

/**
 * Facts per curve: the named-curve OID (RFC 5480 §2.1.1.1), the byte length of a coordinate
 * (and of r and s), and the hash a certificate signature with the curve's key uses by default
 * (RFC 5480 §4: P-256 with SHA-256, P-384 with SHA-384, P-521 with SHA-512).
 */
export const EC_CURVES: Readonly<Record<EcCurve, { readonly oid: string; readonly coordinateBytes: number; readonly hash: EcdsaHash }>> = {
  'P-256': { oid: OID.prime256v1, coordinateBytes: 32, hash: 'SHA-256' },
  'P-384': { oid: OID.secp384r1, coordinateBytes: 48, hash: 'SHA-384' },
  'P-521': { oid: OID.secp521r1, coordinateBytes: 66, hash: 'SHA-512' },
};

/** ECDSA AlgorithmIdentifier OIDs by hash (RFC 5758 §3.2; the parameters are absent). */
export const ECDSA_SIGNATURE_OIDS: Readonly<Record<EcdsaHash, string>> = {
  'SHA-256': OID.ecdsaWithSHA256,
  'SHA-384': OID.ecdsaWithSHA384,
  'SHA-512': OID.ecdsaWithSHA512,
};

function curveOfOid(oid: string): EcCurve | undefined {
  return (Object.keys(EC_CURVES) as EcCurve[]).find((c) => EC_CURVES[c].oid === oid);
}

function base64UrlToBytes(s: string | undefined, what: string): Uint8Array {
  if (s === undefined) throw malformed(`EC private key (${what} missing)`);
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

/** SubjectPublicKeyInfo of an EC public point (uncompressed form 04 ‖ x ‖ y, RFC 5480 §2.2). */
function ecSpki(curve: EcCurve, x: Uint8Array, y: Uint8Array): Uint8Array {
  const n = EC_CURVES[curve].coordinateBytes;
  if (x.length !== n || y.length !== n) throw malformed('EC public key (coordinate length)');
  const point = new Uint8Array(1 + 2 * n);
  point[0] = 0x04;
  point.set(x, 1);
  point.set(y, 1 + n);
  return derSequence(derSequence(derOid(OID.ecPublicKey), derOid(EC_CURVES[curve].oid)), derBitString(point));
}

/** WebCrypto's IEEE P1363 signature r ‖ s → DER Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 §2.2.3). */
export function ecdsaRawToDer(raw: Uint8Array, coordinateBytes: number): Uint8Array {
  if (raw.length !== 2 * coordinateBytes) throw new RangeError(`"raw" expected ${2 * coordinateBytes} bytes, got ${raw.length}`);
  return derSequence(derUnsignedInteger(raw.subarray(0, coordinateBytes)), derUnsignedInteger(raw.subarray(coordinateBytes)));
}

/**
 * An EC private key (P-256, P-384, P-521) held as PKCS#8, for ECDSA signatures through WebCrypto.
 * The WebCrypto signing key is imported lazily (non-extractable) once; the PKCS#8 bytes
 * stay private to the instance. Made with `fromPkcs8` (asynchronous: the public point is read
 * through WebCrypto, as PKCS#8 need not carry it).
 */
export class EcPrivateKey {
  readonly #pkcs8: Uint8Array;
  #key: Promise<CryptoKey> | undefined;
  readonly curve: EcCurve;
  /** DER SubjectPublicKeyInfo of the matching public key (id-ecPublicKey, named curve, uncompressed point). */
  readonly publicKeySpki: Uint8Array;

  private constructor(pkcs8: Uint8Array, curve: EcCurve, publicKeySpki: Uint8Array) {
    this.#pkcs8 = pkcs8;
    this.curve = curve;
    this.publicKeySpki = publicKeySpki;
  }

  /** From PKCS#8 PrivateKeyInfo DER (id-ecPublicKey with a named curve) or a PEM "PRIVATE KEY" block. */
  static async fromPkcs8(input: Uint8Array | string): Promise<EcPrivateKey> {
    const der = typeof input === 'string' ? pemToDer(input, 'PRIVATE KEY') : new Uint8Array(input); // a copy (Buffer.slice() is a view)
    const top = readSequence(der, 'PrivateKeyInfo');
    const alg = expectChildren(top[1], 0x30, 'PrivateKeyInfo algorithm');
    const oid = oidToString(tlvValue(expectTag(alg[0], 0x06, 'PrivateKeyInfo algorithm OID')));
    if (oid !== OID.ecPublicKey) throw new Tr34Error('UNSUPPORTED', `unsupported private key algorithm ${oid} (EC only)`);
    const curveOid = oidToString(tlvValue(expectTag(alg[1], 0x06, 'EC named curve')));
    const curve = curveOfOid(curveOid);
    if (curve === undefined) throw new Tr34Error('UNSUPPORTED', `unsupported EC curve ${curveOid} (P-256, P-384, P-521)`);
    let jwk: JsonWebKey;
    try {
      const extractable = await subtle().importKey('pkcs8', bs(der), { name: 'ECDSA', namedCurve: curve }, true, ['sign']);
      jwk = await subtle().exportKey('jwk', extractable);
    } catch {
      throw malformed('EC private key');
    }
    const spki = ecSpki(curve, base64UrlToBytes(jwk.x, 'x'), base64UrlToBytes(jwk.y, 'y'));
    delete jwk.d; // the JWK copy of the private scalar is dropped at once
    return new EcPrivateKey(der, curve, spki);
  }

  /** PKCS#8 DER (a copy): for storing the key (e.g. sealed under a master key). */
  exportPkcs8(): Uint8Array {
    return this.#pkcs8.slice();
  }

  /** ECDSA signature of `data` with `hash`, DER-encoded (Ecdsa-Sig-Value, as X.509 and CMS carry it). */
  async sign(hash: EcdsaHash, data: Uint8Array): Promise<Uint8Array> {
    this.#key ??= subtle().importKey('pkcs8', bs(this.#pkcs8), { name: 'ECDSA', namedCurve: this.curve }, false, ['sign']);
    const raw = new Uint8Array(await subtle().sign({ name: 'ECDSA', hash }, await this.#key, bs(data)));
    return ecdsaRawToDer(raw, EC_CURVES[this.curve].coordinateBytes);
  }
}

/** A fresh EC key pair on `curve` (WebCrypto; key generation cannot be seeded). */
export async function generateEcKeyPair(curve: EcCurve): Promise<EcPrivateKey> {
  if (EC_CURVES[curve] === undefined) throw new RangeError(`"curve" expected P-256, P-384 or P-521, got ${String(curve)}`);
  const pair = (await subtle().generateKey({ name: 'ECDSA', namedCurve: curve }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(await subtle().exportKey('pkcs8', pair.privateKey));
  try {
    return await EcPrivateKey.fromPkcs8(pkcs8);
  } finally {
    pkcs8.fill(0);
  }
}
