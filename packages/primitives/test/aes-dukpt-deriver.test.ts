import { createCipheriv, randomBytes } from 'node:crypto';
import { unsafe } from '@noble/ciphers/aes.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AES_DUKPT_KEY_TYPES,
  AES_DUKPT_KEY_USAGES,
  AesDukptBdk,
  AesDukptBdkDeriver,
  AesDukptDeriver,
  aesDukptInitialKey,
  aesDukptTransactionKey,
  aesDukptWorkingKey,
  bytesToHex,
  hexToBytes,
  popcount32,
  type AesDukptKeyType,
  type AesDukptKeyUsage,
} from '../src/index.js';
import { aesSboxForTest, encryptWords, expandKeyWords, scheduleWords } from '../src/dukpt/aes-words.js';
import { scratchWalkersWipedForTest } from '../src/dukpt/aes-dukpt-walk.js';
import { loadVectors } from './vectors.js';

const h = hexToBytes;
const hex = bytesToHex;

/**
 * Reference AES DUKPT written separately from src/: node:crypto AES-ECB, derivation data built
 * byte by byte from X9.24-3:2017 6.3.2, the bit walk of 6.4 on plain numbers.
 */
function refDerive(key: Uint8Array, usage: number, type: AesDukptKeyType, tail8: Uint8Array): Buffer {
  const { algorithm, bits } = AES_DUKPT_KEY_TYPES[type];
  const blocks: Buffer[] = [];
  for (let b = 1; b <= Math.ceil(bits / 128); b++) {
    const dd = Buffer.from([1, b, usage >> 8, usage & 255, algorithm >> 8, algorithm & 255, bits >> 8, bits & 255, ...tail8]);
    const c = createCipheriv(`aes-${key.length * 8}-ecb`, key, null).setAutoPadding(false);
    blocks.push(c.update(dd));
  }
  return Buffer.concat(blocks).subarray(0, bits / 8);
}

function refTail(ksn: Uint8Array, counter: number): Uint8Array {
  return Uint8Array.from([...ksn.subarray(4, 8), counter >>> 24, (counter >>> 16) & 255, (counter >>> 8) & 255, counter & 255]);
}

function refWorkingKey(ik: Uint8Array, ksn: Uint8Array, usage: AesDukptKeyUsage, type: AesDukptKeyType): string {
  const ikType = ({ 16: 'AES128', 24: 'AES192', 32: 'AES256' } as const)[ik.length as 16 | 24 | 32];
  const counter = Buffer.from(ksn).readUInt32BE(8);
  let key: Uint8Array = ik;
  let working = 0;
  for (let bit = 31; bit >= 0; bit--) {
    if (counter & (2 ** bit)) {
      working += 2 ** bit;
      key = refDerive(key, 0x8000, ikType, refTail(ksn, working));
    }
  }
  return hex(refDerive(key, AES_DUKPT_KEY_USAGES[usage], type, refTail(ksn, counter)));
}

