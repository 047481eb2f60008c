import { AesCipher, TdesCipher, cmac, constantTimeEqual, type BlockCipher } from '@paycrypt/primitives';
import { KeyBlockError } from '../errors.js';
import {
  DERIVATION_ALGORITHM,
  DERIVATION_KEY_USAGE,
  VARIANT_MASK,
  versionFacts,
  type KbpkFamily,
  type Tr31Version,
  type VersionFacts,
} from './versions.js';

/** The two keys a version binds a block with: KBEK (encryption) and KBAK (authentication). */
export interface BindingCiphers {
  readonly kbek: BlockCipher;
  readonly kbak: BlockCipher;
}

function bindingId(f: VersionFacts): string {
  return `${f.binding}-${f.kbpkFamily}`;
}

function newCipher(family: 'TDES' | 'AES', key: Uint8Array): BlockCipher {
  return family === 'AES' ? new AesCipher(key) : new TdesCipher(key);
}

/** CMAC-based derivation of one key (X9.143 / TR-31:2018 A.3; ISO 20038 A.3). */
function deriveOne(kbpkCipher: BlockCipher, usage: number, family: 'TDES' | 'AES', kbpkLength: number): Uint8Array {
  const alg = DERIVATION_ALGORITHM[`${family}-${kbpkLength}`]!;
  const bs = kbpkCipher.blockSize;
  const n = Math.ceil(kbpkLength / bs);
  const out = new Uint8Array(n * bs);
  const d = new Uint8Array(8);
  for (let i = 1; i <= n; i++) {
    d[0] = i;
    d[1] = usage >>> 8;
    d[2] = usage & 0xff;
    d[3] = 0;
    d[4] = alg.code >>> 8;
    d[5] = alg.code & 0xff;
    d[6] = alg.bits >>> 8;
    d[7] = alg.bits & 0xff;
    const block = cmac(kbpkCipher, d);
    out.set(block, (i - 1) * bs);
    block.fill(0);
  }
  const key = out.slice(0, kbpkLength);
  out.fill(0);
  return key;
}

/**
 * The raw KBEK and KBAK for a KBPK and version (exposed for the published derivation vectors;
 * wrap and unwrap use cached cipher objects instead).
 */
export function deriveKbekKbak(kbpk: Uint8Array, version: Tr31Version): { kbek: Uint8Array; kbak: Uint8Array } {
  const f = versionFacts(version);
  if (f === undefined) throw new KeyBlockError('UNSUPPORTED_VERSION', `key block version "${String(version)}" is not supported`);
  assertKbpkFits(kbpk, f);
  if (f.binding === 'variant') {
    return { kbek: kbpk.map((b) => b ^ VARIANT_MASK.encrypt), kbak: kbpk.map((b) => b ^ VARIANT_MASK.mac) };
  }
  const c = newCipher(f.kbpkFamily, kbpk);
  const encUsage = f.binding === 'derive-ctr' ? DERIVATION_KEY_USAGE.encryptCtr : DERIVATION_KEY_USAGE.encryptCbc;
  return { kbek: deriveOne(c, encUsage, f.kbpkFamily, kbpk.length), kbak: deriveOne(c, DERIVATION_KEY_USAGE.mac, f.kbpkFamily, kbpk.length) };
}

export function assertKbpkFits(kbpk: Uint8Array, f: VersionFacts): void {
  if (!f.kbpkLengths.includes(kbpk.length)) {
    const want = f.kbpkFamily === 'TDES' ? 'a TDES KBPK of 16 or 24 bytes' : 'an AES KBPK of 16, 24 or 32 bytes';
    throw new KeyBlockError('KBPK_MISMATCH', `key block version ${f.version} needs ${want}, got ${kbpk.length} bytes`, { field: 'kbpk' });
  }
}

/**
 * A key block protection key with its derived KBEK/KBAK key schedules cached per binding
 * method, so that repeated wrap/unwrap under the same KBPK does no key derivation.
 * Holds a private copy of the KBPK; call `destroy()` to wipe it.
 */
export class PreparedKbpk {
  readonly length: number;
  /** The KBPK's algorithm when known (pinned by `prepareKbpk(kbpk, version)`); then only versions of that family may use it. */
  readonly family: KbpkFamily | undefined;
  readonly #key: Uint8Array;
  readonly #bindings = new Map<string, BindingCiphers>();
  #destroyed = false;

