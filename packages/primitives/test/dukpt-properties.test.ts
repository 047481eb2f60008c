import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AesDukptBdk,
  PrimitivesError,
  TdesDukptBdk,
  aesDukptInitialKey,
  aesDukptWorkingKey,
  awsExportDukptInitialKey,
  bytesToHex,
  hexToBytes,
  parseAesKsn,
  parseTdesKsn,
  popcount32,
  tdesDukptTransactionKey,
  tdesDukptVariantKey,
  tdesDukptWorkingKey,
} from '../src/index.js';

const TDES_BDK = new TdesDukptBdk(hexToBytes('0123456789ABCDEFFEDCBA9876543210'));
const AES_BDK = new AesDukptBdk(hexToBytes('FEDCBA9876543210F1F1F1F1F1F1F1F1'));

const tdesCounter = fc.integer({ min: 1, max: (1 << 21) - 1 }).filter((c) => popcount32(c) <= 10);
const aesCounter = fc.integer({ min: 1, max: 0xffff0000 }).filter((c) => popcount32(c) <= 16);
const tdesKsn = (prefix: string, counter: number) =>
  prefix.slice(0, 14) + ((Number.parseInt(prefix.slice(14, 15), 16) & 0xe) | (counter >>> 20)).toString(16).toUpperCase() + (counter & 0xfffff).toString(16).toUpperCase().padStart(5, '0');
const aesKsn = (ikId: string, counter: number) => ikId + counter.toString(16).toUpperCase().padStart(8, '0');

function expectError(fn: () => unknown, code: string, field: string): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PrimitivesError);
    expect((err as PrimitivesError).code).toBe(code);
    expect((err as PrimitivesError).field).toBe(field);
    return;
  }
  throw new Error('expected a PrimitivesError');
}

describe('DUKPT properties', () => {
  it('TDES: distinct counters of one device give distinct transaction keys', () => {
    fc.assert(
      fc.property(tdesCounter, tdesCounter, (a, b) => {
        fc.pre(a !== b);
        const ka = tdesDukptTransactionKey(TDES_BDK, tdesKsn('FFFF9876543210E00000', a));
        const kb = tdesDukptTransactionKey(TDES_BDK, tdesKsn('FFFF9876543210E00000', b));
        expect(bytesToHex(ka)).not.toBe(bytesToHex(kb));
      }),
      { numRuns: 60 },
    );
  });

  it('TDES: the same counter on distinct devices (initial KSNs) gives distinct keys', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.uint8Array({ minLength: 8, maxLength: 8 }), tdesCounter, (a, b, c) => {
        a[7] = a[7]! & 0xe0;
        b[7] = b[7]! & 0xe0;
        fc.pre(bytesToHex(a) !== bytesToHex(b));
        const ka = tdesDukptWorkingKey(TDES_BDK, tdesKsn(`${bytesToHex(a)}0000`, c), 'PIN');
        const kb = tdesDukptWorkingKey(TDES_BDK, tdesKsn(`${bytesToHex(b)}0000`, c), 'PIN');
        expect(bytesToHex(ka)).not.toBe(bytesToHex(kb));
      }),
      { numRuns: 40 },
    );
  });

  it('AES: distinct counters give distinct working keys, distinct IK IDs give distinct initial keys', () => {
    fc.assert(
      fc.property(aesCounter, aesCounter, (a, b) => {
        fc.pre(a !== b);
        const ka = aesDukptWorkingKey(AES_BDK, aesKsn('1234567890123456', a), { usage: 'PIN_ENCRYPTION' });
        const kb = aesDukptWorkingKey(AES_BDK, aesKsn('1234567890123456', b), { usage: 'PIN_ENCRYPTION' });
        expect(bytesToHex(ka)).not.toBe(bytesToHex(kb));
      }),
      { numRuns: 60 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.uint8Array({ minLength: 8, maxLength: 8 }), (a, b) => {
        fc.pre(bytesToHex(a) !== bytesToHex(b));
        expect(bytesToHex(aesDukptInitialKey(AES_BDK, a))).not.toBe(bytesToHex(aesDukptInitialKey(AES_BDK, b)));
      }),
      { numRuns: 40 },
    );
  });

  it('AES: working keys differ across usages and key types for one KSN', () => {
    const ksn = '123456789012345600000007';
    const seen = new Set<string>();
    for (const usage of ['KEY_ENCRYPTION_KEY', 'PIN_ENCRYPTION', 'MAC_GENERATION', 'MAC_VERIFICATION', 'MAC_BOTH_WAYS', 'DATA_ENCRYPT', 'DATA_DECRYPT', 'DATA_BOTH_WAYS', 'KEY_DERIVATION'] as const) {
      for (const keyType of ['2TDEA', '3TDEA', 'AES128', 'HMAC128'] as const) {
        const k = aesDukptWorkingKey(AES_BDK, ksn, { usage, keyType });
        expect(k.length).toBe(keyType === '3TDEA' ? 24 : 16);
        seen.add(bytesToHex(k).slice(0, 32));
      }
    }
    expect(seen.size).toBe(36);
  });

  it('AWS ExportDukptInitialKey ignores the counter (TDES and AES)', () => {
    const tdes = hexToBytes('0123456789ABCDEFFEDCBA9876543210');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: (1 << 21) - 1 }), (c) => {
        const k = awsExportDukptInitialKey(tdes, 'TDES_2KEY', tdesKsn('FFFF9876543210E00000', c));
        expect(bytesToHex(k)).toBe('6AC292FAA1315B4D858AB3A3D7D5933A');
      }),
      { numRuns: 30 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (c) => {
        const k = awsExportDukptInitialKey(hexToBytes('FEDCBA9876543210F1F1F1F1F1F1F1F1'), 'AES_128', aesKsn('1234567890123456', c));
        expect(bytesToHex(k)).toBe('1273671EA26AC29AFA4D1084127652A1');
      }),
      { numRuns: 30 },
    );
  });
});

