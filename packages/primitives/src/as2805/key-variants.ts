import { cbcDecrypt, cbcEncrypt } from '../cipher/block-cipher.js';
import { createTdes, type TdesCipher } from '../cipher/tdes.js';
import { randomBytes, type RandomSource } from '../bytes.js';
import { adjustOddParity } from '../emv/icc-master-key.js';
import { PrimitivesError } from '../errors.js';
import { ownEntry } from '../table.js';

/**
 * AS2805 part 6 key variants, as AWS Payment Cryptography applies them (node-to-node key
 * exchange): a key is carried under `KEK ⊕ mask`, where the mask is a short byte pattern repeated
 * over the KEK's length, with TDES-CBC and a zero IV. The facts below are all in ONE table each:
 * key-type variants (ImportKey / ExportKey `As2805KeyCryptogram`) and the KEK-validation
 * variants (GenerateAs2805KekValidation `RandomKeySendVariantMask`).
 *
 * Source [S]: aws-samples/samples-for-payment-cryptography-service @0e338de,
 * python_sdk_example/as2805_node-to-node_examples/ — `as2805_2_1_Working_Key_Exchange.py`
 * (table `AS2805_VARIANT_MASKS`: "2-byte patterns repeated for 2-key TDES / 16 bytes",
 * 28C0 / 22C0 / 24C0; 3DES-CBC with zero IV; the receiving node checks the KCV of the
 * unwrapped key against APC's and stops on a mismatch) and `as2805_1_5_KEK_Validation.py`
 * (request mask 16 × 82, response mask 16 × 84, 3DES-CBC zero IV, KRr = ¬KRs with odd parity
 * adjustment, the same KEK for both directions). AWS user guide "AS2805"
 * (advanced.regional.as2805) maps the variants to key usages.
 */

/** A variant: its byte pattern (repeated over the KEK) and where the pattern is published. */
export interface As2805VariantFacts {
  readonly pattern: readonly number[];
  /** false when no source publishes the layout (an emulator choice, marked NOTE) */
  readonly published: boolean;
  readonly source: string;
}

/**
 * `As2805KeyVariant` → its mask pattern and the AWS key usage of the key it carries.
 * NOTE: TERMINAL_MAJOR_KEY_VARIANT_00's mask is not in any source found; the emulator uses
 * 00C0 (the published `<variant byte>C0` layout of the three working-key variants, with 00).
 */
