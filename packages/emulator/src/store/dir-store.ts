import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CaRecord, RegionState, StateStore, TokenRecord } from '../state/region-state.js';
import type { AliasRecord, KeyRecord } from '../state/records.js';
import {
  applySettings,
  decodeAlias,
  decodeCa,
  decodeKey,
  decodeToken,
  encodeAlias,
  encodeCa,
  encodeKey,
  encodeSettings,
  encodeToken,
  isTokenId,
} from './record-codec.js';
import type { Store } from './store.js';
import type { RegionSettings } from '../state/commit.js';

/**
 * `--data-dir DIR`: one JSON file per key, per alias, per import/export token, and per region's
 * settings and import/export CA.
 *
 *   DIR/store.json                                  { format: 1, lmkCheck }
 *   DIR/accounts/<account>/<region>/keys/<keyId>.json
 *   DIR/accounts/<account>/<region>/aliases/<alias name with / as ~>.json
 *   DIR/accounts/<account>/<region>/settings.json
 *   DIR/accounts/<account>/<region>/emulator-ca.json                (import/export CA)
 *   DIR/accounts/<account>/<region>/tokens/<import|export-token-…>.json
 *
 * The CA and token files were added without changing `format` 1: a directory written before
 * them has none and opens as before (the CA is then generated on first use), and older code
 * ignores them.
 *
 * Every write is atomic and durable before the promise resolves: write a temporary file, fsync
 * it, rename it over the target, fsync the directory. A kill at any moment leaves either the
 * old or the new file, never a torn one; temporary files are removed at the next start.
 * Writes to one path are serialised (the last one wins). Key, CA and token files hold
 * LMK-sealed material only (private keys as vault blobs); the LMK itself is never written here (`lmkCheck` is a one-way check value of it).
 */
