import { sha1 } from '@noble/hashes/legacy.js';
import { assertBytes } from '../bytes.js';
import { assertDigits, assertPan, putNibbles, visaDecimalize } from '../card-validation/card-data.js';
import { TdesCipher } from '../cipher/tdes.js';
import { PrimitivesError } from '../errors.js';
import { ownEntry } from '../table.js';

/**
 * ICC master key derivation from an issuer master key (EMV 4.3 Book 2, Annex A1.4).
 *
 * Both options build an 8-byte block Y of 16 decimal digits from PAN ‖ PSN, then
 *   MK = TDES_IMK(Y) ‖ TDES_IMK(Y ⊕ FF×8), every byte set to odd parity.
 *
 * | AWS MajorKeyDerivationMode | Y                                                                  | PAN      |
 * |----------------------------|--------------------------------------------------------------------|----------|
 * | EMV_OPTION_A               | rightmost 16 digits of PAN ‖ PSN, left-padded with 0               | 12–19    |
 * | EMV_OPTION_B               | SHA-1 of PAN ‖ PSN as BCD (a 0 nibble first when odd), decimalised: | 17–19    |
 * |                            | the digest's digits in order, then its A–F as 0–5; first 16        |          |
 *
 * Option B exists for PANs longer than 16 digits. AWS rejects it for shorter PANs (live
 * behaviour, reference/data-plane.md §1) and so do we: pyemv and jPOS silently fall back to
 * Option A, which would hide a caller's configuration error.
 */
export type IccMasterKeyDerivationMode = 'EMV_OPTION_A' | 'EMV_OPTION_B';

export interface IccMasterKeyDerivationFacts {
  /** Shortest PAN the option accepts. */
  readonly minPanDigits: number;
  readonly maxPanDigits: number;
  /** Builds Y (8 bytes) from the PAN and PSN digits. */
  readonly y: (pan: string, psn: string) => Uint8Array;
}

function yOptionA(pan: string, psn: string): Uint8Array {
  const y = new Uint8Array(8);
  putNibbles(y, 0, (pan + psn).slice(-16).padStart(16, '0'));
  return y;
}

function yOptionB(pan: string, psn: string): Uint8Array {
  const digits = pan.length % 2 === 1 ? `0${pan}${psn}` : pan + psn;
  const x = new Uint8Array(digits.length / 2);
  putNibbles(x, 0, digits);
  // A SHA-1 digest has 40 nibbles, so 16 decimal digits always exist after the letter pass.
  const y = new Uint8Array(8);
  putNibbles(y, 0, visaDecimalize(sha1(x), 16));
  return y;
}

export const ICC_MASTER_KEY_DERIVATION_MODES: Readonly<Record<IccMasterKeyDerivationMode, IccMasterKeyDerivationFacts>> = {
  EMV_OPTION_A: { minPanDigits: 12, maxPanDigits: 19, y: yOptionA },
  EMV_OPTION_B: { minPanDigits: 17, maxPanDigits: 19, y: yOptionB },
};

function modeFacts(mode: IccMasterKeyDerivationMode): IccMasterKeyDerivationFacts {
  const f = ownEntry(ICC_MASTER_KEY_DERIVATION_MODES, mode);
  if (f === undefined) throw new RangeError(`"mode" expected EMV_OPTION_A or EMV_OPTION_B, got ${String(mode)}`);
  return f;
}

/**
 * The ICC master key for `pan` and `panSequenceNumber` (2 digits, "00" when the terminal sends
 * none). `imk` is the 16-byte issuer master key or a TdesCipher holding its schedule.
 */
export function deriveIccMasterKey(
  imk: Uint8Array | TdesCipher,
  pan: string,
  panSequenceNumber = '00',
  mode: IccMasterKeyDerivationMode = 'EMV_OPTION_A',
): Uint8Array {
  const facts = modeFacts(mode);
  if (imk instanceof Uint8Array) assertBytes(imk, 'imk', 16);
  else if (!(imk instanceof TdesCipher)) throw new TypeError('"imk" expected Uint8Array or TdesCipher');
  assertPan(pan);
  assertDigits(panSequenceNumber, 'panSequenceNumber', 2, 2);
  if (pan.length < facts.minPanDigits) {
    throw new PrimitivesError('INVALID_PAN', `"pan" ${mode} needs ${facts.minPanDigits} to ${facts.maxPanDigits} digits, got ${pan.length}`, {
      field: 'pan',
    });
  }
  const c = imk instanceof TdesCipher ? imk : new TdesCipher(imk);
  const mk = new Uint8Array(16);
  const y = facts.y(pan, panSequenceNumber);
  mk.set(y, 0);
  for (let i = 0; i < 8; i++) mk[8 + i] = y[i]! ^ 0xff;
  y.fill(0);
  c.encryptBlockInto(mk, 0, mk, 0);
  c.encryptBlockInto(mk, 8, mk, 8);
  return adjustOddParity(mk);
}

/** EMV Option A (Book 2 A1.4.1). */
export function deriveIccMasterKeyOptionA(imk: Uint8Array | TdesCipher, pan: string, panSequenceNumber = '00'): Uint8Array {
  return deriveIccMasterKey(imk, pan, panSequenceNumber, 'EMV_OPTION_A');
}

/** EMV Option B (Book 2 A1.4.2); a PAN of 16 digits or fewer is refused (`INVALID_PAN`). */
export function deriveIccMasterKeyOptionB(imk: Uint8Array | TdesCipher, pan: string, panSequenceNumber = '00'): Uint8Array {
  return deriveIccMasterKey(imk, pan, panSequenceNumber, 'EMV_OPTION_B');
}

/** Sets the low bit of each byte so that every byte has an odd number of one-bits (DES parity). In place; returns `key`. */
export function adjustOddParity(key: Uint8Array): Uint8Array {
  for (let i = 0; i < key.length; i++) {
    let b = key[i]! & 0xfe;
    let ones = 0;
    for (let v = b; v !== 0; v &= v - 1) ones++;
    if (ones % 2 === 0) b |= 1;
    key[i] = b;
  }
  return key;
}
