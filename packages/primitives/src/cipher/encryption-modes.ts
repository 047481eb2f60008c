import { PrimitivesError } from '../errors.js';
import { ownEntry } from '../table.js';
import { cbcDecrypt, cbcEncrypt, ecbDecrypt, ecbEncrypt, type BlockCipher } from './block-cipher.js';
import { cfbDecrypt, cfbEncrypt, type CfbSegmentBits } from './cfb.js';
import { ofbCrypt } from './ofb.js';

/**
 * AWS Payment Cryptography `EncryptionMode` (data plane `SymmetricEncryptionAttributes.Mode`)
 * × block-cipher family: what each name computes here, in ONE table.
 *
 * | AWS mode | TDES (2-key, 3-key; 64-bit block)  | AES (128/192/256; 128-bit block)   |
 * |----------|------------------------------------|------------------------------------|
 * | ECB      | ECB                                | ECB                                |
 * | CBC      | CBC                                | CBC                                |
 * | CFB      | CFB, 64-bit segment (full) [a]     | CFB, 128-bit segment (full) [a]    |
 * | CFB1     | CFB, 1-bit segment                 | CFB, 1-bit segment                 |
 * | CFB8     | CFB, 8-bit segment                 | CFB, 8-bit segment                 |
 * | CFB64    | CFB, 64-bit segment (= CFB)        | CFB, 64-bit segment (half) [b]     |
 * | CFB128   | refused, `UNSUPPORTED` [c]         | CFB, 128-bit segment (= CFB)       |
 * | OFB      | OFB                                | OFB                                |
 *
 * [a] The number in an AWS name is the segment size in bits; plain `CFB` is read as full-block
 *     CFB, the SP 800-38A and OpenSSL default (`aes-128-cfb`, `des-ede3-cfb`). The model does not
 *     say (**assumption**). payShield's M0 mode flags, which AWS maps, are 02 = CFB8, 03 = CFB64.
 * [b] SP 800-38A allows any segment 1 ≤ s ≤ b, so AES with s = 64 is well defined; whether AWS
 *     accepts CFB64 with an AES key, and computes this, is not documented (**assumption**).
 * [c] A 128-bit segment is longer than the TDES block (SP 800-38A requires s ≤ b): there is no
 *     such mode. We refuse it rather than read it as "full-block CFB" (AWS behaviour unknown).
 *
 * Lengths: ECB and CBC need whole blocks (no padding here). The CFB and OFB functions accept any
 * length; our notes on AWS (EncryptData) say its data must be a multiple of the block size in
 * every mode, so an emulator that enforces that checks `data.length % blockSize` itself.
 * The IV is one block; absent, it is all zeros (the AWS default). ECB ignores any IV given.
 */
export type AwsEncryptionMode = 'ECB' | 'CBC' | 'CFB' | 'CFB1' | 'CFB8' | 'CFB64' | 'CFB128' | 'OFB';

/** The block-cipher families of AWS symmetric keys: TDES_2KEY/TDES_3KEY, AES_128/192/256. */
export type BlockCipherFamily = 'TDES' | 'AES';

export type EncryptionModeUse =
  | {
      readonly supported: true;
      readonly kind: 'ECB' | 'CBC' | 'CFB' | 'OFB';
      /** CFB segment size in bits. */
      readonly segmentBits?: CfbSegmentBits;
      /** ECB and CBC need a multiple of the block size; CFB and OFB take any length. */
      readonly wholeBlocks: boolean;
      /** Whether the IV takes part (false only for ECB). */
      readonly usesIv: boolean;
      /** true where AWS's behaviour is our reading, not documented. */
      readonly assumption?: true;
    }
  | { readonly supported: false; readonly reason: string };

