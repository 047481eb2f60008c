import { randomInt } from 'node:crypto';
import {
  AesCipher,
  AesDukptBdkDeriver,
  aesDukptKeyTypeFromAws,
  type BlockCipher,
  decipherIso4PinBlock,
  decodePinBlock,
  encipherIso4PinBlock,
  encodePinBlock,
  hexToBytes,
  bytesToHex,
  PrimitivesError,
  TdesCipher,
  TdesDukptDeriver,
} from '@paycrypt/primitives';
import type { RequestContext } from '../core/context.js';
import { validationError } from '../core/errors.js';
import type { WrappedKey } from '../model/data-plane.types.generated.js';
import { operationKey, prepared, type OperationKey } from './operation-key.js';
import type { KeyRuleName } from './key-rules.js';

/**
 * What the three PIN operations share: the cipher a PIN block is encrypted under (a stored or
 * dynamic PEK, or a DUKPT PIN key derived from a BDK and a KSN), and the ISO 9564 block codec
 * around it. Clear PINs exist only as local strings between a decode and an encode/compare in a
 * handler: nothing here puts a PIN, a key or a clear block into an error or a return value
 * other than an encrypted block.
 */

/** AWS's text for a PIN block that does not decode (data-plane.md §1, user guide verify-pin-data). */
export const PIN_BLOCK_INVALID = 'Pin block provided is invalid. Please check your input to ensure all field values are correct.';

export type AwsPinFormat = 'ISO_FORMAT_0' | 'ISO_FORMAT_1' | 'ISO_FORMAT_3' | 'ISO_FORMAT_4';

/** One table: AWS format name → primitives format, block length, cipher family, PAN use. */
export const PIN_FORMATS: Readonly<Record<AwsPinFormat, { readonly iso: 'ISO_0' | 'ISO_1' | 'ISO_3' | 'ISO_4'; readonly bytes: 8 | 16; readonly family: 'TDES' | 'AES'; readonly usesPan: boolean }>> = {
  ISO_FORMAT_0: { iso: 'ISO_0', bytes: 8, family: 'TDES', usesPan: true },
  ISO_FORMAT_1: { iso: 'ISO_1', bytes: 8, family: 'TDES', usesPan: false },
  ISO_FORMAT_3: { iso: 'ISO_3', bytes: 8, family: 'TDES', usesPan: true },
  ISO_FORMAT_4: { iso: 'ISO_4', bytes: 16, family: 'AES', usesPan: true },
};

/**
 * How the ISO 9564 format 4 PAN field is built.
 * - `full`: ISO 9564-1:2017 (M = len(PAN) − 12 ‖ PAN), as the AWS Java sample builds the blocks it
 *   sends to VerifyPinData (samples-for-payment-cryptography-service, PinTerminal_ISO_4_Format.java).
 * - `legacy`: the 12 rightmost PAN digits excluding the check digit (M = 0), which the TranslatePinData
 *   reference documents: "supports ISO PIN block 4 translation for PIN block built using legacy PAN
 *   length. That is, PAN is the right most 12 digits excluding the check digits."
 */
export type Iso4PanRule = 'full' | 'legacy';

/** A PIN-block cipher for one call, with the key it came from. */
export interface PinCipher {
  readonly key: OperationKey;
  readonly cipher: BlockCipher;
  readonly family: 'TDES' | 'AES';
}

function familyOf(algorithm: string): 'TDES' | 'AES' {
  return algorithm.startsWith('AES') ? 'AES' : 'TDES';
}

function cipherFor(family: 'TDES' | 'AES', clear: Uint8Array): BlockCipher {
  return family === 'AES' ? new AesCipher(clear) : new TdesCipher(clear);
}

/** A PEK (stored, or dynamic under `wrapped`) as a PIN-block cipher. */
export async function pekCipher(ctx: RequestContext, identifier: string, rule: KeyRuleName, wrapped: WrappedKey | undefined, member: string): Promise<PinCipher> {
  const key = await operationKey(ctx, identifier, rule, wrapped, member);
  const family = familyOf(key.keyAlgorithm);
  const cipher = prepared(ctx, key, `pin:pek:${family}`, (clear) => cipherFor(family, clear));
  return { key, cipher, family };
}

export interface PinDukptInput {
  KeySerialNumber: string;
  /** the working key's type (default: TDES_2KEY for a TDES BDK, the BDK's own type for an AES BDK) */
  DerivationType?: string | undefined;
}

/**
 * The PIN-key ciphers of recent KSNs under one BDK, least recently used first out. A KSN is
 * public, and a host often meets the same KSN more than once (translate, then verify); the entry
 * saves the DUKPT walk and the key schedule. NOTE: like prepared(), this keeps clear working-key
 * schedules in process memory for stored BDKs (an HSM's key cache); nothing is kept for a dynamic BDK.
 */
class PinKeyCache {
  readonly #map = new Map<string, BlockCipher>();
  constructor(readonly max: number) {}

