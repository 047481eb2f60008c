import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AesCipher,
  TdesCipher,
  bytesToHex,
  cmac,
  generateMac,
  hexToBytes,
  hmacSha,
  iso9797Mac1,
  iso9797Mac3,
  iso9797Pad,
  verifyMac,
  type Iso9797Padding,
  type MacAlgorithm,
} from '../src/index.js';

interface Vector {
  source: string;
  description: string;
  inputs: { algorithm: MacAlgorithm; key: string; data: string; padding?: Iso9797Padding; mac_length?: number };
  expected: { mac: string };
}

// RFC 4231 and psec vectors, kept in this package's test folder with their sources
const vectors = JSON.parse(readFileSync(fileURLToPath(new URL('./vectors/mac.json', import.meta.url)), 'utf8')) as Vector[];
const h = hexToBytes;
const hex = bytesToHex;

describe('test/vectors/mac.json (RFC 4231, psec)', () => {
  it('has 28 RFC 4231 and 6 psec entries', () => {
    expect(vectors.filter((v) => v.source.startsWith('RFC 4231'))).toHaveLength(28);
    expect(vectors.filter((v) => v.source.includes('psec'))).toHaveLength(6);
  });
  for (const v of vectors) {
    it(v.description, () => {
      const { algorithm, key, data, padding, mac_length } = v.inputs;
      const opts = { padding, cipher: 'TDES' as const, length: mac_length ?? v.expected.mac.length / 2 };
      const mac = generateMac(algorithm, h(key), h(data), opts);
      expect(hex(mac)).toBe(v.expected.mac);
      expect(verifyMac(algorithm, h(key), h(data), h(v.expected.mac), opts)).toBe(true);
      const tampered = h(v.expected.mac);
      tampered[0] = tampered[0]! ^ 1;
      expect(verifyMac(algorithm, h(key), h(data), tampered, opts)).toBe(false);
    });
  }
});

function nodeCbcLast(name: string, key: Uint8Array, data: Uint8Array, bs: number): string {
  const c = createCipheriv(name, key, Buffer.alloc(bs));
  c.setAutoPadding(false);
  const ct = Buffer.concat([c.update(data), c.final()]);
  return hex(new Uint8Array(ct.subarray(ct.length - bs)));
}

describe('MACs against node:crypto', () => {
  const data = fc.uint8Array({ minLength: 0, maxLength: 100 });
  it('HMAC-SHA-224/256/384/512', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 200 }), data, fc.constantFrom('SHA224', 'SHA256', 'SHA384', 'SHA512' as const), (key, msg, hash) => {
        const want = createHmac(hash.toLowerCase(), key).update(msg).digest('hex').toUpperCase();
        expect(hex(hmacSha(hash as 'SHA256', key, msg))).toBe(want);
      }),
      { numRuns: 200 },
    );
  });

  it('ISO 9797-1 algorithm 1 = last block of TDES-CBC (2- and 3-key), and of AES-CBC', () => {
    fc.assert(
      fc.property(fc.constantFrom(16, 24).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })), data, fc.constantFrom(1, 2, 3) as fc.Arbitrary<Iso9797Padding>, (key, msg, pad) => {
        const padded = iso9797Pad(msg, 8, pad);
        expect(hex(iso9797Mac1(new TdesCipher(key), msg, pad))).toBe(nodeCbcLast(key.length === 16 ? 'des-ede-cbc' : 'des-ede3-cbc', key, padded, 8));
        const aesKey = key.subarray(0, 16);
        expect(hex(iso9797Mac1(new AesCipher(aesKey), msg, pad))).toBe(nodeCbcLast('aes-128-cbc', aesKey, iso9797Pad(msg, 16, pad), 16));
      }),
      { numRuns: 100 },
    );
  });

  it('ISO 9797-1 algorithm 3 = single-DES CBC under K1, then TDES of the last block', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), data, fc.constantFrom(1, 2, 3) as fc.Arbitrary<Iso9797Padding>, (key, msg, pad) => {
        const padded = iso9797Pad(msg, 8, pad);
        const k1 = key.subarray(0, 8);
        // single DES CBC over all blocks (des-ede with K1‖K1), then D_K2 and E_K1 on the last block
        const chained = h(nodeCbcLast('des-ede-cbc', Buffer.concat([k1, k1]), padded, 8));
        const d = createDecipheriv('des-ede-ecb', Buffer.concat([key.subarray(8), key.subarray(8)]), null).setAutoPadding(false);
        const mid = Buffer.concat([d.update(chained), d.final()]);
        const e = createCipheriv('des-ede-ecb', Buffer.concat([k1, k1]), null).setAutoPadding(false);
        const want = hex(new Uint8Array(Buffer.concat([e.update(mid), e.final()])));
        expect(hex(iso9797Mac3(key, msg, pad))).toBe(want);
      }),
      { numRuns: 100 },
    );
  });

  it('CMAC through generateMac is the core cmac (TDES and AES)', () => {
    const tdes = h('0123456789ABCDEFFEDCBA9876543210');
    const aes = h('2B7E151628AED2A6ABF7158809CF4F3C');
    const msg = h('6BC1BEE22E409F96E93D7E117393172A');
    expect(hex(generateMac('CMAC', aes, msg, { cipher: 'AES' }))).toBe('070A16B46B4D4144F79BDD9DD04A287C'); // RFC 4493 example 2
    expect(hex(generateMac('CMAC', new TdesCipher(tdes), msg))).toBe(hex(cmac(new TdesCipher(tdes), msg)));
    expect(() => generateMac('CMAC', tdes, msg)).toThrow(/"cipher"/);
  });
});

describe('MAC verification', () => {
  it('accepts the MAC and every truncation of it, rejects any single flipped bit', () => {
    const key = h('0123456789ABCDEFFEDCBA9876543210');
    const msg = h('4E6F77206973207468652074696D6520666F7220616C6C20');
    for (const algorithm of ['ISO9797_ALGORITHM1', 'ISO9797_ALGORITHM3', 'CMAC', 'HMAC_SHA224', 'HMAC_SHA256', 'HMAC_SHA384', 'HMAC_SHA512'] as const) {
      const opts = { cipher: 'TDES' as const };
      const mac = generateMac(algorithm, key, msg, opts);
      for (let len = 4; len <= mac.length; len++) expect(verifyMac(algorithm, key, msg, mac.slice(0, len), opts)).toBe(true);
      for (let bit = 0; bit < mac.length * 8; bit++) {
        const bad = mac.slice();
        bad[bit >> 3] = bad[bit >> 3]! ^ (0x80 >> (bit & 7));
        expect(verifyMac(algorithm, key, msg, bad, opts)).toBe(false);
      }
      expect(verifyMac(algorithm, key, msg, new Uint8Array(0), opts)).toBe(false);
      expect(verifyMac(algorithm, key, msg, new Uint8Array(mac.length + 1), opts)).toBe(false);
    }
  });

  it('bad lengths are RangeErrors', () => {
    expect(() => generateMac('HMAC_SHA256', new Uint8Array(16), new Uint8Array(1), { length: 33 })).toThrow('"length" expected 1 to 32 bytes, got 33');
    expect(() => iso9797Mac3(new Uint8Array(8), new Uint8Array(1))).toThrow('"key" expected 16 or 24 bytes, got 8');
  });
});
