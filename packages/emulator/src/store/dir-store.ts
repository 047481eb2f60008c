import { appendFile, mkdir, open, readdir, readFile, unlink, type FileHandle } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaRecord, RegionState, StateStore, TokenRecord } from '../state/region-state.js';
import type { AliasRecord, KeyRecord } from '../state/records.js';
import type { RegionSettings } from '../state/commit.js';
import { migrateFormat1, setFormat1Aside } from './dir-store-v1.js';
import { exists, fsyncDir, writeAtomic } from './durable-fs.js';
import { encodeEntry, forEachEnvelope, forEachLine, recordKey, type Entry, type EntryKind, type Line } from './journal.js';
import { decoded, RecordLoader, type Latest } from './dir-store-records.js';
import { isTokenId, storedCa, storedKey, storedSettings, storedToken } from './record-codec.js';
import type { Store } from './store.js';

/**
 * `--data-dir DIR`, format 2: a snapshot and a journal (journal.ts gives the line format).
 *
 *   DIR/store.json               { format: 2, lmkCheck }
 *   DIR/snapshot-<G>.jsonl       every live record of generation G, one `put` entry per line
 *   DIR/journal-<G>.jsonl        the entries appended since that snapshot
 *   DIR/quarantine/              lines that did not load (see load())
 *
 * Why a journal (issue 11: restart with 100,000 keys in ≤ 3 s): format 1 kept one file per
 * record, and a restart read 100,000 files (20 s measured at 100k keys; 8–9 s at 24k). Two
 * sequential reads and one parse per line load 100k keys in about a second (`pnpm bench`, row
 * "restart"). An embedded database was the other choice: Node 20 has no `node:sqlite`, and
 * better-sqlite3 needs a native build or a binary download, which CI machines here cannot fetch.
 *
 * Writes: an entry is appended and the journal fdatasync'ed before the promise resolves, so an
 * acknowledged change is durable. Appends that arrive while a write is in flight go out together
 * in the next write and share its fdatasync (group commit). A failed append is cut off again
 * (ftruncate to the last good length) so the journal never keeps a change that was answered 500;
 * a kill mid-append leaves an incomplete last line, which the next start drops (it was never
 * acknowledged). Compaction writes snapshot-<G+1> from the live lines of snapshot-<G> and
 * journal-<G> (temporary file, fsync, rename, fsync of DIR), then removes the generation-G files:
 * just after a start when the journal is long or a line was bad, and while running when the
 * journal outgrows the live records (NOTE: appends wait for it — about a second at 100k keys;
 * reads do not).
 *
 * A directory in format 1 is migrated at its first open: read as before (dir-store-v1.ts), written
 * as snapshot-1, then `accounts/` is renamed `migrated-format-1/` (kept, sealed as it was; delete
 * it once the emulator runs on the new format).
 *
 * Records hold LMK-sealed material only (the LMK itself is never written here; `lmkCheck` is a
 * one-way check value of it). Files are created 0600, directories 0700.
 */
export class DirStore implements Store {
  readonly kind = 'data-dir' as const;
  readonly dir: string;
  private readonly log: (line: string) => void;
  private format1 = false;
  /** the generation: snapshot-<gen>.jsonl (absent for 0) and journal-<gen>.jsonl */
  private gen = 0;
  /** bytes of the current snapshot (the journal is compacted when it outgrows it) */
  private snapshotSize = 0;
  /** lines of the current generation that did not load (`<file>:<offset>`): compaction drops them */
  private excluded = new Set<string>();
  private journal: FileHandle | undefined;
  private journalSize = 0;
  private journalEntries = 0;
  /** a failed append may have left bytes past journalSize: cut them before the next one */
  private needsTruncate = false;
  private queue: Pending[] = [];
  private writing = false;
  private draining: Promise<void> = Promise.resolve();
  private compactAfter: number;
  /** the files read at start, when they are to be compacted (drain() does it first) */
  private startCompaction: Buffer[] | undefined;

  private constructor(
    dir: string,
    log: (line: string) => void,
    private readonly compactMin: number,
  ) {
    this.dir = dir;
    this.log = log;
    this.compactAfter = compactMin;
  }

