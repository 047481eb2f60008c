import { bytesToHex, hexToBytes } from '@paycrypt/primitives';
import { describe, expect, it } from 'vitest';
import { KeyBlockError, MAC_FAILURE_MESSAGE, PreparedKbpk, parseTr31, parseTr31Header, prepareKbpk, unwrapTr31, wrapTr31, type Tr31Header } from '../src/index.js';

const KEY16 = hexToBytes('3F419E1CB7079442AA37474C2EFBF8B8');
const KEY24 = hexToBytes('3F419E1CB7079442AA37474C2EFBF8B80123456789ABCDEF');
const KEY32 = new Uint8Array(32).fill(0x5a);
const TDES16 = hexToBytes('DD7515F2BFC17F85CE48F3CA25CB21F6');
const TDES24 = new Uint8Array(24).fill(0x33);
const AES16 = new Uint8Array(16).fill(0x44);
const AES32 = new Uint8Array(32).fill(0x55);

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof KeyBlockError) return `${e.code}${e.field ? `:${e.field}` : ''}`;
    throw e;
  }
  return 'no error';
}

describe('KBPK must match the version', () => {
  it('A/B/C need a TDES KBPK of 16 or 24 bytes; D/E an AES KBPK of 16, 24 or 32', () => {
    expect(code(() => wrapTr31(AES32, 'B0000P0TE00E0000', KEY16))).toBe('KBPK_MISMATCH:kbpk');
    expect(code(() => wrapTr31(AES32, 'A0000P0TE00E0000', KEY16))).toBe('KBPK_MISMATCH:kbpk');
    expect(code(() => wrapTr31(new Uint8Array(8), 'C0000P0TE00E0000', KEY16))).toBe('KBPK_MISMATCH:kbpk');
    expect(code(() => wrapTr31(new Uint8Array(20), 'D0000P0TE00E0000', KEY16))).toBe('KBPK_MISMATCH:kbpk');
    const block = wrapTr31(AES32, 'D0000P0TE00E0000', KEY16);
    expect(code(() => unwrapTr31(prepareKbpk(AES32), block.replace(/^D/, 'B')))).toBe('KBPK_MISMATCH:kbpk');
    expect(() => prepareKbpk(AES32, 'B')).toThrow(expect.objectContaining({ code: 'KBPK_MISMATCH' }));
    // a 16-byte KBPK is TDES or AES; preparing it for a version pins its algorithm
    const aes = prepareKbpk(AES16, 'D');
    expect(aes.family).toBe('AES');
    expect(code(() => wrapTr31(aes, 'B0000P0TE00E0000', KEY16))).toBe('KBPK_MISMATCH:kbpk');
    expect(code(() => unwrapTr31(aes, wrapTr31(AES16, 'B0000P0TE00E0000', KEY16)))).toBe('KBPK_MISMATCH:kbpk');
    expect(wrapTr31(aes, 'E0000P0TE00E0000', KEY16)).toMatch(/^E/);
  });

  it('programmer errors are TypeError / RangeError with labelled messages', () => {
    expect(() => unwrapTr31('00' as unknown as Uint8Array, 'x'.repeat(16))).toThrow(TypeError);
    expect(() => prepareKbpk(new Uint8Array(7))).toThrow(new RangeError('"kbpk" expected 16, 24 or 32 bytes, got 7'));
    expect(() => wrapTr31(AES32, 'D0000P0AE00E0000', 'key' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => wrapTr31(AES32, 'D0000P0AE00E0000', KEY16, { maskedKeyLength: 8 })).toThrow(RangeError);
  });
});

describe('key length per algorithm', () => {
  it('wrap and unwrap refuse a key that does not fit the algorithm', () => {
    expect(code(() => wrapTr31(AES32, 'D0000P0TE00E0000', new Uint8Array(8)))).toBe('INVALID_KEY_LENGTH:key');
    expect(code(() => wrapTr31(AES32, 'D0000P0AE00E0000', new Uint8Array(20)))).toBe('INVALID_KEY_LENGTH:key');
    expect(code(() => wrapTr31(AES32, 'D0000P0DE00E0000', KEY16))).toBe('INVALID_KEY_LENGTH:key');
    const b = wrapTr31(AES32, 'D0000P0TE00E0000', new Uint8Array(8), { allowNonStandardKeyLength: true });
    expect(code(() => unwrapTr31(AES32, b))).toBe('INVALID_KEY_LENGTH:key');
    expect(unwrapTr31(AES32, b, { allowNonStandardKeyLength: true }).key).toHaveLength(8);
  });
});

describe('header values against the X9.143 tables', () => {
  it.each([
    ['D0000Z9AE00E0000', 'keyUsage'],
    ['D0000P0QE00E0000', 'algorithm'],
    ['D0000P0AQ00E0000', 'modeOfUse'],
    ['D0000P0AE00Q0000', 'exportability'],
    ['D0000P0AE00E0030', 'keyContext'],
    ['D0000P0AE-0E0000', 'keyVersion'],
    ['D0000P0AE00E0001', 'reserved'],
  ])('%s is refused (%s)', (h, field) => {
    expect(code(() => parseTr31Header(h))).toBe(`INVALID_HEADER_FIELD:${field}`);
  });

  it("proprietary values (IBM usage 10, mode 1) need allowProprietaryValues, and still must be alphanumeric", () => {
    expect(code(() => parseTr31Header('D000010T100E0000'))).toBe('INVALID_HEADER_FIELD:keyUsage');
    const h = parseTr31Header('D000010T100E0000', { allowProprietaryValues: true });
    expect([h.keyUsage, h.modeOfUse]).toEqual(['10', '1']);
    expect(code(() => parseTr31Header('D00001#T100E0000', { allowProprietaryValues: true }))).toBe('INVALID_HEADER_FIELD:keyUsage');
  });

  it('structural errors', () => {
    expect(code(() => parseTr31Header('D0000P0AE00E00'))).toBe('INVALID_FORMAT');
    expect(code(() => parseTr31Header('X0000P0AE00E0000'))).toBe('UNSUPPORTED_VERSION:version');
    expect(code(() => parseTr31Header('D00A0P0AE00E0000'))).toBe('INVALID_FORMAT:length');
    expect(code(() => parseTr31Header('D0000P0AE00E0X00'))).toBe('INVALID_FORMAT:optionalBlocks');
    expect(code(() => parseTr31Header('D0000P0AE00E0100'))).toBe('INVALID_OPTIONAL_BLOCK');
    expect(code(() => parseTr31Header('D0000P0AE00E0000PB04'))).toBe('INVALID_FORMAT');
    expect(code(() => parseTr31Header('D0000P0AE00E\u00000000'))).toBe('INVALID_FORMAT');
  });
});

describe('upper-case hex and block multiples', () => {
  const block = wrapTr31(AES32, 'D0000P0AE00E0000', KEY16);
  it('lower-case payload or MAC needs allowLowerCaseHex', () => {
    const lower = block.slice(0, 16) + block.slice(16).toLowerCase();
    expect(code(() => unwrapTr31(AES32, lower))).toBe('INVALID_HEX:payload');
    const lowerMac = block.slice(0, -32) + block.slice(-32).toLowerCase();
    expect(code(() => unwrapTr31(AES32, lowerMac))).toBe('INVALID_HEX:mac');
    expect(bytesToHex(unwrapTr31(AES32, lower, { allowLowerCaseHex: true }).key)).toBe(bytesToHex(KEY16));
  });
  it('the length field must equal the length; payload must be whole blocks', () => {
    expect(code(() => unwrapTr31(AES32, block + '00'))).toBe('INVALID_LENGTH:length');
    const short = 'D0128' + block.slice(5, 16) + block.slice(32);
    expect(code(() => unwrapTr31(AES32, short))).toBe('INVALID_LENGTH:payload');
  });
});

describe('key-length obfuscation', () => {
  const lengths = (block: string) => parseTr31(block).payloadLength;
  it('on by default: TDES keys padded to 24 bytes, AES keys to 32', () => {
    expect(lengths(wrapTr31(AES32, 'D0000P0TE00E0000', KEY16))).toBe(32); // 2 + 24 → 32
    expect(lengths(wrapTr31(AES32, 'D0000P0AE00E0000', KEY16))).toBe(48); // 2 + 32 → 48
    expect(lengths(wrapTr31(TDES16, 'B0000P0TE00E0000', KEY16))).toBe(32); // 2 + 24 → 32
    expect(lengths(wrapTr31(TDES16, 'B0000P0TE00E0000', KEY24))).toBe(32);
    expect(lengths(wrapTr31(AES32, 'E0000P0AE00E0000', KEY16))).toBe(34); // E: no block padding
  });
  it('maskedKeyLength chooses (the key length switches it off)', () => {
    expect(lengths(wrapTr31(AES32, 'D0000P0AE00E0000', KEY16, { maskedKeyLength: 16 }))).toBe(32);
    expect(lengths(wrapTr31(TDES16, 'B0000P0TE00E0000', KEY16, { maskedKeyLength: 16 }))).toBe(24);
    expect(lengths(wrapTr31(AES32, 'E0000P0AE00E0000', KEY16, { maskedKeyLength: 16 }))).toBe(18);
  });
});

describe('MAC failures are one opaque error', () => {
  it('wrong KBPK, flipped MAC, flipped payload: same code, same fixed message', () => {
    const block = wrapTr31(AES32, 'D0000P0AE00E0000', KEY16);
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === '0' ? '1' : '0') + s.slice(i + 1);
    const errors = [
      () => unwrapTr31(new Uint8Array(32), block),
      () => unwrapTr31(AES32, flip(block, block.length - 1)),
      () => unwrapTr31(AES32, flip(block, 20)),
      () => unwrapTr31(AES32, block.replace('P0AE', 'P0AD')),
    ].map((fn) => {
      try {
        fn();
      } catch (e) {
        return e as KeyBlockError;
      }
      throw new Error('not rejected');
    });
    for (const e of errors) {
      expect(e.code).toBe('MAC_VERIFICATION_FAILED');
      expect(e.message).toBe(MAC_FAILURE_MESSAGE);
    }
  });
});