const ECB = { supported: true, kind: 'ECB', wholeBlocks: true, usesIv: false } as const;
const CBC = { supported: true, kind: 'CBC', wholeBlocks: true, usesIv: true } as const;
const OFB = { supported: true, kind: 'OFB', wholeBlocks: false, usesIv: true } as const;
function cfb(segmentBits: CfbSegmentBits, assumption = false): EncryptionModeUse {
  return assumption
    ? { supported: true, kind: 'CFB', segmentBits, wholeBlocks: false, usesIv: true, assumption: true }
    : { supported: true, kind: 'CFB', segmentBits, wholeBlocks: false, usesIv: true };
}

export const ENCRYPTION_MODES: Readonly<Record<AwsEncryptionMode, Readonly<Record<BlockCipherFamily, EncryptionModeUse>>>> = {
  ECB: { TDES: ECB, AES: ECB },
  CBC: { TDES: CBC, AES: CBC },
  CFB: { TDES: cfb(64, true), AES: cfb(128, true) },
  CFB1: { TDES: cfb(1), AES: cfb(1) },
  CFB8: { TDES: cfb(8), AES: cfb(8) },
  CFB64: { TDES: cfb(64), AES: cfb(64, true) },
  CFB128: {
    TDES: { supported: false, reason: 'CFB128 needs a 128-bit segment; the TDES block is 64 bits (SP 800-38A: segment ≤ block)' },
    AES: cfb(128),
  },
  OFB: { TDES: OFB, AES: OFB },
};

/** The family of a block cipher instance, from its block size. */
export function blockCipherFamily(c: BlockCipher): BlockCipherFamily {
  return c.blockSize === 8 ? 'TDES' : 'AES';
}

/**
 * The table entry for an AWS mode name and a family; a name AWS does not define, or a
 * combination the table refuses, is a `PrimitivesError` `UNSUPPORTED` (field `mode`).
 */
export function encryptionModeUse(mode: string, family: BlockCipherFamily): Extract<EncryptionModeUse, { supported: true }> {
  const row = ownEntry(ENCRYPTION_MODES, mode);
  if (row === undefined) throw new PrimitivesError('UNSUPPORTED', `"mode" is not an AWS EncryptionMode`, { field: 'mode' });
  const use = ownEntry(row, family);
  if (use === undefined) throw new RangeError(`"family" expected TDES or AES, got ${String(family)}`);
  if (!use.supported) throw new PrimitivesError('UNSUPPORTED', `"mode" ${mode} with ${family}: ${use.reason}`, { field: 'mode' });
  return use;
}

function run(c: BlockCipher, mode: AwsEncryptionMode, iv: Uint8Array | undefined, data: Uint8Array, decrypt: boolean): Uint8Array {
  const use = encryptionModeUse(mode, blockCipherFamily(c));
  if (use.kind === 'ECB') return decrypt ? ecbDecrypt(c, data) : ecbEncrypt(c, data);
  const v = iv ?? new Uint8Array(c.blockSize);
  switch (use.kind) {
    case 'CBC':
      return decrypt ? cbcDecrypt(c, v, data) : cbcEncrypt(c, v, data);
    case 'OFB':
      return ofbCrypt(c, v, data);
    case 'CFB':
      return decrypt ? cfbDecrypt(c, v, data, use.segmentBits!) : cfbEncrypt(c, v, data, use.segmentBits!);
  }
}

/**
 * Encrypts under an AWS `EncryptionMode`: `encryptWithMode(createTdes(key), 'CFB8', iv, data)`.
 * `iv` undefined means zeros (AWS's default); ECB ignores it. No padding is added.
 */
export function encryptWithMode(c: BlockCipher, mode: AwsEncryptionMode, iv: Uint8Array | undefined, data: Uint8Array): Uint8Array {
  return run(c, mode, iv, data, false);
}

/** Decrypts under an AWS `EncryptionMode` (same rules as `encryptWithMode`). */
export function decryptWithMode(c: BlockCipher, mode: AwsEncryptionMode, iv: Uint8Array | undefined, data: Uint8Array): Uint8Array {
  return run(c, mode, iv, data, true);
}
