import { createCipheriv, createDecipheriv, randomBytes as nodeRandom } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AS2805_KEK_VALIDATION_VARIANTS,
  AS2805_KEY_VARIANTS,
  PrimitivesError,
  as2805InvertRandomKey,
  as2805KekValidationRequest,
  as2805KekValidationResponse,
  as2805UnwrapKey,
  as2805VariantMask,
  as2805WrapKey,
  bytesToHex,
  hexToBytes,
} from '../src/index.js';
import { loadVectors } from './vectors.js';

interface As2805Vectors {
  keyVariants: { variant: string; mask: string; keyUsage: string; source: string }[];
  kekValidationMasks: { mask: string; send: string; receive: string; source: string }[];
}
const vectors = loadVectors<As2805Vectors>('data-plane-as2805.json');

/** Independent oracle: node:crypto TDES-CBC, zero IV, under kek ⊕ mask (mask given as hex for 16 bytes). */
function xorMask(kek: Buffer, mask16: string): Buffer {
  const m = Buffer.from(mask16, 'hex');
  return Buffer.from(kek.map((b, i) => b ^ m[i % 16]!));
}
function nodeCbc(key: Buffer, data: Buffer, decrypt = false): Buffer {
  const alg = key.length === 16 ? 'des-ede-cbc' : 'des-ede3-cbc';
  const c = decrypt ? createDecipheriv(alg, key, Buffer.alloc(8)) : createCipheriv(alg, key, Buffer.alloc(8));
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}
function notParity(b: Buffer): Buffer {
  return Buffer.from(b.map((x) => {
    let v = ~x & 0xfe;
    let ones = 0;
    for (let t = v; t; t &= t - 1) ones++;
    if (ones % 2 === 0) v |= 1;
    return v;
  }));
}

describe('AS2805 variant masks (test-vectors/data-plane-as2805.json)', () => {
  it('the table covers every As2805KeyVariant and every RandomKeySendVariantMask value', () => {
    expect(Object.keys(AS2805_KEY_VARIANTS).sort()).toEqual(vectors.keyVariants.map((v) => v.variant).sort());
    expect(Object.keys(AS2805_KEK_VALIDATION_VARIANTS).sort()).toEqual(vectors.kekValidationMasks.map((v) => v.mask).sort());
  });
  for (const v of vectors.keyVariants) {
    it(`${v.variant} → ${v.mask} (${v.source})`, () => {
      const facts = AS2805_KEY_VARIANTS[v.variant as keyof typeof AS2805_KEY_VARIANTS];
      expect(bytesToHex(as2805VariantMask(facts.pattern, 16))).toBe(v.mask);
      expect(facts.keyUsage).toBe(v.keyUsage);
      expect(facts.published).toBe(!v.source.includes('NOT published'));
    });
  }
  for (const v of vectors.kekValidationMasks) {
    it(`${v.mask} → send ${v.send}, receive ${v.receive} (${v.source})`, () => {
      const facts = AS2805_KEK_VALIDATION_VARIANTS[v.mask as keyof typeof AS2805_KEK_VALIDATION_VARIANTS];
      expect(bytesToHex(as2805VariantMask(facts.send.pattern, 16))).toBe(v.send);
      expect(bytesToHex(as2805VariantMask(facts.receive.pattern, 16))).toBe(v.receive);
      expect(facts.send.published && facts.receive.published).toBe(!v.source.includes('NOT published'));
    });
  }
  it('a 24-byte KEK repeats the pattern over all 24 bytes (NOTE: emulator choice)', () => {
    expect(bytesToHex(as2805VariantMask([0x28, 0xc0], 24))).toBe('28C0'.repeat(12));
  });
});

