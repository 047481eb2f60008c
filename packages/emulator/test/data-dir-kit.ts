import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

/**
 * Test-side reading and editing of a data directory in format 2 (src/store/dir-store.ts): written
 * here from the documented line format (`<crc32 hex> <JSON>\n`, later entries of a record replace
 * earlier ones, `del` removes), without the store's own parser.
 */
export interface RawEntry {
  op: 'put' | 'del';
  kind: string;
  a: string;
  r: string;
  id: string;
  v?: Record<string, unknown>;
}

/** The snapshot and journal of the newest generation, in replay order. */
export function dataFiles(dir: string): string[] {
  const names = readdirSync(dir);
  const gen = Math.max(0, ...names.map((n) => /^snapshot-(\d+)\.jsonl$/.exec(n)?.[1]).filter((g) => g !== undefined).map(Number));
  return [`snapshot-${gen}.jsonl`, `journal-${gen}.jsonl`].filter((n) => names.includes(n)).map((n) => join(dir, n));
}

/** A line as the store writes it. */
export function entryLine(e: RawEntry): string {
  const json = JSON.stringify(e);
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

/** Every line's entry (a line whose checksum or JSON is wrong throws: the directory is expected sound). */
export function entries(dir: string): RawEntry[] {
  const out: RawEntry[] = [];
  for (const f of dataFiles(dir)) {
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      if (line === '') continue;
      const json = line.slice(9);
      if (crc32(json).toString(16).padStart(8, '0') !== line.slice(0, 8)) throw new Error(`${f}: a line fails its checksum`);
      out.push(JSON.parse(json) as RawEntry);
    }
  }
  return out;
}

/** The live records of one kind by id (replayed). */
export function liveRecords(dir: string, kind: string): Map<string, Record<string, unknown>> {
  const live = new Map<string, Record<string, unknown>>();
  for (const e of entries(dir)) {
    if (e.kind !== kind) continue;
    if (e.op === 'put') live.set(e.id, e.v!);
    else live.delete(e.id);
  }
  return live;
}

/**
 * Replace the directory's files by one journal (generation 0) holding `lines` as given: the
 * live entries first turned into lines by entryLine, edited by the caller (raw text, so lines can
 * be truncated or garbled).
 */
export function rewriteJournal(dir: string, edit: (lines: string[], live: RawEntry[]) => string[]): void {
  const live = new Map<string, RawEntry>();
  for (const e of entries(dir)) {
    const k = `${e.kind} ${e.a} ${e.r} ${e.id}`;
    live.delete(k);
    if (e.op === 'put') live.set(k, e);
  }
  const list = [...live.values()];
  const lines = edit(list.map(entryLine), list);
  for (const f of dataFiles(dir)) rmSync(f);
  writeFileSync(join(dir, 'journal-0.jsonl'), lines.join(''), { mode: 0o600 });
}
