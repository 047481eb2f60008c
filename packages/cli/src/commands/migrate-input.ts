import { CliError } from '../errors.js';

/** One input line of `migrate import`: JSON lines, or CSV with a header row. */
export interface Entry {
  line: number;
  block?: string;
  wrappingKey?: string;
  alias?: string;
  tags: { Key: string; Value: string }[];
  error?: string;
}

function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') out.push(cur), (cur = '');
    else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

function tagsOf(v: unknown): { Key: string; Value: string }[] {
  if (v === undefined || v === null || v === '') return [];
  if (typeof v === 'string') {
    return v.split(';').filter((s) => s.trim() !== '').map((kv) => {
      const i = kv.indexOf('=');
      if (i <= 0) throw new Error('tags: expected key=value;key=value');
      return { Key: kv.slice(0, i).trim(), Value: kv.slice(i + 1).trim() };
    });
  }
  if (Array.isArray(v)) return v.map((t) => ({ Key: String((t as { Key?: unknown }).Key), Value: String((t as { Value?: unknown }).Value ?? '') }));
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([Key, Value]) => ({ Key, Value: String(Value) }));
  throw new Error('tags: expected an object, a list of {Key,Value} or key=value;key=value');
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** The names each field may go by, lower case, in order of preference. */
const FIELDS = {
  block: ['block', 'keyblock', 'wrappedkeyblock'],
  wrappingKey: ['wrappingkey', 'wrappingkeyarn', 'wrappingkeyidentifier', 'kek'],
  alias: ['alias', 'aliasname'],
  tags: ['tags'],
} as const;

/** Reads a JSON-lines or CSV file (CSV: a header row naming block, wrappingKey, alias, tags). */
export function parseInput(text: string, format: 'jsonl' | 'csv'): Entry[] {
  const lines = text.split(/\r?\n/);
  const out: Entry[] = [];
  let header: string[] | undefined;
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    try {
      let rec: Record<string, unknown>;
      if (format === 'jsonl') {
        const v = JSON.parse(raw) as unknown;
        if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('expected a JSON object');
        rec = v as Record<string, unknown>;
      } else {
        const cells = splitCsv(raw);
        if (header === undefined) {
          header = cells.map((c) => c.toLowerCase());
          if (!header.includes('block')) throw new CliError('INVALID_INPUT', 'CSV: the first row must name the columns (block, wrappingKey, alias, tags)');
          return;
        }
        rec = Object.fromEntries(header.map((h, j) => [h, cells[j] ?? '']));
      }
      // field names are matched without regard to case; of keys that differ only in case, the first
      const byName = new Map<string, unknown>();
      for (const k of Object.keys(rec)) {
        const n = k.toLowerCase();
        if (!byName.has(n)) byName.set(n, rec[k]);
      }
      const pick = (names: readonly string[]): unknown => {
        for (const n of names) if (byName.has(n)) return byName.get(n);
        return undefined;
      };
      const entry: Entry = { line, block: str(pick(FIELDS.block)), wrappingKey: str(pick(FIELDS.wrappingKey)), alias: str(pick(FIELDS.alias)), tags: tagsOf(pick(FIELDS.tags)) };
      if (entry.block === undefined) entry.error = 'no block';
      out.push(entry);
    } catch (e) {
      if (e instanceof CliError) throw e;
      out.push({ line, tags: [], error: format === 'jsonl' ? 'not a JSON object' : e instanceof Error ? e.message : 'malformed' });
    }
  });
  return out;
}
