import {
  AesDukptBdk,
  AesDukptBdkDeriver,
  TdesCipher,
  TdesDukptBdk,
  aesDukptKeyTypeFromAws,
  blockCipherFamily,
  createAes,
  createTdes,
  decryptWithMode,
  deriveCommonSessionKey,
  deriveIccMasterKey,
  encryptWithMode,
  encryptionModeUse,
  ownEntry,
  pkcs7Pad,
  pkcs7Unpad,
  PrimitivesError,
  tdesDukptWorkingKey,
  type AesDukptKeyUsage,
  type AwsEncryptionMode,
  type BlockCipher,
  type TdesDukptKeyVariant,
} from '@paycrypt/primitives';
import type { RequestContext } from '../core/context.js';
import { validationError } from '../core/errors.js';
import type { DukptEncryptionAttributes, EmvEncryptionAttributes, SymmetricEncryptionAttributes } from '../model/data-plane.types.generated.js';
import { prepared, type OperationKey } from './operation-key.js';

/**
 * The block-cipher side of EncryptData / DecryptData / ReEncryptData (data-plane.md §6): from a
 * union member and its key to one `CipherSpec` (cipher, AWS mode, IV, padding), then one function
 * that runs it. All cryptography is @paycrypt/primitives; this file only chooses.
 *
 * | member    | key            | cipher                                                            |
 * |-----------|----------------|-------------------------------------------------------------------|
 * | Symmetric | D0 TDES / AES  | the key itself; Mode from ENCRYPTION_MODES                        |
 * | Dukpt     | B0 TDES / AES  | TDES: X9.24-1 data request/response key; AES: X9.24-3 data working key |
 * | Emv       | E1 / E6 TDES   | CSK(ICC MK (Option A/B), SessionDerivationData), TDES ECB/CBC     |
 *
 * NOTE (mode names, from primitives' ENCRYPTION_MODES — assumptions, AWS does not say): plain `CFB`
 * is full-block CFB (64-bit segment for TDES, 128-bit for AES); `CFB64` with an AES key is CFB with
 * a 64-bit segment; `CFB128` with a TDES key is refused (a segment longer than the block).
 *
 * NOTE (lengths): AWS documents "a multiple of 8 bytes (TDES) / 16 bytes (AES)" for the data; the
 * emulator applies that to every mode, CFB and OFB included (which could take any length), unless
 * padding is asked for.
 *
 * NOTE (Symmetric.PaddingType): the model's only PaddingType enum names RSA paddings (PKCS1,
 * OAEP_*). For a symmetric key the emulator reads `PKCS1` as PKCS#7 block padding (the PKCS
 * padding of block ciphers, OpenSSL's default: 1 to blockSize bytes of value n, always added) —
 * then PlainText may have any length; DecryptData removes it and a bad padding is one opaque
 * ValidationException. `OAEP_*` with a symmetric key is a ValidationException.
 *
 * NOTE (IV): default all zeros (AWS); when given it must be one block (16 hex TDES, 32 hex AES),
 * also in ECB, where it is then ignored.
 */
export interface CipherSpec {
  readonly cipher: BlockCipher;
  readonly mode: AwsEncryptionMode;
  readonly iv: Uint8Array | undefined;
  readonly pad: boolean;
}

export type Direction = 'encrypt' | 'decrypt';

/** The one message of a secret-dependent decryption failure (padding). */
export const DECRYPTION_FAILED = 'CipherText could not be decrypted with the given key and attributes.';

/** The key's own block cipher (stored keys: cached schedule). */
function keyCipher(ctx: RequestContext, key: OperationKey): BlockCipher {
  return prepared(ctx, key, 'encryption:block-cipher', (clear) => (key.keyAlgorithm.startsWith('AES') ? createAes(clear) : createTdes(clear)));
}

