import { createHash } from 'node:crypto';

/**
 * The two key derivation functions of ECDH key exchange (`KeyDerivationFunction`), each a
 * counter-mode construction over one hash (`KeyDerivationHashAlgorithm`), turning the ECDH shared
 * secret Z and the caller's `SharedInformation` into `length` bytes of key:
 *
 * - `NIST_SP800`: the one-step (single-step) KDF with a hash, NIST SP 800-56C Rev. 2 §4.1 option 1
 *   (the "concatenation KDF" of SP 800-56A): K(i) = H(counter_i ‖ Z ‖ FixedInfo), FixedInfo being
 *   the SharedInformation. This is what the aws-samples ECDH import/export scripts compute on the
 *   partner side (pyca `ConcatKDFHash(SHA256, length=32, otherinfo=SharedInformation)`, repository
 *   aws-samples/samples-for-payment-cryptography, key-import-export/ecdh).
 * - `ANSI_X963`: the ANSI X9.63 KDF (also SEC 1 v2 §3.6.1, NIST SP 800-135 §4.1):
 *   K(i) = H(Z ‖ counter_i ‖ SharedInfo).
 *
 * In both, counter_i is a 32-bit big-endian integer starting at 1, and the output is the first
 * `length` bytes of K(1) ‖ K(2) ‖ … (ceil(length / hash length) hash calls).
 * NOTE: AWS does not publish its KDF byte layouts; these are the standards the enum values name,
 * and NIST_SP800 matches the aws-samples partner code above.
 */

export type EcdhKdfName = 'NIST_SP800' | 'ANSI_X963';
export type EcdhKdfHash = 'SHA_256' | 'SHA_384' | 'SHA_512';

const HASHES: Readonly<Record<EcdhKdfHash, { name: string; bytes: number }>> = {
  SHA_256: { name: 'sha256', bytes: 32 },
  SHA_384: { name: 'sha384', bytes: 48 },
  SHA_512: { name: 'sha512', bytes: 64 },
};

export function isEcdhKdfName(v: unknown): v is EcdhKdfName {
  return v === 'NIST_SP800' || v === 'ANSI_X963';
}

export function isEcdhKdfHash(v: unknown): v is EcdhKdfHash {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(HASHES, v);
}

/** `length` bytes derived from Z and the shared information; intermediate digests are wiped. */
export function ecdhKdf(kdf: EcdhKdfName, hash: EcdhKdfHash, z: Uint8Array, sharedInfo: Uint8Array, length: number): Uint8Array {
  const h = HASHES[hash];
  if (!Number.isInteger(length) || length < 1 || length > 1024) throw new RangeError(`"length" expected 1..1024, got ${length}`);
  const out = new Uint8Array(length);
  const counter = new Uint8Array(4);
  const counterView = new DataView(counter.buffer);
  for (let i = 1, off = 0; off < length; i++, off += h.bytes) {
    counterView.setUint32(0, i, false);
    const hasher = createHash(h.name);
    if (kdf === 'NIST_SP800') hasher.update(counter).update(z);
    else hasher.update(z).update(counter);
    const block = hasher.update(sharedInfo).digest();
    out.set(block.subarray(0, Math.min(h.bytes, length - off)), off);
    block.fill(0);
  }
  return out;
}
