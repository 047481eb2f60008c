import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  KeyBlockError,
  TR31_EXPORTABILITY,
  TR31_KEY_CONTEXTS,
  TR31_KEY_USAGES,
  TR31_MODES_OF_USE,
  TR31_VERSIONS,
  parseTr31,
  parseTr31Header,
  serializeTr31Header,
  unwrapTr31,
  wrapTr31,
  type Tr31Header,
  type Tr31OptionalBlock,
  type Tr31Version,
} from '../src/index.js';

const RUNS = 1000;
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const HEX = '0123456789ABCDEF';

const fromChars = (chars: string, min: number, max: number) =>
  fc.array(fc.constantFrom(...chars.split('')), { minLength: min, maxLength: max }).map((a) => a.join(''));
const hexOf = (n: number) => fromChars(HEX, n, n);
const printable = (min: number, max: number) => fc.array(fc.integer({ min: 0x20, max: 0x7e }), { minLength: min, maxLength: max }).map((a) => String.fromCharCode(...a));

/** Optional blocks with well-formed data, registered and unregistered IDs, some past 255 chars. */
const optionalBlockArb: fc.Arbitrary<{ id: string; data: string }> = fc.oneof(
  hexOf(20).map((d) => ({ id: 'KS', data: d })),
  hexOf(16).map((d) => ({ id: 'IK', data: d })),
  hexOf(10).map((d) => ({ id: 'BI', data: '00' + d })),
  hexOf(6).map((d) => ({ id: 'KC', data: '00' + d })),
  hexOf(10).map((d) => ({ id: 'KP', data: '01' + d })),
  fc.constantFrom('20200818221218Z', '2021-01-02T03:04:05Z', '20231231235959.5Z').map((d) => ({ id: 'TS', data: d })),
  fc.constantFrom('10', '21', '23', '33').map((d) => ({ id: 'HM', data: d })),
  fc.constantFrom('000', '001', '003').map((d) => ({ id: 'WP', data: d })),
  printable(1, 40).map((d) => ({ id: 'LB', data: d })),
  printable(250, 400).map((d) => ({ id: 'LB', data: d })),
  fc.tuple(fromChars('0123456789', 1, 1), fromChars(ALNUM.slice(0, 36), 1, 1), printable(0, 30)).map(([a, b, d]) => ({ id: a + b, data: d })),
);

const blocksArb = fc.uniqueArray(optionalBlockArb, { maxLength: 4, selector: (b) => b.id });

const headerFieldsArb = fc.record({
  keyUsage: fc.constantFrom(...Object.keys(TR31_KEY_USAGES)),
  modeOfUse: fc.constantFrom(...Object.keys(TR31_MODES_OF_USE)),
  keyVersion: fromChars(ALNUM, 2, 2),
  exportability: fc.constantFrom(...Object.keys(TR31_EXPORTABILITY)),
  keyContext: fc.constantFrom(...Object.keys(TR31_KEY_CONTEXTS)),
});