  constructor(kbpk: Uint8Array, family?: KbpkFamily) {
    if (!(kbpk instanceof Uint8Array)) throw new TypeError(`"kbpk" expected Uint8Array, got ${kbpk === null ? 'null' : typeof kbpk}`);
    if (![16, 24, 32].includes(kbpk.length)) throw new RangeError(`"kbpk" expected 16, 24 or 32 bytes, got ${kbpk.length}`);
    this.length = kbpk.length;
    this.family = family;
    // a private copy, also for a Node Buffer (whose slice() is a view that destroy() would wipe)
    this.#key = new Uint8Array(kbpk);
  }

  /** True when `kbpk` holds the same bytes (constant time). */
  matches(kbpk: Uint8Array): boolean {
    return !this.#destroyed && constantTimeEqual(this.#key, kbpk);
  }

  /** The KBEK/KBAK ciphers for a version (derived once, then cached). */
  ciphersFor(f: VersionFacts): BindingCiphers {
    if (this.#destroyed) throw new TypeError('"kbpk" has been destroyed');
    const id = bindingId(f);
    let c = this.#bindings.get(id);
    if (c === undefined) {
      this.fits(f);
      const { kbek, kbak } = deriveKbekKbak(this.#key, f.version);
      c = { kbek: newCipher(f.kbpkFamily, kbek), kbak: newCipher(f.kbpkFamily, kbak) };
      kbek.fill(0);
      kbak.fill(0);
      this.#bindings.set(id, c);
    }
    return c;
  }

  /** Checks that this KBPK fits a version (TDES 16/24 for A/B/C, AES 16/24/32 for D/E). */
  fits(f: VersionFacts): void {
    if (this.family !== undefined && this.family !== f.kbpkFamily) {
      throw new KeyBlockError('KBPK_MISMATCH', `key block version ${f.version} needs a ${f.kbpkFamily} KBPK, this one was prepared as ${this.family}`, { field: 'kbpk' });
    }
    assertKbpkFits(this.#key, f);
  }

  /** Wipes the private copy of the KBPK and drops the cached schedules. */
  destroy(): void {
    this.#key.fill(0);
    this.#bindings.clear();
    this.#destroyed = true;
  }
}

/**
 * Prepares a KBPK for repeated use. With `version`, the KBPK's algorithm is pinned to that
 * version's (TDES for A/B/C, AES for D/E: a 16- or 24-byte KBPK is otherwise ambiguous), the
 * KBEK/KBAK for that version are derived now, and a KBPK that does not fit is refused here.
 */
export function prepareKbpk(kbpk: Uint8Array, version?: Tr31Version): PreparedKbpk {
  if (version === undefined) return new PreparedKbpk(kbpk);
  const f = versionFacts(version);
  if (f === undefined) throw new RangeError(`"version" expected A, B, C, D or E, got ${String(version)}`);
  const p = new PreparedKbpk(kbpk, f.kbpkFamily);
  p.ciphersFor(f);
  return p;
}

// Raw Uint8Array KBPKs are cached by object identity (a WeakMap: nothing outlives the caller's
// array, and no key bytes are used as a map key). A hit is confirmed by comparing the bytes,
// so a caller that overwrites its array in place gets fresh schedules.
const identityCache = new WeakMap<Uint8Array, PreparedKbpk>();

/** The PreparedKbpk for a raw or prepared KBPK, checked against a version. */
export function resolveKbpk(kbpk: Uint8Array | PreparedKbpk, f: VersionFacts): PreparedKbpk {
  if (kbpk instanceof PreparedKbpk) {
    kbpk.fits(f);
    return kbpk;
  }
  if (!(kbpk instanceof Uint8Array)) throw new TypeError(`"kbpk" expected Uint8Array or PreparedKbpk, got ${kbpk === null ? 'null' : typeof kbpk}`);
  assertKbpkFits(kbpk, f);
  let p = identityCache.get(kbpk);
  if (p === undefined || !p.matches(kbpk)) {
    p = new PreparedKbpk(kbpk);
    identityCache.set(kbpk, p);
  }
  return p;
}

