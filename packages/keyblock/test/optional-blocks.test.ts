import { bytesToHex, hexToBytes } from '@paycrypt/primitives';
import { describe, expect, it } from 'vitest';
import {
  KeyBlockError,
  decodeOptionalBlock,
  kcvOptionalBlock,
  optionalBlock,
  parseTr31,
  parseTr31Header,
  prepareKbpk,
  readOptionalBlock,
  serializeTr31Header,
  unwrapTr31,
  wrapTr31,
  type Tr31Header,
} from '../src/index.js';
import { seal } from '../src/tr31/binding.js';
import { TR31_VERSIONS } from '../src/tr31/versions.js';
import { loadVectors } from './vectors.js';

interface Vector {
  id: string;
  kbpk: string;
  key: string;
  header: string;
  keyBlock: string;
}
const vectors = loadVectors<Vector[]>('tr31.json');
const byId = (id: string): Vector => vectors.find((v) => v.id === id)!;

describe('typed optional blocks on published blocks', () => {
  it('openemv README block (tr31-021): KS, KC = legacy KCV of the key, KP = legacy KCV of the KBPK', () => {
    const v = byId('tr31-021');
    const { header, key } = unwrapTr31(hexToBytes(v.kbpk), v.keyBlock);
    expect(bytesToHex(readOptionalBlock(header, 'KS')!.ksn)).toBe('FFFF00A0200001E00000');
    const kc = readOptionalBlock(header, 'KC')!;
    expect(kc.method).toBe('ANSI_X9_24');
    expect(bytesToHex(kc.kcv)).toBe('0169E3'); // published in the openemv README
    expect(kcvOptionalBlock('KC', key, 'TDES').data).toBe(header.optionalBlocks.find((b) => b.id === 'KC')!.data);
    expect(kcvOptionalBlock('KP', hexToBytes(v.kbpk), 'TDES').data).toBe('00ECAD62');
  });

  it('X9.143 8.5 (tr31-016): X.509 CT with extended length 0004, CMAC KP of the KBPK, TS', () => {
    const v = byId('tr31-016');
    const h = parseTr31(v.keyBlock);
    expect(h.optionalBlocks.map((b) => b.id)).toEqual(['CT', 'KP', 'TS', 'PB']);
    expect(h.optionalBlocks[0]!.raw.slice(0, 12)).toBe('CT0004050000');
    const ct = readOptionalBlock(h, 'CT')!;
    expect(ct.chain).toBe(false);
    expect(ct.certificates[0]!.format).toBe('X509');
    expect(ct.certificates[0]!.base64.startsWith('MIID')).toBe(true);
    expect(kcvOptionalBlock('KP', hexToBytes(v.kbpk), 'AES').data).toBe('01D77F007724');
    expect(readOptionalBlock(h, 'TS')).toEqual({ time: '20200818221218Z' });
  });

  it('X9.143 8.6 (tr31-017): CT certificate chain of two, CMAC KP 2331550BC9', () => {
    const h = parseTr31(byId('tr31-017').keyBlock);
    const ct = readOptionalBlock(h, 'CT')!;
    expect(ct.chain).toBe(true);
    expect(ct.certificates).toHaveLength(2);
    expect(bytesToHex(readOptionalBlock(h, 'KP')!.kcv)).toBe('2331550BC9');
    // the chain re-encodes to the same text
    expect(optionalBlock('CT', ct).data).toBe(h.optionalBlocks[0]!.data);
  });
});