describe('policy (opt-in)', () => {
  const h = (s: string) => s;
  it('usage × algorithm × mode of use', () => {
    expect(code(() => wrapTr31(AES32, h('D0000C0TB00E0000'), KEY16, { policy: true }))).toBe('POLICY_VIOLATION:modeOfUse');
    expect(code(() => wrapTr31(AES32, h('D0000M3AC00E0000'), KEY16, { policy: true }))).toBe('POLICY_VIOLATION:algorithm');
    expect(code(() => wrapTr31(AES32, h('D0000M7TC00E0000'), KEY16, { policy: true }))).toBe('POLICY_VIOLATION:algorithm');
    expect(wrapTr31(AES32, h('D0000C0TC00E0000'), KEY16, { policy: true })).toMatch(/^D0112C0TC/);
    const loose = wrapTr31(AES32, h('D0000C0TB00E0000'), KEY16);
    expect(code(() => unwrapTr31(AES32, loose, { policy: true }))).toBe('POLICY_VIOLATION:modeOfUse');
    expect(unwrapTr31(AES32, loose).key).toHaveLength(16);
  });
  it('no key wrapped by a weaker KBPK', () => {
    expect(code(() => wrapTr31(AES16, 'D0000K0AB00E0000', KEY32, { policy: true }))).toBe('POLICY_VIOLATION:kbpk');
    expect(code(() => wrapTr31(TDES16, 'B0000K0TB00E0000', KEY24, { policy: true }))).toBe('POLICY_VIOLATION:kbpk');
    expect(code(() => wrapTr31(TDES24, 'B0000K0AB00E0000', KEY16, { policy: true }))).toBe('POLICY_VIOLATION:kbpk');
    expect(wrapTr31(TDES24, 'B0000K0TB00E0000', KEY24, { policy: true })).toMatch(/^B/);
    expect(wrapTr31(AES16, 'D0000K0TB00E0000', KEY24, { policy: true })).toMatch(/^D/);
    const weak = wrapTr31(AES16, 'D0000K0AB00E0000', KEY32);
    expect(code(() => unwrapTr31(AES16, weak, { policy: true }))).toBe('POLICY_VIOLATION:kbpk');
  });
  it('proprietary usages are outside the policy', () => {
    const b = wrapTr31(AES32, 'D000010T100E0000', KEY16, { allowProprietaryValues: true });
    expect(code(() => unwrapTr31(AES32, b, { allowProprietaryValues: true, policy: true }))).toBe('POLICY_VIOLATION:keyUsage');
  });
});

