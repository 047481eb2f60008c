import { assertBytes, constantTimeEqual } from '../bytes.js';
import { TdesCipher } from '../cipher/tdes.js';
import { RetailMacKey } from './retail-mac-key.js';

/**
 * Authorisation response cryptogram (EMV Book 2 §8.2), computed by the issuer with the scheme's
 * ARPC key (schemes.ts: the AC session key or the ICC master key).
 *
 * | method | output  | computation                                                          | AWS attributes |
 * |--------|---------|----------------------------------------------------------------------|----------------|
 * | 1      | 8 bytes | TDES_K(ARQC ⊕ (ARC ‖ 00×6)), ARC = 2-byte authorisation response code | ArpcMethod1{AuthResponseCode} |
 * | 2      | 4 bytes | leftmost 4 bytes of alg-3 MAC, padding 2, of ARQC ‖ CSU(4) ‖ PAD(0–8) | ArpcMethod2{CardStatusUpdate, ProprietaryAuthenticationData} |
 */

function method1Block(arqc: Uint8Array, arc: Uint8Array): Uint8Array {
  assertBytes(arqc, 'arqc', 8);
  assertBytes(arc, 'authResponseCode', 2);
  const b = new Uint8Array(arqc);
  b[0] = b[0]! ^ arc[0]!;
  b[1] = b[1]! ^ arc[1]!;
  return b;
}

/** ARPC method 1 (8 bytes). */
export function generateArpcMethod1(arpcKey: Uint8Array, arqc: Uint8Array, authResponseCode: Uint8Array): Uint8Array {
  assertBytes(arpcKey, 'arpcKey', 16);
  const b = method1Block(arqc, authResponseCode);
  new TdesCipher(arpcKey).encryptBlockInto(b, 0, b, 0);
  return b;
}

/** Card-side / test check of a method-1 ARPC, in constant time. */
export function verifyArpcMethod1(arpcKey: Uint8Array, arqc: Uint8Array, authResponseCode: Uint8Array, arpc: Uint8Array): boolean {
  assertBytes(arpc, 'arpc', 8);
  return constantTimeEqual(generateArpcMethod1(arpcKey, arqc, authResponseCode), arpc);
}

/** The method-2 MAC input: ARQC ‖ CSU ‖ proprietary authentication data (0–8 bytes). */
function method2Data(arqc: Uint8Array, csu: Uint8Array, pad: Uint8Array): Uint8Array {
  assertBytes(arqc, 'arqc', 8);
  assertBytes(csu, 'cardStatusUpdate', 4);
  assertBytes(pad, 'proprietaryAuthenticationData', 0, 1, 2, 3, 4, 5, 6, 7, 8);
  const d = new Uint8Array(12 + pad.length);
  d.set(arqc, 0);
  d.set(csu, 8);
  d.set(pad, 12);
  return d;
}

/** ARPC method 2 (4 bytes). */
export function generateArpcMethod2(
  arpcKey: Uint8Array | RetailMacKey,
  arqc: Uint8Array,
  cardStatusUpdate: Uint8Array,
  proprietaryAuthenticationData: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const k = arpcKey instanceof RetailMacKey ? arpcKey : new RetailMacKey(arpcKey);
  return k.mac(method2Data(arqc, cardStatusUpdate, proprietaryAuthenticationData), 2).slice(0, 4);
}

/** Constant-time check of a method-2 ARPC. */
export function verifyArpcMethod2(
  arpcKey: Uint8Array | RetailMacKey,
  arqc: Uint8Array,
  cardStatusUpdate: Uint8Array,
  proprietaryAuthenticationData: Uint8Array | undefined,
  arpc: Uint8Array,
): boolean {
  assertBytes(arpc, 'arpc', 4);
  return constantTimeEqual(generateArpcMethod2(arpcKey, arqc, cardStatusUpdate, proprietaryAuthenticationData), arpc);
}

/** The response an issuer asks for (AWS `AuthResponseAttributes`). */
export type ArpcRequest =
  | { method: 1; authResponseCode: Uint8Array }
  | { method: 2; cardStatusUpdate: Uint8Array; proprietaryAuthenticationData?: Uint8Array };

/** Method 1 or 2 by the request's `method`. */
export function generateArpc(arpcKey: Uint8Array, arqc: Uint8Array, request: ArpcRequest): Uint8Array {
  if (request === null || typeof request !== 'object') throw new TypeError('"request" expected { method: 1 | 2, … }');
  if (request.method === 1) return generateArpcMethod1(arpcKey, arqc, request.authResponseCode);
  if (request.method === 2) return generateArpcMethod2(arpcKey, arqc, request.cardStatusUpdate, request.proprietaryAuthenticationData);
  throw new RangeError(`"request.method" expected 1 or 2, got ${String((request as { method: unknown }).method)}`);
}