describe('allocation-free AES (aes-words.ts)', () => {
  it('S-box matches FIPS 197 figure 7 entries and is a permutation', () => {
    const s = aesSboxForTest();
    expect([s[0x00], s[0x01], s[0x53], s[0x7f], s[0xc9], s[0xff]]).toEqual([0x63, 0x7c, 0xed, 0xd2, 0xdd, 0x16]);
    expect(new Set(s).size).toBe(256);
  });

  it('FIPS 197 appendix A.1: last schedule word of 2B7E1516… is B6630CA6', () => {
    const key = h('2B7E151628AED2A6ABF7158809CF4F3C');
    const xk = new Uint32Array(44);
    const words = new Uint32Array(4);
    for (let i = 0; i < 4; i++) words[i] = key[4 * i]! | (key[4 * i + 1]! << 8) | (key[4 * i + 2]! << 16) | (key[4 * i + 3]! << 24);
    expandKeyWords(words, 0, 4, xk);
    const w43 = xk[43]!; // little-endian word: byte 0 in the low bits
    expect([w43 & 255, (w43 >>> 8) & 255, (w43 >>> 16) & 255, w43 >>> 24]).toEqual([0xb6, 0x63, 0x0c, 0xa6]);
  });

  it('schedules equal @noble/ciphers expandKeyLE and blocks equal node:crypto, every key length', () => {
    for (const len of [16, 24, 32]) {
      for (let n = 0; n < 30; n++) {
        const key = randomBytes(len);
        const nk = len / 4;
        const words = new Uint32Array(8);
        for (let i = 0; i < nk; i++) words[i] = key.readUInt32LE(4 * i);
        const xk = new Uint32Array(scheduleWords(nk));
        expandKeyWords(words, 0, nk, xk);
        expect(Array.from(xk)).toEqual(Array.from(unsafe.expandKeyLE(Uint8Array.from(key))));
        const block = randomBytes(16);
        const src = new Uint32Array(4);
        for (let i = 0; i < 4; i++) src[i] = block.readUInt32LE(4 * i);
        const out = new Uint32Array(4);
        encryptWords(xk, src, 0, out, 0);
        const want = createCipheriv(`aes-${len * 8}-ecb`, key, null).setAutoPadding(false).update(block);
        expect(Array.from(out)).toEqual([0, 1, 2, 3].map((i) => want.readUInt32LE(4 * i)));
      }
    }
  });
});

interface Vector {
  description: string;
  inputs: Record<string, string | number>;
  expected: Record<string, string>;
  published?: boolean;
}

describe('AesDukptDeriver against dukpt.json (published AES entries, in file order, one deriver per IK)', () => {
  const aes = loadVectors<Vector[]>('dukpt.json').filter(
    (v) => v.published !== false && typeof v.inputs.ksn === 'string' && v.inputs.ksn.length === 24 && typeof v.inputs.bdk === 'string',
  );
  it('covers the supplement entries (transaction keys and PIN keys, counters up to FFFF0000)', () => {
    expect(aes.filter((v) => v.expected.transaction_key !== undefined).length).toBeGreaterThanOrEqual(10);
  });
  it('gives every published transaction key and PIN key', () => {
    const derivers = new Map<string, AesDukptDeriver>();
    let checked = 0;
    for (const v of aes) {
      const ksn = v.inputs.ksn as string;
      if (v.description.includes('invalid counter')) continue; // 17 one-bits: refused by the validated API
      const id = `${v.inputs.bdk}/${ksn.slice(0, 16)}`;
      let d = derivers.get(id);
      if (d === undefined) {
        d = AesDukptDeriver.fromBdk(h(v.inputs.bdk as string), ksn.slice(0, 16));
        derivers.set(id, d);
      }
      if (v.expected.transaction_key !== undefined) {
        expect(hex(d.transactionKey(ksn)), v.description).toBe(v.expected.transaction_key);
        checked++;
      }
      const pin = v.expected.pin_key ?? v.expected.pin_key_aes128;
      if (pin !== undefined && v.inputs.algorithm_indicator === undefined) {
        expect(hex(d.workingKey(ksn, { usage: 'PIN_ENCRYPTION', keyType: 'AES128' })), v.description).toBe(pin);
        checked++;
      }
    }
    for (const d of derivers.values()) d.dispose();
    expect(checked).toBeGreaterThanOrEqual(20);
  });
});

const validCounter = fc.integer({ min: 1, max: 0xffff0000 }).filter((c) => popcount32(c) <= 16);
const usages: AesDukptKeyUsage[] = ['PIN_ENCRYPTION', 'MAC_GENERATION', 'MAC_VERIFICATION', 'DATA_ENCRYPT', 'DATA_DECRYPT', 'KEY_ENCRYPTION_KEY'];
const ksnOf = (id: string, c: number) => `${id}${c.toString(16).toUpperCase().padStart(8, '0')}`;