describe('KBPK caching', () => {
  it('a raw KBPK overwritten in place is not served from a stale cache', () => {
    const kbpk = AES32.slice();
    const block = wrapTr31(kbpk, 'D0000P0AE00E0000', KEY16);
    expect(bytesToHex(unwrapTr31(kbpk, block).key)).toBe(bytesToHex(KEY16));
    kbpk[0] = kbpk[0]! ^ 1;
    expect(code(() => unwrapTr31(kbpk, block))).toBe('MAC_VERIFICATION_FAILED');
  });
  it('PreparedKbpk serves every version its length fits, and can be destroyed', () => {
    const p = prepareKbpk(TDES16);
    expect(p).toBeInstanceOf(PreparedKbpk);
    for (const v of ['A', 'B', 'C', 'D', 'E']) {
      const block = wrapTr31(p, `${v}0000P0TE00E0000`, KEY16);
      expect(bytesToHex(unwrapTr31(TDES16, block).key)).toBe(bytesToHex(KEY16));
    }
    p.destroy();
    expect(() => wrapTr31(p, 'B0000P0TE00E0000', KEY16)).toThrow(TypeError);
  });
});

describe('structured headers', () => {
  it('wrap accepts a Tr31Header and unwrap returns an equal one (PB added for D)', () => {
    const header: Tr31Header = { version: 'D', keyUsage: 'B1', algorithm: 'T', modeOfUse: 'X', keyVersion: '12', exportability: 'S', keyContext: '1', optionalBlocks: [{ id: 'KS', data: '00604B120F9292800000', raw: '' }] };
    const out = unwrapTr31(TDES16, wrapTr31(TDES16, header, KEY16)).header;
    expect({ ...out, optionalBlocks: out.optionalBlocks.map((b) => b.id) }).toEqual({ ...header, optionalBlocks: ['KS', 'PB'] });
  });
});
