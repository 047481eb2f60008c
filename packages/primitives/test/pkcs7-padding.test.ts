import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PrimitivesError, createAes, createTdes, cbcEncrypt, cbcDecrypt, pkcs7Pad, pkcs7Unpad } from '../src/index.js';

// Differential against node:crypto (OpenSSL's default block-cipher padding is PKCS#7).
describe('PKCS#7 padding', () => {
  it('matches node:crypto auto padding for AES-CBC and TDES-CBC, lengths 0..40', () => {
    for (const [name, keyLen, bs] of [['aes-128-cbc', 16, 16], ['des-ede3-cbc', 24, 8]] as const) {
      const key = new Uint8Array(randomBytes(keyLen));
      const iv = new Uint8Array(randomBytes(bs));
      const c = bs === 16 ? createAes(key) : createTdes(key);
      for (let len = 0; len <= 40; len++) {
        const data = new Uint8Array(randomBytes(len));
        const e = createCipheriv(name, key, iv);
        const expected = Buffer.concat([e.update(data), e.final()]);
        const ours = cbcEncrypt(c, iv, pkcs7Pad(data, bs));
        expect(Buffer.from(ours).equals(expected)).toBe(true);
        const d = createDecipheriv(name, key, iv);
        d.setAutoPadding(false);
        const raw = new Uint8Array(Buffer.concat([d.update(expected), d.final()]));
        expect(Buffer.from(pkcs7Unpad(raw, bs)).equals(Buffer.from(data))).toBe(true);
        expect(Buffer.from(pkcs7Unpad(cbcDecrypt(c, iv, ours), bs)).equals(Buffer.from(data))).toBe(true);
      }
    }
  });

  it('an aligned input gets a full block', () => {
    expect(Array.from(pkcs7Pad(new Uint8Array(8), 8).subarray(8))).toEqual([8, 8, 8, 8, 8, 8, 8, 8]);
  });

  it('bad padding is one opaque error', () => {
    const bad = [
      new Uint8Array(0),
      new Uint8Array(7),
      Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 0),
      Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 9),
      Uint8Array.of(1, 2, 3, 4, 5, 6, 2, 3),
      Uint8Array.of(8, 8, 8, 8, 8, 8, 7, 8),
    ];
    const messages = new Set<string>();
    for (const b of bad) {
      try {
        pkcs7Unpad(b, 8);
        expect.fail('accepted bad padding');
      } catch (e) {
        expect(e).toBeInstanceOf(PrimitivesError);
        expect((e as PrimitivesError).code).toBe('VERIFICATION_FAILED');
        messages.add((e as Error).message);
      }
    }
    expect(messages.size).toBe(1);
  });
});
