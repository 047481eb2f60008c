import { createCipheriv, createDecipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PrimitivesError, bytesToHex, cvc3FromIccKey, deriveIccMasterKeyOptionA, generateCvc3, hexToBytes, iso9797Pad, verifyCvc3 } from '../src/index.js';

interface Vector {
  source: string;
  description: string;
  inputs: Record<string, string>;
  expected: Record<string, string>;
}

const vectors = JSON.parse(readFileSync(fileURLToPath(new URL('./vectors/emv.json', import.meta.url)), 'utf8')) as Vector[];
const h = hexToBytes;

describe('test/vectors/emv.json (pyemv published examples)', () => {
  for (const v of vectors) {
    it(v.description, () => {
      const i = v.inputs;
      if (v.expected.icc_mk !== undefined) {
        expect(bytesToHex(deriveIccMasterKeyOptionA(h(i.imk!), i.pan!, i.psn))).toBe(v.expected.icc_mk);
      } else {
        const card = { pan: i.pan!, panSequenceNumber: i.psn! };
        const input = { trackData: h(i.track_data!), unpredictableNumber: h(i.un!), atc: h(i.atc!) };
        expect(generateCvc3(h(i.imk!), card, input)).toBe(v.expected.cvc3);
        expect(verifyCvc3(h(i.imk!), card, input, v.expected.cvc3!)).toBe(true);
        expect(verifyCvc3(h(i.imk!), card, input, v.expected.cvc3!.slice(-3))).toBe(true);
      }
    });
  }
});

/** Independent computation of CVC3 with node:crypto (DES as des-ede with K‖K). */
function nodeCvc3(icc: Uint8Array, track: Uint8Array, un: Uint8Array, atc: Uint8Array): string {
  const ecb = (name: string, key: Uint8Array, data: Uint8Array, enc = true) => {
    const c = enc ? createCipheriv(name, key, null) : createDecipheriv(name, key, null);
    c.setAutoPadding(false);
    return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
  };
  const kl = Buffer.concat([icc.subarray(0, 8), icc.subarray(0, 8)]);
  const cbc = createCipheriv('des-ede-cbc', kl, Buffer.alloc(8));
  cbc.setAutoPadding(false);
  const padded = iso9797Pad(track, 8, 2);
  const ct = Buffer.concat([cbc.update(padded), cbc.final()]);
  const last = new Uint8Array(ct.subarray(ct.length - 8));
  const kr = Buffer.concat([icc.subarray(8), icc.subarray(8)]);
  const mac = ecb('des-ede-ecb', kl, ecb('des-ede-ecb', kr, last, false));
  const block = new Uint8Array([mac[6]!, mac[7]!, ...un, ...atc]);
  const out = ecb('des-ede-ecb', icc, block);
  return String((out[6]! << 8) | out[7]!).padStart(5, '0');
}

describe('CVC3 against an independent node:crypto computation', () => {
  it('agrees on random keys, track data, UN and ATC', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 1, maxLength: 40 }),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        fc.uint8Array({ minLength: 2, maxLength: 2 }),
        (icc, track, un, atc) => {
          expect(cvc3FromIccKey(icc, { trackData: track, unpredictableNumber: un, atc })).toBe(nodeCvc3(icc, track, un, atc));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('Option A agrees with node:crypto TDES and has odd parity', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.stringMatching(/^[0-9]{12,19}$/), fc.stringMatching(/^[0-9]{2}$/), (imk, pan, psn) => {
        const y = h((pan + psn).slice(-16).padStart(16, '0'));
        const c = createCipheriv('des-ede-ecb', imk, null);
        c.setAutoPadding(false);
        const raw = Buffer.concat([c.update(Buffer.concat([y, y.map((b) => b ^ 0xff)])), c.final()]);
        const ours = deriveIccMasterKeyOptionA(imk, pan, psn);
        for (let k = 0; k < 16; k++) {
          expect(ours[k]! & 0xfe).toBe(raw[k]! & 0xfe);
          let ones = 0;
          for (let b = ours[k]!; b !== 0; b &= b - 1) ones++;
          expect(ones % 2).toBe(1);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('verify rejects every other 5-digit value for one transaction', () => {
    const imk = h('01234567899876543210012345678998');
    const card = { pan: '5123456789012345', panSequenceNumber: '00' };
    const input = { trackData: h('5123456789012345D35121010000000000000F'), unpredictableNumber: h('00000899'), atc: h('005E') };
    expect(verifyCvc3(imk, card, input, '29488')).toBe(true);
    for (let x = 0; x < 100000; x += 97) {
      const value = String(x).padStart(5, '0');
      if (value !== '29488') expect(verifyCvc3(imk, card, input, value)).toBe(false);
    }
    expect(verifyCvc3(imk, card, input, '29489')).toBe(false);
  });

  it('bad input is typed', () => {
    let err: unknown;
    try {
      generateCvc3(h('01234567899876543210012345678998'), { pan: '51234567890123X5', panSequenceNumber: '00' }, { trackData: new Uint8Array(8), unpredictableNumber: new Uint8Array(4), atc: new Uint8Array(2) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PrimitivesError);
    expect((err as PrimitivesError).field).toBe('pan');
    expect(() => cvc3FromIccKey(new Uint8Array(16), { trackData: new Uint8Array(8), unpredictableNumber: new Uint8Array(3), atc: new Uint8Array(2) })).toThrow(
      '"unpredictableNumber" expected 4 bytes, got 3',
    );
  });
});