describe('AesDukptDeriver and aesDukptWorkingKey against a node:crypto reference', () => {
  for (const bdkLen of [16, 24, 32]) {
    it(`AES-${bdkLen * 8} BDK: random counters in any order, every usage, weaker key types`, () => {
      const bdk = randomBytes(bdkLen);
      const ikId = randomBytes(8).toString('hex').toUpperCase();
      const ik = aesDukptInitialKey(bdk, ikId);
      const d = AesDukptDeriver.fromBdk(new AesDukptBdk(bdk), ikId);
      const types = (Object.keys(AES_DUKPT_KEY_TYPES) as AesDukptKeyType[]).filter((t) => AES_DUKPT_KEY_TYPES[t].strength <= bdkLen * 8);
      fc.assert(
        fc.property(fc.array(validCounter, { minLength: 1, maxLength: 6 }), fc.constantFrom(...usages), fc.constantFrom(...types), (counters, usage, keyType) => {
          for (const c of counters) {
            const ksn = ksnOf(ikId, c);
            const want = refWorkingKey(ik, h(ksn), usage, keyType);
            expect(hex(d.workingKey(ksn, { usage, keyType }))).toBe(want);
            expect(hex(aesDukptWorkingKey(bdk, ksn, { usage, keyType }))).toBe(want);
          }
        }),
        { numRuns: 25 },
      );
      d.dispose();
    });
  }

  it('a terminal sequence (500 consecutive valid counters) matches the stateless functions', () => {
    const bdk = randomBytes(16);
    const ikId = '1234567890123456';
    const d = AesDukptDeriver.fromBdk(bdk, ikId);
    const ik = aesDukptInitialKey(bdk, ikId);
    let n = 0;
    for (let c = 0xfff0; n < 500; c++) {
      if (popcount32(c) > 16) continue;
      const ksn = ksnOf(ikId, c);
      expect(hex(d.transactionKey(ksn))).toBe(hex(aesDukptTransactionKey(bdk, ksn)));
      if (n % 50 === 0) expect(hex(d.workingKey(ksn, { usage: 'PIN_ENCRYPTION' }))).toBe(refWorkingKey(ik, h(ksn), 'PIN_ENCRYPTION', 'AES128'));
      n++;
    }
    d.dispose();
  });
});

describe('stateless functions leave no key behind', () => {
  it('the reusable scratch buffers are zero after each call, also after a refused request', () => {
    for (const len of [16, 24, 32]) {
      const bdk = randomBytes(len);
      expect(aesDukptWorkingKey(bdk, '1234567890123456000F0F0F', { usage: 'PIN_ENCRYPTION' })).toHaveLength(len);
      expect(scratchWalkersWipedForTest()).toBe(true);
      aesDukptTransactionKey(bdk, '1234567890123456000F0F0F');
      expect(scratchWalkersWipedForTest()).toBe(true);
    }
    // the strength check runs before any key is loaded
    expect(() => aesDukptWorkingKey(randomBytes(16), '123456789012345600000001', { usage: 'PIN_ENCRYPTION', keyType: 'AES256' })).toThrow(/stronger/);
    expect(scratchWalkersWipedForTest()).toBe(true);
  });
});

