import { createCipheriv, createDecipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AesCipher,
  ENCRYPTION_MODES,
  PrimitivesError,
  TdesCipher,
  blockCipherFamily,
  bytesToHex,
  cfbDecrypt,
  cfbEncrypt,
  decryptWithMode,
  encryptWithMode,
  encryptionModeUse,
  expandTdesKey,
  hexToBytes,
  ofbCrypt,
  ofbDecrypt,
  ofbEncrypt,
  type AwsEncryptionMode,
  type BlockCipher,
  type CfbSegmentBits,
} from '../src/index.js';
import { loadVectors } from './vectors.js';

interface ModeVector {
  id: string;
  source: string;
  mode: 'CFB1' | 'CFB8' | 'CFB128' | 'OFB';
  segmentBits: CfbSegmentBits | null;
  key: string;
  iv: string;
  plaintext: string;
  ciphertext: string;
}

const h = hexToBytes;
const vectors = loadVectors<ModeVector[]>('cipher-modes.json');

describe('test-vectors/cipher-modes.json (NIST SP 800-38A F.3 CFB, F.4 OFB, AES)', () => {
  it('has the 12 AES CFB1/CFB8/CFB128/OFB entries of F.3 and F.4', () => {
    expect(vectors.length).toBe(12);
  });
  for (const v of vectors) {
    it(`${v.id}: ${v.source}`, () => {
      const c = new AesCipher(h(v.key));
      const iv = h(v.iv);
      const pt = h(v.plaintext);
      const ct = h(v.ciphertext);
      if (v.mode === 'OFB') {
        expect(bytesToHex(ofbEncrypt(c, iv, pt))).toBe(v.ciphertext);
        expect(bytesToHex(ofbDecrypt(c, iv, ct))).toBe(v.plaintext);
      } else {
        expect(bytesToHex(cfbEncrypt(c, iv, pt, v.segmentBits!))).toBe(v.ciphertext);
        expect(bytesToHex(cfbDecrypt(c, iv, ct, v.segmentBits!))).toBe(v.plaintext);
      }
      // the same through the AWS mode name
      expect(bytesToHex(encryptWithMode(c, v.mode, iv, pt))).toBe(v.ciphertext);
      expect(bytesToHex(decryptWithMode(c, v.mode, iv, ct))).toBe(v.plaintext);
      if (v.mode === 'CFB128') expect(bytesToHex(encryptWithMode(c, 'CFB', iv, pt))).toBe(v.ciphertext);
      expect(bytesToHex(iv)).toBe(v.iv); // the caller's IV is not advanced
    });
  }
});

type Alg = 'TDES_2KEY' | 'TDES_3KEY' | 'AES_128' | 'AES_192' | 'AES_256';
const KEY_BYTES: Record<Alg, number> = { TDES_2KEY: 16, TDES_3KEY: 24, AES_128: 16, AES_192: 24, AES_256: 32 };
const ALGS = Object.keys(KEY_BYTES) as Alg[];
const MODES: AwsEncryptionMode[] = ['ECB', 'CBC', 'CFB', 'CFB1', 'CFB8', 'CFB64', 'CFB128', 'OFB'];

function ours(alg: Alg, key: Uint8Array): BlockCipher {
  return alg.startsWith('AES') ? new AesCipher(key) : new TdesCipher(key);
}