  get(id: string, make: () => BlockCipher): BlockCipher {
    let c = this.#map.get(id);
    if (c !== undefined) {
      this.#map.delete(id);
    } else {
      c = make();
      if (this.#map.size >= this.max) this.#map.delete(this.#map.keys().next().value as string);
    }
    this.#map.set(id, c);
    return c;
  }
}

const PIN_KEY_CACHE_SIZE = 512;

/**
 * The DUKPT PIN key for a KSN under a BDK (stored, or dynamic under `wrapped`): TDES DUKPT
 * (X9.24-1:2009) PIN variant of the transaction key; AES DUKPT (X9.24-3:2017) working key of usage
 * PIN_ENCRYPTION (0x1000) of the requested type. The BDK's preparation (TDES and AES: an LRU of
 * per-terminal derivers that remember the last bit walk) is cached per stored key, and so is the PIN-key cipher of recent KSNs.
 *
 * NOTE: `DukptKeyVariant` does not change a PIN key (X9.24 has one PIN key per KSN); it is accepted
 * and ignored here.
 */
export async function dukptPinCipher(ctx: RequestContext, identifier: string, dukpt: PinDukptInput, wrapped: WrappedKey | undefined, member: string): Promise<PinCipher> {
  const key = await operationKey(ctx, identifier, 'BDK', wrapped, member);
  const bdkFamily = familyOf(key.keyAlgorithm);
  const ksn = dukpt.KeySerialNumber.toUpperCase();
  if (bdkFamily === 'TDES') {
    const type = dukpt.DerivationType ?? 'TDES_2KEY';
    if (type !== 'TDES_2KEY') throw validationError(`${member}: DUKPT derivation type ${type} needs an AES BDK; ${key.arn} is ${key.keyAlgorithm}`);
    const p = prepared(ctx, key, 'pin:dukpt:tdes-bdk', (clear) => ({ deriver: new TdesDukptDeriver(clear), keys: new PinKeyCache(PIN_KEY_CACHE_SIZE) }));
    try {
      const cipher = p.keys.get(ksn, () => {
        const wk = p.deriver.workingKey(ksn, 'PIN');
        try {
          return new TdesCipher(wk);
        } finally {
          wk.fill(0);
        }
      });
      return { key, cipher, family: 'TDES' };
    } finally {
      if (key.record === undefined) p.deriver.dispose();
    }
  }
  const type = dukpt.DerivationType ?? key.keyAlgorithm;
  const keyType = aesDukptKeyTypeFromAws(type);
  const family = type.startsWith('AES') ? 'AES' : 'TDES';
  const p = prepared(ctx, key, 'pin:dukpt:aes-bdk', (clear) => ({ deriver: new AesDukptBdkDeriver(clear), keys: new PinKeyCache(PIN_KEY_CACHE_SIZE) }));
  try {
    const cipher = p.keys.get(`${type}:${ksn}`, () => {
      const wk = p.deriver.workingKey(ksn, { usage: 'PIN_ENCRYPTION', keyType });
      try {
        return cipherFor(family, wk);
      } finally {
        wk.fill(0);
      }
    });
    return { key, cipher, family };
  } finally {
    if (key.record === undefined) p.deriver.dispose();
  }
}

/** The PAN the format needs, or a ValidationException naming the member. */
export function panFor(format: AwsPinFormat, pan: string | undefined, member = 'PrimaryAccountNumber'): string | undefined {
  if (!PIN_FORMATS[format].usesPan) return undefined;
  if (pan === undefined) throw validationError(`${member} is required for PIN block format ${format}`);
  return pan;
}

function iso4Pan(pan: string, rule: Iso4PanRule): string {
  return rule === 'full' ? pan : pan.slice(0, -1).slice(-12).padStart(12, '0');
}

function checkFamily(pc: PinCipher, format: AwsPinFormat, member: string): void {
  const want = PIN_FORMATS[format].family;
  if (pc.family !== want) {
    throw validationError(
      want === 'AES'
        ? `${member}: PIN block format ${format} needs an AES key; ${pc.key.arn} is a TDES key`
        : `${member}: PIN block format ${format} needs a TDES key; ${pc.key.arn} is an AES key (AES keys use ISO_FORMAT_4)`,
    );
  }
}

/**
 * The PIN of an encrypted block. Anything that does not decode (length, format, PAN, key) is
 * the one ValidationException with AWS's text; which check failed is never said.
 */
export function decryptPin(pc: PinCipher, format: AwsPinFormat, blockHex: string, pan: string | undefined, rule: Iso4PanRule, member: string): string {
  checkFamily(pc, format, member);
  const facts = PIN_FORMATS[format];
  if (blockHex.length !== facts.bytes * 2) throw validationError(PIN_BLOCK_INVALID);
  const block = hexToBytes(blockHex);
  try {
    if (facts.iso === 'ISO_4') return decipherIso4PinBlock(pc.cipher as AesCipher, block, iso4Pan(pan!, rule));
    pc.cipher.decryptBlockInto(block, 0, block, 0);
    return decodePinBlock(facts.iso, block, pan);
  } catch (e) {
    if (e instanceof PrimitivesError) throw validationError(PIN_BLOCK_INVALID);
    throw e;
  } finally {
    block.fill(0);
  }
}

/** The PIN encrypted in `format` (random fill from the CSPRNG for ISO 1, 3 and 4), upper-case hex. */
export function encryptPin(pc: PinCipher, format: AwsPinFormat, pin: string, pan: string | undefined, rule: Iso4PanRule, member: string): string {
  checkFamily(pc, format, member);
  const facts = PIN_FORMATS[format];
  if (facts.iso === 'ISO_4') return bytesToHex(encipherIso4PinBlock(pc.cipher as AesCipher, pin, iso4Pan(pan!, rule)));
  const block = encodePinBlock(facts.iso, pin, pan);
  try {
    pc.cipher.encryptBlockInto(block, 0, block, 0);
    return bytesToHex(block);
  } finally {
    block.fill(0);
  }
}

/** A random PIN of `length` decimal digits from the CSPRNG. */
export function randomPin(length: number): string {
  let pin = '';
  for (let i = 0; i < length; i++) pin += String(randomInt(10));
  return pin;
}

/** TDES PVK (V1/V2) cipher, cached per stored key. */
export function pvkCipher(ctx: RequestContext, key: OperationKey): TdesCipher {
  return prepared(ctx, key, 'pin:pvk:tdes', (clear) => new TdesCipher(clear));
}
