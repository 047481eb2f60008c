import { createCipheriv, createHmac } from 'node:crypto';
import { CreateKeyCommand, type KeyModesOfUse, type PaymentCryptographyClient } from '@aws-sdk/client-payment-cryptography';
import type { Emulator } from '../src/index.js';

/**
 * Test helpers for the TR-31 import/export tests.
 *
 * Key check values are computed here with node:crypto (OpenSSL), a code path independent of the
 * emulator's (@paycrypt/primitives): ANSI X9.24 = TDES-ECB of one zero block; CMAC of one zero
 * block = E(K, K1) with K1 = dbl(E(K, 0)) (NIST SP 800-38B: a single complete block M = 0 gives
 * M xor K1 = K1).
 */

function ecb(key: Uint8Array, block: Uint8Array): Buffer {
  const name = key.length === 16 && block.length === 8 ? 'des-ede-ecb' : block.length === 8 ? 'des-ede3-ecb' : `aes-${key.length * 8}-ecb`;
  const c = createCipheriv(name, key, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()]);
}

function dbl(b: Buffer): Buffer {
  const out = Buffer.alloc(b.length);
  for (let i = 0; i < b.length; i++) out[i] = ((b[i]! << 1) & 0xff) | (i + 1 < b.length ? b[i + 1]! >> 7 : 0);
  if (b[0]! & 0x80) out[b.length - 1]! ^= b.length === 16 ? 0x87 : 0x1b;
  return out;
}

/** KCV (3 bytes, upper-case hex) of a TDES or AES key with the AWS method names. */
export function nodeKcv(key: Uint8Array, family: 'TDES' | 'AES', method: 'ANSI_X9_24' | 'CMAC'): string {
  const n = family === 'TDES' ? 8 : 16;
  const full = method === 'ANSI_X9_24' ? ecb(key, new Uint8Array(n)) : ecb(key, dbl(ecb(key, new Uint8Array(n))));
  return full.subarray(0, 3).toString('hex').toUpperCase();
}

/** HMAC KCV: leftmost 3 bytes of HMAC(key, empty message). */
export function nodeHmacKcv(key: Uint8Array, hash: string): string {
  return createHmac(hash, key).update(Buffer.alloc(0)).digest().subarray(0, 3).toString('hex').toUpperCase();
}

export const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

/**
 * The clear key of an emulator key, read through the emulator's internals (its state and its
 * vault under the LMK). This is how the tests get a KEK they know: the KEK is created through the
 * SDK, then its clear value is read here, test-side only.
 */
export function clearKeyOf(em: Emulator, keyArn: string, region = 'us-east-1'): Uint8Array {
  const rec = em.services.states.get(em.services.defaultAccountId, region).keys.get(keyArn.slice(keyArn.lastIndexOf('/') + 1));
  if (rec?.sealed === undefined) throw new Error(`no material for ${keyArn}`);
  return em.services.vault.unseal(rec.sealed, { keyUsage: rec.keyUsage, keyAlgorithm: rec.keyAlgorithm, keyClass: rec.keyClass, exportable: rec.exportable });
}

export const KEK_MODES: KeyModesOfUse = { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true };

/** CreateKey of a symmetric key; answers its ARN and KCV. */
export async function createSymmetric(
  client: PaymentCryptographyClient,
  KeyUsage: string,
  KeyAlgorithm: string,
  KeyModesOfUse: KeyModesOfUse,
  Exportable = true,
): Promise<{ arn: string; kcv: string }> {
  const out = await client.send(
    new CreateKeyCommand({ Exportable, KeyAttributes: { KeyUsage: KeyUsage as never, KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: KeyAlgorithm as never, KeyModesOfUse } }),
  );
  return { arn: out.Key!.KeyArn!, kcv: out.Key!.KeyCheckValue! };
}