describe('DUKPT bad input: a typed error naming the field, never a key', () => {
  it('KSN of the wrong length', () => {
    expectError(() => tdesDukptTransactionKey(TDES_BDK, 'FFFF9876543210E0001'), 'INVALID_KSN', 'ksn');
    expectError(() => tdesDukptTransactionKey(TDES_BDK, 'FFFF9876543210E000000001'), 'INVALID_KSN', 'ksn');
    expectError(() => tdesDukptTransactionKey(TDES_BDK, new Uint8Array(12)), 'INVALID_KSN', 'ksn');
    expectError(() => aesDukptWorkingKey(AES_BDK, 'FFFF9876543210E00001', { usage: 'PIN_ENCRYPTION' }), 'INVALID_KSN', 'ksn');
    expectError(() => awsExportDukptInitialKey(hexToBytes('FEDCBA9876543210F1F1F1F1F1F1F1F1'), 'AES_128', 'FFFF9876543210E00001'), 'INVALID_KSN', 'ksn');
    expectError(() => awsExportDukptInitialKey(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), 'TDES_2KEY', '123456789012345600000001'), 'INVALID_KSN', 'ksn');
    expectError(() => tdesDukptTransactionKey(TDES_BDK, 'FFFF9876543210E0000G'), 'INVALID_HEX', 'ksn');
  });

  it('counter with too many one-bits, or zero', () => {
    expectError(() => parseTdesKsn('FFFF9876543210E007FF'), 'INVALID_KSN', 'ksn'); // 11 one-bits
    expect(parseTdesKsn('FFFF9876543210E003FF').counter).toBe(0x3ff); // 10 one-bits: fine
    expectError(() => tdesDukptTransactionKey(TDES_BDK, 'FFFF9876543210E00000'), 'INVALID_KSN', 'ksn');
    expectError(() => parseAesKsn('12345678901234560001FFFF'), 'INVALID_KSN', 'ksn'); // 17 one-bits
    expectError(() => aesDukptWorkingKey(AES_BDK, '1234567890123456FFFF8000', { usage: 'PIN_ENCRYPTION' }), 'INVALID_KSN', 'ksn');
    expectError(() => aesDukptWorkingKey(AES_BDK, '123456789012345600000000', { usage: 'PIN_ENCRYPTION' }), 'INVALID_KSN', 'ksn');
    expect(parseAesKsn('1234567890123456FFFF0000').counter).toBe(0xffff0000);
  });

  it('a working key stronger than the BDK is refused (X9.24-3:2017 6.1.3)', () => {
    expectError(() => aesDukptWorkingKey(AES_BDK, '123456789012345600000001', { usage: 'PIN_ENCRYPTION', keyType: 'AES256' }), 'UNSUPPORTED', 'keyType');
    expectError(() => aesDukptWorkingKey(AES_BDK, '123456789012345600000001', { usage: 'MAC_GENERATION', keyType: 'HMAC192' }), 'UNSUPPORTED', 'keyType');
  });

  it('wrong key lengths are RangeErrors with a labelled message', () => {
    expect(() => new TdesDukptBdk(new Uint8Array(24))).toThrow(RangeError);
    expect(() => new TdesDukptBdk(new Uint8Array(24))).toThrow('"bdk" expected 16 bytes, got 24');
    expect(() => new AesDukptBdk(new Uint8Array(8))).toThrow('"bdk" expected 16, 24 or 32 bytes, got 8');
  });

  it('error messages carry no key or KSN material', () => {
    let message = '';
    try {
      aesDukptWorkingKey(AES_BDK, '1234567890123456FFFF8000', { usage: 'PIN_ENCRYPTION' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/17 one-bits/);
    expect(message).not.toMatch(/1234567890123456|FEDCBA|FFFF8000/);
  });
});

describe('TDES DUKPT data-response key (no published vector): independent node:crypto computation', () => {
  it('= TDES_V(V_left) ‖ TDES_V(V_right) with V = transaction key ⊕ 000000FF00000000 000000FF00000000', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (txn) => {
        const v = Buffer.from(txn);
        v[3] = v[3]! ^ 0xff;
        v[11] = v[11]! ^ 0xff;
        const c = createCipheriv('des-ede-ecb', v, null);
        c.setAutoPadding(false);
        const want = Buffer.concat([c.update(v), c.final()]).toString('hex').toUpperCase();
        expect(bytesToHex(tdesDukptVariantKey(txn, 'DATA_RESPONSE'))).toBe(want);
      }),
      { numRuns: 50 },
    );
  });
});
