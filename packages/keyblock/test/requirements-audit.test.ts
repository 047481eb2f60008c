import { createCipheriv } from 'node:crypto';
import { bytesToHex, hexToBytes } from '@paycrypt/primitives';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AWS_EXPORTABILITY,
  AWS_KEY_ALGORITHMS,
  AWS_KEY_USAGES,
  KeyBlockError,
  decodeOptionalBlock,
  parseTr31,
  prepareKbpk,
  unwrapTr31,
  wrapTr31,
  type TypedOptionalBlockId,
} from '../src/index.js';
import { loadVectors } from './vectors.js';

/**
 * Checks added by the issue-2 audit where a requirement had no test that could fail.
 * Expected values come from published text (AWS API enums, X9.143 examples) or from
 * computations written here with node:crypto.
 */

interface Vector {
  id: string;
  version: string;
  kbpk: string;
  key: string;
  header: string;
  keyBlock: string;
}
const vectors = loadVectors<Vector[]>('tr31.json');
const byId = (id: string): Vector => vectors.find((v) => v.id === id)!;

function errorOf(fn: () => unknown): KeyBlockError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KeyBlockError);
    return e as KeyBlockError;
  }
  throw new Error('expected a KeyBlockError');
}

describe('AWS mapping table against the AWS API enums (service model shapes KeyUsage, KeyAlgorithm, KeyExportability)', () => {
  // KeyUsage enum of the control-plane service model (payment-cryptography service-2.json; 24 values)
  const KEY_USAGE_ENUM = [
    'TR31_B0_BASE_DERIVATION_KEY', 'TR31_C0_CARD_VERIFICATION_KEY', 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY',
    'TR31_D1_ASYMMETRIC_KEY_FOR_DATA_ENCRYPTION', 'TR31_E0_EMV_MKEY_APP_CRYPTOGRAMS', 'TR31_E1_EMV_MKEY_CONFIDENTIALITY',
    'TR31_E2_EMV_MKEY_INTEGRITY', 'TR31_E4_EMV_MKEY_DYNAMIC_NUMBERS', 'TR31_E5_EMV_MKEY_CARD_PERSONALIZATION',
    'TR31_E6_EMV_MKEY_OTHER', 'TR31_K0_KEY_ENCRYPTION_KEY', 'TR31_K1_KEY_BLOCK_PROTECTION_KEY',
    'TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT', 'TR31_M0_ISO_16609_MAC_KEY', 'TR31_M3_ISO_9797_3_MAC_KEY',
    'TR31_M1_ISO_9797_1_MAC_KEY', 'TR31_M6_ISO_9797_5_CMAC_KEY', 'TR31_M7_HMAC_KEY', 'TR31_P0_PIN_ENCRYPTION_KEY',
    'TR31_P1_PIN_GENERATION_KEY', 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE', 'TR31_V1_IBM3624_PIN_VERIFICATION_KEY',
    'TR31_V2_VISA_PIN_VERIFICATION_KEY', 'TR31_K2_TR34_ASYMMETRIC_KEY',
  ];

  it('every AWS KeyUsage has exactly one TR-31 usage code, and nothing else is mapped', () => {
    expect(Object.values(AWS_KEY_USAGES).sort()).toEqual([...KEY_USAGE_ENUM].sort());
    for (const [code, name] of Object.entries(AWS_KEY_USAGES)) expect(name.slice(5, 7)).toBe(code);
  });

  it('symmetric KeyAlgorithm values and KeyExportability are the AWS enum values', () => {
    expect(AWS_KEY_ALGORITHMS.map((r) => `${r.algorithm}/${r.keyLength ?? r.hm}=${r.aws}`).sort()).toEqual(
      [
        'T/16=TDES_2KEY', 'T/24=TDES_3KEY', 'A/16=AES_128', 'A/24=AES_192', 'A/32=AES_256',
        'H/20=HMAC_SHA224', 'H/21=HMAC_SHA256', 'H/22=HMAC_SHA384', 'H/23=HMAC_SHA512',
      ].sort(),
    );
    expect(AWS_EXPORTABILITY).toEqual({ E: 'EXPORTABLE', N: 'NON_EXPORTABLE', S: 'SENSITIVE' });
  });
});

