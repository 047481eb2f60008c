import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PrimitivesError,
  bytesToHex,
  decipherIso4PinBlock,
  decodePinBlock,
  encipherIso4PinBlock,
  encipherIso4PinField,
  encodePinBlock,
  generateVisaPvv,
  hexToBytes,
  ibm3624Offset,
  ibm3624PinFromOffset,
  iso4PanField,
  iso4PinField,
  verifyIbm3624Pin,
  verifyVisaPvv,
  visaPvvTsp,
  type PinBlockFormat,
} from '../src/index.js';
import { loadVectors } from './vectors.js';

interface Vector {
  description: string;
  inputs: Record<string, string | number>;
  expected: Record<string, string>;
  published?: boolean;
}

const vectors = loadVectors<Vector[]>('pin.json');
const label = (v: Vector, i: number) =>
  `#${i} ${v.published === false ? '[regression value, not published] ' : ''}${v.description}`;
const h = hexToBytes;
const hex = bytesToHex;
const fixed = (b: Uint8Array) => (n: number) => b.slice(0, n);

function formatOf(description: string): PinBlockFormat {
  const m = /format (\d)/.exec(description);
  if (m === null) throw new Error(`no format in ${description}`);
  return `ISO_${m[1]}` as PinBlockFormat;
}

function check(v: Vector): void {
  const i = v.inputs;
  const e = v.expected;
  const pan = i.pan as string;
  if (v.description.startsWith('Visa PVV')) {
    expect(visaPvvTsp({ pan, pin: i.pin as string, pvki: i.pvki as string })).toBe(i.tsp);
    expect(generateVisaPvv(h(i.pvk as string), { pan, pin: i.pin as string, pvki: i.pvki as string })).toBe(e.pvv);
    expect(verifyVisaPvv(h(i.pvk as string), { pan, pin: i.pin as string, pvki: Number(i.pvki) }, e.pvv!)).toBe(true);
    return;
  }
  if (v.description.startsWith('IBM 3624')) {
    // the published 16-digit validation data = PAN digits [offset, offset+length) padded with the pad character
    const short = pan.slice(i.pan_verify_offset as number, (i.pan_verify_offset as number) + (i.pan_verify_length as number));
    expect(short.padEnd(16, i.pad as string)).toBe(i.validation_data);
    const data = { validationData: short, padCharacter: i.pad as string, decimalizationTable: i.decimalization_table as string };
    const pvk = h(i.pvk as string);
    const pinForOffset = Object.keys(e).find((k) => k.startsWith('pin_for_offset_'))!;
    const offsetForPin = Object.keys(e).find((k) => k.startsWith('offset_for_pin_'))!;
    const offset = pinForOffset.slice('pin_for_offset_'.length);
    expect(ibm3624PinFromOffset(pvk, { ...data, offset })).toBe(e[pinForOffset]);
    const pin = offsetForPin.slice('offset_for_pin_'.length);
    expect(ibm3624Offset(pvk, { ...data, pin })).toBe(e[offsetForPin]);
    expect(verifyIbm3624Pin(pvk, { ...data, pin: e[pinForOffset]!, offset })).toBe(true);
    return;
  }
  if (e.pan_field !== undefined && e.encrypted_pinblock === undefined) {
    expect(hex(iso4PanField(pan))).toBe(e.pan_field);
    return;
  }
  const format = formatOf(v.description);
  if (format === 'ISO_4') {
    const key = h(i.key as string);
    if (typeof i.pin_field === 'string') {
      expect(hex(iso4PanField(pan))).toBe(e.pan_field);
      const field = h(i.pin_field);
      expect(hex(iso4PinField(i.pin as string, field.slice(8)))).toBe(i.pin_field);
      expect(hex(encipherIso4PinField(key, field, pan))).toBe(e.encrypted_pinblock);
      expect(hex(encipherIso4PinBlock(key, i.pin as string, pan, { random: fixed(field.slice(8)) }))).toBe(e.encrypted_pinblock);
      expect(decipherIso4PinBlock(key, h(e.encrypted_pinblock!), pan)).toBe(i.pin);
    } else if (typeof i.random8 === 'string') {
      const got = encipherIso4PinBlock(key, i.pin as string, pan, { random: fixed(h(i.random8)) });
      expect(hex(got)).toBe(e.encrypted_pinblock);
      expect(decipherIso4PinBlock(key, got, pan)).toBe(i.pin);
    } else {
      expect(decipherIso4PinBlock(key, h(i.encrypted_pinblock as string), pan)).toBe(e.pin);
    }
    return;
  }
  if (e.pinblock !== undefined) {
    const opts = typeof i.fill === 'string' ? { fill: i.fill } : {};
    const block = encodePinBlock(format, i.pin as string, pan, opts);
    expect(hex(block)).toBe(e.pinblock);
    expect(decodePinBlock(format, block, pan)).toBe(e.decoded_pin ?? i.pin);
    return;
  }
  if (e.pin !== undefined) {
    expect(decodePinBlock(format, h(i.pinblock as string), pan)).toBe(e.pin);
    return;
  }
  throw new Error(`unhandled vector: ${v.description}`);
}

