import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AES_DUKPT_KEY_TYPES,
  AES_DUKPT_KEY_USAGES,
  AesCipher,
  PrimitivesError,
  TdesCipher,
  TdesDukptBdk,
  aesDukptInitialKey,
  awsExportDukptInitialKey,
  aesDukptWorkingKey,
  bytesToHex,
  cbcDecrypt,
  cbcEncrypt,
  cmac,
  ctrCrypt,
  decipherIso4PinBlock,
  decodePinBlock,
  encipherIso4PinBlock,
  ecbDecrypt,
  ecbEncrypt,
  encodePinBlock,
  generateCardVerificationValue,
  generateMac,
  hexToBytes,
  hmacSha,
  parseAesKsn,
  parseTdesKsn,
  popcount32,
  tdesDukptIpek,
  tdesDukptTransactionKey,
  tdesDukptTransactionKeyFromIpek,
  tdesDukptVariantKey,
  tdesDukptWorkingKey,
  visaDecimalize,
  type AesDukptKeyType,
  type AesDukptKeyUsage,
} from '../src/index.js';

/**
 * Checks added by the issue-3 / issue-2 audit where the existing suite left a requirement
 * without a failing-capable test. Expected values come from published text or from
 * computations written here with node:crypto, never from the code under test.
 */

const hex = bytesToHex;
const h = hexToBytes;

function nodeEcb(name: string, key: Uint8Array, block: Uint8Array): Buffer {
  return createCipheriv(name, key, null).setAutoPadding(false).update(block);
}

/** CMAC (SP 800-38B) written from the specification with node:crypto ECB/CBC and BigInt doubling. */
function nodeCmac(ecb: string, cbc: string, key: Uint8Array, bs: 8 | 16, msg: Uint8Array): string {
  const rb = bs === 16 ? 0x87n : 0x1bn;
  const bits = BigInt(bs * 8);
  const mask = (1n << bits) - 1n;
  const toBig = (b: Uint8Array) => BigInt(`0x${Buffer.from(b).toString('hex') || '0'}`);
  const fromBig = (x: bigint) => Buffer.from(x.toString(16).padStart(bs * 2, '0'), 'hex');
  const dbl = (x: bigint) => ((x << 1n) & mask) ^ ((x >> (bits - 1n)) === 1n ? rb : 0n);
  const k1 = dbl(toBig(nodeEcb(ecb, key, new Uint8Array(bs))));
  const k2 = dbl(k1);
  const complete = msg.length > 0 && msg.length % bs === 0;
  const n = Math.max(1, Math.ceil(msg.length / bs));
  const padded = Buffer.alloc(n * bs);
  padded.set(msg);
  if (!complete) padded[msg.length] = 0x80;
  const last = toBig(padded.subarray((n - 1) * bs)) ^ (complete ? k1 : k2);
  padded.set(fromBig(last), (n - 1) * bs);
  const c = createCipheriv(cbc, key, Buffer.alloc(bs)).setAutoPadding(false);
  const out = Buffer.concat([c.update(padded), c.final()]);
  return out.subarray(out.length - bs).toString('hex').toUpperCase();
}

describe('CMAC over both block sizes against a node:crypto CMAC', () => {
  const cases: Array<[string, number, string, string, 8 | 16, (k: Uint8Array) => TdesCipher | AesCipher]> = [
    ['AES-128', 16, 'aes-128-ecb', 'aes-128-cbc', 16, (k) => new AesCipher(k)],
    ['AES-192', 24, 'aes-192-ecb', 'aes-192-cbc', 16, (k) => new AesCipher(k)],
    ['AES-256', 32, 'aes-256-ecb', 'aes-256-cbc', 16, (k) => new AesCipher(k)],
    ['TDES 2-key', 16, 'des-ede-ecb', 'des-ede-cbc', 8, (k) => new TdesCipher(k)],
    ['TDES 3-key', 24, 'des-ede3-ecb', 'des-ede3-cbc', 8, (k) => new TdesCipher(k)],
  ];
  for (const [name, keyLen, ecb, cbc, bs, make] of cases) {
    it(`${name} (${bs}-byte block), messages of 0 to 70 bytes`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: keyLen, maxLength: keyLen }), fc.uint8Array({ maxLength: 70 }), (key, msg) => {
          expect(hex(cmac(make(key), msg))).toBe(nodeCmac(ecb, cbc, key, bs, msg));
        }),
        { numRuns: 60 },
      );
    });
  }
});

