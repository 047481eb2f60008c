import { assertBytes } from '../bytes.js';
import { TdesCipher } from '../cipher/tdes.js';
import { KSN_SCHEMES, type KsnInput, ksnBytes, parseTdesKsn } from './ksn.js';
import { ownEntry } from '../table.js';

/**
 * TDES DUKPT, host side (ANSI X9.24-1:2009, Annex A). Double-length (16-byte) BDK and keys.
 *
 * Working keys are the transaction key XOR a variant mask (A.6); the data keys additionally
 * go through the one-way step of X9.24-1:2009: each half of the variant key is TDES-encrypted
 * under the variant key itself. (CyberChef's "Data" variant skips that step; the AWS sample
 * `dataKey` values and the openemv/shenyan1206 vectors confirm the standard.)
 */
export type TdesDukptKeyVariant = 'PIN' | 'MAC_REQUEST' | 'MAC_RESPONSE' | 'DATA_REQUEST' | 'DATA_RESPONSE';

interface VariantFacts {
  /** Byte index (in each 8-byte half) that the mask sets to FF. */
  readonly maskByte: number;
  /** Whether the X9.24-1:2009 one-way (self-encryption) step follows the XOR. */
  readonly oneWay: boolean;
}

/** X9.24-1:2009 A.6 variant constants, one table. The mask is the same in both halves. */
export const TDES_DUKPT_VARIANTS: Readonly<Record<TdesDukptKeyVariant, VariantFacts>> = {
  PIN: { maskByte: 7, oneWay: false }, //           00000000000000FF 00000000000000FF
  MAC_REQUEST: { maskByte: 6, oneWay: false }, //   000000000000FF00 000000000000FF00
  MAC_RESPONSE: { maskByte: 4, oneWay: false }, //  00000000FF000000 00000000FF000000
  DATA_REQUEST: { maskByte: 5, oneWay: true }, //   0000000000FF0000 0000000000FF0000
  DATA_RESPONSE: { maskByte: 3, oneWay: true }, //  000000FF00000000 000000FF00000000
};

const KEY_MASK = [0xc0, 0xc0, 0xc0, 0xc0, 0, 0, 0, 0] as const;

/** A TDES BDK with both of its key schedules (BDK and BDK ⊕ C0C0C0C0 00000000 …) prepared once. */
export class TdesDukptBdk {
  readonly #left: TdesCipher;
  readonly #right: TdesCipher;

  constructor(bdk: Uint8Array) {
    assertBytes(bdk, 'bdk', 16);
    const masked = new Uint8Array(bdk); // a copy, also for a Buffer: it is masked and then wiped
    for (let i = 0; i < 16; i++) masked[i] = masked[i]! ^ KEY_MASK[i & 7]!;
    this.#left = new TdesCipher(bdk);
    this.#right = new TdesCipher(masked);
    masked.fill(0);
  }

  /** IPEK for an initial KSN register (the 8 leftmost KSN bytes, counter bits cleared). */
  ipekFromRegister(reg8: Uint8Array): Uint8Array {
    const ipek = new Uint8Array(16);
    this.#left.encryptBlockInto(reg8, 0, ipek, 0);
    this.#right.encryptBlockInto(reg8, 0, ipek, 8);
    return ipek;
  }
}

function prepared(bdk: Uint8Array | TdesDukptBdk): TdesDukptBdk {
  return bdk instanceof TdesDukptBdk ? bdk : new TdesDukptBdk(bdk);
}

/**
 * Initial PIN encryption key (IPEK / IK): the counter bits of the KSN are ignored
 * (masked with FFFFFFFFFFFFFFE00000), so any KSN of the device gives the same IPEK.
 */
export function tdesDukptIpek(bdk: Uint8Array | TdesDukptBdk, ksn: KsnInput): Uint8Array {
  const k = ksnBytes(ksn, KSN_SCHEMES.TDES);
  const reg = k.slice(0, 8);
  reg[7] = reg[7]! & 0xe0;
  return prepared(bdk).ipekFromRegister(reg);
}

