import { assertBytes } from '../bytes.js';
import { TdesCipher } from '../cipher/tdes.js';
import { PrimitivesError } from '../errors.js';
import { ownEntry } from '../table.js';
import { assertDigits, assertPan, digitsEqual, putNibbles } from './card-data.js';

/**
 * American Express card security code (CSC) — AWS `AmexCardSecurityCodeVersion1`
 * {CardExpiryDate} and `AmexCardSecurityCodeVersion2` {CardExpiryDate, ServiceCode}, key C0.
 *
 * **UNVERIFIED against AWS. Do not rely on these values matching AWS or an HSM.** American
 * Express does not publish the algorithm; the IBM and Thales manuals describe the interface but
 * not the computation. The only public computation found is ThalesSim's (nickntg/
 * thalessimulatorlibrary, `AHostCommand.vb` `GenerateCSC`, contributed code without tests),
 * reimplemented here from its description. Its regression values (`amex-csc-*`,
 * `published: false`) come from another re-implementation of the same code, not from any
 * published source.
 *
 * The candidate algorithm, with a double-length TDES key and a 15-digit PAN starting 34 or 37:
 *   block  = 37…: YYMM ‖ PAN digits 3–14;   34…: PAN digits 3–14 ‖ YYMM     (16 nibbles)
 *   v1     R = TDES-ECB_K(block)
 *   v2     R = 2nd block of TDES-CBC_K(IV 0) over block ‖ service code ‖ 0…  (32 nibbles)
 *          = TDES_K(TDES_K(block) ⊕ (service code ‖ 0…))
 *   digits = the decimal nibbles of R in order, then R's A–F nibbles in order, each mapped by
 *            its position i in R: i < 5: A–F → 1–6; i ≥ 5: A–F → 6,7,8,9,0,1 — until 12 digits
 *   CSC5   = digits 1–5, CSC4 = digits 6–9, CSC3 = digits 10–12
 * The expiry is YYMM (AWS: "Always use expiration date as YYMM for Amex").
 */
export type AmexCscVersion = 1 | 2;
export type AmexCscLength = 3 | 4 | 5;

export const AMEX_CSC_VERSIONS: Readonly<Record<AmexCscVersion, { readonly awsAttribute: string; readonly usesServiceCode: boolean }>> = {
  1: { awsAttribute: 'AmexCardSecurityCodeVersion1', usesServiceCode: false },
  2: { awsAttribute: 'AmexCardSecurityCodeVersion2', usesServiceCode: true },
};

/** Where each CSC length sits in the 12 decimalised digits ([start, end)). */
export const AMEX_CSC_LENGTHS: Readonly<Record<AmexCscLength, { readonly start: number; readonly end: number }>> = {
  5: { start: 0, end: 5 },
  4: { start: 5, end: 9 },
  3: { start: 9, end: 12 },
};

/** PAN prefix → whether the expiry comes before the 12 account digits in the block. */
const PAN_LAYOUTS: Readonly<Record<string, { readonly expiryFirst: boolean }>> = {
  '37': { expiryFirst: true },
  '34': { expiryFirst: false },
};

export interface AmexCscInput {
  /** 15 digits, starting 34 or 37. */
  pan: string;
  /** YYMM. */
  expiry: string;
  /** 3 digits; required for version 2 (e.g. 999 for the chip iCSC), ignored by version 1. */
  serviceCode?: string;
}

function versionFacts(version: AmexCscVersion): { readonly usesServiceCode: boolean } {
  const f = ownEntry(AMEX_CSC_VERSIONS, version);
  if (f === undefined) throw new RangeError(`"version" expected 1 or 2, got ${String(version)}`);
  return f;
}

function lengthFacts(length: AmexCscLength): { readonly start: number; readonly end: number } {
  const f = ownEntry(AMEX_CSC_LENGTHS, length);
  if (f === undefined) throw new RangeError(`"length" expected 3, 4 or 5, got ${String(length)}`);
  return f;
}

/** ThalesSim's decimalisation of the 8-byte result into 12 digits. */
function decimalize12(r: Uint8Array): string {
  const nibble = (i: number) => (r[i >> 1]! >> ((i & 1) === 0 ? 4 : 0)) & 0x0f;
  let out = '';
  for (let i = 0; i < 16; i++) if (nibble(i) < 10) out += String.fromCharCode(48 + nibble(i));
  for (let i = 0; i < 16 && out.length < 12; i++) {
    const v = nibble(i);
    if (v < 10) continue;
    const conv = i < 5 ? v - 9 : (v - 4) % 10; // A=10 → 1 (i < 5) or 6 (i ≥ 5)
    out += String.fromCharCode(48 + conv);
  }
  return out.slice(0, 12);
}

/** All 12 candidate digits (CSC5 ‖ CSC4 ‖ CSC3). Unverified against AWS. */
export function amexCscDigits(csck: Uint8Array | TdesCipher, version: AmexCscVersion, input: AmexCscInput): string {
  const facts = versionFacts(version);
  if (csck instanceof Uint8Array) {
    assertBytes(csck, 'csck');
    if (csck.length !== 16 && csck.length !== 24) throw new RangeError(`"csck" expected 16 or 24 bytes, got ${csck.length}`);
  } else if (!(csck instanceof TdesCipher)) throw new TypeError('"csck" expected Uint8Array or TdesCipher');
  assertPan(input.pan, 15, 15);
  const layout = ownEntry(PAN_LAYOUTS, input.pan.slice(0, 2));
  if (layout === undefined) throw new PrimitivesError('INVALID_PAN', '"pan" expected an American Express PAN starting 34 or 37', { field: 'pan' });
  assertDigits(input.expiry, 'expiry', 4, 4);
  const account = input.pan.slice(2, 14);
  const block = new Uint8Array(16);
  putNibbles(block, 0, layout.expiryFirst ? input.expiry + account : account + input.expiry);
  if (facts.usesServiceCode) {
    assertDigits(input.serviceCode, 'serviceCode', 3, 3);
    putNibbles(block, 16, input.serviceCode);
  }
  const c = csck instanceof TdesCipher ? csck : new TdesCipher(csck);
  c.encryptBlockInto(block, 0, block, 0);
  if (facts.usesServiceCode) {
    for (let i = 0; i < 8; i++) block[i] = block[i]! ^ block[8 + i]!;
    c.encryptBlockInto(block, 0, block, 0);
  }
  const digits = decimalize12(block.subarray(0, 8));
  block.fill(0);
  return digits;
}

/** A 3-, 4- or 5-digit CSC (default 3, AWS's ValidationDataLength default). Unverified against AWS. */
export function generateAmexCsc(csck: Uint8Array | TdesCipher, version: AmexCscVersion, input: AmexCscInput, length: AmexCscLength = 3): string {
  const at = lengthFacts(length);
  return amexCscDigits(csck, version, input).slice(at.start, at.end);
}

/** Constant-time check; the length is that of `value` (3 to 5 digits). Unverified against AWS. */
export function verifyAmexCsc(csck: Uint8Array | TdesCipher, version: AmexCscVersion, input: AmexCscInput, value: string): boolean {
  assertDigits(value, 'value', 3, 5);
  return digitsEqual(generateAmexCsc(csck, version, input, value.length as AmexCscLength), value);
}