describe('single DES (8-byte key) in CBC mode = TDES K‖K‖K in node:crypto', () => {
  it('CBC encrypt and decrypt', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 6 }), (k, iv, blocks) => {
        const data = new Uint8Array(blocks * 8).map((_, i) => (i * 31 + k[0]!) & 0xff);
        const kkk = Buffer.concat([k, k, k]);
        const c = createCipheriv('des-ede3-cbc', kkk, iv).setAutoPadding(false);
        const want = Buffer.concat([c.update(data), c.final()]);
        const ct = cbcEncrypt(new TdesCipher(k), iv, data);
        expect(hex(ct)).toBe(want.toString('hex').toUpperCase());
        expect(cbcDecrypt(new TdesCipher(k), iv, ct)).toEqual(data);
      }),
      { numRuns: 50 },
    );
  });
});

describe('Visa decimalisation (digits first, then A-F as 0-5)', () => {
  it('the published CVV worked example: final block 8D5625FA78011A0C decimalises to 85625780110|35002', () => {
    // cvv.json entry "Visa CVV/CVN worked example" notes: "digits 85625780110|35002"
    expect(visaDecimalize(h('8D5625FA78011A0C'), 16)).toBe('8562578011035002');
    expect(visaDecimalize(h('8D5625FA78011A0C'), 3)).toBe('856');
  });
  it('a block with fewer decimal digits than needed takes the second pass (hand-computed)', () => {
    // nibbles A B C D E F A B C D E F A B 1 C: one decimal digit (1), then A→0, B→1
    expect(visaDecimalize(h('ABCDEFABCDEFAB1C'), 3)).toBe('101');
    // no decimal digit at all: A B C D → 0 1 2 3
    expect(visaDecimalize(h('ABCDEFABCDEFABCD'), 4)).toBe('0123');
  });
});

describe('PIN blocks: encode∘decode for every format × PIN length 4-12 × PAN length 12-19 (exhaustive)', () => {
  it('360 combinations, each with a random PIN and PAN', () => {
    const key = h('00112233445566778899AABBCCDDEEFF');
    const digits = (n: number, seed: number) => Array.from({ length: n }, (_, i) => String((seed * 7 + i * 3 + (i * i) % 5) % 10)).join('');
    let checked = 0;
    for (let pinLen = 4; pinLen <= 12; pinLen++) {
      for (let panLen = 12; panLen <= 19; panLen++) {
        const pin = digits(pinLen, panLen);
        const pan = digits(panLen, pinLen + 1);
        for (const f of ['ISO_0', 'ISO_1', 'ISO_2', 'ISO_3'] as const) {
          expect(decodePinBlock(f, encodePinBlock(f, pin, pan), pan), `${f} PIN ${pinLen} PAN ${panLen}`).toBe(pin);
          checked++;
        }
        expect(decipherIso4PinBlock(key, encipherIso4PinBlock(key, pin, pan), pan), `ISO_4 PIN ${pinLen} PAN ${panLen}`).toBe(pin);
        checked++;
      }
    }
    expect(checked).toBe(5 * 9 * 8);
  });
});

/** X9.24-3:2017 6.3.2 tables 2 and 3, transcribed here (not read from src/). */
const X9_24_3_USAGE: Record<AesDukptKeyUsage, number> = {
  KEY_ENCRYPTION_KEY: 0x0002,
  PIN_ENCRYPTION: 0x1000,
  MAC_GENERATION: 0x2000,
  MAC_VERIFICATION: 0x2001,
  MAC_BOTH_WAYS: 0x2002,
  DATA_ENCRYPT: 0x3000,
  DATA_DECRYPT: 0x3001,
  DATA_BOTH_WAYS: 0x3002,
  KEY_DERIVATION: 0x8000,
  KEY_DERIVATION_INITIAL_KEY: 0x8001,
};
const X9_24_3_TYPE: Record<AesDukptKeyType, [number, number]> = {
  '2TDEA': [0x0000, 128],
  '3TDEA': [0x0001, 192],
  AES128: [0x0002, 128],
  AES192: [0x0003, 192],
  AES256: [0x0004, 256],
  HMAC128: [0x0005, 128],
  HMAC192: [0x0005, 192],
  HMAC256: [0x0005, 256],
};

