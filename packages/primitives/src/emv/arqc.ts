import { assertBytes, constantTimeEqual } from '../bytes.js';
import { RetailMacKey } from './retail-mac-key.js';

/**
 * Application cryptogram (ARQC / TC / AAC), EMV Book 2 §8.1 and A1.2: the ISO/IEC 9797-1
 * algorithm 3 MAC, under the scheme's AC key (schemes.ts), of the transaction data EXACTLY as
 * given. The caller (terminal, scheme CVN) pads: AWS tells callers to pad before sending
 * ("Most schemes use ISO 9797 Method 2 … The alternative (method 1) … uses only 00"), and its two
 * user-guide examples MAC the data as sent. Data that is empty or not a multiple of 8 bytes is
 * refused with `PrimitivesError('INVALID_LENGTH')` rather than padded by a guess.
 */

/** The 8-byte cryptogram of block-aligned `transactionData` under `acKey` (16 bytes or a kept RetailMacKey). */
export function generateArqc(acKey: Uint8Array | RetailMacKey, transactionData: Uint8Array): Uint8Array {
  const k = acKey instanceof RetailMacKey ? acKey : new RetailMacKey(acKey);
  return k.mac(transactionData, 'NONE');
}

/** Constant-time check of an 8-byte cryptogram. */
export function verifyArqc(acKey: Uint8Array | RetailMacKey, transactionData: Uint8Array, arqc: Uint8Array): boolean {
  assertBytes(arqc, 'arqc', 8);
  const mac = generateArqc(acKey, transactionData);
  const ok = constantTimeEqual(mac, arqc);
  mac.fill(0);
  return ok;
}
