import { assertBytes } from '../bytes.js';
import { TdesCipher } from '../cipher/tdes.js';
import { adjustOddParity } from './icc-master-key.js';

/**
 * EMV session keys derived from a 16-byte ICC master key (MK).
 *
 * | function                       | key                                                             | source |
 * |--------------------------------|-----------------------------------------------------------------|--------|
 * | deriveCommonSessionKey(MK, R)  | TDES_MK(R with byte 2 := F0) ‖ TDES_MK(R with byte 2 := 0F)     | Book 2 A1.3.1 |
 * | deriveMastercardSessionKey     | common key with R = ATC ‖ 00 00 ‖ UN (M/Chip "SKD")             | jPOS MCHIP, pyemv CVN16/17 |
 * | deriveVisaSmSessionKey(MK, ATC)| MK_L ⊕ (00×6 ‖ ATC) ‖ MK_R ⊕ (00×6 ‖ ATC ⊕ FFFF)                | pyemv, jPOS (Visa VIS secure messaging) |
 *
 * All results are set to odd parity. The EMV 4.0 tree (AWS `Emv2000`) is in emv2000-tree.ts.
 * Which scheme uses which function, with which R, is the table in schemes.ts.
 */

/** Common session key (CSK) for the 8-byte diversification value `r`. */
export function deriveCommonSessionKey(mk: Uint8Array | TdesCipher, r: Uint8Array): Uint8Array {
  if (mk instanceof Uint8Array) assertBytes(mk, 'mk', 16);
  else if (!(mk instanceof TdesCipher)) throw new TypeError('"mk" expected Uint8Array or TdesCipher');
  assertBytes(r, 'r', 8);
  const c = mk instanceof TdesCipher ? mk : new TdesCipher(mk);
  const sk = new Uint8Array(16);
  sk.set(r, 0);
  sk.set(r, 8);
  sk[2] = 0xf0;
  sk[10] = 0x0f;
  c.encryptBlockInto(sk, 0, sk, 0);
  c.encryptBlockInto(sk, 8, sk, 8);
  return adjustOddParity(sk);
}

/** R = ATC (2 bytes) ‖ 00×6: the EMV common AC session key (AWS `EmvCommon`). */
export function commonSessionKeyR(atc: Uint8Array): Uint8Array {
  assertBytes(atc, 'atc', 2);
  const r = new Uint8Array(8);
  r.set(atc, 0);
  return r;
}

/** R = ATC (2 bytes) ‖ 00 00 ‖ UN (4 bytes): the Mastercard AC session key (AWS `Mastercard`). */
export function mastercardSessionKeyR(atc: Uint8Array, unpredictableNumber: Uint8Array): Uint8Array {
  assertBytes(atc, 'atc', 2);
  assertBytes(unpredictableNumber, 'unpredictableNumber', 4);
  const r = new Uint8Array(8);
  r.set(atc, 0);
  r.set(unpredictableNumber, 4);
  return r;
}

/** Mastercard session key: CSK with R = ATC ‖ 0000 ‖ UN. */
export function deriveMastercardSessionKey(mk: Uint8Array | TdesCipher, atc: Uint8Array, unpredictableNumber: Uint8Array): Uint8Array {
  return deriveCommonSessionKey(mk, mastercardSessionKeyR(atc, unpredictableNumber));
}

/** Visa secure-messaging session key (ATC-XOR method); no encryption involved. */
export function deriveVisaSmSessionKey(mk: Uint8Array, atc: Uint8Array): Uint8Array {
  assertBytes(mk, 'mk', 16);
  assertBytes(atc, 'atc', 2);
  const sk = new Uint8Array(mk);
  sk[6] = sk[6]! ^ atc[0]!;
  sk[7] = sk[7]! ^ atc[1]!;
  sk[14] = sk[14]! ^ atc[0]! ^ 0xff;
  sk[15] = sk[15]! ^ atc[1]! ^ 0xff;
  return adjustOddParity(sk);
}
