import { hexToBytes } from '../bytes.js';
import { PrimitivesError } from '../errors.js';

/**
 * Key serial numbers (KSNs) for TDES DUKPT (ANSI X9.24-1:2009) and AES DUKPT (ANSI X9.24-3:2017).
 *
 * | scheme | KSN length          | layout                                   | counter | max one-bits |
 * |--------|---------------------|------------------------------------------|---------|--------------|
 * | TDES   | 10 bytes (20 hex)   | 59-bit initial KSN ‖ 21-bit counter      | 21 bits | 10           |
 * | AES    | 12 bytes (24 hex)   | IK ID (BDK ID 4 ‖ derivation ID 4) ‖ ctr | 32 bits | 16           |
 *
 * A KSN is public data; it may be given as hex (either case) or as bytes. A KSN of the wrong
 * length, or a counter a device could never use (0, or too many one-bits), is a
 * `PrimitivesError` with code `INVALID_KSN` and field `"ksn"`.
 */
export type KsnInput = Uint8Array | string;

export interface KsnScheme {
  readonly name: 'TDES' | 'AES';
  readonly bytes: number;
  readonly counterBits: number;
  readonly maxOneBits: number;
}

/** The facts of both KSN layouts (X9.24-1:2009 A.2 and X9.24-3:2017 6.1). */
export const KSN_SCHEMES = {
  TDES: { name: 'TDES', bytes: 10, counterBits: 21, maxOneBits: 10 },
  AES: { name: 'AES', bytes: 12, counterBits: 32, maxOneBits: 16 },
} as const satisfies Record<'TDES' | 'AES', KsnScheme>;

export interface ParsedKsn {
  /** The whole KSN (a copy). */
  readonly ksn: Uint8Array;
  /** The transaction counter. */
  readonly counter: number;
}

/** Number of one-bits of a 32-bit unsigned integer. */
export function popcount32(v: number): number {
  let x = v >>> 0;
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** KSN bytes of the expected length, or INVALID_KSN naming `field`. */
export function ksnBytes(ksn: KsnInput, scheme: KsnScheme, field = 'ksn'): Uint8Array {
  if (typeof ksn === 'string') {
    if (ksn.length !== scheme.bytes * 2) {
      throw new PrimitivesError(
        'INVALID_KSN',
        `"${field}" expected ${scheme.bytes * 2} hex characters for ${scheme.name} DUKPT, got ${ksn.length}`,
        { field },
      );
    }
    return hexToBytes(ksn, { field });
  }
  if (!(ksn instanceof Uint8Array)) throw new TypeError(`"${field}" expected Uint8Array or hex string, got ${typeof ksn}`);
  if (ksn.length !== scheme.bytes) {
    throw new PrimitivesError(
      'INVALID_KSN',
      `"${field}" expected ${scheme.bytes} bytes for ${scheme.name} DUKPT, got ${ksn.length}`,
      { field },
    );
  }
  // a copy, also for a Node Buffer (whose slice() is a view): callers mask the copy in place
  return new Uint8Array(ksn);
}

/** The counter of a KSN of the scheme (no validation of its value). */
export function ksnCounter(ksn: Uint8Array, scheme: KsnScheme): number {
  const n = ksn.length;
  const last32 = ((ksn[n - 4]! << 24) | (ksn[n - 3]! << 16) | (ksn[n - 2]! << 8) | ksn[n - 1]!) >>> 0;
  return scheme.counterBits === 32 ? last32 : last32 & ((1 << scheme.counterBits) - 1);
}

/** Throws INVALID_KSN unless `counter` is one a device can use: not 0, at most `maxOneBits` ones. */
export function assertValidCounter(counter: number, scheme: KsnScheme, field = 'ksn'): void {
  if (counter === 0) {
    throw new PrimitivesError('INVALID_KSN', `"${field}" has transaction counter 0 (no transaction key exists for it)`, { field });
  }
  const ones = popcount32(counter);
  if (ones > scheme.maxOneBits) {
    throw new PrimitivesError(
      'INVALID_KSN',
      `"${field}" counter has ${ones} one-bits; ${scheme.name} DUKPT allows at most ${scheme.maxOneBits}`,
      { field },
    );
  }
}

/** Parses and validates a TDES DUKPT KSN (20 hex / 10 bytes, 21-bit counter, ≤ 10 one-bits). */
export function parseTdesKsn(ksn: KsnInput, field = 'ksn'): ParsedKsn {
  const bytes = ksnBytes(ksn, KSN_SCHEMES.TDES, field);
  const counter = ksnCounter(bytes, KSN_SCHEMES.TDES);
  assertValidCounter(counter, KSN_SCHEMES.TDES, field);
  return { ksn: bytes, counter };
}

/** Parses and validates an AES DUKPT KSN (24 hex / 12 bytes, 32-bit counter, ≤ 16 one-bits). */
export function parseAesKsn(ksn: KsnInput, field = 'ksn'): ParsedKsn {
  const bytes = ksnBytes(ksn, KSN_SCHEMES.AES, field);
  const counter = ksnCounter(bytes, KSN_SCHEMES.AES);
  assertValidCounter(counter, KSN_SCHEMES.AES, field);
  return { ksn: bytes, counter };
}