function refDerive(key: Uint8Array, usage: number, [alg, bits]: [number, number], tail8: Uint8Array): Uint8Array {
  const out: Buffer[] = [];
  for (let b = 1; b <= Math.ceil(bits / 128); b++) {
    const dd = Uint8Array.from([1, b, usage >> 8, usage & 255, alg >> 8, alg & 255, bits >> 8, bits & 255, ...tail8]);
    out.push(nodeEcb(`aes-${key.length * 8}-ecb`, key, dd));
  }
  return new Uint8Array(Buffer.concat(out).subarray(0, bits / 8));
}

function refWorkingKey(bdk: Uint8Array, ksn: Uint8Array, usage: number, type: [number, number]): string {
  const bdkType: [number, number] = [{ 16: 2, 24: 3, 32: 4 }[bdk.length]!, bdk.length * 8];
  let key = refDerive(bdk, 0x8001, bdkType, ksn.subarray(0, 8));
  const counter = Buffer.from(ksn).readUInt32BE(8);
  const tail = (c: number) => Uint8Array.from([...ksn.subarray(4, 8), c >>> 24, (c >>> 16) & 255, (c >>> 8) & 255, c & 255]);
  let working = 0;
  for (let bit = 31; bit >= 0; bit--) {
    if ((counter >>> bit) & 1) {
      working = (working + 2 ** bit) >>> 0;
      key = refDerive(key, 0x8000, bdkType, tail(working));
    }
  }
  return hex(refDerive(key, usage, type, tail(counter)));
}

describe('AES DUKPT: every key usage × every derived key type (X9.24-3:2017 6.3.2)', () => {
  it('the facts tables hold the standard indicator values', () => {
    expect({ ...AES_DUKPT_KEY_USAGES }).toEqual(X9_24_3_USAGE);
    for (const [type, [alg, bits]] of Object.entries(X9_24_3_TYPE)) {
      expect([AES_DUKPT_KEY_TYPES[type as AesDukptKeyType].algorithm, AES_DUKPT_KEY_TYPES[type as AesDukptKeyType].bits], type).toEqual([alg, bits]);
    }
  });

  it('AES-256 BDK: all 9 working-key usages × all 8 key types agree with a node:crypto reference', () => {
    const bdk = h('0F1E2D3C4B5A69788796A5B4C3D2E1F00123456789ABCDEFFEDCBA9876543210');
    const usages = (Object.keys(X9_24_3_USAGE) as AesDukptKeyUsage[]).filter((u) => u !== 'KEY_DERIVATION_INITIAL_KEY');
    expect(usages).toHaveLength(9);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0xffff0000 }).filter((c) => popcount32(c) <= 16), fc.uint8Array({ minLength: 8, maxLength: 8 }), (counter, ikId) => {
        const ksn = Uint8Array.from([...ikId, counter >>> 24, (counter >>> 16) & 255, (counter >>> 8) & 255, counter & 255]);
        for (const usage of usages) {
          for (const type of Object.keys(X9_24_3_TYPE) as AesDukptKeyType[]) {
            const got = aesDukptWorkingKey(bdk, ksn, { usage, keyType: type });
            expect(hex(got), `${usage} ${type}`).toBe(refWorkingKey(bdk, ksn, X9_24_3_USAGE[usage], X9_24_3_TYPE[type]));
          }
        }
      }),
      { numRuns: 8 },
    );
  });

  it('the initial key agrees with the reference for AES-128/192/256 BDKs', () => {
    for (const len of [16, 24, 32]) {
      const bdk = new Uint8Array(len).map((_, i) => (i * 37 + 11) & 0xff);
      const ikId = h('1234567890123456');
      const want = refDerive(bdk, 0x8001, [{ 16: 2, 24: 3, 32: 4 }[len]!, len * 8], ikId);
      expect(hex(aesDukptInitialKey(bdk, ikId))).toBe(hex(want));
    }
  });
});

