import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AesCipher,
  TdesCipher,
  cbcDecrypt,
  cbcEncrypt,
  cmac,
  constantTimeEqual,
  ctrCrypt,
  ecbDecrypt,
  ecbEncrypt,
  hexToBytes,
  bytesToHex,
  PrimitivesError,
} from '../src/index.js';

const RUNS = { numRuns: 300 };

function nodeCipher(name: string, key: Uint8Array, iv: Uint8Array | null, data: Uint8Array): Uint8Array {
  const c = createCipheriv(name, key, iv);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

const aesKey = fc.constantFrom(16, 24, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
const blocks = (bs: number) => fc.integer({ min: 0, max: 8 }).chain((n) => fc.uint8Array({ minLength: n * bs, maxLength: n * bs }));

describe('AES against node:crypto', () => {
  it('ECB', () => {
    fc.assert(
      fc.property(aesKey, blocks(16), (key, data) => {
        const c = new AesCipher(key);
        const ct = ecbEncrypt(c, data);
        expect(ct).toEqual(nodeCipher(`aes-${key.length * 8}-ecb`, key, null, data));
        expect(ecbDecrypt(c, ct)).toEqual(data);
      }),
      RUNS,
    );
  });
  it('CBC', () => {
    fc.assert(
      fc.property(aesKey, fc.uint8Array({ minLength: 16, maxLength: 16 }), blocks(16), (key, iv, data) => {
        const c = new AesCipher(key);
        const ct = cbcEncrypt(c, iv, data);
        expect(ct).toEqual(nodeCipher(`aes-${key.length * 8}-cbc`, key, iv, data));
        expect(cbcDecrypt(c, iv, ct)).toEqual(data);
      }),
      RUNS,
    );
  });
  it('CTR (any length, counter wrap included)', () => {
    fc.assert(
      fc.property(aesKey, fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ maxLength: 100 }), fc.boolean(), (key, iv, data, nearWrap) => {
        if (nearWrap) iv.fill(0xff, 8);
        const c = new AesCipher(key);
        expect(ctrCrypt(c, iv, data)).toEqual(nodeCipher(`aes-${key.length * 8}-ctr`, key, iv, data));
      }),
      RUNS,
    );
  });
});

describe('TDES against node:crypto', () => {
  const tdesKey = fc.constantFrom(16, 24).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
  it('ECB', () => {
    fc.assert(
      fc.property(tdesKey, blocks(8), (key, data) => {
        const c = new TdesCipher(key);
        const ct = ecbEncrypt(c, data);
        expect(ct).toEqual(nodeCipher(key.length === 16 ? 'des-ede-ecb' : 'des-ede3-ecb', key, null, data));
        expect(ecbDecrypt(c, ct)).toEqual(data);
      }),
      RUNS,
    );
  });
  it('CBC', () => {
    fc.assert(
      fc.property(tdesKey, fc.uint8Array({ minLength: 8, maxLength: 8 }), blocks(8), (key, iv, data) => {
        const c = new TdesCipher(key);
        const ct = cbcEncrypt(c, iv, data);
        expect(ct).toEqual(nodeCipher(key.length === 16 ? 'des-ede-cbc' : 'des-ede3-cbc', key, iv, data));
        expect(cbcDecrypt(c, iv, ct)).toEqual(data);
      }),
      RUNS,
    );
  });
  it('single DES (8-byte key) equals TDES with K||K||K', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), blocks(8), (k, data) => {
        const kkk = new Uint8Array(24);
        kkk.set(k, 0);
        kkk.set(k, 8);
        kkk.set(k, 16);
        expect(ecbEncrypt(new TdesCipher(k), data)).toEqual(nodeCipher('des-ede3-ecb', kkk, null, data));
      }),
      RUNS,
    );
  });
  it('FIPS 81 single-DES known answer (key 0123456789ABCDEF, "Now is t")', () => {
    // FIPS PUB 81 Appendix B, ECB mode example.
    const c = new TdesCipher(hexToBytes('0123456789ABCDEF'));
    expect(bytesToHex(ecbEncrypt(c, hexToBytes('4E6F772069732074')))).toBe('3FA40E8A984D4815');
  });
});

describe('CMAC', () => {
  it('NIST SP 800-38B AES-128 examples', () => {
    // SP 800-38B Appendix D.1 (also RFC 4493 section 4)
    const c = new AesCipher(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'));
    const m = hexToBytes('6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E5130C81C46A35CE411E5FBC1191A0A52EFF69F2445DF4F9B17AD2B417BE66C3710');
    expect(bytesToHex(cmac(c, new Uint8Array(0)))).toBe('BB1D6929E95937287FA37D129B756746');
    expect(bytesToHex(cmac(c, m.subarray(0, 16)))).toBe('070A16B46B4D4144F79BDD9DD04A287C');
    expect(bytesToHex(cmac(c, m.subarray(0, 40)))).toBe('DFA66747DE9AE63030CA32611497C827');
    expect(bytesToHex(cmac(c, m))).toBe('51F0BEBF7E3B9D92FC49741779363CFE');
  });
  it('NIST SP 800-38B TDES (3-key) examples', () => {
    // SP 800-38B Appendix D.4 (three-key TDEA)
    const c = new TdesCipher(hexToBytes('8AA83BF8CBDA10620BC1BF19FBB6CD58BC313D4A371CA8B5'));
    const m = hexToBytes('6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51');
    expect(bytesToHex(cmac(c, new Uint8Array(0)))).toBe('B7A688E122FFAF95');
    expect(bytesToHex(cmac(c, m.subarray(0, 8)))).toBe('8E8F293136283797');
    expect(bytesToHex(cmac(c, m.subarray(0, 20)))).toBe('743DDBE0CE2DC2ED');
    // last value confirmed with the OpenSSL CLI (openssl mac -cipher DES-EDE3-CBC … CMAC)
    expect(bytesToHex(cmac(c, m))).toBe('33E6B1092400EAE5');
  });
});

describe('bytes', () => {
  it('hexToBytes is strict', () => {
    expect(() => hexToBytes('ABC')).toThrow(PrimitivesError);
    expect(() => hexToBytes('ZZ')).toThrow(/position 0/);
    expect(() => hexToBytes('0 ')).toThrow(/position 1/);
    expect(() => hexToBytes('ab', { upperCaseOnly: true })).toThrow(PrimitivesError);
    expect(hexToBytes('aB01')).toEqual(new Uint8Array([0xab, 0x01]));
  });
  it('hex round trip', () => {
    fc.assert(fc.property(fc.uint8Array(), (b) => {
      expect(hexToBytes(bytesToHex(b))).toEqual(b);
    }), RUNS);
  });
  it('bytesToHex agrees with node Buffer hex (upper case), across the 8192-byte chunk boundary', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      expect(bytesToHex(b)).toBe(Buffer.from(b).toString('hex').toUpperCase());
    }), RUNS);
    for (const n of [0, 1, 8191, 8192, 8193, 20000]) {
      const b = new Uint8Array(n).map((_, i) => (i * 7 + 3) & 0xff);
      expect(bytesToHex(b)).toBe(Buffer.from(b).toString('hex').toUpperCase());
    }
  });
  it('constantTimeEqual agrees with element-wise equality', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 16 }), fc.uint8Array({ maxLength: 16 }), (a, b) => {
        const same = a.length === b.length && a.every((x, i) => x === b[i]);
        expect(constantTimeEqual(a, b)).toBe(same);
        expect(constantTimeEqual(a, a.slice())).toBe(true);
      }),
      RUNS,
    );
  });
});