describe('typed optional blocks: format errors for the IDs the existing suite did not exercise', () => {
  const bad: [TypedOptionalBlockId, string, string][] = [
    ['KP', '01ABCDEF010203', 'CMAC KCV longer than 5 bytes'],
    ['KP', '0', 'no KCV'],
    ['PK', '00abcdef', 'lower-case hex'],
    ['PK', '00ABCDEF01', 'legacy KCV longer than 3 bytes'],
    ['TC', '2020-02-30T10:00:00Z', 'no 30 February'],
    ['TC', '20200818221218', 'no Z'],
    ['LB', '', 'empty label'],
    ['IK', '1234567890ABCDE', '15 hex digits'],
    ['BI', '0001020304', 'TDES key set ID of 4 bytes'],
    ['HM', '2', 'one digit'],
  ];
  for (const [id, data, why] of bad) {
    it(`${id} "${data}" (${why}) is refused`, () => {
      const e = errorOf(() => decodeOptionalBlock(id, data));
      expect(e.code).toBe('INVALID_OPTIONAL_BLOCK');
      expect(e.field).toBe(id);
    });
  }
  it('an unregistered or prototype ID is a RangeError, not a crash inside the codec table', () => {
    expect(() => decodeOptionalBlock('XX' as TypedOptionalBlockId, '00')).toThrow(RangeError);
    expect(() => decodeOptionalBlock('toString' as TypedOptionalBlockId, '00')).toThrow(RangeError);
  });
  it('the smallest and largest valid KCVs are accepted (legacy 1–3 bytes, CMAC 1–5 bytes)', () => {
    expect(decodeOptionalBlock('KC', '00AB').kcv).toHaveLength(1);
    expect(decodeOptionalBlock('KC', '00ABCDEF').kcv).toHaveLength(3);
    expect(decodeOptionalBlock('KP', '01ABCDEF0102').kcv).toHaveLength(5);
  });
});

describe('standard examples that are wrong, rejected for the documented reason (reference/tr31.md §1 point 5)', () => {
  it('X9.143 8.3.2.1 and 8.3.2.2: wrong length field; with the field corrected the MAC still does not verify', () => {
    for (const id of ['tr31-019', 'tr31-020']) {
      const v = byId(id);
      expect(errorOf(() => unwrapTr31(hexToBytes(v.kbpk), v.keyBlock)).code).toBe('INVALID_LENGTH');
      const fixed = v.keyBlock[0] + String(v.keyBlock.length).padStart(4, '0') + v.keyBlock.slice(5);
      expect(parseTr31(fixed).blockLength).toBe(v.keyBlock.length);
      expect(errorOf(() => unwrapTr31(hexToBytes(v.kbpk), fixed)).code).toBe('MAC_VERIFICATION_FAILED');
    }
  });
});

describe('every version A–E unwraps at least one published block with default options', () => {
  for (const version of ['A', 'B', 'C', 'D', 'E']) {
    it(version, () => {
      let ok = 0;
      for (const v of vectors.filter((x) => x.version === version)) {
        try {
          if (bytesToHex(unwrapTr31(hexToBytes(v.kbpk), v.keyBlock).key) === v.key.toUpperCase()) ok++;
        } catch {
          // rejected vectors are covered, with their reasons, in tr31-vectors.test.ts
        }
      }
      expect(ok).toBeGreaterThanOrEqual(1);
    });
  }
});

describe('parseTr31 returns the header fields of a published block without a key', () => {
  it('TR-31:2018 A.7.4 (tr31-008)', () => {
    const p = parseTr31(byId('tr31-008').keyBlock);
    expect([p.version, p.keyUsage, p.algorithm, p.modeOfUse, p.keyVersion, p.exportability, p.keyContext]).toEqual(['D', 'P0', 'A', 'E', '00', 'E', '0']);
    expect([p.blockLength, p.headerLength, p.payloadLength, p.mac.length]).toEqual([112, 16, 32, 32]);
  });
  it('a header whose optional blocks do not reach a cipher-block multiple is INVALID_LENGTH on optionalBlocks', () => {
    // 16 + LB05x (5) = 21 characters: not a multiple of 8 (B); the length field is consistent
    const body = 'P0TE00E0100LB05x' + '0'.repeat(16) + '0'.repeat(16);
    const block = `B${String(5 + body.length).padStart(4, '0')}${body}`;
    const e = errorOf(() => parseTr31(block));
    expect([e.code, e.field]).toEqual(['INVALID_LENGTH', 'optionalBlocks']);
  });
});

/** CMAC (SP 800-38B), AES, written here with node:crypto. */
function nodeAesCmac(key: Uint8Array, msg: Uint8Array): Buffer {
  const ecb = (b: Uint8Array) => createCipheriv(`aes-${key.length * 8}-ecb`, key, null).setAutoPadding(false).update(b);
  const dbl = (b: Buffer) => {
    const out = Buffer.alloc(16);
    for (let i = 0; i < 16; i++) out[i] = ((b[i]! << 1) | (i < 15 ? b[i + 1]! >> 7 : 0)) & 0xff;
    if (b[0]! & 0x80) out[15] = out[15]! ^ 0x87;
    return out;
  };
  const k1 = dbl(ecb(new Uint8Array(16)));
  const k2 = dbl(k1);
  const complete = msg.length > 0 && msg.length % 16 === 0;
  const n = Math.max(1, Math.ceil(msg.length / 16));
  const m = Buffer.alloc(n * 16);
  m.set(msg);
  if (!complete) m[msg.length] = 0x80;
  for (let i = 0; i < 16; i++) m[(n - 1) * 16 + i] = m[(n - 1) * 16 + i]! ^ (complete ? k1 : k2)[i]!;
  const c = createCipheriv(`aes-${key.length * 8}-cbc`, key, Buffer.alloc(16)).setAutoPadding(false);
  return Buffer.concat([c.update(m), c.final()]).subarray(-16);
}

