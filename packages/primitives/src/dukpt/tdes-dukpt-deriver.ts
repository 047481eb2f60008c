import { bytesToHex } from '../bytes.js';
import { TdesCipher } from '../cipher/tdes.js';
import { parseTdesKsn, type KsnInput } from './ksn.js';
import { TdesDukptBdk, tdesDukptVariantKey, type TdesDukptKeyVariant } from './tdes-dukpt.js';

/**
 * TDES DUKPT (ANSI X9.24-1:2009 A.2/A.6) host derivation for ONE BDK and many terminals, with each
 * terminal's last bit walk remembered: consecutive counters share the upper part of their walk,
 * so a new counter usually costs one or two non-reversible key generation steps instead of one
 * per set counter bit (up to 10). Results equal `tdesDukptWorkingKey(bdk, ksn, variant)` (the
 * tests compare, and check the A.4 vectors).
 *
 * Lifetime: the object holds clear IPEKs and intermediate keys of up to `maxDevices` terminals
 * (least recently used first out, zeroed when pushed out) until `dispose()` zeroes them all.
 */
const KEY_MASK = [0xc0, 0xc0, 0xc0, 0xc0, 0, 0, 0, 0] as const;

interface Walk {
  /** counter bits already walked, from the most significant (bit values) */
  bits: number[];
  /** keys[i] = the key after walking bits[0..i]; keys[-1] is the IPEK */
  keys: Uint8Array[];
  ipek: Uint8Array;
  /** the KSN register (rightmost 8 KSN bytes, counter cleared) */
  reg: Uint8Array;
}

function wipeWalk(w: Walk): void {
  w.ipek.fill(0);
  for (const k of w.keys) k.fill(0);
  w.keys.length = 0;
  w.bits.length = 0;
}

/** One non-reversible key generation step (X9.24-1:2009 A.2) of `key` with register `reg`; a new key. */
function step(key: Uint8Array, reg: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  const tmp = new Uint8Array(8);
  const half = (k: Uint8Array, o: number) => {
    for (let i = 0; i < 8; i++) tmp[i] = reg[i]! ^ k[8 + i]!;
    new TdesCipher(k.subarray(0, 8)).encryptBlockInto(tmp, 0, out, o); // single DES under the left half
    for (let i = 0; i < 8; i++) out[o + i] = out[o + i]! ^ k[8 + i]!;
  };
  half(key, 8); // right half, with the key itself
  const masked = new Uint8Array(key);
  for (let i = 0; i < 16; i++) masked[i] = masked[i]! ^ KEY_MASK[i & 7]!;
  half(masked, 0); // left half, with the key ⊕ C0C0C0C0 00000000 …
  masked.fill(0);
  tmp.fill(0);
  return out;
}

export class TdesDukptDeriver {
  readonly #bdk: TdesDukptBdk;
  readonly #max: number;
  readonly #walks = new Map<string, Walk>(); // iteration order = least recently used first
  #disposed = false;

  constructor(bdk: Uint8Array | TdesDukptBdk, options: { maxDevices?: number } = {}) {
    this.#bdk = bdk instanceof TdesDukptBdk ? bdk : new TdesDukptBdk(bdk);
    const max = options.maxDevices ?? 64;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`"maxDevices" expected a positive integer, got ${String(max)}`);
    this.#max = max;
  }

  get size(): number {
    return this.#walks.size;
  }

  /** The transaction key for the KSN (counter validated as by `tdesDukptTransactionKey`); a fresh copy. */
  transactionKey(ksn: KsnInput): Uint8Array {
    if (this.#disposed) throw new TypeError('TdesDukptDeriver used after dispose()');
    const { ksn: k, counter } = parseTdesKsn(ksn);
    const w = this.#walkFor(k);
    const want: number[] = [];
    for (let bit = 1 << 20; bit !== 0; bit >>>= 1) if ((counter & bit) !== 0) want.push(bit);
    let same = 0;
    while (same < want.length && same < w.bits.length && want[same] === w.bits[same]) same++;
    for (const key of w.keys.splice(same)) key.fill(0);
    w.bits.length = same;
    const reg = new Uint8Array(w.reg);
    let acc = 0;
    for (let i = 0; i < same; i++) acc |= want[i]!;
    for (let i = same; i < want.length; i++) {
      acc |= want[i]!;
      reg[5] = w.reg[5]! | ((acc >>> 16) & 0xff);
      reg[6] = (acc >>> 8) & 0xff;
      reg[7] = acc & 0xff;
      w.keys.push(step(i === 0 ? w.ipek : w.keys[i - 1]!, reg));
      w.bits.push(want[i]!);
    }
    return new Uint8Array(want.length === 0 ? w.ipek : w.keys[want.length - 1]!);
  }

  /** A working key (PIN, MAC, data variants) for the KSN; equals `tdesDukptWorkingKey`. */
  workingKey(ksn: KsnInput, variant: TdesDukptKeyVariant): Uint8Array {
    const txn = this.transactionKey(ksn);
    try {
      return tdesDukptVariantKey(txn, variant);
    } finally {
      txn.fill(0);
    }
  }

  dispose(): void {
    for (const w of this.#walks.values()) wipeWalk(w);
    this.#walks.clear();
    this.#disposed = true;
  }

  #walkFor(k: Uint8Array): Walk {
    const left = k.slice(0, 8);
    left[7] = left[7]! & 0xe0;
    const id = bytesToHex(left); // public: the device part of the KSN
    let w = this.#walks.get(id);
    if (w !== undefined) {
      this.#walks.delete(id);
    } else {
      const reg = k.slice(2, 10);
      reg[5] = reg[5]! & 0xe0;
      reg[6] = 0;
      reg[7] = 0;
      w = { bits: [], keys: [], ipek: this.#bdk.ipekFromRegister(left), reg };
      if (this.#walks.size >= this.#max) {
        const [oldest, evicted] = this.#walks.entries().next().value as [string, Walk];
        this.#walks.delete(oldest);
        wipeWalk(evicted);
      }
    }
    this.#walks.set(id, w);
    return w;
  }
}
