import { cbcDecrypt, cbcEncrypt, cmac, ctrCrypt, type BlockCipher } from '@paycrypt/primitives';
import type { BindingCiphers } from './kbpk.js';
import type { VersionFacts } from './versions.js';

/**
 * The cryptographic binding of a key block (X9.143:2021 §7; TR-31:2018 annex A; ISO 20038).
 *
 * - Variant (A, C): encrypt the payload TDES-CBC under KBEK with IV = the first 8 header
 *   characters; MAC = TDES CBC-MAC under KBAK (zero IV) over header ‖ *ciphertext*, left 4 bytes.
 * - Derivation (B, D): MAC = CMAC under KBAK over header ‖ *clear payload* (full block);
 *   encrypt the payload CBC under KBEK with IV = MAC.
 * - ISO 20038 (E): as derivation, but the payload is encrypted in CTR mode with the MAC as the
 *   initial counter block, and it is not padded.
 *
 * `input` is header ‖ payload in one buffer; the functions fill the payload part.
 */

/** CBC-MAC with a zero IV over whole blocks (the header and payload are block multiples). */
function cbcMac(c: BlockCipher, data: Uint8Array): Uint8Array {
  const bs = c.blockSize;
  const x = new Uint8Array(bs);
  for (let o = 0; o < data.length; o += bs) {
    for (let i = 0; i < bs; i++) x[i] = x[i]! ^ data[o + i]!;
    c.encryptBlockInto(x, 0, x, 0);
  }
  return x;
}

/** Seals: `input` holds header ‖ clear payload; returns the MAC and the ciphertext. */
export function seal(f: VersionFacts, c: BindingCiphers, input: Uint8Array, headerLength: number): { mac: Uint8Array; ciphertext: Uint8Array } {
  const clear = input.subarray(headerLength);
  if (f.binding === 'variant') {
    const iv = input.slice(0, 8);
    const ciphertext = cbcEncrypt(c.kbek, iv, clear);
    clear.set(ciphertext);
    const mac = cbcMac(c.kbak, input).slice(0, f.macLength);
    return { mac, ciphertext };
  }
  const mac = cmac(c.kbak, input);
  const ciphertext = f.binding === 'derive-ctr' ? ctrCrypt(c.kbek, mac, clear) : cbcEncrypt(c.kbek, mac, clear);
  return { mac, ciphertext };
}

/**
 * Opens: `input` holds header ‖ ciphertext. Returns the clear payload and the MAC computed
 * over it; the caller compares MACs in constant time before looking at the payload.
 */
export function open(f: VersionFacts, c: BindingCiphers, input: Uint8Array, headerLength: number, mac: Uint8Array): { clear: Uint8Array; expected: Uint8Array } {
  const ciphertext = input.subarray(headerLength);
  if (f.binding === 'variant') {
    const expected = cbcMac(c.kbak, input).subarray(0, f.macLength);
    const clear = cbcDecrypt(c.kbek, input.subarray(0, 8), ciphertext);
    return { clear, expected };
  }
  const clear = f.binding === 'derive-ctr' ? ctrCrypt(c.kbek, mac, ciphertext) : cbcDecrypt(c.kbek, mac, ciphertext);
  ciphertext.set(clear);
  return { clear, expected: cmac(c.kbak, input) };
}