/** A version, a KBPK that fits it, an algorithm and key length that fit each other. */
const caseArb = fc
  .record({
    version: fc.constantFrom<Tr31Version>('A', 'B', 'C', 'D', 'E'),
    kbpkPick: fc.nat(),
    key: fc.oneof(
      fc.constantFrom(16, 24).chain((n) => fc.record({ algorithm: fc.constant('T'), bytes: fc.uint8Array({ minLength: n, maxLength: n }) })),
      fc.constantFrom(16, 24, 32).chain((n) => fc.record({ algorithm: fc.constant('A'), bytes: fc.uint8Array({ minLength: n, maxLength: n }) })),
      fc.record({ algorithm: fc.constant('D'), bytes: fc.uint8Array({ minLength: 8, maxLength: 8 }) }),
      fc.record({ algorithm: fc.constant('H'), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
    ),
    fields: headerFieldsArb,
    blocks: blocksArb,
    extraMask: fc.option(fc.nat({ max: 40 }), { nil: undefined }),
    kbpkSeed: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  })
  .map((c) => {
    const lengths = TR31_VERSIONS[c.version].kbpkLengths;
    const kbpk = c.kbpkSeed.slice(0, lengths[c.kbpkPick % lengths.length]!);
    const header: Tr31Header = {
      version: c.version,
      algorithm: c.key.algorithm,
      ...c.fields,
      optionalBlocks: c.blocks.map((b) => ({ ...b, raw: '' })),
    };
    const maskedKeyLength = c.extraMask === undefined ? undefined : c.key.bytes.length + c.extraMask;
    return { kbpk, header, key: c.key.bytes, maskedKeyLength };
  });

const bare = (blocks: readonly Tr31OptionalBlock[]) => blocks.map(({ id, data }) => ({ id, data }));

describe('properties (fast-check, 1,000 runs each)', () => {
  it('unwrap ∘ wrap is the identity (every version × KBPK size × algorithm/length × optional blocks)', () => {
    fc.assert(
      fc.property(caseArb, ({ kbpk, header, key, maskedKeyLength }) => {
        const block = wrapTr31(kbpk, header, key, maskedKeyLength === undefined ? {} : { maskedKeyLength });
        const out = unwrapTr31(kbpk.slice(), block);
        expect(out.key).toEqual(key);
        const { optionalBlocks, ...fixed } = out.header;
        const { optionalBlocks: inBlocks, ...inFixed } = header;
        expect(fixed).toEqual(inFixed);
        const got = bare(optionalBlocks);
        const want = bare(inBlocks);
        // wrap adds a PB block only when the header needs padding
        expect(got.slice(0, want.length)).toEqual(want);
        expect(got.length - want.length).toBeLessThanOrEqual(1);
        if (got.length > want.length) expect(got[got.length - 1]!.id).toBe('PB');
        expect(block).toMatch(/^[\x20-\x7e]+$/);
        expect(block.slice(parseTr31(block).headerLength)).toMatch(/^[0-9A-F]+$/);
      }),
      { numRuns: RUNS },
    );
  });

  it('any single-character change to a valid block is rejected with a KeyBlockError (never a wrong key)', () => {
    const mutation = fc.record({ at: fc.nat(), ch: fc.integer({ min: 0x20, max: 0x7e }) });
    fc.assert(
      fc.property(caseArb, mutation, ({ kbpk, header, key }, { at, ch }) => {
        const block = wrapTr31(kbpk, header, key);
        const i = at % block.length;
        const c = String.fromCharCode(ch === block.charCodeAt(i) ? (ch === 0x7e ? 0x20 : ch + 1) : ch);
        const changed = block.slice(0, i) + c + block.slice(i + 1);
        let thrown: unknown;
        try {
          unwrapTr31(kbpk, changed);
        } catch (e) {
          thrown = e;
        }
        expect(thrown).toBeInstanceOf(KeyBlockError);
      }),
      { numRuns: RUNS },
    );
  });

  it('header: parse ∘ serialize is the identity, and serialize ∘ parse gives back the text', () => {
    fc.assert(
      fc.property(fc.constantFrom<Tr31Version>('A', 'B', 'C', 'D', 'E'), fc.constantFrom(...Object.keys(TR31_KEY_USAGES)), fc.constantFrom('A', 'T', 'D', 'H', 'R', 'E', 'S'), headerFieldsArb, blocksArb, fc.integer({ min: 0, max: 9999 }), (version, keyUsage, algorithm, fields, blocks, length) => {
        const header: Tr31Header = { version, ...fields, keyUsage, algorithm, optionalBlocks: blocks.map((b) => ({ ...b, raw: '' })) };
        const text = serializeTr31Header(header, length);
        const parsed = parseTr31Header(text);
        const { lengthField, ...h } = parsed;
        expect(lengthField).toBe(length);
        expect({ ...h, optionalBlocks: bare(h.optionalBlocks) }).toEqual({ ...header, optionalBlocks: bare(header.optionalBlocks) });
        expect(h.optionalBlocks.map((b) => b.raw).join('')).toBe(text.slice(16));
        expect(serializeTr31Header(parsed, lengthField)).toBe(text);
      }),
      { numRuns: RUNS },
    );
  });

  it('arbitrary strings give parseTr31 / unwrapTr31 a KeyBlockError, never another exception or a hang', () => {
    const kbpkA = new Uint8Array(16).fill(1); // 2-key TDES for B, AES-128 for D
    const kbpkD = new Uint8Array(32).fill(2);
    const prefix = fc.constantFrom('A', 'B', 'C', 'D', 'E', 'D0112P0AE00E0000', 'B0080P0TE00E0000', 'D0048P0AE00E01', 'B0040P0TE00E0100KS', 'D0144P0AE00E0100PB', '');
    const tail = fc.oneof(fc.string({ maxLength: 200 }), fromChars(HEX, 0, 200), printable(0, 200), fc.string({ unit: 'grapheme', maxLength: 50 }));
    // valid blocks spliced at random, with the length field then set to the new length, reach the
    // deeper checks (block multiples, hex, MAC, payload)
    const spliced = fc.tuple(caseArb, fc.nat(), fc.nat({ max: 40 }), printable(0, 40)).map(([c, at, del, ins]) => {
      const b = wrapTr31(c.kbpk.length === 32 ? kbpkD : kbpkA, { ...c.header, version: c.kbpk.length === 32 ? 'D' : 'B' }, c.key, { random: (n) => new Uint8Array(n) });
      const i = 5 + (at % (b.length - 5));
      const body = b.slice(5, i) + ins + b.slice(i + del);
      return b[0] + String(Math.min(9999, 5 + body.length)).padStart(4, '0') + body;
    });
    const input = fc.oneof(
      spliced,
      fc.string({ maxLength: 300 }),
      fc.tuple(prefix, tail).map(([p, t]) => p + t),
      // a well-formed length field for whatever follows
      fc.tuple(fc.constantFrom('A', 'B', 'C', 'D', 'E'), printable(11, 11), fromChars(HEX, 0, 160)).map(([v, mid, rest]) => {
        const body = mid + rest;
        return v + String(5 + body.length).padStart(4, '0') + body;
      }),
    );
    fc.assert(
      fc.property(input, (s) => {
        for (const fn of [() => parseTr31(s), () => unwrapTr31(kbpkA, s), () => unwrapTr31(kbpkD, s), () => parseTr31(s, { allowExtendedLength0002: true, allowLowerCaseHex: true, allowProprietaryValues: true, allowNonStandardOptionalBlockData: true })]) {
          try {
            fn();
          } catch (e) {
            if (!(e instanceof KeyBlockError)) throw e;
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});
