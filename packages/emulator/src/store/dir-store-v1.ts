import { mkdir, readdir, readFile, rename, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { RegionState, StateStore, TokenRecord } from '../state/region-state.js';
import type { KeyRecord } from '../state/records.js';
import { applySettings, CA_ALGORITHMS, decodeAlias, decodeCa, decodeKey, decodeSettings, decodeToken } from './record-codec.js';
import { regionEntries } from './dir-store-records.js';
import { exists, fsyncDir, writeAtomic } from './durable-fs.js';
import { encodeEntry } from './journal.js';

/**
 * The reader of data directories written in format 1 (one JSON file per record, before the
 * journal of dir-store.ts): used once, to migrate such a directory into format 2.
 *
 *   DIR/accounts/<account>/<region>/keys/<keyId>.json
 *   DIR/accounts/<account>/<region>/aliases/<alias name with / as ~>.json
 *   DIR/accounts/<account>/<region>/settings.json
 *   DIR/accounts/<account>/<region>/emulator-ca.json, emulator-ca-<algorithm>.json
 *   DIR/accounts/<account>/<region>/tokens/<import|export-token-…>.json
 *
 * A file that does not decode, fails a field check or does not match its place is moved into
 * `DIR/quarantine/` (same relative path, a numeric suffix if taken), named in one log line, and
 * the rest loads.
 */
export async function loadFormat1(dataDir: string, states: StateStore, log: (line: string) => void): Promise<void> {
  const reader = new Format1Reader(dataDir, log);
  const accountsDir = join(dataDir, 'accounts');
  for (const account of await listDir(accountsDir)) {
    for (const region of await listDir(join(accountsDir, account))) {
      if (!/^[0-9]{12}$/.test(account) || !/^[a-z]{2}-[a-z]{1,16}-[0-9]+$/.test(region)) continue;
      await reader.loadRegion(states.get(account, region), join(accountsDir, account, region));
    }
  }
}

/** The RSA CA kept the file name it had before ECC CAs existed. */
function caFile(algorithm: string): string {
  return algorithm === 'RSA_4096' ? 'emulator-ca.json' : `emulator-ca-${algorithm}.json`;
}

class Format1Reader {
  constructor(
    private readonly dir: string,
    private readonly log: (line: string) => void,
  ) {}

  async loadRegion(state: RegionState, base: string): Promise<void> {
    const place = (fileId: string) => ({ accountId: state.accountId, region: state.region, fileId });
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
    if (settings !== undefined) await this.decodeOrQuarantine(settings, (t) => applySettings(state, decodeSettings(t)));
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

  /** Every `*.json` in `dir` (text undefined: unreadable, e.g. a directory). */
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
      if (!n.endsWith('.json') || n.startsWith('.tmp-')) continue;
      const f = await this.readOne(join(dir, n));
      if (f !== undefined) out.push({ ...f, id: n.slice(0, -'.json'.length) });
    }
    return out;
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

interface LoadedFile {
  path: string;
  /** file name without .json */
  id: string;
  text: string | undefined;
}

/**
 * Format 1 → `format`: read the per-record files, write them as `snapshotFile` (answers its size),
 * record the new format in store.json, then set the old files aside.
 */
export async function migrateFormat1(dir: string, states: StateStore, log: (line: string) => void, format: number, snapshotFile: string): Promise<number> {
  await loadFormat1(dir, states, log);
  const chunks: Buffer[] = [];
  for (const state of states.all()) for (const e of regionEntries(state)) chunks.push(Buffer.from(encodeEntry(e), 'utf8'));
  await writeAtomic(dir, snapshotFile, chunks);
  const meta = JSON.parse(await readFile(join(dir, 'store.json'), 'utf8')) as { lmkCheck: string };
  await writeAtomic(dir, 'store.json', [Buffer.from(JSON.stringify({ format, lmkCheck: meta.lmkCheck }))]);
  await setFormat1Aside(dir, log, format);
  return chunks.reduce((n, c) => n + c.length, 0);
}

/** `accounts/` of format 1 → `migrated-format-1[.n]/` once its records are in the snapshot. */
export async function setFormat1Aside(dir: string, log: (line: string) => void, format: number): Promise<void> {
  for (let n = 0; ; n++) {
    const to = n === 0 ? 'migrated-format-1' : `migrated-format-1.${n}`;
    if (await exists(join(dir, to))) continue;
    await rename(join(dir, 'accounts'), join(dir, to));
    await fsyncDir(dir);
    log(`paycrypt-emulator: ${dir} migrated to data directory format ${format}; the format-1 files are kept in ${to}/ (remove it once you no longer need them)`);
    return;
  }
}
