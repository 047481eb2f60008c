import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { CaRecord, RegionState, StateStore, TokenRecord } from '../state/region-state.js';
import type { AliasRecord, KeyRecord } from '../state/records.js';
import {
  applySettings,
  CA_ALGORITHMS,
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
 * A file that does not decode is moved to `DIR/quarantine/` at load (see load()).
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

  private readonly log: (line: string) => void;

  private constructor(dir: string, log: (line: string) => void) {
    this.dir = dir;
    this.log = log;
  }

  /** Open (or initialise) a data directory; refuses a directory made with another LMK. */
  static async open(dir: string, lmkCheck: string, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<DirStore> {
    const s = new DirStore(dir, log);
    await s.ensureDir(dir);
    const metaPath = join(dir, 'store.json');
    let meta: { format: number; lmkCheck: string } | undefined;
    try {
      meta = JSON.parse(await readFile(metaPath, 'utf8')) as { format: number; lmkCheck: string };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`data directory ${dir}: ${metaPath} cannot be read or is not valid JSON`);
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
    // 0700: the directories hold sealed key material and the LMK check (issue 11); an existing one is left as it is
    const created = await mkdir(path, { recursive: true, mode: 0o700 });
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
    return this.write(join(this.regionDir(state), caFile(ca.algorithm)), encodeCa(ca));
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

  /**
   * Fill `states` from the directory. A record that does not decode, fails a field check or does
   * not match its place (a key file holding another key, an alias file another alias) is moved
   * into `DIR/quarantine/` (same relative path, a numeric suffix if taken), named in one log
   * line, and the rest loads: one bad file never stops startup.
   */
  async load(states: StateStore): Promise<void> {
    const accountsDir = join(this.dir, 'accounts');
    for (const account of await listDir(accountsDir)) {
      for (const region of await listDir(join(accountsDir, account))) {
        if (!/^[0-9]{12}$/.test(account) || !/^[a-z]{2}-[a-z]{1,16}-[0-9]+$/.test(region)) continue;
        const state = states.get(account, region);
        const base = join(accountsDir, account, region);
        const place = (fileId: string) => ({ accountId: account, region, fileId });
        const keys: KeyRecord[] = [];
        for (const file of await this.loadFiles(join(base, 'keys'))) {
          const k = await this.decodeOrQuarantine(file, (t) => decodeKey(t, place(file.id)));
          if (k !== undefined) keys.push(k);
        }
        keys.sort((a, b) => a.createdAt - b.createdAt || (a.keyId < b.keyId ? -1 : 1));
        for (const k of keys) state.keys.set(k.keyId, k);
        for (const file of await this.loadFiles(join(base, 'aliases'))) {
          const a = await this.decodeOrQuarantine(file, (t) => decodeAlias(t, place(file.id)));
          if (a !== undefined) state.aliases.set(a.aliasName, a);
        }
        const settings = await this.readOne(join(base, 'settings.json'));
        if (settings !== undefined) await this.decodeOrQuarantine(settings, (t) => applySettings(state, t));
        for (const algorithm of CA_ALGORITHMS) {
          const ca = await this.readOne(join(base, caFile(algorithm)));
          if (ca === undefined) continue;
          const rec = await this.decodeOrQuarantine(ca, (t) => {
            const r = decodeCa(t);
            if (r.algorithm !== algorithm) throw new Error('stored emulator CA: "algorithm" does not match the file name');
            return r;
          });
          if (rec !== undefined) state.emulatorCas.set(algorithm, rec);
        }
        const tokens: TokenRecord[] = [];
        for (const file of await this.loadFiles(join(base, 'tokens'))) {
          const t = await this.decodeOrQuarantine(file, (text) => {
            const tok = decodeToken(text);
            if (tok.token !== file.id) throw new Error('stored token: "token" does not match the file name');
            return tok;
          });
          if (t !== undefined) tokens.push(t);
        }
        tokens.sort((a, b) => a.issuedAt - b.issuedAt || (a.token < b.token ? -1 : 1));
        for (const t of tokens) state.tokens.set(t.token, t);
        await removeTemporaries(base);
      }
    }
  }

  private async decodeOrQuarantine<T>(file: LoadedFile, decode: (text: string) => T): Promise<T | undefined> {
    let reason: string;
    if (file.text === undefined) reason = 'cannot be read';
    else {
      try {
        return decode(file.text);
      } catch (e) {
        // our decoders' messages name fields, never values; anything else is summarised
        reason = e instanceof Error && /^stored [^\n]{1,200}$/.test(e.message) ? e.message : 'does not decode';
      }
    }
    const rel = relative(this.dir, file.path);
    const to = await this.quarantine(file.path, rel);
    this.log(`paycrypt-emulator: quarantined ${rel} (${reason}) to ${to}; the rest of the data directory is loaded`);
    return undefined;
  }

  /** Move a bad file into DIR/quarantine/<its relative path>[.n]; answers the new relative path. */
  private async quarantine(path: string, rel: string): Promise<string> {
    const target = join(this.dir, 'quarantine', rel);
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    for (let n = 0; ; n++) {
      const to = n === 0 ? target : `${target}.${n}`;
      try {
        await stat(to);
        continue; // taken
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      await rename(path, to);
      await fsyncDir(dirname(path));
      await fsyncDir(dirname(to));
      return relative(this.dir, to);
    }
  }

  private async readOne(path: string): Promise<LoadedFile | undefined> {
    try {
      return { path, id: '', text: await readFile(path, 'utf8') };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      return { path, id: '', text: undefined };
    }
  }

  /** Every `*.json` in `dir` (text undefined: unreadable, e.g. a directory); leftover temporary files of a killed writer are removed. */
  private async loadFiles(dir: string): Promise<LoadedFile[]> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: LoadedFile[] = [];
    for (const n of names.sort()) {
      if (n.startsWith('.tmp-')) await unlink(join(dir, n)).catch(() => undefined);
      else if (n.endsWith('.json')) {
        const f = await this.readOne(join(dir, n));
        if (f !== undefined) out.push({ ...f, id: n.slice(0, -'.json'.length) });
      }
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.chains.values()]);
  }
}

/** The RSA CA keeps the file name it had before ECC CAs existed. */
function caFile(algorithm: string): string {
  return algorithm === 'RSA_4096' ? 'emulator-ca.json' : `emulator-ca-${algorithm}.json`;
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

/** Leftover temporary files of a killed writer (settings.json, emulator-ca.json) in `dir`. */
async function removeTemporaries(dir: string): Promise<void> {
  for (const n of await readdir(dir)) if (n.startsWith('.tmp-')) await unlink(join(dir, n)).catch(() => undefined);
}

interface LoadedFile {
  path: string;
  /** file name without .json */
  id: string;
  text: string | undefined;
}
