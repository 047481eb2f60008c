import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Emulator, type EmulatorOptions } from '../src/index.js';
import type { Store } from '../src/store/store.js';
import { encodeAlias, encodeKey, encodeSettings } from '../src/store/record-codec.js';
import type { RegionSettings } from '../src/state/commit.js';

export const LMK = new Uint8Array(32).fill(7);

export function tempDataDir(prefix: string): string {
  return join(mkdtempSync(join(tmpdir(), `paycrypt-${prefix}-`)), 'data');
}

/**
 * A Store that fails on demand: from the `failFrom`-th write on (0 = the next one) every write
 * rejects with EROFS, as a disk turned read-only would; `null` = healthy.
 */
export class FaultyStore implements Store {
  failFrom: number | null = null;
  /** fail only the `failFrom`-th write (a transient fault), not the ones after it */
  once = false;
  private writes = 0;
  constructor(readonly inner: Store) {}
  get kind() {
    return this.inner.kind;
  }
  failAfter(n: number, once = false): void {
    this.failFrom = n;
    this.once = once;
    this.writes = 0;
  }
  heal(): void {
    this.failFrom = null;
  }
  private gate<T>(run: () => Promise<T>): Promise<T> {
    const n = this.writes++;
    if (this.failFrom !== null && (this.once ? n === this.failFrom : n >= this.failFrom)) {
      return Promise.reject(Object.assign(new Error('injected: read-only file system'), { code: 'EROFS' }));
    }
    return run();
  }
  saveKey: Store['saveKey'] = (s, k) => this.gate(() => this.inner.saveKey(s, k));
  deleteKey: Store['deleteKey'] = (s, k) => this.gate(() => this.inner.deleteKey(s, k));
  saveAlias: Store['saveAlias'] = (s, a) => this.gate(() => this.inner.saveAlias(s, a));
  deleteAlias: Store['deleteAlias'] = (s, n) => this.gate(() => this.inner.deleteAlias(s, n));
  saveSettings = (s: Parameters<Store['saveSettings']>[0], settings?: RegionSettings) => this.gate(() => this.inner.saveSettings(s, settings));
  saveCa: Store['saveCa'] = (s, c) => this.gate(() => this.inner.saveCa(s, c));
  saveToken: Store['saveToken'] = (s, t) => this.gate(() => this.inner.saveToken(s, t));
  deleteToken: Store['deleteToken'] = (s, t) => this.gate(() => this.inner.deleteToken(s, t));
  load: Store['load'] = (states) => this.inner.load(states);
  close: Store['close'] = () => this.inner.close();
}

export async function openFaulty(dataDir: string, options: Omit<EmulatorOptions, 'dataDir' | 'lmk' | 'wrapStore'> = {}) {
  let faulty: FaultyStore | undefined;
  const lines: string[] = [];
  const em = await Emulator.open({
    dataDir,
    lmk: LMK,
    log: (l) => lines.push(l),
    ...options,
    wrapStore: (s) => (faulty = new FaultyStore(s)),
  });
  return { em, store: faulty!, lines };
}

/** Everything an emulator holds, as the store would write it, in a canonical order. */
export function snapshot(em: Emulator): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of em.services.states.all()) {
    const keys = [...s.keys.values()].sort((a, b) => (a.keyId < b.keyId ? -1 : 1)).map((k) => JSON.parse(encodeKey(k)));
    const aliases = [...s.aliases.values()].sort((a, b) => (a.aliasName < b.aliasName ? -1 : 1)).map((a) => JSON.parse(encodeAlias(a)));
    const settings = JSON.parse(encodeSettings(s as RegionSettings));
    if (keys.length === 0 && aliases.length === 0 && settings.defaultReplicationRegions.length === 0 && settings.mpa.length === 0) continue;
    out[`${s.accountId}/${s.region}`] = { keys, aliases, settings };
  }
  return out;
}