export const AS2805_KEY_VARIANTS = {
  TERMINAL_MAJOR_KEY_VARIANT_00: { pattern: [0x00, 0xc0], published: false, keyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', source: 'NOTE: unpublished; 00C0 by analogy with [S] 28C0/22C0/24C0' },
  PIN_ENCRYPTION_KEY_VARIANT_28: { pattern: [0x28, 0xc0], published: true, keyUsage: 'TR31_P0_PIN_ENCRYPTION_KEY', source: '[S] as2805_2_1_Working_Key_Exchange.py AS2805_VARIANT_MASKS: 28C0 × 8' },
  MESSAGE_AUTHENTICATION_KEY_VARIANT_24: { pattern: [0x24, 0xc0], published: true, keyUsage: 'TR31_M0_ISO_16609_MAC_KEY', source: '[S] as2805_2_1_Working_Key_Exchange.py AS2805_VARIANT_MASKS: 24C0 × 8' },
  DATA_ENCRYPTION_KEY_VARIANT_22: { pattern: [0x22, 0xc0], published: true, keyUsage: 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', source: '[S] as2805_2_1_Working_Key_Exchange.py AS2805_VARIANT_MASKS: 22C0 × 8' },
} as const satisfies Readonly<Record<string, As2805VariantFacts & { keyUsage: string }>>;

export type As2805KeyVariantName = keyof typeof AS2805_KEY_VARIANTS;

/**
 * `RandomKeySendVariantMask` → the masks for KRs (send) and for KRr (receive).
 * NOTE: VARIANT_MASK_82C0's layout is not documented; the emulator uses 82C0 / 84C0 repeated,
 * the `<variant byte>C0` layout [S] publishes for the key-type variants.
 */
export const AS2805_KEK_VALIDATION_VARIANTS = {
  VARIANT_MASK_82: {
    send: { pattern: [0x82], published: true, source: '[S] as2805_1_5_KEK_Validation.py REQUEST_VARIANT_MASK = 16 × 82' },
    receive: { pattern: [0x84], published: true, source: '[S] as2805_1_5_KEK_Validation.py RESPONSE_VARIANT_MASK = 16 × 84' },
  },
  VARIANT_MASK_82C0: {
    send: { pattern: [0x82, 0xc0], published: false, source: 'NOTE: unpublished; 82C0 repeated, by analogy with [S] 28C0' },
    receive: { pattern: [0x84, 0xc0], published: false, source: 'NOTE: unpublished; 84C0 repeated, by analogy with [S] 28C0' },
  },
} as const satisfies Readonly<Record<string, { send: As2805VariantFacts; receive: As2805VariantFacts }>>;

export type As2805KekValidationMaskName = keyof typeof AS2805_KEK_VALIDATION_VARIANTS;

function requireKek(kek: Uint8Array): void {
  if (!(kek instanceof Uint8Array)) throw new TypeError('"kek" expected Uint8Array');
  if (kek.length !== 16 && kek.length !== 24) throw new RangeError(`"kek" expected 16 or 24 bytes, got ${kek.length}`);
}

/**
 * The mask of `pattern` repeated to `length` bytes. NOTE: for a 24-byte (TDES_3KEY) KEK the
 * pattern is repeated over all 24 bytes; [S] shows only 16-byte KEKs.
 */
export function as2805VariantMask(pattern: readonly number[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = pattern[i % pattern.length]!;
  return out;
}

/** `kek ⊕ mask(pattern)`: the variant KEK (a fresh buffer; the caller wipes it). */
export function as2805VariantKek(kek: Uint8Array, pattern: readonly number[]): Uint8Array {
  requireKek(kek);
  const out = new Uint8Array(kek.length);
  for (let i = 0; i < kek.length; i++) out[i] = kek[i]! ^ pattern[i % pattern.length]!;
  return out;
}

const ZERO_IV = new Uint8Array(8);

function requireBlocks(data: Uint8Array, name: string): void {
  if (!(data instanceof Uint8Array)) throw new TypeError(`"${name}" expected Uint8Array`);
  if (data.length === 0 || data.length % 8 !== 0) {
    throw new PrimitivesError('INVALID_LENGTH', `"${name}" must be a non-empty multiple of 8 bytes, got ${data.length}`, { field: name });
  }
}

/** TDES-CBC, zero IV, under `kek ⊕ mask(pattern)`. */
export function as2805EncryptUnderVariant(kek: Uint8Array, pattern: readonly number[], data: Uint8Array): Uint8Array {
  requireBlocks(data, 'data');
  const vk = as2805VariantKek(kek, pattern);
  try {
    return cbcEncrypt(createTdes(vk), ZERO_IV, data);
  } finally {
    vk.fill(0);
  }
}

/** TDES-CBC decryption, zero IV, under `kek ⊕ mask(pattern)`. */
export function as2805DecryptUnderVariant(kek: Uint8Array, pattern: readonly number[], data: Uint8Array): Uint8Array {
  requireBlocks(data, 'data');
  const vk = as2805VariantKek(kek, pattern);
  try {
    return cbcDecrypt(createTdes(vk), ZERO_IV, data);
  } finally {
    vk.fill(0);
  }
}

function keyVariant(variant: string): (typeof AS2805_KEY_VARIANTS)[As2805KeyVariantName] {
  const facts = ownEntry(AS2805_KEY_VARIANTS, variant);
  if (facts === undefined) throw new PrimitivesError('UNSUPPORTED', '"variant" is not an AS2805 key variant', { field: 'variant' });
  return facts;
}

/** A TDES key (16 or 24 bytes) wrapped under the KEK with an `As2805KeyVariant` ([S] as2805_2_1). */
export function as2805WrapKey(kek: Uint8Array, variant: As2805KeyVariantName | string, key: Uint8Array): Uint8Array {
  if (!(key instanceof Uint8Array) || (key.length !== 16 && key.length !== 24)) {
    throw new RangeError(`"key" expected 16 or 24 bytes, got ${key instanceof Uint8Array ? key.length : typeof key}`);
  }
  return as2805EncryptUnderVariant(kek, keyVariant(variant).pattern, key);
}

/** The clear key of an AS2805 key cryptogram (no parity check: a KCV check is the caller's). */
export function as2805UnwrapKey(kek: Uint8Array, variant: As2805KeyVariantName | string, cryptogram: Uint8Array): Uint8Array {
  return as2805DecryptUnderVariant(kek, keyVariant(variant).pattern, cryptogram);
}

/** ¬KR with each byte set to odd parity ([S] as2805_1_5: "bitwise NOT with parity adjustment"). */
export function as2805InvertRandomKey(kr: Uint8Array): Uint8Array {
  const out = new Uint8Array(kr.length);
  for (let i = 0; i < kr.length; i++) out[i] = ~kr[i]! & 0xff;
  return adjustOddParity(out);
}

function validationMasks(mask: string): (typeof AS2805_KEK_VALIDATION_VARIANTS)[As2805KekValidationMaskName] {
  const facts = ownEntry(AS2805_KEK_VALIDATION_VARIANTS, mask);
  if (facts === undefined) throw new PrimitivesError('UNSUPPORTED', '"mask" is not an AS2805 KEK-validation variant mask', { field: 'mask' });
  return facts;
}

export interface As2805KekValidation {
  /** E(KEK ⊕ send mask)[KRs] — to the partner node */
  readonly randomKeySend: Uint8Array;
  /** E(KEK ⊕ receive mask)[¬KRs] — what the partner must answer */
  readonly randomKeyReceive: Uint8Array;
}

/**
 * Both sides of AS2805 KEK validation for one KEK and one `RandomKeySendVariantMask`, with the two
 * variant-KEK key schedules expanded once (the clear KEK is not kept).
 */
export class PreparedAs2805KekValidation {
  readonly #send: TdesCipher;
  readonly #receive: TdesCipher;

  constructor(kek: Uint8Array, mask: As2805KekValidationMaskName | string) {
    const m = validationMasks(mask);
    const s = as2805VariantKek(kek, m.send.pattern);
    const r = as2805VariantKek(kek, m.receive.pattern);
    try {
      this.#send = createTdes(s);
      this.#receive = createTdes(r);
    } finally {
      s.fill(0);
      r.fill(0);
    }
  }

  /**
   * The initiating side: a random KRs of `length` bytes (8, 16 or 24; odd parity, as a DES key),
   * RandomKeySend and the expected RandomKeyReceive. KRs itself is wiped and not returned.
   */
  request(length: 8 | 16 | 24, random: RandomSource = randomBytes): As2805KekValidation {
    if (length !== 8 && length !== 16 && length !== 24) throw new RangeError(`"length" expected 8, 16 or 24, got ${String(length)}`);
    const krs = adjustOddParity(random(length).slice(0, length));
    const krr = as2805InvertRandomKey(krs);
    try {
      return { randomKeySend: cbcEncrypt(this.#send, ZERO_IV, krs), randomKeyReceive: cbcEncrypt(this.#receive, ZERO_IV, krr) };
    } finally {
      krs.fill(0);
      krr.fill(0);
    }
  }

  /** The answering side: RandomKeyReceive = E(KEK ⊕ receive)[¬D(KEK ⊕ send)[randomKeySend]]. */
  response(randomKeySend: Uint8Array): Uint8Array {
    requireBlocks(randomKeySend, 'randomKeySend');
    const krs = cbcDecrypt(this.#send, ZERO_IV, randomKeySend);
    const krr = as2805InvertRandomKey(krs);
    try {
      return cbcEncrypt(this.#receive, ZERO_IV, krr);
    } finally {
      krs.fill(0);
      krr.fill(0);
    }
  }
}

/** One-shot form of `PreparedAs2805KekValidation.request`. */
export function as2805KekValidationRequest(kek: Uint8Array, mask: As2805KekValidationMaskName | string, length: 8 | 16 | 24, random: RandomSource = randomBytes): As2805KekValidation {
  return new PreparedAs2805KekValidation(kek, mask).request(length, random);
}

/** One-shot form of `PreparedAs2805KekValidation.response`. */
export function as2805KekValidationResponse(kek: Uint8Array, mask: As2805KekValidationMaskName | string, randomKeySend: Uint8Array): Uint8Array {
  return new PreparedAs2805KekValidation(kek, mask).response(randomKeySend);
}
