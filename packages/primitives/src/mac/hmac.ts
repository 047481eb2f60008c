import { hmac } from '@noble/hashes/hmac.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { assertBytes } from '../bytes.js';
import { ownEntry } from '../table.js';

/**
 * HMAC (RFC 2104) with SHA-224/256/384/512 from @noble/hashes: synchronous and available in
 * every runtime (WebCrypto's HMAC is async and has no SHA-224). One table of the hashes.
 */
export type HmacHash = 'SHA224' | 'SHA256' | 'SHA384' | 'SHA512';

export const HMAC_HASHES = {
  SHA224: { hash: sha224, outputBytes: 28, blockBytes: 64 },
  SHA256: { hash: sha256, outputBytes: 32, blockBytes: 64 },
  SHA384: { hash: sha384, outputBytes: 48, blockBytes: 128 },
  SHA512: { hash: sha512, outputBytes: 64, blockBytes: 128 },
} as const satisfies Record<HmacHash, { hash: unknown; outputBytes: number; blockBytes: number }>;

/** Full-length HMAC of `data` under `key` (any key length, RFC 2104). */
export function hmacSha(hash: HmacHash, key: Uint8Array, data: Uint8Array): Uint8Array {
  const facts = ownEntry(HMAC_HASHES, hash);
  if (facts === undefined) throw new RangeError(`"hash" expected SHA224, SHA256, SHA384 or SHA512, got ${String(hash)}`);
  assertBytes(key, 'key');
  assertBytes(data, 'data');
  return hmac(facts.hash, key, data);
}
