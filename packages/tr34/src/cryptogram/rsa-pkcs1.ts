import { cryptoFailed } from '../errors.js';

/**
 * EME-PKCS1-v1_5 decoding (RFC 8017 §7.2.2 step 3) of an encoded message EM already recovered
 * by the raw RSA private operation (RSADP): EM = 0x00 ‖ 0x02 ‖ PS ‖ 0x00 ‖ M, PS at least 8
 * non-zero bytes. For callers whose RSA engine refuses PKCS#1 v1.5 decryption (Node 20 does, as a
 * Marvin-attack mitigation) and who run RSADP themselves (e.g. `RSA_NO_PADDING`).
 *
 * The scan covers every byte with no early exit, and every failure is the one opaque
 * `CRYPTO_FAILED` error (RFC 8017 §7.2.2 note: an opponent must not learn why it failed).
 * The length of M is revealed by the result, as it must be.
 */
export function decodeRsaesPkcs1v15(em: Uint8Array, modulusBytes: number): Uint8Array {
  if (!(em instanceof Uint8Array)) throw new TypeError('"em" expected Uint8Array');
  if (!Number.isInteger(modulusBytes) || modulusBytes < 11) throw new RangeError(`"modulusBytes" expected an integer ≥ 11, got ${String(modulusBytes)}`);
  if (em.length !== modulusBytes) throw cryptoFailed();
  let bad = em[0]! | (em[1]! ^ 0x02);
  let sep = 0; // index of the first zero byte after the header (0 while not found)
  for (let i = 2; i < em.length; i++) {
    const isZero = ((em[i]! - 1) >>> 31) & 1; // 1 when em[i] === 0
    const notFound = ((sep - 1) >>> 31) & 1; // 1 while sep === 0
    sep |= -(isZero & notFound) & i;
  }
  // no separator, or PS shorter than 8 bytes (separator before index 10)
  bad |= ((sep - 1) >>> 31) | ((sep - 10) >>> 31);
  if (bad !== 0) throw cryptoFailed();
  return em.slice(sep + 1);
}
