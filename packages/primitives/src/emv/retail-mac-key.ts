import { assertBytes } from '../bytes.js';
import { TdesCipher } from '../cipher/tdes.js';
import { PrimitivesError } from '../errors.js';
import { type Iso9797Padding, iso9797Pad } from '../mac/iso9797.js';

/**
 * ISO/IEC 9797-1 MAC algorithm 3 (the retail MAC every EMV cryptogram uses, Book 2 A1.2) with
 * both key schedules kept: single DES under K_L for the chained blocks, full TDES for the last.
 * Same arithmetic as `iso9797Mac3` in mac/iso9797.ts, which builds the schedules per call; an
 * EMV key (ICC master key for Visa/Amex ARQC, session key for ARPC and script MACs) is used for
 * several MACs in a row, so it keeps them.
 *
 * Padding: `'NONE'` MACs the data exactly as given (ARQC: the caller pads, AWS adds nothing);
 * it must then be a non-empty multiple of 8 bytes, otherwise `PrimitivesError('INVALID_LENGTH')`.
 * 1 or 2 pad by ISO/IEC 9797-1 method 1 or 2 (EMV script MAC and ARPC method 2 use method 2).
 */
export type EmvMacPadding = 'NONE' | Iso9797Padding;

export class RetailMacKey {
  readonly #k1: TdesCipher;
  readonly #full: TdesCipher;
  readonly #x = new Uint8Array(8);

  constructor(key: Uint8Array) {
    assertBytes(key, 'key', 16);
    this.#k1 = new TdesCipher(key.subarray(0, 8));
    this.#full = new TdesCipher(key);
  }

  /** The full-length (8-byte) MAC of `data`. */
  mac(data: Uint8Array, padding: EmvMacPadding): Uint8Array {
    assertBytes(data, 'data');
    let m: Uint8Array;
    if (padding === 'NONE') {
      assertAligned(data, 'data');
      m = data;
    } else {
      m = iso9797Pad(data, 8, padding);
    }
    const out = new Uint8Array(8);
    this.macInto(m, out);
    return out;
  }

  /** MAC of block-aligned `m` (no padding) into `out[0..8]`. */
  macInto(m: Uint8Array, out: Uint8Array): void {
    const x = this.#x;
    x.fill(0);
    const n = m.length >> 3;
    for (let b = 0; b < n - 1; b++) {
      for (let i = 0; i < 8; i++) x[i] = x[i]! ^ m[b * 8 + i]!;
      this.#k1.encryptBlockInto(x, 0, x, 0);
    }
    for (let i = 0; i < 8; i++) x[i] = x[i]! ^ m[(n - 1) * 8 + i]!;
    // E_K1, D_K2, E_K1 of the last chained block = one full TDES encryption
    this.#full.encryptBlockInto(x, 0, out, 0);
    x.fill(0);
  }
}

/** Refuses data that is empty or not a multiple of 8 bytes (data that the caller should have padded). */
export function assertAligned(data: Uint8Array, field: string): void {
  if (data.length === 0 || data.length % 8 !== 0) {
    throw new PrimitivesError(
      'INVALID_LENGTH',
      `"${field}" must be a non-empty multiple of 8 bytes (pad it first, e.g. ISO/IEC 9797-1 method 1 or 2), got ${data.length}`,
      { field },
    );
  }
}