/** ISO 20038 (version E) block built from the standard's description with node:crypto. */
function nodeVersionE(kbpk: Uint8Array, header: string, key: Uint8Array, pad: Uint8Array): string {
  const alg = { 16: 2, 24: 3, 32: 4 }[kbpk.length]!;
  const derive = (usage: number) => {
    const blocks: Buffer[] = [];
    for (let i = 1; i <= Math.ceil(kbpk.length / 16); i++) {
      blocks.push(nodeAesCmac(kbpk, Uint8Array.from([i, usage >> 8, usage & 255, 0, 0, alg, (kbpk.length * 8) >> 8, (kbpk.length * 8) & 255])));
    }
    return Buffer.concat(blocks).subarray(0, kbpk.length);
  };
  const kbek = derive(0x0002); // CTR encryption key (ISO 20038)
  const kbak = derive(0x0001);
  const payload = Buffer.concat([Buffer.from([(key.length * 8) >> 8, (key.length * 8) & 255]), key, pad]);
  const mac = nodeAesCmac(kbak, Buffer.concat([Buffer.from(header, 'ascii'), payload]));
  const c = createCipheriv(`aes-${kbpk.length * 8}-ctr`, kbek, mac);
  const ct = Buffer.concat([c.update(payload), c.final()]);
  return header + ct.toString('hex').toUpperCase() + mac.toString('hex').toUpperCase();
}

describe('version E (ISO 20038) against an independent node:crypto construction', () => {
  it('wrap with injected padding equals the node:crypto block; unwrap gives the key (AES-128/192/256 KBPK, obfuscated)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(16, 24, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
        fc.constantFrom(16, 24, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
        fc.nat({ max: 20 }),
        (kbpk, key, extra) => {
          const pad = new Uint8Array(extra).map((_, i) => (i * 13 + key[0]!) & 0xff);
          const total = 16 + 2 * (2 + key.length + extra) + 32;
          const header = `E${String(total).padStart(4, '0')}K0AB00E0000`;
          const block = wrapTr31(kbpk, header, key, { maskedKeyLength: key.length + extra, random: (n) => pad.slice(0, n) });
          expect(block).toBe(nodeVersionE(kbpk, header, key, pad));
          expect(unwrapTr31(kbpk, block).key).toEqual(key);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('no key or KBPK bytes in any error message', () => {
  it('mutated blocks: messages never contain 8 consecutive hex characters of the key or KBPK', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('B', 'D', 'E'),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.nat(),
        fc.integer({ min: 0x20, max: 0x7e }),
        (version, kbpk, key, at, ch) => {
          const block = wrapTr31(kbpk, `${version}0000K0TB00E0000`, key);
          const i = at % block.length;
          const changed = block.slice(0, i) + String.fromCharCode(ch) + block.slice(i + 1);
          let message = '';
          try {
            unwrapTr31(kbpk, changed);
            return; // the character was unchanged
          } catch (e) {
            expect(e).toBeInstanceOf(KeyBlockError);
            message = (e as Error).message.toUpperCase();
          }
          for (const secret of [bytesToHex(kbpk), bytesToHex(key)]) {
            for (let p = 0; p + 8 <= secret.length; p += 2) expect(message).not.toContain(secret.slice(p, p + 8));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('a Node Buffer KBPK (slice() is a view) is copied, never wiped or aliased', () => {
  it('destroy() leaves the caller buffer intact; a Buffer overwritten in place gets fresh schedules', () => {
    const v = byId('tr31-008'); // TR-31:2018 A.7.4, AES-256 KBPK
    const kbpk = Buffer.from(v.kbpk, 'hex');
    const p = prepareKbpk(kbpk, 'D');
    expect(bytesToHex(unwrapTr31(p, v.keyBlock).key)).toBe(v.key);
    p.destroy();
    expect(kbpk.toString('hex').toUpperCase()).toBe(v.kbpk);
    // identity cache: same Buffer object, new bytes → the new KBPK is used
    const other = Buffer.alloc(32, 0x5a);
    const buf = Buffer.from(v.kbpk, 'hex');
    expect(bytesToHex(unwrapTr31(buf, v.keyBlock).key)).toBe(v.key);
    const block = wrapTr31(other, 'D0000P0AE00E0000', hexToBytes(v.key));
    other.copy(buf);
    expect(bytesToHex(unwrapTr31(buf, block).key)).toBe(v.key);
    expect(errorOf(() => unwrapTr31(buf, v.keyBlock)).code).toBe('MAC_VERIFICATION_FAILED');
  });
});