describe('KSN counters: TDES 21 bits (≤ 10 one-bits), AES 32 bits (≤ 16 one-bits)', () => {
  it('the TDES counter is exactly the rightmost 21 bits', () => {
    expect(parseTdesKsn('FFFFFFFFFFFFFFE00001').counter).toBe(1); // bit 21 (in E) is not counter
    expect(parseTdesKsn('FFFFFFFFFFFFFFF00001').counter).toBe(0x100001); // bit 20 is
    expect(parseTdesKsn('FFFFFFFFFFFFFFE003FF').counter).toBe(0x3ff); // 10 one-bits
    expect(() => parseTdesKsn('FFFFFFFFFFFFFFF003FF')).toThrow(/11 one-bits/);
  });
  it('the AES counter is the rightmost 32 bits', () => {
    expect(parseAesKsn('FFFFFFFFFFFFFFFF80000001').counter).toBe(0x80000001);
    expect(parseAesKsn('FFFFFFFFFFFFFFFFFFFF0000').counter).toBe(0xffff0000); // 16 one-bits
    expect(() => parseAesKsn('FFFFFFFFFFFFFFFFFFFF8000')).toThrow(/17 one-bits/);
  });
});

describe('names from untyped callers select only table entries, never a prototype member', () => {
  // Before the audit, "toString" as a TDES variant returned the bare transaction key and as an
  // AES usage derived a key with usage indicator 0: wrong results instead of errors.
  const tdesBdk = h('0123456789ABCDEFFEDCBA9876543210');
  const aesBdk = h('FEDCBA9876543210F1F1F1F1F1F1F1F1');
  const cases: Array<[string, () => unknown]> = [
    ['TDES DUKPT variant', () => tdesDukptWorkingKey(tdesBdk, 'FFFF9876543210E00001', 'toString' as never)],
    ['AES DUKPT usage', () => aesDukptWorkingKey(aesBdk, '123456789012345600000001', { usage: 'toString' as never })],
    ['AES DUKPT key type', () => aesDukptWorkingKey(aesBdk, '123456789012345600000001', { usage: 'PIN_ENCRYPTION', keyType: 'constructor' as never })],
    ['AWS DUKPT BDK algorithm', () => awsExportDukptInitialKey(aesBdk, 'toString' as never, '123456789012345600000001')],
    ['CVV variant', () => generateCardVerificationValue(tdesBdk, 'toString' as never, { pan: '4123456789012345', expiry: '0328', serviceCode: '101' })],
    ['MAC algorithm', () => generateMac('toString' as never, aesBdk, aesBdk)],
    ['HMAC hash', () => hmacSha('valueOf' as never, aesBdk, aesBdk)],
    ['PIN block format', () => encodePinBlock('constructor' as never, '1234', '4111111111111111')],
  ];
  for (const [name, fn] of cases) {
    it(name, () => {
      let err: unknown;
      try {
        fn();
      } catch (e) {
        err = e;
      }
      expect(err instanceof RangeError || err instanceof PrimitivesError).toBe(true);
    });
  }
});

/** X9.24-1:2009 A.2 host-side TDES DUKPT written here with node:crypto (DES = 2-key EDE with K‖K). */
function refTdesTransactionKey(bdk: Buffer, ksn: Buffer): Buffer {
  const des = (k8: Buffer, b: Buffer) => createCipheriv('des-ede-ecb', Buffer.concat([k8, k8]), null).setAutoPadding(false).update(b);
  const tdes = (k16: Buffer, b: Buffer) => createCipheriv('des-ede-ecb', k16, null).setAutoPadding(false).update(b);
  const xor = (a: Buffer, b: Buffer) => Buffer.from(a.map((x, i) => x ^ b[i]!));
  const C0 = Buffer.from('C0C0C0C000000000C0C0C0C000000000', 'hex');
  const reg = Buffer.from(ksn.subarray(0, 8));
  reg[7] = reg[7]! & 0xe0;
  let key = Buffer.concat([tdes(bdk, reg), tdes(xor(bdk, C0), reg)]);
  const counter = ksn.readUIntBE(7, 3) & 0x1fffff;
  const r8 = Buffer.from(ksn.subarray(2, 10));
  r8.writeUIntBE(r8.readUIntBE(5, 3) & 0xe00000, 5, 3);
  for (let bit = 0x100000; bit > 0; bit >>>= 1) {
    if ((counter & bit) === 0) continue;
    r8.writeUIntBE(r8.readUIntBE(5, 3) | bit, 5, 3);
    const half = (k: Buffer) => xor(des(k.subarray(0, 8), xor(r8, k.subarray(8))), k.subarray(8));
    key = Buffer.concat([half(xor(key, C0)), half(key)]);
  }
  return key;
}

