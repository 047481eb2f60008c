import { assertBytes, hexToBytes } from '../bytes.js';
import { AesCipher } from '../cipher/aes.js';
import { PrimitivesError } from '../errors.js';
import {
  AES_DUKPT_KEY_TYPES,
  AES_DUKPT_KEY_USAGES,
  type AesDukptKeyType,
  type AesDukptKeyUsage,
  aesDerivationKeyType,
} from './aes-dukpt-facts.js';
import { derivationIdWord, scratchWalk } from './aes-dukpt-walk.js';
import { KSN_SCHEMES, type KsnInput, ksnBytes, ksnCounter, parseAesKsn } from './ksn.js';
import { ownEntry } from '../table.js';

/**
 * AES DUKPT, host side (ANSI X9.24-3:2017): initial key from the BDK, intermediate
 * derivation ("transaction") key for a counter, and working keys of every usage and type.
 * The facts (usage indicators, algorithm indicators, lengths) are in aes-dukpt-facts.ts.
 */

/** An AES BDK with its key schedule expanded once; pass it instead of raw bytes to reuse it. */
export class AesDukptBdk {
  readonly cipher: AesCipher;
  readonly keyType: 'AES128' | 'AES192' | 'AES256';

  constructor(bdk: Uint8Array) {
    assertBytes(bdk, 'bdk', 16, 24, 32);
    this.keyType = aesDerivationKeyType(bdk.length, 'bdk');
    this.cipher = new AesCipher(bdk);
  }
}

function preparedBdk(bdk: Uint8Array | AesDukptBdk): AesDukptBdk {
  return bdk instanceof AesDukptBdk ? bdk : new AesDukptBdk(bdk);
}

/**
 * X9.24-3:2017 6.3.1: AES-ECB of the derivation data under `key`, one block per 128 bits,
 * the block-counter byte incremented between blocks; output truncated to the key length.
 * `dd` is modified (its block counter).
 */
function deriveKey(key: AesCipher, dd: Uint8Array, bits: number): Uint8Array {
  const n = bits / 8;
  const out = new Uint8Array(Math.ceil(n / 16) * 16);
  for (let o = 0, counter = 1; o < n; o += 16, counter++) {
    dd[1] = counter;
    key.encryptBlockInto(dd, 0, out, o);
  }
  return n === out.length ? out : out.slice(0, n);
}

function derivationData(usage: number, type: AesDukptKeyType, tail8: Uint8Array, tailOff: number): Uint8Array {
  const facts = AES_DUKPT_KEY_TYPES[type];
  const dd = new Uint8Array(16);
  dd[0] = 0x01; // version
  dd[1] = 0x01; // block counter
  dd[2] = usage >>> 8;
  dd[3] = usage & 0xff;
  dd[4] = facts.algorithm >>> 8;
  dd[5] = facts.algorithm & 0xff;
  dd[6] = facts.bits >>> 8;
  dd[7] = facts.bits & 0xff;
  dd.set(tail8.subarray(tailOff, tailOff + 8), 8);
  return dd;
}

function initialKeyIdBytes(id: Uint8Array | string): Uint8Array {
  const field = 'initialKeyId';
  const b = typeof id === 'string' ? hexToBytes(id, { field }) : id;
  if (!(b instanceof Uint8Array)) throw new TypeError(`"${field}" expected Uint8Array or hex string, got ${typeof id}`);
  if (b.length !== 8) {
    throw new PrimitivesError('INVALID_INPUT', `"${field}" expected 8 bytes (16 hex), got ${b.length} bytes`, { field });
  }
  return b;
}

/** Initial key (IK) from the BDK and the 8-byte initial key ID (BDK ID ‖ derivation ID). */
export function aesDukptInitialKey(bdk: Uint8Array | AesDukptBdk, initialKeyId: Uint8Array | string): Uint8Array {
  const p = preparedBdk(bdk);
  const dd = derivationData(AES_DUKPT_KEY_USAGES.KEY_DERIVATION_INITIAL_KEY, p.keyType, initialKeyIdBytes(initialKeyId), 0);
  return deriveKey(p.cipher, dd, AES_DUKPT_KEY_TYPES[p.keyType].bits);
}

/**
 * The host-side bit walk of X9.24-3:2017 6.1/6.4, WITHOUT counter validation: start from the
 * initial key and, for each set counter bit from the most significant, set it in a working
 * counter and derive the next intermediate key. Exported for the published supplement entry
 * with counter 0x1FFFF (17 one-bits); use `aesDukptTransactionKeyFromInitialKey` instead.
 */
export function aesDukptBitWalk(initialKey: Uint8Array, ksn12: Uint8Array, counter: number): Uint8Array {
  const walk = scratchWalk(initialKey, aesDerivationKeyType(initialKey.length, 'initialKey'), derivationIdWord(ksn12));
  try {
    return walk.transactionKey(counter);
  } finally {
    walk.wipe();
  }
}

