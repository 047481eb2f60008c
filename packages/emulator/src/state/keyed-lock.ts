/**
 * A per-resource async lock: `run(names, fn)` runs `fn` once it holds every named lock; callers
 * of one name run one after another, in arrival order. Locks are taken in sorted order, so two
 * callers that need overlapping sets cannot deadlock. Not re-entrant: code inside `fn` must not
 * ask for a name it already holds. An idle name costs nothing (its entry is removed).
 *
 * Names used by the emulator: `<account>/<region>/key/<keyId>`, `<account>/<region>/alias/<name>`,
 * `<account>/<region>/settings` (keys/key-access.ts lockName).
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<void>>();

  async run<T>(names: readonly string[], fn: () => Promise<T>): Promise<T> {
    const releases: Array<() => void> = [];
    try {
      for (const name of [...new Set(names)].sort()) releases.push(await this.#acquire(name));
      return await fn();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  async #acquire(name: string): Promise<() => void> {
    const prev = this.#tails.get(name) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = prev.then(() => mine);
    this.#tails.set(name, tail);
    await prev;
    return () => {
      release();
      if (this.#tails.get(name) === tail) this.#tails.delete(name);
    };
  }

  /** names currently held or awaited (tests) */
  get size(): number {
    return this.#tails.size;
  }
}