function nodeRun(name: string, key: Uint8Array, iv: Uint8Array | null, data: Uint8Array, decrypt: boolean): Uint8Array {
  const c = decrypt ? createDecipheriv(name, key, iv) : createCipheriv(name, key, iv);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

/** AES with a 64-bit CFB segment, which node:crypto lacks: SP 800-38A §6.3 over node's AES-ECB. */
function nodeAesCfb64(key: Uint8Array, iv: Uint8Array, data: Uint8Array, decrypt: boolean): Uint8Array {
  const out = new Uint8Array(data.length);
  let reg = Buffer.from(iv);
  for (let o = 0; o < data.length; o += 8) {
    const ks = nodeRun(`aes-${key.length * 8}-ecb`, key, null, reg, false);
    const m = Math.min(8, data.length - o);
    for (let i = 0; i < m; i++) out[o + i] = data[o + i]! ^ ks[i]!;
    reg = Buffer.concat([reg.subarray(8), Buffer.from((decrypt ? data : out).subarray(o, o + 8))]);
  }
  return out;
}

/** The independent oracle: node:crypto (OpenSSL) for every supported mode × algorithm. */
function oracle(alg: Alg, mode: AwsEncryptionMode, key: Uint8Array, iv: Uint8Array, data: Uint8Array, decrypt: boolean): Uint8Array {
  if (alg.startsWith('AES')) {
    const bits = key.length * 8;
    const suffix = { ECB: 'ecb', CBC: 'cbc', CFB: 'cfb', CFB1: 'cfb1', CFB8: 'cfb8', CFB128: 'cfb', OFB: 'ofb' } as Record<string, string>;
    if (mode === 'CFB64') return nodeAesCfb64(key, iv, data, decrypt);
    return nodeRun(`aes-${bits}-${suffix[mode]}`, key, mode === 'ECB' ? null : iv, data, decrypt);
  }
  // node has des-ede-{ecb,cbc,cfb,ofb} but no des-ede-cfb1/cfb8: 2-key TDES is run as 3-key K1‖K2‖K1.
  const k24 = expandTdesKey(key);
  const name = { ECB: 'des-ede3-ecb', CBC: 'des-ede3-cbc', CFB: 'des-ede3-cfb', CFB64: 'des-ede3-cfb', CFB1: 'des-ede3-cfb1', CFB8: 'des-ede3-cfb8', OFB: 'des-ede3-ofb' } as Record<string, string>;
  if (alg === 'TDES_2KEY' && ['ECB', 'CBC', 'CFB', 'CFB64', 'OFB'].includes(mode)) {
    return nodeRun(name[mode]!.replace('ede3', 'ede'), key, mode === 'ECB' ? null : iv, data, decrypt);
  }
  return nodeRun(name[mode]!, k24, mode === 'ECB' ? null : iv, data, decrypt);
}

describe('ENCRYPTION_MODES (AWS EncryptionMode × TDES/AES)', () => {
  it('has exactly the model enum, each with a TDES and an AES entry', () => {
    expect(Object.keys(ENCRYPTION_MODES).sort()).toEqual([...MODES].sort());
    for (const m of MODES) expect(Object.keys(ENCRYPTION_MODES[m]).sort()).toEqual(['AES', 'TDES']);
  });

  it('refuses CFB128 with TDES and names outside the enum, as UNSUPPORTED', () => {
    const tdes = new TdesCipher(new Uint8Array(16).fill(1));
    for (const [c, mode] of [
      [tdes, 'CFB128'],
      [tdes, 'toString'],
      [new AesCipher(new Uint8Array(16)), '__proto__'],
      [new AesCipher(new Uint8Array(16)), 'CTR'],
    ] as const) {
      let err: unknown;
      try {
        encryptWithMode(c, mode as AwsEncryptionMode, undefined, new Uint8Array(16));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PrimitivesError);
      expect((err as PrimitivesError).code).toBe('UNSUPPORTED');
      expect((err as PrimitivesError).field).toBe('mode');
    }
    expect(encryptionModeUse('CFB64', 'AES')).toMatchObject({ kind: 'CFB', segmentBits: 64, assumption: true });
    expect(encryptionModeUse('CFB', 'TDES')).toMatchObject({ kind: 'CFB', segmentBits: 64 });
    expect(blockCipherFamily(new TdesCipher(new Uint8Array(24)))).toBe('TDES');
  });

  it('programmer errors are labelled RangeErrors', () => {
    const tdes = new TdesCipher(new Uint8Array(16));
    expect(() => cfbEncrypt(tdes, new Uint8Array(8), new Uint8Array(8), 128)).toThrow(RangeError);
    expect(() => cfbEncrypt(tdes, new Uint8Array(8), new Uint8Array(8), 16 as CfbSegmentBits)).toThrow('"segmentBits" expected 1, 8, 64 or 128, got 16');
    expect(() => ofbCrypt(tdes, new Uint8Array(16), new Uint8Array(8))).toThrow('"iv" expected 8 bytes, got 16');
    expect(() => encryptWithMode(new AesCipher(new Uint8Array(16)), 'CFB8', new Uint8Array(8), new Uint8Array(3))).toThrow('"iv" expected 16 bytes, got 8');
    expect(() => encryptWithMode(tdes, 'CBC', undefined, new Uint8Array(7))).toThrow('"data" expected a multiple of 8 bytes, got 7');
  });

  it('an absent IV is all zeros; ECB ignores an IV', () => {
    const c = new AesCipher(h('000102030405060708090A0B0C0D0E0F'));
    const data = h('00112233445566778899AABBCCDDEEFF0011');
    for (const m of ['CFB1', 'CFB8', 'CFB', 'CFB64', 'OFB'] as const) {
      expect(encryptWithMode(c, m, undefined, data)).toEqual(encryptWithMode(c, m, new Uint8Array(16), data));
    }
    expect(encryptWithMode(c, 'ECB', new Uint8Array(16).fill(9), data.subarray(0, 16))).toEqual(encryptWithMode(c, 'ECB', undefined, data.subarray(0, 16)));
  });

  it('empty data gives empty output in the stream modes', () => {
    const c = new TdesCipher(new Uint8Array(16).fill(3));
    for (const m of ['CFB1', 'CFB8', 'CFB', 'CFB64', 'OFB'] as const) expect(encryptWithMode(c, m, undefined, new Uint8Array(0)).length).toBe(0);
  });
});

describe('every supported mode × algorithm agrees with node:crypto', () => {
  for (const alg of ALGS) {
    for (const mode of MODES) {
      const family = alg.startsWith('AES') ? 'AES' : 'TDES';
      const use = ENCRYPTION_MODES[mode][family];
      if (!use.supported) continue;
      it(`${mode} ${alg}: encrypt and decrypt`, () => {
        const bs = family === 'AES' ? 16 : 8;
        const data = use.wholeBlocks
          ? fc.integer({ min: 0, max: 5 }).chain((n) => fc.uint8Array({ minLength: n * bs, maxLength: n * bs }))
          : fc.uint8Array({ minLength: 0, maxLength: mode === 'CFB1' ? 24 : 70 });
        fc.assert(
          fc.property(fc.uint8Array({ minLength: KEY_BYTES[alg], maxLength: KEY_BYTES[alg] }), fc.uint8Array({ minLength: bs, maxLength: bs }), data, (key, iv, pt) => {
            const c = ours(alg, key);
            const ct = encryptWithMode(c, mode, iv, pt);
            expect(bytesToHex(ct)).toBe(bytesToHex(oracle(alg, mode, key, iv, pt, false)));
            expect(bytesToHex(decryptWithMode(c, mode, iv, ct))).toBe(bytesToHex(pt));
            expect(bytesToHex(decryptWithMode(c, mode, iv, pt))).toBe(bytesToHex(oracle(alg, mode, key, iv, pt, true)));
          }),
          { numRuns: mode === 'CFB1' ? 15 : 40 },
        );
      });
    }
  }
});

describe('round trips and tampering (fast-check)', () => {
  it('decrypt(encrypt(x)) = x for every supported mode, key size and length', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALGS), fc.constantFrom(...MODES), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ maxLength: 48 }), (alg, mode, k, ivBytes, raw) => {
        const family = alg.startsWith('AES') ? 'AES' : 'TDES';
        const use = ENCRYPTION_MODES[mode][family];
        fc.pre(use.supported);
        const c = ours(alg, k.subarray(0, KEY_BYTES[alg]));
        const bs = c.blockSize;
        const iv = ivBytes.subarray(0, bs);
        const pt = use.supported && use.wholeBlocks ? raw.subarray(0, raw.length - (raw.length % bs)) : raw;
        expect(decryptWithMode(c, mode, iv, encryptWithMode(c, mode, iv, pt))).toEqual(pt);
      }),
      { numRuns: 300 },
    );
  });

  it('a flipped ciphertext bit flips the same plaintext bit in OFB, and changes the same bit in CFB', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.nat(), fc.constantFrom('OFB', 'CFB8', 'CFB', 'CFB1') as fc.Arbitrary<AwsEncryptionMode>, (key, pt, r, mode) => {
        const c = new AesCipher(key);
        const ct = encryptWithMode(c, mode, undefined, pt);
        const bit = r % (pt.length * 8);
        const bad = new Uint8Array(ct);
        bad[bit >> 3]! ^= 0x80 >> (bit & 7);
        const out = decryptWithMode(c, mode, undefined, bad);
        // the tampered bit's own position is always flipped in the recovered plaintext
        expect((out[bit >> 3]! ^ pt[bit >> 3]!) & (0x80 >> (bit & 7))).not.toBe(0);
        if (mode === 'OFB') for (let i = 0; i < pt.length; i++) expect(out[i]! ^ pt[i]!).toBe(i === bit >> 3 ? 0x80 >> (bit & 7) : 0);
      }),
      { numRuns: 100 },
    );
  });
});