describe('TDES DUKPT transaction keys for any valid counter against a node:crypto reference', () => {
  it('random BDKs, initial KSNs and counters (≤ 10 one-bits); every variant mask', () => {
    const masks: Array<[Parameters<typeof tdesDukptWorkingKey>[2], string]> = [
      ['PIN', '00000000000000FF00000000000000FF'],
      ['MAC_REQUEST', '000000000000FF00000000000000FF00'],
      ['MAC_RESPONSE', '00000000FF00000000000000FF000000'],
    ];
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 10, maxLength: 10 }),
        fc.integer({ min: 1, max: 0x1fffff }).filter((c) => popcount32(c) <= 10),
        (bdk, ksn0, counter) => {
          const ksn = Buffer.from(ksn0);
          ksn.writeUIntBE((ksn.readUIntBE(7, 3) & 0xe00000) | counter, 7, 3);
          const txn = refTdesTransactionKey(Buffer.from(bdk), ksn);
          expect(hex(tdesDukptTransactionKey(bdk, ksn))).toBe(txn.toString('hex').toUpperCase());
          for (const [variant, mask] of masks) {
            const want = Buffer.from(txn.map((x, i) => x ^ Buffer.from(mask, 'hex')[i]!));
            expect(hex(tdesDukptWorkingKey(bdk, ksn, variant)), variant).toBe(want.toString('hex').toUpperCase());
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('Node Buffer inputs (slice() is a view) are never modified and give the Uint8Array results', () => {
  // Before the audit, a Buffer BDK was masked in place (wrong IPEK, then wiped), a Buffer KSN had
  // its counter bits cleared, and a Buffer IV was advanced by CTR.
  const bdkHex = '0123456789ABCDEFFEDCBA9876543210';
  const ksnHex = 'FFFF9876543210E10001'; // counter 0x010001: bits in byte 7 as well
  it('TDES DUKPT: BDK, KSN, IPEK and transaction key buffers', () => {
    const bdk = Buffer.from(bdkHex, 'hex');
    const ksn = Buffer.from(ksnHex, 'hex');
    expect(hex(new TdesDukptBdk(bdk).ipekFromRegister(h('FFFF9876543210E0')))).toBe('6AC292FAA1315B4D858AB3A3D7D5933A'); // X9.24-1 A.4
    const want = hex(tdesDukptTransactionKey(h(bdkHex), h(ksnHex)));
    expect(hex(tdesDukptTransactionKey(bdk, ksn))).toBe(want);
    const ipek = Buffer.from(tdesDukptIpek(h(bdkHex), h(ksnHex)));
    const ipekCopy = hex(ipek);
    expect(hex(tdesDukptTransactionKeyFromIpek(ipek, ksn))).toBe(want);
    const txn = Buffer.from(h(want));
    expect(hex(tdesDukptVariantKey(txn, 'DATA_REQUEST'))).toBe(hex(tdesDukptVariantKey(h(want), 'DATA_REQUEST')));
    expect([bdk.toString('hex').toUpperCase(), ksn.toString('hex').toUpperCase(), hex(ipek), hex(txn)]).toEqual([bdkHex, ksnHex, ipekCopy, want]);
  });
  it('PIN block decode and CTR IV buffers', () => {
    const block = Buffer.from(h('041274EDCBA9876F')); // X9.24-1 A.4 ISO-0 block, PIN 1234, PAN 4012345678909
    expect(decodePinBlock('ISO_0', block, '4012345678909')).toBe('1234');
    expect(block.toString('hex').toUpperCase()).toBe('041274EDCBA9876F');
    const iv = Buffer.alloc(16, 0xff);
    ctrCrypt(new AesCipher(new Uint8Array(16)), iv, new Uint8Array(40));
    expect(iv.equals(Buffer.alloc(16, 0xff))).toBe(true);
  });
  it('an AesCipher keeps its own copy of a Buffer key (decrypt after the caller wipes it)', () => {
    const key = Buffer.from('2B7E151628AED2A6ABF7158809CF4F3C', 'hex');
    const c = new AesCipher(key);
    const ct = ecbEncrypt(c, new Uint8Array(16));
    key.fill(0);
    expect(ecbDecrypt(c, ct)).toEqual(new Uint8Array(16));
  });
});