  /** Open (or initialise) a data directory; refuses a directory made with another LMK. */
  static async open(
    dir: string,
    lmkCheck: string,
    log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
    options: { compactMinEntries?: number } = {},
  ): Promise<DirStore> {
    const s = new DirStore(dir, log, options.compactMinEntries ?? COMPACT_MIN_ENTRIES);
    // 0700: the directory holds sealed key material and the LMK check (issue 11); an existing one is left as it is
    const created = await mkdir(dir, { recursive: true, mode: 0o700 });
    if (created !== undefined) await fsyncDir(join(dir, '..'));
    const metaPath = join(dir, 'store.json');
    let meta: { format: number; lmkCheck: string } | undefined;
    try {
      meta = JSON.parse(await readFile(metaPath, 'utf8')) as { format: number; lmkCheck: string };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`data directory ${dir}: ${metaPath} cannot be read or is not valid JSON`);
    }
    if (meta === undefined) {
      await writeAtomic(dir, 'store.json', [Buffer.from(JSON.stringify({ format: FORMAT, lmkCheck }))]);
    } else {
      if (meta.format !== 1 && meta.format !== FORMAT) throw new Error(`data directory ${dir}: unsupported format ${meta.format}`);
      if (meta.lmkCheck !== lmkCheck) throw new Error(`data directory ${dir} was created with another local master key`);
      s.format1 = meta.format === 1;
    }
    return s;
  }

  // ---- the Store operations: one entry each --------------------------------------------------

  saveKey(state: RegionState, key: KeyRecord): Promise<void> {
    return this.append(put('key', state, key.keyId, storedKey(key)));
  }

  deleteKey(state: RegionState, keyId: string): Promise<void> {
    return this.append(del('key', state, keyId));
  }

  saveAlias(state: RegionState, alias: AliasRecord): Promise<void> {
    return this.append(put('alias', state, alias.aliasName, { ...alias }));
  }

  deleteAlias(state: RegionState, aliasName: string): Promise<void> {
    return this.append(del('alias', state, aliasName));
  }

  saveSettings(state: RegionState, settings?: RegionSettings): Promise<void> {
    return this.append(put('settings', state, '', storedSettings(settings ?? state)));
  }

  saveCa(state: RegionState, ca: CaRecord): Promise<void> {
    return this.append(put('ca', state, ca.algorithm, storedCa(ca)));
  }

  saveToken(state: RegionState, token: TokenRecord): Promise<void> {
    if (!isTokenId(token.token)) return Promise.reject(new Error('not an import/export token id'));
    return this.append(put('token', state, token.token, storedToken(token)));
  }

  deleteToken(state: RegionState, tokenId: string): Promise<void> {
    return this.append(del('token', state, tokenId));
  }

  // ---- appends ---------------------------------------------------------------------------------

  private append(e: Entry): Promise<void> {
    const line = encodeEntry(e); // the record as it is now (callers pass the new copy)
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line, resolve, reject });
      this.kick();
    });
  }

  /** Start the writer unless it runs. */
  private kick(): void {
    if (this.writing) return;
    this.writing = true; // set and cleared synchronously with the queue check: no append is left waiting
    this.draining = this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0 || this.startCompaction !== undefined) {
        const sources = this.startCompaction;
        if (sources !== undefined) {
          // the compaction a start asked for, before any append (from the files as read at start)
          this.startCompaction = undefined;
          await this.compact(sources).catch((e: unknown) => {
            this.compactAfter = this.journalEntries + this.compactMin;
            this.log(`paycrypt-emulator: compaction of ${this.dir} failed (${errorCode(e)}); the journal keeps growing and it is tried again later`);
          });
          continue;
        }
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          await this.writeBatch(batch);
        } catch (e) {
          for (const p of batch) p.reject(e);
          continue;
        }
        for (const p of batch) p.resolve();
        if (this.journalEntries >= this.compactAfter && this.journalSize > this.snapshotSize) await this.compactRunning();
      }
    } finally {
      this.writing = false;
    }
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    const fh = await this.journalHandle();
    if (this.needsTruncate) {
      await fh.truncate(this.journalSize);
      this.needsTruncate = false;
    }
    const buf = Buffer.from(batch.map((p) => p.line).join(''), 'utf8');
    try {
      for (let off = 0; off < buf.length; ) off += (await fh.write(buf, off)).bytesWritten;
      await fh.datasync();
    } catch (e) {
      // cut off what may have reached the file, so the journal never holds an unacknowledged change
      this.needsTruncate = true;
      try {
        await fh.truncate(this.journalSize);
        await fh.datasync();
        this.needsTruncate = false;
      } catch {
        // retried before the next append (which fails while it cannot be done)
      }
      throw e;
    }
    this.journalSize += buf.length;
    this.journalEntries += batch.length;
  }

  private async journalHandle(): Promise<FileHandle> {
    if (this.journal === undefined) {
      const path = join(this.dir, journalName(this.gen));
      const existed = await exists(path);
      this.journal = await open(path, 'a', 0o600);
      if (!existed) await fsyncDir(this.dir);
    }
    return this.journal;
  }

  // ---- compaction -------------------------------------------------------------------------------

  /** While running: from the files of the current generation; a failure is logged and retried later. */
  private async compactRunning(): Promise<void> {
    try {
      const snapshot = this.gen === 0 ? Buffer.alloc(0) : await readFile(join(this.dir, snapshotName(this.gen)));
      const journal = await readFile(join(this.dir, journalName(this.gen)));
      await this.compact([snapshot, journal.subarray(0, this.journalSize)]);
      this.compactAfter = this.compactMin;
    } catch (e) {
      this.compactAfter = this.journalEntries + this.compactMin;
      this.log(`paycrypt-emulator: compaction of ${this.dir} failed (${errorCode(e)}); the journal keeps growing and it is tried again later`);
    }
  }

  /**
   * Write snapshot-<gen+1> from the live lines of `sources` (the snapshot and journal of
   * generation gen, replayed: the last `put` of each record, none after a `del`; lines that did
   * not load left out), then drop generation gen. Only the envelope of each line is read (its
   * checksum checked), not its record.
   */
  private async compact(sources: Buffer[]): Promise<void> {
    const next = this.gen + 1;
    const live = new Map<string, Buffer>();
    for (const [file, buf] of sources.entries()) {
      forEachEnvelope(buf, (start, end, op, key) => {
        live.delete(key);
        // a line that did not load hid the record's older versions at start too: so it does here
        if (this.excluded.has(`${file}:${start}`)) return;
        if (op === 'put') live.set(key, buf.subarray(start, end));
      });
    }
    const chunks = [...live.values()];
    live.clear();
    await writeAtomic(this.dir, snapshotName(next), chunks);
    // generation next is in force: the old files are only removed (again at the next start if this fails)
    const old = this.gen;
    await this.journal?.close().catch(() => undefined);
    this.journal = undefined;
    this.gen = next;
    this.snapshotSize = chunks.reduce((n, c) => n + c.length, 0);
    this.excluded = new Set();
    this.journalSize = 0;
    this.journalEntries = 0;
    this.needsTruncate = false;
    await this.removeGeneration(old).catch(() => undefined);
  }

  private async removeGeneration(gen: number): Promise<void> {
    for (const name of [journalName(gen), ...(gen > 0 ? [snapshotName(gen)] : [])]) {
      await unlink(join(this.dir, name)).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
    }
    await fsyncDir(this.dir);
  }

  // ---- load -------------------------------------------------------------------------------------

  /**
   * Fill `states` from the directory. A line that is not a well-formed entry, fails its checksum,
   * or holds a record that fails its field checks or does not match the entry's place (a key
   * entry holding another key's record) is copied into `DIR/quarantine/<file>`, named in one log
   * line (file and line number, never its content), and the rest loads: one bad line never stops
   * startup. The files are then compacted, so the bad line is gone from them.
   */
  async load(states: StateStore): Promise<void> {
    if (this.format1) return this.migrate(states);
    const names = await readdir(this.dir);
    for (const n of names) if (n.startsWith('.tmp-')) await unlink(join(this.dir, n)).catch(() => undefined);
    const gens = (re: RegExp) => names.flatMap((n) => (re.exec(n) === null ? [] : [Number(re.exec(n)![1])]));
    this.gen = Math.max(0, ...gens(/^snapshot-([0-9]{1,9})\.jsonl$/));
    // older generations were superseded by a compaction that stopped before removing them
    for (const g of new Set([...gens(/^snapshot-([0-9]{1,9})\.jsonl$/), ...gens(/^journal-([0-9]{1,9})\.jsonl$/)])) {
      if (g < this.gen) await this.removeGeneration(g).catch(() => undefined);
    }
    if (names.includes('accounts')) await setFormat1Aside(this.dir, this.log, FORMAT);
    // read synchronously: nothing else runs before the state is loaded, and one big read is faster so
    const snapshot = this.gen === 0 ? Buffer.alloc(0) : readFileSync(join(this.dir, snapshotName(this.gen)));
    const journalPath = join(this.dir, journalName(this.gen));
    const journal = (await exists(journalPath)) ? readFileSync(journalPath) : Buffer.alloc(0);
    const files = [snapshotName(this.gen), journalName(this.gen)];
    const bad: Array<{ file: number; line: Line; reason: string }> = [];
    const loader = new RecordLoader(states);
    // the journal first, each put decoded as it is read; a later entry of the same record replaces
    // it, a del is kept as null so that the snapshot's version is not loaded either
    const journalLatest = new Map<string, Latest | null>();
    const journalIds = new Set<string>();
    const { lines: journalLines, torn } = forEachLine(journal, (line) => {
      const e = line.entry;
      if (e === undefined) return void bad.push({ file: 1, line, reason: line.error! });
      journalIds.add(e.id);
      journalLatest.set(recordKey(e), e.op === 'del' ? null : decoded(e, line));
    });
    // then the snapshot, decoded straight into the states unless the journal names the record
    // (the id set first: building the record key for every line is what it saves)
    forEachLine(snapshot, (line) => {
      const e = line.entry;
      if (e === undefined) return void bad.push({ file: 0, line, reason: line.error! });
      if (e.op !== 'put' || (journalIds.has(e.id) && journalLatest.has(recordKey(e)))) return;
      const d = decoded(e, line);
      if (d.decoded === undefined) bad.push({ file: 0, line, reason: d.reason! });
      else loader.add(e.a, e.r, d.decoded);
    });
    for (const at of journalLatest.values()) {
      if (at === null) continue;
      if (at.decoded === undefined) bad.push({ file: 1, line: at.line, reason: at.reason! });
      else loader.add(at.a, at.r, at.decoded);
    }
    journalLatest.clear();
    loader.finish();
    for (const b of bad) this.excluded.add(`${b.file}:${b.line.start}`);
    this.snapshotSize = snapshot.length;
    if (torn !== undefined) {
      // an append cut short by a kill: never acknowledged; cut off so later appends start on a new line
      const fh = await open(journalPath, 'r+');
      try {
        await fh.truncate(torn);
        await fh.datasync();
      } finally {
        await fh.close();
      }
      this.log(`paycrypt-emulator: ${files[1]}: an incomplete last entry (an interrupted write, never acknowledged) was dropped`);
    }
    const sources = [snapshot, journal];
    bad.sort((x, y) => x.file - y.file || x.line.n - y.line.n);
    this.journalSize = torn ?? journal.length;
    this.journalEntries = journalLines;
    try {
      await this.quarantine(bad.map((b) => ({ name: files[b.file]!, line: b.line, text: sources[b.file]!.subarray(b.line.start, b.line.end), reason: b.reason })));
    } catch (e) {
      // a full or read-only disk does not stop the start: the bad lines stay where they are (reported again next time)
      this.log(`paycrypt-emulator: ${this.dir}: bad lines could not be copied to quarantine/ (${errorCode(e)}); everything that loads is loaded`);
    }
    // compacted in the background, first thing the writer does (appends wait for it): the start
    // does not wait for a snapshot to be written
    if (bad.length > 0 || (this.journalEntries >= this.compactMin && this.journalSize > this.snapshotSize / 4)) {
      this.startCompaction = sources;
      this.kick();
    }
  }

  /** Copy bad lines into DIR/quarantine/<their file>, one log line each. */
  private async quarantine(bad: Array<{ name: string; line: Line; text: Buffer; reason: string }>): Promise<void> {
    if (bad.length === 0) return;
    const qdir = join(this.dir, 'quarantine');
    await mkdir(qdir, { recursive: true, mode: 0o700 });
    for (const b of bad) {
      await appendFile(join(qdir, b.name), b.text.at(-1) === 0x0a ? b.text : Buffer.concat([b.text, Buffer.from('\n')]), { mode: 0o600 });
      this.log(`paycrypt-emulator: quarantined line ${b.line.n} of ${b.name} (${b.reason}) to quarantine/${b.name}; the rest of the data directory is loaded`);
    }
    const fh = await open(qdir, 'r');
    await fh.sync().finally(() => fh.close());
  }

  /** Format 1 → 2 (dir-store-v1.ts): the records become snapshot-1. */
  private async migrate(states: StateStore): Promise<void> {
    this.snapshotSize = await migrateFormat1(this.dir, states, this.log, FORMAT, snapshotName(1));
    this.gen = 1;
    this.format1 = false;
  }

  async close(): Promise<void> {
    while (this.writing) await this.draining;
    await this.journal?.close().catch(() => undefined);
    this.journal = undefined;
  }
}

const FORMAT = 2;
/** compaction waits for at least this many journal entries (and, while running, more than the live records) */
const COMPACT_MIN_ENTRIES = 10_000;
/** entries per write (and fdatasync) */
const MAX_BATCH = 1024;

interface Pending {
  line: string;
  resolve: () => void;
  reject: (e: unknown) => void;
}

function put(kind: EntryKind, state: RegionState, id: string, v: object): Entry {
  return { op: 'put', kind, a: state.accountId, r: state.region, id, v };
}

function del(kind: EntryKind, state: RegionState, id: string): Entry {
  return { op: 'del', kind, a: state.accountId, r: state.region, id };
}

function snapshotName(gen: number): string {
  return `snapshot-${gen}.jsonl`;
}

function journalName(gen: number): string {
  return `journal-${gen}.jsonl`;
}

function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,32}$/.test(code) ? code : e instanceof Error ? e.name.slice(0, 64) : 'unknown error';
}
