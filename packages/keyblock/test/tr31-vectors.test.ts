import { asciiToBytes, bytesToHex, hexToBytes } from '@paycrypt/primitives';
import { describe, expect, it } from 'vitest';
import { KeyBlockError, parseTr31, unwrapTr31, wrapTr31, type KeyBlockErrorCode, type Tr31UnwrapOptions } from '../src/index.js';
import { loadVectors } from './vectors.js';

interface Vector {
  id: string;
  source: { repo: string; test?: string; origin?: string };
  version: string;
  kbpk: string;
  key: string;
  header: string;
  keyBlock: string;
  padding: string | null;
  notes: string;
}

const vectors = loadVectors<Vector[]>('tr31.json');

/**
 * Published blocks that default (X9.143) validation rejects, each with the documented reason
 * (reference/tr31.md §1 point 5 and §4.4) and the named option that accepts it, if any.
 */
const REJECTED: Record<string, { code: KeyBlockErrorCode; field?: string; reason: string; lenient?: Tr31UnwrapOptions }> = {
  'tr31-018': {
    code: 'INVALID_OPTIONAL_BLOCK',
    field: 'KS',
    reason: 'X9.143:2021 8.2 (standard defect): KS holds non-hex "VM9A"; its MAC verifies',
    lenient: { allowNonStandardOptionalBlockData: true },
  },
  'tr31-019': { code: 'INVALID_LENGTH', field: 'length', reason: 'X9.143:2021 8.3.2.1 (standard defect): length field 0072, block 88' },
  'tr31-020': { code: 'INVALID_LENGTH', field: 'length', reason: 'X9.143:2021 8.3.2.2 (standard defect): length field 0080, block 96' },
  'tr31-043': { code: 'INVALID_HEX', field: 'payload', reason: 'lower-case hex (moov-io); X9.143 requires upper case', lenient: { allowLowerCaseHex: true } },
  'tr31-061': { code: 'UNSUPPORTED_VERSION', field: 'version', reason: 'Thales proprietary version 0, not TR-31' },
  'tr31-062': { code: 'UNSUPPORTED_VERSION', field: 'version', reason: 'Thales proprietary version 0, not TR-31' },
};
// keys whose length does not fit algorithm T (8-byte single DES, 6- and 32-byte test keys)
for (const id of ['tr31-022', 'tr31-023', 'tr31-024', 'tr31-044', 'tr31-045', 'tr31-047', 'tr31-048', 'tr31-051']) {
  REJECTED[id] = { code: 'INVALID_KEY_LENGTH', field: 'key', reason: 'key length does not fit algorithm T (16 or 24 bytes)', lenient: { allowNonStandardKeyLength: true } };
}

function expectKeyBlockError(fn: () => unknown, code: KeyBlockErrorCode, field?: string): KeyBlockError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KeyBlockError);
    const err = e as KeyBlockError;
    expect(err.code).toBe(code);
    if (field !== undefined) expect(err.field).toBe(field);
    return err;
  }
  throw new Error(`expected KeyBlockError ${code}, nothing was thrown`);
}

/** A random source that hands out exactly the published padding. */
function replay(padding: Uint8Array) {
  return (n: number): Uint8Array => {
    expect(n).toBe(padding.length);
    return padding.slice();
  };
}

describe('tr31.json: 64 published key blocks', () => {
  it('holds 64 vectors', () => expect(vectors).toHaveLength(64));

  for (const v of vectors) {
    const rejected = REJECTED[v.id];
    const title = `${v.id} ${v.version} (${v.source.repo}: ${v.source.test ?? v.source.origin ?? ''})`;
    if (rejected === undefined) {
      it(`${title}: unwrap gives the published key`, () => {
        const { header, key } = unwrapTr31(hexToBytes(v.kbpk), v.keyBlock);
        expect(bytesToHex(key)).toBe(v.key.toUpperCase());
        expect(header.version).toBe(v.version);
      });
    } else {
      it(`${title}: rejected by default (${rejected.reason})`, () => {
        expectKeyBlockError(() => unwrapTr31(hexToBytes(v.kbpk), v.keyBlock), rejected.code, rejected.field);
      });
      if (rejected.lenient !== undefined) {
        it(`${title}: accepted with ${Object.keys(rejected.lenient).join(', ')}, gives the published key`, () => {
          const { key } = unwrapTr31(hexToBytes(v.kbpk), v.keyBlock, rejected.lenient);
          expect(bytesToHex(key)).toBe(v.key.toUpperCase());
        });
      }
    }
    if (v.padding !== null && (rejected === undefined || rejected.lenient !== undefined)) {
      it(`${title}: wrap with the published padding reproduces the block byte for byte`, () => {
        const key = hexToBytes(v.key);
        const padding = hexToBytes(v.padding!);
        const block = wrapTr31(hexToBytes(v.kbpk), v.header, key, {
          ...rejected?.lenient,
          maskedKeyLength: key.length + padding.length,
          random: replay(padding),
        });
        // X9.143 output is upper-case hex: the lower-case block comes back upper-cased
        const expected = rejected?.code === 'INVALID_HEX' ? v.header + v.keyBlock.slice(v.header.length).toUpperCase() : v.keyBlock;
        expect(block).toBe(expected);
      });
    }
  }

  it('ISO 20038 B.3 (tr31-012): the block holds the recovered key, not the one printed in the standard', () => {
    const v = vectors.find((x) => x.id === 'tr31-012')!;
    const { key } = unwrapTr31(hexToBytes(v.kbpk), v.keyBlock);
    expect(bytesToHex(key)).toBe(v.key);
    expect(bytesToHex(key)).not.toBe(bytesToHex(asciiToBytes('vrapped 3DES key')));
  });

  it('X9.143 obfuscated examples (8.1, 8.4.1, 8.4.2) reproduce with the DEFAULT masked length', () => {
    for (const id of ['tr31-013', 'tr31-014', 'tr31-015']) {
      const v = vectors.find((x) => x.id === id)!;
      const block = wrapTr31(hexToBytes(v.kbpk), v.header, hexToBytes(v.key), { random: replay(hexToBytes(v.padding!)) });
      expect(block, id).toBe(v.keyBlock);
    }
  });

  it('parseTr31 reads every TR-31 header without a key', () => {
    for (const v of vectors) {
      if (v.version === '0' || REJECTED[v.id]?.code === 'INVALID_LENGTH') continue;
      const p = parseTr31(v.keyBlock, { allowLowerCaseHex: true, allowNonStandardOptionalBlockData: true });
      expect(p.blockLength).toBe(v.keyBlock.length);
      expect(p.headerLength).toBe(v.header.length);
      expect(v.keyBlock.startsWith(v.header)).toBe(true);
    }
  });
});