describe('pin.json (every entry)', () => {
  it('has the 38 entries of the shared file', () => {
    expect(vectors).toHaveLength(38);
  });
  vectors.forEach((v, n) => {
    it(label(v, n), () => check(v));
  });
});

const pinArb = fc.stringMatching(/^[0-9]{4,12}$/);
const panArb = fc.stringMatching(/^[0-9]{12,19}$/);

describe('PIN block properties', () => {
  it('encode∘decode is the identity for formats 0-3, PIN 4-12, PAN 12-19', () => {
    fc.assert(
      fc.property(fc.constantFrom('ISO_0', 'ISO_1', 'ISO_2', 'ISO_3') as fc.Arbitrary<Exclude<PinBlockFormat, 'ISO_4'>>, pinArb, panArb, (f, pin, pan) => {
        const block = encodePinBlock(f, pin, pan);
        expect(block.length).toBe(8);
        expect(decodePinBlock(f, block, pan)).toBe(pin);
      }),
      { numRuns: 300 },
    );
  });

  it('format 4 encipher∘decipher is the identity (AES-128/192/256 keys)', () => {
    fc.assert(
      fc.property(fc.constantFrom(16, 24, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })), pinArb, panArb, (key, pin, pan) => {
        const block = encipherIso4PinBlock(key, pin, pan);
        expect(block.length).toBe(16);
        expect(decipherIso4PinBlock(key, block, pan)).toBe(pin);
      }),
      { numRuns: 200 },
    );
  });

  it('format 4 agrees with node:crypto AES-ECB steps', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), pinArb, panArb, fc.uint8Array({ minLength: 8, maxLength: 8 }), (key, pin, pan, r) => {
        const ecb = (b: Uint8Array) => {
          const c = createCipheriv('aes-128-ecb', key, null);
          c.setAutoPadding(false);
          return new Uint8Array(Buffer.concat([c.update(b), c.final()]));
        };
        const pinField = h(`4${pin.length.toString(16)}${pin}`.padEnd(16, 'A') + hex(r));
        const panField = h(`${pan.length - 12}${pan}`.padEnd(32, '0'));
        const first = ecb(pinField);
        for (let k = 0; k < 16; k++) first[k] = first[k]! ^ panField[k]!;
        expect(hex(encipherIso4PinBlock(key, pin, pan, { random: fixed(r) }))).toBe(hex(ecb(first)));
      }),
      { numRuns: 100 },
    );
  });

  it('format 3 fill digits are A-F and format 1 fill is random', () => {
    const b3 = encodePinBlock('ISO_3', '1234', '5555555551234567');
    const pan = h('0000555555123456');
    const field = hex(b3.map((x, k) => x ^ pan[k]!));
    expect(field.slice(6)).toMatch(/^[A-F]{10}$/);
    const seen = new Set(Array.from({ length: 8 }, () => hex(encodePinBlock('ISO_1', '1234'))));
    expect(seen.size).toBeGreaterThan(1);
  });

  it('a PIN block decoded with the wrong PAN or tampered is refused with one opaque error', () => {
    const block = encodePinBlock('ISO_0', '1234', '4012345678909');
    const messages = new Set<string>();
    for (const bad of [
      () => decodePinBlock('ISO_0', block, '4012345678919'),
      () => decodePinBlock('ISO_2', block),
      () => decodePinBlock('ISO_0', h('0412AC89ABCDEF68'), '43219876543210987'),
    ]) {
      try {
        bad();
        messages.add('no error');
      } catch (err) {
        expect(err).toBeInstanceOf(PrimitivesError);
        expect((err as PrimitivesError).code).toBe('INVALID_PIN_BLOCK');
        messages.add((err as Error).message);
      }
    }
    expect([...messages]).toEqual(['PIN block is not valid']);
  });

  it('Visa PVV and IBM 3624: verify accepts the right value and rejects every other', () => {
    const pvk = h('0123456789ABCDEFFEDCBA9876543210');
    const input = { pan: '1122334455667788', pin: '4524', pvki: 1 };
    const pvv = generateVisaPvv(pvk, input);
    let ok = 0;
    for (let x = 0; x < 10000; x++) if (verifyVisaPvv(pvk, input, String(x).padStart(4, '0'))) ok++;
    expect(ok).toBe(1);
    expect(verifyVisaPvv(pvk, input, pvv)).toBe(true);
    const data = { validationData: '1122334455667788', padCharacter: 'F', decimalizationTable: '1234567890123456' };
    let okPins = 0;
    for (let x = 0; x < 10000; x++) if (verifyIbm3624Pin(pvk, { ...data, pin: String(x).padStart(4, '0'), offset: '0000' })) okPins++;
    expect(okPins).toBe(1);
  });
});

