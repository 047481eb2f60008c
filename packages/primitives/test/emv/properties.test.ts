import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EmvIssuerMasterKey,
  type EmvSchemeName,
  SM_ENCRYPTION_TYPES,
  type SmEncryptionType,
  deriveCommonSessionKey,
  deriveIccMasterKeyOptionA,
  deriveIccMasterKeyOptionB,
  emvMac,
  generateArpcMethod1,
  generateArpcMethod2,
  generateArqc,
  iso9797Pad,
  smDecrypt,
  smEncrypt,
  verifyArpcMethod1,
  verifyArpcMethod2,
} from '../../src/index.js';

// ---- node:crypto as an independent oracle (des-ede = 2-key TDES; K‖K = single DES) ----

function nodeEcb(key: Uint8Array, data: Uint8Array, encrypt = true): Uint8Array {
  const c = encrypt ? createCipheriv('des-ede-ecb', key, null) : createDecipheriv('des-ede-ecb', key, null);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

function nodeCbc(key: Uint8Array, data: Uint8Array): Uint8Array {
  const c = createCipheriv('des-ede-cbc', key, Buffer.alloc(8));
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

/** ISO 9797-1 MAC algorithm 3 of aligned data, from node:crypto pieces. */
function nodeRetailMac(key: Uint8Array, data: Uint8Array): Uint8Array {
  const kl = Buffer.concat([key.subarray(0, 8), key.subarray(0, 8)]);
  const chained = nodeCbc(kl, data).subarray(data.length - 8);
  return nodeEcb(key, nodeEcb(kl, chained, false)); // undo the last single-DES step, then full TDES
}

const parity = (k: Uint8Array) => k.map((b) => b & 0xfe);

const key16 = fc.uint8Array({ minLength: 16, maxLength: 16 });
const aligned = fc.integer({ min: 1, max: 12 }).chain((n) => fc.uint8Array({ minLength: 8 * n, maxLength: 8 * n }));

describe('differential: EMV pieces against node:crypto', () => {
  it('common session key = des-ede ECB of R with byte 2 := F0 / 0F, odd parity', () => {
    fc.assert(
      fc.property(key16, fc.uint8Array({ minLength: 8, maxLength: 8 }), (mk, r) => {
        const a = new Uint8Array(r);
        a[2] = 0xf0;
        const b = new Uint8Array(r);
        b[2] = 0x0f;
        const raw = nodeEcb(mk, new Uint8Array([...a, ...b]));
        expect(parity(deriveCommonSessionKey(mk, r))).toEqual(parity(raw));
      }),
      { numRuns: 100 },
    );
  });

  it('ARQC (alg 3, no padding) = node des-ede-cbc with K_L‖K_L, then des-ede', () => {
    fc.assert(
      fc.property(key16, aligned, (k, data) => {
        expect(generateArqc(k, data)).toEqual(nodeRetailMac(k, data));
      }),
      { numRuns: 100 },
    );
  });

  it('EMV MAC = alg 3 over padding method 2', () => {
    fc.assert(
      fc.property(key16, fc.uint8Array({ maxLength: 64 }), (k, data) => {
        expect(emvMac(k, data)).toEqual(nodeRetailMac(k, iso9797Pad(data, 8, 2)));
      }),
      { numRuns: 100 },
    );
  });

  it('Option B = SHA-1 (node) of the BCD PAN‖PSN, decimalised, then TDES (node)', () => {
    fc.assert(
      fc.property(key16, fc.stringMatching(/^[0-9]{17,19}$/), fc.stringMatching(/^[0-9]{2}$/), (imk, pan, psn) => {
        const digits = pan.length % 2 === 1 ? `0${pan}${psn}` : pan + psn;
        const hexDigest = createHash('sha1').update(Buffer.from(digits, 'hex')).digest('hex');
        const dec = [...hexDigest].filter((c) => c <= '9');
        const letters = [...hexDigest].filter((c) => c > '9').map((c) => String(parseInt(c, 16) - 10));
        const y = Buffer.from([...dec, ...letters].slice(0, 16).join(''), 'hex');
        const raw = nodeEcb(imk, new Uint8Array([...y, ...y.map((b) => b ^ 0xff)]));
        expect(parity(deriveIccMasterKeyOptionB(imk, pan, psn))).toEqual(parity(raw));
      }),
      { numRuns: 100 },
    );
  });

  it('secure-messaging encryption layouts = node des-ede ECB / CBC (IV 0)', () => {
    const types = Object.keys(SM_ENCRYPTION_TYPES) as SmEncryptionType[];
    fc.assert(
      fc.property(key16, fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.constantFrom(...types), (k, data, type) => {
        const l = SM_ENCRYPTION_TYPES[type];
        let m: Uint8Array = l.lengthPrefix ? new Uint8Array([data.length, ...data]) : data;
        if (l.padding === 'ALWAYS' || m.length % 8 !== 0) m = iso9797Pad(m, 8, 2);
        const want = l.mode === 'ECB' ? nodeEcb(k, m) : nodeCbc(k, m);
        expect(smEncrypt(k, data, type)).toEqual(want);
      }),
      { numRuns: 100 },
    );
  });

  it('ARPC method 1 = des-ede ECB of ARQC ⊕ (ARC‖00×6); decrypting recovers the ARC', () => {
    fc.assert(
      fc.property(key16, fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.uint8Array({ minLength: 2, maxLength: 2 }), (k, arqc, arc) => {
        const arpc = generateArpcMethod1(k, arqc, arc);
        const x = nodeEcb(k, arpc, false);
        expect(x.subarray(0, 2)).toEqual(new Uint8Array([arqc[0]! ^ arc[0]!, arqc[1]! ^ arc[1]!]));
        expect(x.subarray(2)).toEqual(arqc.subarray(2));
      }),
      { numRuns: 100 },
    );
  });

  it('Option A agrees with node:crypto (via the moved function)', () => {
    fc.assert(
      fc.property(key16, fc.stringMatching(/^[0-9]{12,19}$/), fc.stringMatching(/^[0-9]{2}$/), (imk, pan, psn) => {
        const y = Buffer.from((pan + psn).slice(-16).padStart(16, '0'), 'hex');
        const raw = nodeEcb(imk, new Uint8Array([...y, ...y.map((b) => b ^ 0xff)]));
        expect(parity(deriveIccMasterKeyOptionA(imk, pan, psn))).toEqual(parity(raw));
      }),
      { numRuns: 50 },
    );
  });
});

// ---- properties of the ARQC engine ----

const SCHEMES: EmvSchemeName[] = ['EmvCommon', 'Mastercard', 'Visa', 'Amex', 'Emv2000'];
const USES_ATC = new Set<EmvSchemeName>(['EmvCommon', 'Mastercard', 'Emv2000']);

const txn = fc.record({
  imk: key16,
  scheme: fc.constantFrom(...SCHEMES),
  pan: fc.stringMatching(/^[0-9]{12,19}$/),
  psn: fc.stringMatching(/^[0-9]{2}$/),
  atc: fc.uint8Array({ minLength: 2, maxLength: 2 }),
  un: fc.uint8Array({ minLength: 4, maxLength: 4 }),
  data: aligned,
  optionB: fc.boolean(),
});

type Txn = typeof txn extends fc.Arbitrary<infer T> ? T : never;

function inputOf(t: Txn) {
  return {
    pan: t.pan,
    panSequenceNumber: t.psn,
    majorKeyDerivationMode: t.optionB && t.pan.length > 16 ? ('EMV_OPTION_B' as const) : ('EMV_OPTION_A' as const),
    scheme: t.scheme,
    atc: t.atc,
    unpredictableNumber: t.un,
    transactionData: t.data,
  };
}

const flipBit = (b: Uint8Array, bit: number) => {
  const c = new Uint8Array(b);
  const i = (bit >> 3) % c.length;
  c[i] = c[i]! ^ (1 << (bit & 7));
  return c;
};

/** Another digit at position `pos` (a single-digit change of a digit string). */
const changeDigit = (s: string, pos: number, delta: number) => {
  const p = pos % s.length;
  return s.slice(0, p) + String((Number(s[p]) + 1 + (delta % 9)) % 10) + s.slice(p + 1);
};

describe('properties: ARQC, ARPC, secure messaging', () => {
  it('a generated ARQC always verifies', () => {
    fc.assert(
      fc.property(txn, (t) => {
        const imk = new EmvIssuerMasterKey(t.imk);
        const input = inputOf(t);
        expect(imk.verifyArqc(input, imk.generateArqc(input))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('any single-bit change of data, ARQC, ATC (schemes using it), UN (Mastercard), PAN digit or PSN digit fails', () => {
    fc.assert(
      fc.property(txn, fc.nat(), fc.nat(), (t, bit, delta) => {
        const imk = new EmvIssuerMasterKey(t.imk);
        const input = inputOf(t);
        const arqc = imk.generateArqc(input);
        expect(imk.verifyArqc({ ...input, transactionData: flipBit(t.data, bit) }, arqc)).toBe(false);
        expect(imk.verifyArqc(input, flipBit(arqc, bit))).toBe(false);
        if (USES_ATC.has(t.scheme)) expect(imk.verifyArqc({ ...input, atc: flipBit(t.atc, bit) }, arqc)).toBe(false);
        if (t.scheme === 'Mastercard') expect(imk.verifyArqc({ ...input, unpredictableNumber: flipBit(t.un, bit) }, arqc)).toBe(false);
        // Option A uses only the rightmost 16 digits of PAN‖PSN: change a digit inside them
        const panOffset = input.majorKeyDerivationMode === 'EMV_OPTION_A' ? Math.max(0, t.pan.length - 14) : 0;
        const pan = t.pan.slice(0, panOffset) + changeDigit(t.pan.slice(panOffset), bit, delta);
        expect(imk.verifyArqc({ ...input, pan }, arqc)).toBe(false);
        expect(imk.verifyArqc({ ...input, panSequenceNumber: changeDigit(t.psn, bit, delta) }, arqc)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('ARPC round-trips (methods 1 and 2) and rejects a changed ARQC or response', () => {
    fc.assert(
      fc.property(
        key16,
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        fc.uint8Array({ minLength: 2, maxLength: 2 }),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        fc.uint8Array({ maxLength: 8 }),
        fc.nat(),
        (k, arqc, arc, csu, pad, bit) => {
          const a1 = generateArpcMethod1(k, arqc, arc);
          expect(verifyArpcMethod1(k, arqc, arc, a1)).toBe(true);
          expect(verifyArpcMethod1(k, flipBit(arqc, bit), arc, a1)).toBe(false);
          expect(verifyArpcMethod1(k, arqc, flipBit(arc, bit), a1)).toBe(false);
          const a2 = generateArpcMethod2(k, arqc, csu, pad);
          expect(verifyArpcMethod2(k, arqc, csu, pad, a2)).toBe(true);
          expect(verifyArpcMethod2(k, arqc, flipBit(csu, bit), pad, a2)).toBe(false);
          expect(verifyArpcMethod2(k, arqc, csu, pad, flipBit(a2, bit))).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('smEncrypt / smDecrypt round-trip for the padded layouts', () => {
    fc.assert(
      fc.property(key16, fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.constantFrom<SmEncryptionType>('VISA', 'EMV'), (k, data, type) => {
        expect(smDecrypt(k, smEncrypt(k, data, type), type)).toEqual(data);
      }),
      { numRuns: 100 },
    );
  });
});