/** Intermediate derivation ("transaction") key for the KSN's counter (validated: 1..0xFFFF0000, ≤ 16 one-bits). */
export function aesDukptTransactionKeyFromInitialKey(initialKey: Uint8Array, ksn: KsnInput): Uint8Array {
  assertBytes(initialKey, 'initialKey', 16, 24, 32);
  const { ksn: k, counter } = parseAesKsn(ksn);
  return aesDukptBitWalk(initialKey, k, counter);
}

/** Intermediate derivation ("transaction") key from the BDK; the IK ID is the first 8 KSN bytes. */
export function aesDukptTransactionKey(bdk: Uint8Array | AesDukptBdk, ksn: KsnInput): Uint8Array {
  const { ksn: k, counter } = parseAesKsn(ksn);
  const ik = aesDukptInitialKey(bdk, k.subarray(0, 8));
  const key = aesDukptBitWalk(ik, k, counter);
  ik.fill(0);
  return key;
}

export interface AesDukptWorkingKeyOptions {
  /** What the key is for (X9.24-3:2017 6.3.2), e.g. `PIN_ENCRYPTION`, `MAC_GENERATION`, `DATA_ENCRYPT`. */
  usage: AesDukptKeyUsage;
  /** The working key's type; default: the same AES type as the deriving key. */
  keyType?: AesDukptKeyType;
}

/** A working key from an intermediate ("transaction") key and the KSN it belongs to. */
export function aesDukptWorkingKeyFromTransactionKey(
  transactionKey: Uint8Array,
  ksn: KsnInput,
  options: AesDukptWorkingKeyOptions,
): Uint8Array {
  assertBytes(transactionKey, 'transactionKey', 16, 24, 32);
  const k = ksnBytes(ksn, KSN_SCHEMES.AES);
  return workingKey(new AesCipher(transactionKey), aesDerivationKeyType(transactionKey.length), k, options);
}

/** Validates a working-key request against the deriving key's type (usage, key type, 6.1.3 strength rule). */
export function resolveWorkingKeyOptions(
  options: AesDukptWorkingKeyOptions,
  txnType: AesDukptKeyType,
): { usage: number; type: AesDukptKeyType } {
  // own properties only: a name such as "toString" from an untyped caller must not select a prototype member
  const usage = ownEntry(AES_DUKPT_KEY_USAGES, options.usage);
  if (usage === undefined || options.usage === 'KEY_DERIVATION_INITIAL_KEY') {
    throw new RangeError(`"usage" expected a working-key usage of X9.24-3:2017, got ${String(options.usage)}`);
  }
  const type = options.keyType ?? txnType;
  const facts = ownEntry(AES_DUKPT_KEY_TYPES, type);
  if (facts === undefined) throw new RangeError(`"keyType" expected one of ${Object.keys(AES_DUKPT_KEY_TYPES).join(', ')}, got ${String(type)}`);
  // X9.24-3:2017 6.1.3: a working key is never stronger than the key it is derived from
  if (facts.strength > AES_DUKPT_KEY_TYPES[txnType].strength) {
    throw new PrimitivesError('UNSUPPORTED', `"keyType" ${type} is stronger than the ${txnType} derivation key (X9.24-3:2017 6.1.3)`, {
      field: 'keyType',
    });
  }
  return { usage, type };
}

function workingKey(txn: AesCipher, txnType: AesDukptKeyType, ksn12: Uint8Array, options: AesDukptWorkingKeyOptions): Uint8Array {
  const { usage, type } = resolveWorkingKeyOptions(options, txnType);
  const dd = derivationData(usage, type, ksn12, 4); // derivation ID ‖ counter = KSN bytes 4..11
  return deriveKey(txn, dd, AES_DUKPT_KEY_TYPES[type].bits);
}

/** A working key from the BDK and a KSN (24 hex; counter validated). */
export function aesDukptWorkingKey(bdk: Uint8Array | AesDukptBdk, ksn: KsnInput, options: AesDukptWorkingKeyOptions): Uint8Array {
  const p = preparedBdk(bdk);
  const { ksn: k, counter } = parseAesKsn(ksn);
  const { usage, type } = resolveWorkingKeyOptions(options, p.keyType);
  const ik = aesDukptInitialKey(p, k.subarray(0, 8));
  const walk = scratchWalk(ik, p.keyType, derivationIdWord(k));
  ik.fill(0);
  try {
    return walk.workingKey(counter, usage, type);
  } finally {
    walk.wipe();
  }
}

/** The counter of an AES KSN, unvalidated (for callers that report it). */
export function aesKsnCounter(ksn: KsnInput): number {
  return ksnCounter(ksnBytes(ksn, KSN_SCHEMES.AES), KSN_SCHEMES.AES);
}