/** The non-reversible key generation process of X9.24-1:2009 A.2, on a 16-byte key in place. */
function nonReversibleKeyGen(key: Uint8Array, reg: Uint8Array, tmp: Uint8Array): void {
  // right half: DES_{K_L}(reg ⊕ K_R) ⊕ K_R, computed with the original key
  const right = halfStep(key, reg, tmp);
  for (let i = 0; i < 16; i++) key[i] = key[i]! ^ KEY_MASK[i & 7]!;
  const left = halfStep(key, reg, tmp);
  key.set(left, 0);
  key.set(right, 8);
}

function halfStep(key: Uint8Array, reg: Uint8Array, tmp: Uint8Array): Uint8Array {
  for (let i = 0; i < 8; i++) tmp[i] = reg[i]! ^ key[8 + i]!;
  const des = new TdesCipher(key.subarray(0, 8)); // single DES (K‖K‖K)
  const out = new Uint8Array(8);
  des.encryptBlockInto(tmp, 0, out, 0);
  for (let i = 0; i < 8; i++) out[i] = out[i]! ^ key[8 + i]!;
  return out;
}

/**
 * Transaction key (the "current key" before any variant) from the IPEK, walking the set
 * counter bits from the most significant one (X9.24-1:2009 A.2, host side).
 */
export function tdesDukptTransactionKeyFromIpek(ipek: Uint8Array, ksn: KsnInput): Uint8Array {
  assertBytes(ipek, 'ipek', 16);
  const { ksn: k, counter } = parseTdesKsn(ksn);
  // KSN register = rightmost 8 bytes of the KSN with the 21 counter bits cleared
  const reg = k.slice(2, 10);
  reg[5] = reg[5]! & 0xe0;
  reg[6] = 0;
  reg[7] = 0;
  const key = new Uint8Array(ipek); // a copy, also for a Buffer: updated in place
  const tmp = new Uint8Array(8);
  for (let bit = 1 << 20; bit !== 0; bit >>>= 1) {
    if ((counter & bit) === 0) continue;
    reg[5] = reg[5]! | ((bit >>> 16) & 0xff);
    reg[6] = reg[6]! | ((bit >>> 8) & 0xff);
    reg[7] = reg[7]! | (bit & 0xff);
    nonReversibleKeyGen(key, reg, tmp);
  }
  tmp.fill(0);
  return key;
}

/** Transaction key from the BDK and a KSN (counter validated: not 0, ≤ 10 one-bits). */
export function tdesDukptTransactionKey(bdk: Uint8Array | TdesDukptBdk, ksn: KsnInput): Uint8Array {
  const { ksn: k } = parseTdesKsn(ksn);
  const ipek = tdesDukptIpek(bdk, k);
  const key = tdesDukptTransactionKeyFromIpek(ipek, k);
  ipek.fill(0);
  return key;
}

/** Applies a variant (and, for data keys, the one-way step) to a transaction key. */
export function tdesDukptVariantKey(transactionKey: Uint8Array, variant: TdesDukptKeyVariant): Uint8Array {
  assertBytes(transactionKey, 'transactionKey', 16);
  const facts = ownEntry(TDES_DUKPT_VARIANTS, variant);
  if (facts === undefined) throw new RangeError(`"variant" expected one of ${Object.keys(TDES_DUKPT_VARIANTS).join(', ')}, got ${String(variant)}`);
  const v = new Uint8Array(transactionKey); // a copy, also for a Buffer: masked and wiped
  v[facts.maskByte] = v[facts.maskByte]! ^ 0xff;
  v[8 + facts.maskByte] = v[8 + facts.maskByte]! ^ 0xff;
  if (!facts.oneWay) return v;
  // X9.24-1:2009: data key = TDES_V(V_left) ‖ TDES_V(V_right)
  const c = new TdesCipher(v);
  const out = new Uint8Array(16);
  c.encryptBlockInto(v, 0, out, 0);
  c.encryptBlockInto(v, 8, out, 8);
  v.fill(0);
  return out;
}

/** A working key (PIN, MAC request/response, data request/response) from the BDK and a KSN. */
export function tdesDukptWorkingKey(bdk: Uint8Array | TdesDukptBdk, ksn: KsnInput, variant: TdesDukptKeyVariant): Uint8Array {
  const txn = tdesDukptTransactionKey(bdk, ksn);
  const key = tdesDukptVariantKey(txn, variant);
  txn.fill(0);
  return key;
}
