import { bytesToHex } from '../bytes.js';
import { AesDukptDeriver } from './aes-dukpt-deriver.js';
import { AesDukptBdk, type AesDukptWorkingKeyOptions } from './aes-dukpt.js';
import { type KsnInput, parseAesKsn } from './ksn.js';

export interface AesDukptBdkDeriverOptions {
  /** How many terminals (initial key IDs) to keep derivers for; least recently used first out. Default 64. */
  maxInitialKeys?: number;
}

/**
 * AES DUKPT host derivation for one BDK and many terminals: an LRU of `AesDukptDeriver`s keyed
 * by initial key ID (the first 8 KSN bytes, which are public), each remembering its terminal's
 * last counter. Results equal `aesDukptWorkingKey(bdk, ksn, options)`.
 *
 * Lifetime: the object holds clear initial and intermediate keys until `dispose()`, which zeroes
 * every deriver; a deriver pushed out of the LRU is disposed (zeroed) at once. The BDK's own key
 * schedule lives in the `AesDukptBdk` as long as that object does, as everywhere else.
 */
export class AesDukptBdkDeriver {
  readonly #bdk: AesDukptBdk;
  readonly #max: number;
  readonly #derivers = new Map<string, AesDukptDeriver>(); // iteration order = least recently used first
  #disposed = false;

  constructor(bdk: Uint8Array | AesDukptBdk, options: AesDukptBdkDeriverOptions = {}) {
    this.#bdk = bdk instanceof AesDukptBdk ? bdk : new AesDukptBdk(bdk);
    const max = options.maxInitialKeys ?? 64;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`"maxInitialKeys" expected a positive integer, got ${String(max)}`);
    this.#max = max;
  }

  /** Number of terminals whose derivation paths are currently held. */
  get size(): number {
    return this.#derivers.size;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  workingKey(ksn: KsnInput, options: AesDukptWorkingKeyOptions): Uint8Array {
    return this.#deriverFor(ksn).workingKey(ksn, options);
  }

  transactionKey(ksn: KsnInput): Uint8Array {
    return this.#deriverFor(ksn).transactionKey(ksn);
  }

  /** Zeroes and drops every cached deriver; the object is unusable afterwards. */
  dispose(): void {
    for (const d of this.#derivers.values()) d.dispose();
    this.#derivers.clear();
    this.#disposed = true;
  }

  #deriverFor(ksn: KsnInput): AesDukptDeriver {
    if (this.#disposed) throw new TypeError('AesDukptBdkDeriver used after dispose()');
    const ikId = parseAesKsn(ksn).ksn.subarray(0, 8); // validates the KSN before anything is derived
    const id = bytesToHex(ikId);
    let d = this.#derivers.get(id);
    if (d !== undefined) {
      this.#derivers.delete(id); // move to the most recently used end
    } else {
      d = AesDukptDeriver.fromBdk(this.#bdk, ikId);
      if (this.#derivers.size >= this.#max) {
        const [oldest, evicted] = this.#derivers.entries().next().value as [string, AesDukptDeriver];
        this.#derivers.delete(oldest);
        evicted.dispose();
      }
    }
    this.#derivers.set(id, d);
    return d;
  }
}