describe('AesDukptDeriver lifetime and checks', () => {
  const bdk = h('FEDCBA9876543210F1F1F1F1F1F1F1F1');
  it('refuses a KSN of another initial key ID, bad counters and too strong key types', () => {
    const d = AesDukptDeriver.fromBdk(bdk, '1234567890123456');
    expect(() => d.workingKey('123456789012345700000001', { usage: 'PIN_ENCRYPTION' })).toThrow(/different initial key ID/);
    expect(() => d.workingKey('123456789012345600000000', { usage: 'PIN_ENCRYPTION' })).toThrow(/counter 0/);
    expect(() => d.workingKey('1234567890123456FFFFFFFF', { usage: 'PIN_ENCRYPTION' })).toThrow(/one-bits/);
    expect(() => d.workingKey('123456789012345600000001', { usage: 'PIN_ENCRYPTION', keyType: 'AES256' })).toThrow(/stronger/);
    d.dispose();
  });
  it('after dispose() every call throws and the deriver reports disposed', () => {
    const d = AesDukptDeriver.fromBdk(bdk, '1234567890123456');
    expect(hex(d.workingKey('123456789012345600000008', { usage: 'PIN_ENCRYPTION' }))).toBe('4D9DF3FBEE3448FC3E676D04320A90F5'); // dukpt.json
    expect(d.disposed).toBe(false);
    d.dispose();
    expect(d.disposed).toBe(true);
    expect(() => d.workingKey('123456789012345600000008', { usage: 'PIN_ENCRYPTION' })).toThrow(/dispose/);
    expect(() => d.transactionKey('123456789012345600000008')).toThrow(/dispose/);
  });
  it('the constructor copies the initial key (zeroing the caller buffer changes nothing)', () => {
    const ik = aesDukptInitialKey(bdk, '1234567890123456');
    const d = new AesDukptDeriver(ik, '1234567890123456');
    ik.fill(0);
    expect(hex(d.workingKey('123456789012345600000008', { usage: 'PIN_ENCRYPTION' }))).toBe('4D9DF3FBEE3448FC3E676D04320A90F5');
    d.dispose();
  });
});

describe('AesDukptBdkDeriver (one BDK, LRU of terminals)', () => {
  it('matches the node:crypto reference for interleaved terminals, also across evictions', () => {
    const bdk = randomBytes(16);
    const ids = ['1111111111111111', '2222222222222222', '3333333333333333', 'ABCDEF0123456789'];
    const iks = new Map(ids.map((id) => [id, aesDukptInitialKey(bdk, id)]));
    const cache = new AesDukptBdkDeriver(bdk, { maxInitialKeys: 2 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...ids), validCounter), { minLength: 1, maxLength: 8 }), (calls) => {
        for (const [id, c] of calls) {
          const ksn = ksnOf(id, c);
          expect(hex(cache.workingKey(ksn, { usage: 'MAC_GENERATION' }))).toBe(refWorkingKey(iks.get(id)!, h(ksn), 'MAC_GENERATION', 'AES128'));
          expect(cache.size).toBeLessThanOrEqual(2);
        }
      }),
      { numRuns: 30 },
    );
    cache.dispose();
  });

  it('gives the published X9.24-3 keys (dukpt.json) and keeps at most maxInitialKeys terminals', () => {
    const cache = new AesDukptBdkDeriver(new AesDukptBdk(h('FEDCBA9876543210F1F1F1F1F1F1F1F1')), { maxInitialKeys: 1 });
    expect(hex(cache.workingKey('123456789012345600000008', { usage: 'PIN_ENCRYPTION' }))).toBe('4D9DF3FBEE3448FC3E676D04320A90F5');
    expect(hex(cache.workingKey('123456789012345600845FED', { usage: 'PIN_ENCRYPTION' }))).toBe('D1DDA386AA4A556AF0119FDCB5D132C6');
    cache.workingKey('FFFFFFFFFFFFFFFF00000001', { usage: 'PIN_ENCRYPTION' });
    expect(cache.size).toBe(1);
    // the first terminal was evicted (its deriver zeroed); asking again derives it afresh
    expect(hex(cache.workingKey('123456789012345600000008', { usage: 'PIN_ENCRYPTION' }))).toBe('4D9DF3FBEE3448FC3E676D04320A90F5');
    cache.dispose();
    expect(cache.size).toBe(0);
    expect(() => cache.transactionKey('123456789012345600000008')).toThrow(/dispose/);
  });

  it('validates the KSN and the limit', () => {
    const cache = new AesDukptBdkDeriver(randomBytes(16));
    expect(() => cache.workingKey('123456789012345600000000', { usage: 'PIN_ENCRYPTION' })).toThrow(/counter 0/);
    expect(cache.size).toBe(0);
    expect(() => new AesDukptBdkDeriver(randomBytes(16), { maxInitialKeys: 0 })).toThrow(RangeError);
    cache.dispose();
  });
});
