import { constants, generateKeyPairSync, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CRYPTO_FAILED_MESSAGE, Tr34Error, decodeRsaesPkcs1v15 } from '../src/index.js';

// Oracle: node:crypto (OpenSSL) encodes EME-PKCS1-v1_5 in publicEncrypt; RSADP is privateDecrypt
// with RSA_NO_PADDING (Node refuses PKCS#1 v1.5 decryption itself).
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const K = 256;
const rsadp = (c: Buffer): Uint8Array => new Uint8Array(privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, c));

function expectOpaque(f: () => unknown): void {
  try {
    f();
    expect.fail('accepted');
  } catch (e) {
    expect(e).toBeInstanceOf(Tr34Error);
    expect((e as Tr34Error).code).toBe('CRYPTO_FAILED');
    expect((e as Error).message).toBe(CRYPTO_FAILED_MESSAGE);
  }
}

describe('EME-PKCS1-v1_5 decoding (RFC 8017 §7.2.2)', () => {
  it('recovers what node:crypto encrypted, message lengths 0, 1, 16, 100, k − 11', () => {
    for (const len of [0, 1, 16, 100, K - 11]) {
      const m = randomBytes(len);
      const c = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, m);
      expect(Buffer.from(decodeRsaesPkcs1v15(rsadp(c), K)).equals(m)).toBe(true);
    }
  });

  it('refuses malformed encodings with one opaque error', () => {
    const good = new Uint8Array(K).fill(0x11);
    good[0] = 0;
    good[1] = 2;
    good[20] = 0;
    expect(decodeRsaesPkcs1v15(good, K).length).toBe(K - 21);
    const variants: Uint8Array[] = [];
    const withByte = (i: number, v: number): Uint8Array => {
      const b = good.slice();
      b[i] = v;
      return b;
    };
    variants.push(withByte(0, 1)); // first byte not 0
    variants.push(withByte(1, 1)); // block type 1 (signature), not 2
    variants.push(withByte(20, 0x11)); // no separator
    variants.push(withByte(5, 0)); // PS of 3 bytes
    variants.push(withByte(9, 0)); // PS of 7 bytes
    variants.push(good.subarray(1)); // wrong length
    for (const v of variants) expectOpaque(() => decodeRsaesPkcs1v15(v, K));
    expect(decodeRsaesPkcs1v15(withByte(10, 0), K).length).toBe(K - 11); // PS of exactly 8 bytes
  });

  it('a ciphertext made with OAEP does not decode as PKCS#1 v1.5', () => {
    const c = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING }, Buffer.from('0123456789ABCDEF'));
    expectOpaque(() => decodeRsaesPkcs1v15(rsadp(c), K));
  });
});