export class DirStore implements Store {
  readonly kind = 'data-dir' as const;
  readonly dir: string;
  private readonly chains = new Map<string, Promise<void>>();
  private readonly readyDirs = new Set<string>();
  private seq = 0;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** Open (or initialise) a data directory; refuses a directory made with another LMK. */
  static async open(dir: string, lmkCheck: string): Promise<DirStore> {
    const s = new DirStore(dir);
    await s.ensureDir(dir);
    const metaPath = join(dir, 'store.json');
    let meta: { format: number; lmkCheck: string } | undefined;
    try {
      meta = JSON.parse(await readFile(metaPath, 'utf8')) as { format: number; lmkCheck: string };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (meta === undefined) {
      await s.write(metaPath, JSON.stringify({ format: 1, lmkCheck }));
    } else {
      if (meta.format !== 1) throw new Error(`data directory ${dir}: unsupported format ${meta.format}`);
      if (meta.lmkCheck !== lmkCheck) throw new Error(`data directory ${dir} was created with another local master key`);
    }
    return s;
  }

  private regionDir(state: RegionState): string {
    return join(this.dir, 'accounts', state.accountId, state.region);
  }

  private async ensureDir(path: string): Promise<void> {
    if (this.readyDirs.has(path)) return;
    const created = await mkdir(path, { recursive: true });
    if (created !== undefined) {
      // fsync every directory from the first created one's parent down, so the new entries last
      let p = path;
      const chain: string[] = [];
      while (p.length >= created.length) {
        chain.push(dirname(p));
        p = dirname(p);
      }
      for (const d of chain.reverse()) await fsyncDir(d);
    }
    this.readyDirs.add(path);
  }

  /** Serialised atomic write of `data` to `path`. */
  private write(path: string, data: string): Promise<void> {
    return this.enqueue(path, async () => {
      const dir = dirname(path);
      await this.ensureDir(dir);
      const tmp = join(dir, `.tmp-${process.pid}-${++this.seq}`);
      try {
        const fh = await open(tmp, 'w', 0o600);
        try {
          await fh.writeFile(data, 'utf8');
          await fh.sync();
        } finally {
          await fh.close();
        }
        await rename(tmp, path);
      } catch (e) {
        // a failed write leaves nothing behind (the target keeps its old content)
        await unlink(tmp).catch(() => undefined);
        throw e;
      }
      await fsyncDir(dir);
    });
  }

  private remove(path: string): Promise<void> {
    return this.enqueue(path, async () => {
      try {
        await unlink(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        return;
      }
      await fsyncDir(dirname(path));
    });
  }

  private enqueue(path: string, job: () => Promise<void>): Promise<void> {
    const prev = this.chains.get(path) ?? Promise.resolve();
    const next = prev.then(job, job);
    this.chains.set(path, next);
    const cleanup = (): void => {
      if (this.chains.get(path) === next) this.chains.delete(path);
    };
    next.then(cleanup, cleanup);
    return next;
  }

  saveKey(state: RegionState, key: KeyRecord): Promise<void> {
    return this.write(join(this.regionDir(state), 'keys', `${key.keyId}.json`), encodeKey(key));
  }

  deleteKey(state: RegionState, keyId: string): Promise<void> {
    return this.remove(join(this.regionDir(state), 'keys', `${keyId}.json`));
  }

  saveAlias(state: RegionState, alias: AliasRecord): Promise<void> {
    return this.write(join(this.regionDir(state), 'aliases', aliasFile(alias.aliasName)), encodeAlias(alias));
  }

  deleteAlias(state: RegionState, aliasName: string): Promise<void> {
    return this.remove(join(this.regionDir(state), 'aliases', aliasFile(aliasName)));
  }

  saveSettings(state: RegionState, settings?: RegionSettings): Promise<void> {
    return this.write(join(this.regionDir(state), 'settings.json'), encodeSettings(settings ?? state));
  }

  saveCa(state: RegionState, ca: CaRecord): Promise<void> {
    return this.write(join(this.regionDir(state), 'emulator-ca.json'), encodeCa(ca));
  }

  saveToken(state: RegionState, token: TokenRecord): Promise<void> {
    return this.write(this.tokenPath(state, token.token), encodeToken(token));
  }

  deleteToken(state: RegionState, tokenId: string): Promise<void> {
    return this.remove(this.tokenPath(state, tokenId));
  }

  private tokenPath(state: RegionState, tokenId: string): string {
    if (!isTokenId(tokenId)) throw new Error('not an import/export token id');
    return join(this.regionDir(state), 'tokens', `${tokenId}.json`);
  }

  async load(states: StateStore): Promise<void> {
    const accountsDir = join(this.dir, 'accounts');
    for (const account of await listDir(accountsDir)) {
      for (const region of await listDir(join(accountsDir, account))) {
        const state = states.get(account, region);
        const base = join(accountsDir, account, region);
        const keyFiles = await loadFiles(join(base, 'keys'));
        const keys = keyFiles.map(decodeKey).sort((a, b) => a.createdAt - b.createdAt || (a.keyId < b.keyId ? -1 : 1));
        for (const k of keys) state.keys.set(k.keyId, k);
        for (const text of await loadFiles(join(base, 'aliases'))) {
          const a = decodeAlias(text);
          state.aliases.set(a.aliasName, a);
        }
        const settings = await readOptional(join(base, 'settings.json'));
        if (settings !== undefined) applySettings(state, settings);
        const ca = await readOptional(join(base, 'emulator-ca.json'));
        if (ca !== undefined) state.emulatorCa = decodeCa(ca);
        const tokens = (await loadFiles(join(base, 'tokens'))).map(decodeToken);
        tokens.sort((a, b) => a.issuedAt - b.issuedAt || (a.token < b.token ? -1 : 1));
        for (const t of tokens) state.tokens.set(t.token, t);
        await removeTemporaries(base);
      }
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.chains.values()]);
  }
}

function aliasFile(aliasName: string): string {
  return `${aliasName.replaceAll('/', '~')}.json`;
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Leftover temporary files of a killed writer (settings.json, emulator-ca.json) in `dir`. */
async function removeTemporaries(dir: string): Promise<void> {
  for (const n of await readdir(dir)) if (n.startsWith('.tmp-')) await unlink(join(dir, n)).catch(() => undefined);
}

/** Contents of every `*.json` in `dir`; leftover temporary files of a killed writer are removed. */
async function loadFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: string[] = [];
  for (const n of names) {
    if (n.startsWith('.tmp-')) await unlink(join(dir, n)).catch(() => undefined);
    else if (n.endsWith('.json')) out.push(await readFile(join(dir, n), 'utf8'));
  }
  return out;
}