describe('PIN bad input: typed errors naming the field', () => {
  const cases: Array<[string, () => unknown, string, string]> = [
    ['3-digit PIN (format 0)', () => encodePinBlock('ISO_0', '123', '4012345678909'), 'INVALID_PIN', 'pin'],
    ['13-digit PIN', () => encodePinBlock('ISO_2', '1234567890123'), 'INVALID_PIN', 'pin'],
    ['3-digit PIN (format 4)', () => encipherIso4PinBlock(new Uint8Array(16), '123', '4012345678909'), 'INVALID_PIN', 'pin'],
    ['PIN with a letter', () => encodePinBlock('ISO_3', '12a4', '4012345678909'), 'INVALID_PIN', 'pin'],
    ['PAN with a letter (format 0)', () => encodePinBlock('ISO_0', '1234', '40123456789X9'), 'INVALID_PAN', 'pan'],
    ['PAN with a letter (format 4)', () => encipherIso4PinBlock(new Uint8Array(16), '1234', '4012345678A09'), 'INVALID_PAN', 'pan'],
    ['PAN of 20 digits', () => iso4PanField('12345678901234567890'), 'INVALID_PAN', 'pan'],
    ['PVV with a PAN letter', () => generateVisaPvv(new Uint8Array(16), { pan: '11223344556677A8', pin: '1234', pvki: 1 }), 'INVALID_PAN', 'pan'],
    ['PVKI of two digits', () => generateVisaPvv(new Uint8Array(16), { pan: '1122334455667788', pin: '1234', pvki: 12 }), 'INVALID_INPUT', 'pvki'],
    ['3-digit PIN for an IBM 3624 offset', () => ibm3624Offset(new Uint8Array(16), { validationData: '1234', padCharacter: 'F', decimalizationTable: '0123456789012345', pin: '123' }), 'INVALID_PIN', 'pin'],
    ['decimalisation table of 15 digits', () => ibm3624PinFromOffset(new Uint8Array(16), { validationData: '1234', padCharacter: 'F', decimalizationTable: '012345678901234', offset: '0000' }), 'INVALID_INPUT', 'decimalizationTable'],
    ['PIN block of 7 bytes', () => decodePinBlock('ISO_0', new Uint8Array(7), '4012345678909'), 'INVALID_LENGTH', 'pinBlock'],
  ];
  for (const [name, fn, code, field] of cases) {
    it(name, () => {
      let err: unknown;
      try {
        fn();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PrimitivesError);
      expect((err as PrimitivesError).code).toBe(code);
      expect((err as PrimitivesError).field).toBe(field);
    });
  }
});