describe('AS2805 key cryptograms against node:crypto', () => {
  for (const v of vectors.keyVariants) {
    for (const [kekLen, keyLen] of [[16, 16], [24, 16], [24, 24], [16, 24]] as const) {
      it(`${v.variant}: ${keyLen}-byte key under a ${kekLen}-byte KEK = TDES-CBC(KEK ⊕ mask, IV 0)`, () => {
        const kek = nodeRandom(kekLen);
        const key = nodeRandom(keyLen);
        const wrapped = as2805WrapKey(new Uint8Array(kek), v.variant, new Uint8Array(key));
        expect(bytesToHex(wrapped)).toBe(nodeCbc(xorMask(kek, v.mask), key).toString('hex').toUpperCase());
        expect(bytesToHex(as2805UnwrapKey(new Uint8Array(kek), v.variant, wrapped))).toBe(key.toString('hex').toUpperCase());
      });
    }
  }
  it('CBC, not ECB: the second block depends on the first', () => {
    const kek = nodeRandom(16);
    const key = Buffer.concat([Buffer.alloc(8, 0x11), Buffer.alloc(8, 0x11)]);
    const w = as2805WrapKey(new Uint8Array(kek), 'PIN_ENCRYPTION_KEY_VARIANT_28', new Uint8Array(key));
    expect(bytesToHex(w.subarray(0, 8))).not.toBe(bytesToHex(w.subarray(8, 16)));
  });
  it('refuses an unknown variant and a cryptogram that is not whole blocks', () => {
    const kek = new Uint8Array(16);
    expect(() => as2805UnwrapKey(kek, 'toString', new Uint8Array(16))).toThrow(PrimitivesError);
    expect(() => as2805UnwrapKey(kek, 'PIN_ENCRYPTION_KEY_VARIANT_28', new Uint8Array(12))).toThrow(PrimitivesError);
    expect(() => as2805WrapKey(kek, 'PIN_ENCRYPTION_KEY_VARIANT_28', new Uint8Array(8))).toThrow(RangeError);
  });
});

describe('AS2805 KEK validation against node:crypto (the partner node)', () => {
  it('¬KR with odd parity', () => {
    expect(bytesToHex(as2805InvertRandomKey(hexToBytes('0123456789ABCDEF')))).toBe('FEDCBA9876543210');
    expect(bytesToHex(as2805InvertRandomKey(hexToBytes('0000FFFF')))).toBe('FEFE0101');
  });
  for (const v of vectors.kekValidationMasks) {
    for (const len of [8, 16, 24] as const) {
      it(`${v.mask}, ${len}-byte KRs: the partner decrypts KRs and reproduces RandomKeyReceive`, () => {
        const kek = nodeRandom(16);
        const { randomKeySend, randomKeyReceive } = as2805KekValidationRequest(new Uint8Array(kek), v.mask, len);
        expect(randomKeySend.length).toBe(len);
        const krs = nodeCbc(xorMask(kek, v.send), Buffer.from(randomKeySend), true);
        const krr = nodeCbc(xorMask(kek, v.receive), notParity(krs));
        expect(bytesToHex(randomKeyReceive)).toBe(krr.toString('hex').toUpperCase());
      });
    }
    it(`${v.mask}: the response to a partner's KRs is E(KEK ⊕ receive)[¬KRs]`, () => {
      const kek = nodeRandom(24);
      const krs = nodeRandom(16);
      const send = nodeCbc(xorMask(kek, v.send), krs);
      const got = as2805KekValidationResponse(new Uint8Array(kek), v.mask, new Uint8Array(send));
      expect(bytesToHex(got)).toBe(nodeCbc(xorMask(kek, v.receive), notParity(krs)).toString('hex').toUpperCase());
    });
  }
  it('an injected random source is parity-adjusted into KRs', () => {
    const kek = nodeRandom(16);
    const { randomKeySend } = as2805KekValidationRequest(new Uint8Array(kek), 'VARIANT_MASK_82', 8, (n) => new Uint8Array(n));
    expect(nodeCbc(xorMask(kek, '82'.repeat(16)), Buffer.from(randomKeySend), true).toString('hex')).toBe('0101010101010101');
  });
});
