import { PrimitivesError } from '../errors.js';

/**
 * PKCS#7 block padding (RFC 5652 §6.3; the same rule as PKCS#5 for 8-byte blocks): append n
 * bytes of value n, 1 ≤ n ≤ blockSize, so the result is a whole number of blocks (an aligned
 * input gets one full block of padding). This is what OpenSSL (and node:crypto) call "auto
 * padding" for block ciphers.
 *
 * Removing it is secret-dependent (it reads decrypted bytes): the check runs over the whole
 * last block without early exit, and every failure is one `VERIFICATION_FAILED` error with a
 * fixed message.
 */
export const PKCS7_PADDING_FAILED_MESSAGE = 'padding check failed';

function assertBlockSize(blockSize: number): void {
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > 255) {
    throw new RangeError(`"blockSize" expected an integer from 1 to 255, got ${String(blockSize)}`);
  }
}

/** `data` with PKCS#7 padding for `blockSize` (a new array). */
export function pkcs7Pad(data: Uint8Array, blockSize: number): Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TypeError('"data" expected Uint8Array');
  assertBlockSize(blockSize);
  const n = blockSize - (data.length % blockSize);
  const out = new Uint8Array(data.length + n);
  out.set(data, 0);
  out.fill(n, data.length);
  return out;
}

/** `data` without its PKCS#7 padding (a new array); a bad length or padding is the one opaque error. */
export function pkcs7Unpad(data: Uint8Array, blockSize: number): Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TypeError('"data" expected Uint8Array');
  assertBlockSize(blockSize);
  const len = data.length;
  if (len === 0 || len % blockSize !== 0) throw new PrimitivesError('VERIFICATION_FAILED', PKCS7_PADDING_FAILED_MESSAGE);
  const n = data[len - 1]!;
  // bad != 0 when n is 0 or larger than the block, or any of the last n bytes differs from n
  let bad = ((n - 1) >>> 31) | ((blockSize - n) >>> 31);
  for (let i = 0; i < blockSize; i++) {
    const inPad = ((i - n) >>> 31) & 1; // 1 when i < n
    bad |= inPad * (data[len - 1 - i]! ^ n);
  }
  if (bad !== 0) throw new PrimitivesError('VERIFICATION_FAILED', PKCS7_PADDING_FAILED_MESSAGE);
  return data.slice(0, len - n);
}
