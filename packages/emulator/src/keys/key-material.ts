import { createHash, createHmac, generateKeyPair, randomBytes as nodeRandomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { bytesToHex, kcv } from '@paycrypt/primitives';
import { algorithmFacts, type AlgorithmFacts } from './key-algorithms.js';

const generateKeyPairAsync = promisify(generateKeyPair);

/** Fresh key material for a key: a symmetric key, or an asymmetric key pair (DER). */
export type GeneratedKey =
  | { kind: 'symmetric'; key: Uint8Array }
  | { kind: 'asymmetric'; privateKeyPkcs8: Uint8Array; publicKeySpki: Uint8Array };

/** Set odd parity on every byte (DES keys: ANSI X3.92 / FIPS 46-3 §3, bit 8 of each byte). */
export function setOddParity(key: Uint8Array): Uint8Array {
  for (let i = 0; i < key.length; i++) {
    let b = key[i]! & 0xfe;
    let ones = 0;
    for (let v = b; v !== 0; v >>= 1) ones += v & 1;
    if (ones % 2 === 0) b |= 1;
    key[i] = b;
  }
  return key;
}

export function generateSymmetricKey(facts: AlgorithmFacts): Uint8Array {
  const key = new Uint8Array(nodeRandomBytes(facts.keyBytes!));
  return facts.family === 'TDES' ? setOddParity(key) : key;
}

export async function generateKey(keyAlgorithm: string): Promise<GeneratedKey> {
  const facts = algorithmFacts(keyAlgorithm);
  if (facts.family === 'RSA') {
    const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
      modulusLength: facts.modulusBits!,
      publicExponent: 0x10001,
      privateKeyEncoding: { type: 'pkcs8', format: 'der' },
      publicKeyEncoding: { type: 'spki', format: 'der' },
    });
    return { kind: 'asymmetric', privateKeyPkcs8: new Uint8Array(privateKey), publicKeySpki: new Uint8Array(publicKey) };
  }
  if (facts.family === 'ECC') {
    const { privateKey, publicKey } = await generateKeyPairAsync('ec', {
      namedCurve: facts.curve!,
      privateKeyEncoding: { type: 'pkcs8', format: 'der' },
      publicKeyEncoding: { type: 'spki', format: 'der' },
    });
    return { kind: 'asymmetric', privateKeyPkcs8: new Uint8Array(privateKey), publicKeySpki: new Uint8Array(publicKey) };
  }
  return { kind: 'symmetric', key: generateSymmetricKey(facts) };
}

/**
 * Key check value of a symmetric key, upper-case hex.
 * TDES/AES via `kcv` of @paycrypt/primitives; HMAC = leftmost 3 bytes of HMAC(key, empty message)
 * with the key's hash (model documentation of KeyCheckValueAlgorithm).
 */
export function symmetricKcv(keyAlgorithm: string, key: Uint8Array, method: string): string {
  const facts = algorithmFacts(keyAlgorithm);
  if (facts.family === 'HMAC') {
    if (method !== 'HMAC') throw new RangeError(`KCV method ${method} not valid for ${keyAlgorithm}`);
    return bytesToHex(new Uint8Array(createHmac(facts.hash!, key).update(new Uint8Array(0)).digest()).subarray(0, 3));
  }
  if (facts.family !== 'TDES' && facts.family !== 'AES') throw new RangeError(`${keyAlgorithm} is not symmetric`);
  if (method !== 'ANSI_X9_24' && method !== 'CMAC') throw new RangeError(`KCV method ${method} not valid for ${keyAlgorithm}`);
  return bytesToHex(kcv(key, facts.family, { method }));
}

/**
 * NOTE: how AWS computes the KCV of an RSA or ECC key is not documented (examples show 8 hex
 * digits, with `SHA_1` for RSA and `CMAC` for ECC). The emulator uses, for both, the leftmost
 * 4 bytes of SHA-1 over the DER SubjectPublicKeyInfo, reported as `SHA_1`.
 */
export function publicKeyKcv(publicKeySpki: Uint8Array): string {
  return bytesToHex(new Uint8Array(createHash('sha1').update(publicKeySpki).digest()).subarray(0, 4));
}