describe('typed codecs', () => {
  const samples: Parameters<typeof optionalBlock>[] = [
    ['KS', { ksn: hexToBytes('00604B120F9292800000') }],
    ['IK', { ikid: hexToBytes('1234567890ABCDEF') }],
    ['BI', { type: 'TDES_DUKPT', id: hexToBytes('0102030405') }],
    ['BI', { type: 'AES_DUKPT', id: hexToBytes('01020304') }],
    ['KC', { method: 'CMAC', kcv: hexToBytes('0102030405') }],
    ['KP', { method: 'ANSI_X9_24', kcv: hexToBytes('ABCDEF') }],
    ['PK', { method: 'CMAC', kcv: hexToBytes('0102030405') }],
    ['KV', { versionId: '00', other: '00' }],
    ['HM', { code: '21', hash: 'SHA-256' }],
    ['TS', { time: '20200818221218Z' }],
    ['TC', { time: '2020-08-18T22:12:18.5Z' }],
    ['CT', { chain: false, certificates: [{ format: 'EMV', base64: 'QUJD' }] }],
    ['DA', { derivations: [{ keyUsage: 'P0', algorithm: 'T', modeOfUse: 'E', exportability: 'N' }] }],
    ['AL', { life: 'STATIC' }],
    ['LB', { label: 'my label #1' }],
    ['WP', { pedigree: 2 }],
  ];
  for (const [id, value] of samples) {
    it(`${id}: encode then decode is the identity`, () => {
      const b = optionalBlock(id, value);
      expect(decodeOptionalBlock(id, b.data)).toEqual(value);
      expect(b.raw.slice(0, 2)).toBe(id);
    });
  }

  const bad: [string, string][] = [
    ['KS', '00604B120F92928000'],
    ['KS', 'VM9A'],
    ['IK', '1234567890abcdef'],
    ['BI', '020102030405'],
    ['KC', '02ABCDEF'],
    ['KC', '00ABCDEF01'],
    ['HM', '99'],
    ['TS', '20201318221218Z'],
    ['TS', '2018-06-18T20:42:39.22'],
    ['DA', '01P0TE'],
    ['AL', '0102'],
    ['WP', '004'],
    ['KV', '0-00'],
    ['CT', '03QUJD'],
  ];
  for (const [id, data] of bad) {
    it(`${id} "${data}" is refused with INVALID_OPTIONAL_BLOCK`, () => {
      expect(() => decodeOptionalBlock(id as 'KS', data)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONAL_BLOCK', field: id }));
      expect(() => parseTr31Header(serializeTr31Header({ ...base, optionalBlocks: [{ id, data, raw: '' }] }))).toThrow(KeyBlockError);
    });
  }
});

const base: Tr31Header = { version: 'D', keyUsage: 'P0', algorithm: 'A', modeOfUse: 'E', keyVersion: '00', exportability: 'E', keyContext: '0', optionalBlocks: [] };

describe('optional block structure', () => {
  it('wrap adds a minimal PB last and counts it', () => {
    const kbpk = new Uint8Array(32).fill(7);
    const block = wrapTr31(kbpk, { ...base, optionalBlocks: [optionalBlock('KS', { ksn: hexToBytes('00604B120F9292800000') })] }, new Uint8Array(16));
    const h = parseTr31(block);
    expect(h.optionalBlocks.map((b) => b.raw)).toEqual(['KS1800604B120F9292800000', 'PB080000']);
    expect(block.slice(12, 14)).toBe('02');
    expect(h.headerLength % 16).toBe(0);
    // a header that needs fewer than 4 characters of padding gets a whole extra block
    const b2 = wrapTr31(kbpk, { ...base, optionalBlocks: [{ id: 'LB', data: 'x'.repeat(10), raw: '' }] }, new Uint8Array(16));
    expect(parseTr31(b2).optionalBlocks[1]!.raw).toBe('PB12' + '0'.repeat(14));
  });

  it('no PB is added when the header is already a block multiple', () => {
    const block = wrapTr31(new Uint8Array(16), { ...base, version: 'B', algorithm: 'T', optionalBlocks: [{ id: 'LB', data: 'ABCD', raw: '' }] }, new Uint8Array(16));
    expect(parseTr31(block).optionalBlocks.map((b) => b.id)).toEqual(['LB']);
  });

  it('a caller PB that does not pad correctly is refused', () => {
    expect(() => wrapTr31(new Uint8Array(16), { ...base, version: 'B', algorithm: 'T', optionalBlocks: [{ id: 'PB', data: '00', raw: '' }] }, new Uint8Array(16))).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONAL_BLOCK', field: 'PB' }),
    );
  });

  it('duplicate IDs and PB before another block are refused (parse and serialize)', () => {
    expect(() => parseTr31Header('B0000P0TE00E0200LB05xLB05y')).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONAL_BLOCK' }));
    expect(() => parseTr31Header('B0000P0TE00E0200PB05xLB05y')).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONAL_BLOCK', field: 'PB' }));
    expect(() => serializeTr31Header({ ...base, optionalBlocks: [{ id: 'LB', data: 'a', raw: '' }, { id: 'LB', data: 'b', raw: '' }] })).toThrow(KeyBlockError);
  });

  it('blocks longer than 255 characters are written with X9.143 extended length 00 04 LLLL', () => {
    const label = 'L'.repeat(300);
    const text = serializeTr31Header({ ...base, optionalBlocks: [{ id: 'LB', data: label, raw: '' }] });
    expect(text.slice(16, 26)).toBe('LB00040136'); // 10 + 300 = 0x136
    expect(parseTr31Header(text).optionalBlocks[0]!.data).toBe(label);
    expect(serializeTr31Header({ ...base, optionalBlocks: [{ id: 'LB', data: 'L'.repeat(251), raw: '' }] }).slice(16, 20)).toBe('LBFF');
  });

  it("psec's 00 02 LLLL is refused by default and accepted with allowExtendedLength0002", () => {
    const label = 'L'.repeat(300);
    const header = `D0000P0AE00E0200LB00020136${label}PB0A000000`; // 16 + 310 + 10 = 336 = 21 × 16
    expect(() => parseTr31Header(header)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONAL_BLOCK', field: 'LB' }));
    expect(parseTr31Header(header, { allowExtendedLength0002: true }).optionalBlocks[0]!.data).toBe(label);

    // a psec-style block: bind the 0002 header as psec would (MAC over the header as written)
    const kbpk = new Uint8Array(32).fill(0x11);
    const key = hexToBytes('00112233445566778899AABBCCDDEEFF');
    const clear = new Uint8Array(48);
    clear.set([0x00, 0x80], 0);
    clear.set(key, 2);
    const total = header.length + 96 + 32;
    const headerText = header.replace('D0000', `D${String(total).padStart(4, '0')}`);
    const input = new Uint8Array(headerText.length + 48);
    for (let i = 0; i < headerText.length; i++) input[i] = headerText.charCodeAt(i);
    input.set(clear, headerText.length);
    const f = TR31_VERSIONS.D;
    const { mac, ciphertext } = seal(f, prepareKbpk(kbpk).ciphersFor(f), input, headerText.length);
    const block = headerText + bytesToHex(ciphertext) + bytesToHex(mac);
    expect(() => unwrapTr31(kbpk, block)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONAL_BLOCK' }));
    expect(bytesToHex(unwrapTr31(kbpk, block, { allowExtendedLength0002: true }).key)).toBe(bytesToHex(key));
  });

  it('unregistered IDs pass through untouched; proprietary formats of registered IDs need allowNonStandardOptionalBlockData', () => {
    expect(parseTr31Header('B0000P0TE00E0100TT0EHelloWorld').optionalBlocks[0]!.data).toBe('HelloWorld');
    const gbic = 'B0000B0TX00E0100KS10DE#GBIC#MMK1'; // openemv/tr31 issue #1
    expect(() => parseTr31Header(gbic)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONAL_BLOCK', field: 'KS' }));
    expect(parseTr31Header(gbic, { allowNonStandardOptionalBlockData: true }).optionalBlocks[0]!.data).toBe('DE#GBIC#MMK1');
  });
});