function ivOf(hex: string | undefined, blockSize: number, member: string): Uint8Array | undefined {
  if (hex === undefined) return undefined;
  if (hex.length !== 2 * blockSize) {
    throw validationError(`${member}.InitializationVector must be ${2 * blockSize} hex characters for a ${blockSize * 8}-bit block cipher, got ${hex.length}`);
  }
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

function checkMode(mode: string, cipher: BlockCipher, member: string): AwsEncryptionMode {
  try {
    encryptionModeUse(mode, blockCipherFamily(cipher));
  } catch (e) {
    if (e instanceof PrimitivesError) throw validationError(`${member}.Mode ${mode} is not supported with a ${blockCipherFamily(cipher)} key: ${e.message}`);
    throw e;
  }
  return mode as AwsEncryptionMode;
}

/** `Symmetric{Mode, InitializationVector, PaddingType}` with a D0 key. */
export function symmetricSpec(ctx: RequestContext, key: OperationKey, attrs: SymmetricEncryptionAttributes, member: string): CipherSpec {
  const cipher = keyCipher(ctx, key);
  const mode = checkMode(attrs.Mode, cipher, member);
  let pad = false;
  if (attrs.PaddingType !== undefined) {
    if (attrs.PaddingType !== 'PKCS1') {
      throw validationError(`${member}.PaddingType ${attrs.PaddingType} is an RSA padding; with a symmetric key only PKCS1 (PKCS#7 block padding) is supported`);
    }
    pad = true;
  }
  return { cipher, mode, iv: ivOf(attrs.InitializationVector, cipher.blockSize, member), pad };
}

/**
 * DukptKeyVariant → working key. NOTE (assumption, data-plane.md §6): TDES REQUEST and
 * BIDIRECTIONAL (and no variant) = the X9.24-1 data *request* key, with the one-way step (what the
 * AWS sample decrypts with); RESPONSE = the data response key. AES: REQUEST (and no variant) =
 * X9.24-3 "data encryption" usage, RESPONSE = "data decryption", BIDIRECTIONAL = "data both ways".
 */
const TDES_VARIANTS: Readonly<Record<string, TdesDukptKeyVariant>> = { REQUEST: 'DATA_REQUEST', BIDIRECTIONAL: 'DATA_REQUEST', RESPONSE: 'DATA_RESPONSE' };
const AES_USAGES: Readonly<Record<string, AesDukptKeyUsage>> = { REQUEST: 'DATA_ENCRYPT', BIDIRECTIONAL: 'DATA_BOTH_WAYS', RESPONSE: 'DATA_DECRYPT' };

/** `Dukpt{KeySerialNumber, Mode (default CBC), DukptKeyDerivationType, DukptKeyVariant, InitializationVector}` with a B0 BDK. */
export function dukptSpec(ctx: RequestContext, bdk: OperationKey, attrs: DukptEncryptionAttributes, member: string): CipherSpec {
  const ksn = attrs.KeySerialNumber;
  const variant = attrs.DukptKeyVariant ?? 'REQUEST';
  let working: Uint8Array;
  let tdes: boolean;
  if (bdk.keyAlgorithm.startsWith('TDES')) {
    if (ksn.length !== 20) throw validationError(`${member}.KeySerialNumber must be 20 hex characters for a TDES BDK, got ${ksn.length}`);
    if (attrs.DukptKeyDerivationType !== undefined && attrs.DukptKeyDerivationType !== bdk.keyAlgorithm) {
      throw validationError(`${member}.DukptKeyDerivationType ${attrs.DukptKeyDerivationType} is not available with a ${bdk.keyAlgorithm} BDK (TDES DUKPT derives ${bdk.keyAlgorithm} keys)`);
    }
    const tdesBdk = prepared(ctx, bdk, 'encryption:tdes-dukpt-bdk', (clear) => new TdesDukptBdk(clear));
    working = tdesDukptWorkingKey(tdesBdk, ksn, ownEntry(TDES_VARIANTS, variant) ?? 'DATA_REQUEST');
    tdes = true;
  } else {
    if (ksn.length !== 24) throw validationError(`${member}.KeySerialNumber must be 24 hex characters for an AES BDK, got ${ksn.length}`);
    const keyType = aesDukptKeyTypeFromAws(attrs.DukptKeyDerivationType ?? bdk.keyAlgorithm);
    const deriver = prepared(ctx, bdk, 'encryption:aes-dukpt-bdk', (clear) => new AesDukptBdkDeriver(new AesDukptBdk(clear)));
    working = deriver.workingKey(ksn, { usage: ownEntry(AES_USAGES, variant) ?? 'DATA_ENCRYPT', keyType });
    tdes = keyType === '2TDEA' || keyType === '3TDEA';
  }
  const cipher = tdes ? createTdes(working) : createAes(working);
  working.fill(0);
  return { cipher, mode: attrs.Mode ?? 'CBC', iv: ivOf(attrs.InitializationVector, cipher.blockSize, member), pad: false };
}

/**
 * `Emv{MajorKeyDerivationMode, PrimaryAccountNumber, PanSequenceNumber, SessionDerivationData,
 * Mode, InitializationVector}` with an E1/E6 IMK: ICC MK (Option A/B), then the EMV common session
 * key CSK(MK, SessionDerivationData) (Book 2 A1.3.1), then TDES ECB/CBC.
 * NOTE: the model gives no default Mode for Emv; the emulator uses CBC (as Dukpt documents).
 */
export function emvSpec(ctx: RequestContext, imk: OperationKey, attrs: EmvEncryptionAttributes, member: string): CipherSpec {
  const imkCipher = keyCipher(ctx, imk) as TdesCipher;
  const mk = deriveIccMasterKey(imkCipher, attrs.PrimaryAccountNumber, attrs.PanSequenceNumber, attrs.MajorKeyDerivationMode);
  const sk = deriveCommonSessionKey(mk, new Uint8Array(Buffer.from(attrs.SessionDerivationData, 'hex')));
  mk.fill(0);
  const cipher = createTdes(sk);
  sk.fill(0);
  return { cipher, mode: attrs.Mode ?? 'CBC', iv: ivOf(attrs.InitializationVector, 8, member), pad: false };
}

/** Runs a spec over `data` (`field` names the input member in messages). */
export function runCipher(spec: CipherSpec, data: Uint8Array, direction: Direction, field: string): Uint8Array {
  const bs = spec.cipher.blockSize;
  if (direction === 'encrypt') {
    const input = spec.pad ? pkcs7Pad(data, bs) : data;
    if (input.length % bs !== 0) throw validationError(`${field} must be a multiple of ${bs} bytes for a ${bs * 8}-bit block cipher, got ${data.length}`);
    const out = encryptWithMode(spec.cipher, spec.mode, spec.iv, input);
    if (spec.pad) input.fill(0);
    return out;
  }
  if (data.length % bs !== 0) throw validationError(`${field} must be a multiple of ${bs} bytes for a ${bs * 8}-bit block cipher, got ${data.length}`);
  const out = decryptWithMode(spec.cipher, spec.mode, spec.iv, data);
  if (!spec.pad) return out;
  try {
    return pkcs7Unpad(out, bs);
  } catch {
    throw validationError(DECRYPTION_FAILED);
  } finally {
    out.fill(0);
  }
}
