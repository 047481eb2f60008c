import { crc32 } from 'node:zlib';

/**
 * The line format of the data directory's snapshot and journal files (dir-store.ts): one entry
 * per line, `<crc32 of the JSON, 8 hex digits> <JSON>\n`. The CRC makes a torn or altered line
 * detectable without trusting JSON.parse to notice; the JSON names the record it puts or deletes.
 *
 *   {"op":"put","kind":"key","a":"111122223333","r":"us-east-1","id":"<keyId>","v":{…stored record}}
 *   {"op":"del","kind":"alias","a":"111122223333","r":"us-east-1","id":"alias/x"}
 *
 * kinds and their ids: key (key id), alias (alias name), settings ('' — one per region), ca (its
 * algorithm, e.g. RSA_4096), token (the import/export token id). `v` is the record's stored form
 * (record-codec.ts), checked field by field when loaded.
 */
export type EntryKind = 'key' | 'alias' | 'settings' | 'ca' | 'token';
export const ENTRY_KINDS: readonly EntryKind[] = ['key', 'alias', 'settings', 'ca', 'token'];

export interface Entry {
  op: 'put' | 'del';
  kind: EntryKind;
  /** account id */
  a: string;
  /** region */
  r: string;
  id: string;
  /** the stored record (op put) */
  v?: object;
}

const ACCOUNT_RE = /^[0-9]{12}$/;
const REGION_RE = /^[a-z]{2}-[a-z]{1,16}-[0-9]+$/;
const NEWLINE = 0x0a;

/** The identity of the record an entry is about: later entries with the same one replace it. */
export function recordKey(e: Pick<Entry, 'kind' | 'a' | 'r' | 'id'>): string {
  return `${e.kind} ${e.a} ${e.r} ${e.id}`;
}

export function encodeEntry(e: Entry): string {
  const json = JSON.stringify(e);
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

/** One line of a file: where it is, and the entry or why it is not one. */
export interface Line {
  /** 1-based line number, for log lines */
  n: number;
  start: number;
  /** end offset, the newline included */
  end: number;
  entry?: Entry;
  /** why the line is not an entry (never quotes its content) */
  error?: string;
}

/**
 * Each line of `buf`, in order, to `visit` (nothing is kept: a snapshot of 100,000 records is
 * parsed without holding 100,000 parsed entries at once). The last line lacks its newline only when
 * a write was cut short (a kill or a full disk mid-append): its start offset is answered as
 * `torn`, and it is not visited — it was never acknowledged (an append is acknowledged after its
 * newline is on disk).
 */
export function forEachLine(buf: Buffer, visit: (line: Line) => void): { lines: number; torn?: number } {
  let start = 0;
  let n = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(NEWLINE, start);
    if (nl === -1) return { lines: n, torn: start };
    n++;
    visit(parseLine(buf, start, nl + 1, n));
    start = nl + 1;
  }
  return { lines: n };
}


/**
 * Each complete line of `buf` that is a well-formed entry, as (start, end, op, record key), for
 * compaction: the checksum is checked, but only the envelope is read — a line written by
 * encodeEntry starts `{"op":…,"kind":…,"a":…,"r":…,"id":…` — and any other line is parsed whole.
 */
export function forEachEnvelope(buf: Buffer, visit: (start: number, end: number, op: 'put' | 'del', key: string) => void): void {
  let start = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(NEWLINE, start);
    if (nl === -1) return;
    const end = nl + 1;
    const m = end - start > 11 && buf[start + 8] === 0x20 ? ENVELOPE_RE.exec(buf.toString('latin1', start + 9, Math.min(end, start + 9 + 400))) : null;
    if (m !== null && crc32(buf.subarray(start + 9, end - 1)) === hex8(buf, start)) {
      visit(start, end, m[1] as 'put' | 'del', `${m[2]} ${m[3]} ${m[4]} ${JSON.parse(m[5]!) as string}`);
    } else {
      const e = parseLine(buf, start, end, 0).entry;
      if (e !== undefined) visit(start, end, e.op, recordKey(e));
    }
    start = end;
  }
}

/** The start of an entry as JSON.stringify writes it (the id as a JSON string literal). */
const ENVELOPE_RE = /^\{"op":"(put|del)","kind":"([a-z]+)","a":"([0-9]{12})","r":"([a-z0-9-]+)","id":("(?:[^"\\]|\\.)*")[,}]/;

/** The 8 lower-case hex digits at `at` as a number, or -1. */
function hex8(buf: Buffer, at: number): number {
  let v = 0;
  for (let i = at; i < at + 8; i++) {
    const c = buf[i]!;
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

function parseLine(buf: Buffer, start: number, end: number, n: number): Line {
  const line: Line = { n, start, end };
  // 8 hex digits, a space, the JSON, the newline
  const stored = end - start < 11 || buf[start + 8] !== 0x20 ? -1 : hex8(buf, start);
  if (stored < 0) line.error = 'is not a journal entry';
  else {
    const json = buf.subarray(start + 9, end - 1);
    if (crc32(json) !== stored) line.error = 'fails its checksum';
    else {
      let v: unknown;
      try {
        v = JSON.parse(json.toString('utf8'));
      } catch {
        line.error = 'is not valid JSON';
        return line;
      }
      line.error = entryError(v);
      if (line.error === undefined) line.entry = v as Entry;
    }
  }
  return line;
}

function entryError(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'is not an entry object';
  const e = v as Record<string, unknown>;
  if (e.op !== 'put' && e.op !== 'del') return '"op" is not put or del';
  if (!(ENTRY_KINDS as readonly unknown[]).includes(e.kind)) return '"kind" has an unknown value';
  if (typeof e.a !== 'string' || !ACCOUNT_RE.test(e.a)) return '"a" is not an account id';
  if (typeof e.r !== 'string' || !REGION_RE.test(e.r)) return '"r" is not a region';
  if (typeof e.id !== 'string' || e.id.length > 256) return '"id" is not a record id';
  if (e.op === 'put' && (typeof e.v !== 'object' || e.v === null || Array.isArray(e.v))) return '"v" is not a record';
  return undefined;
}
