import type { RegionSettings } from '../state/commit.js';
import type { CaRecord, RegionState, StateStore, TokenRecord } from '../state/region-state.js';
import type { AliasRecord, KeyRecord } from '../state/records.js';
import type { Entry, Line } from './journal.js';
import { applySettings, decodeAlias, decodeCa, decodeKey, decodeSettings, decodeToken, storedCa, storedKey, storedSettings, storedToken } from './record-codec.js';

/**
 * Between the journal's entries (journal.ts) and the region states: an entry's record decoded
 * (every field checked, its place too) and later put into its state (load), and a state's records
 * as entries (migration).
 */
export type Decoded =
  | { kind: 'key'; record: KeyRecord }
  | { kind: 'alias'; record: AliasRecord }
  | { kind: 'settings'; record: RegionSettings }
  | { kind: 'ca'; record: CaRecord }
  | { kind: 'token'; record: TokenRecord };

/** The record of a `put` entry, checked; throws an Error whose message names the field, never its value. */
export function decodeEntry(e: Entry): Decoded {
  const v = e.v!;
  switch (e.kind) {
    case 'key':
      return { kind: 'key', record: decodeKey(v, { accountId: e.a, region: e.r, fileId: e.id }) };
    case 'alias':
      return { kind: 'alias', record: decodeAlias(v, { accountId: e.a, region: e.r, fileId: e.id.replaceAll('/', '~') }) };
    case 'settings':
      if (e.id !== '') throw new Error('stored settings: "id" is not empty');
      return { kind: 'settings', record: decodeSettings(v) };
    case 'ca': {
      const record = decodeCa(v);
      if (record.algorithm !== e.id) throw new Error('stored emulator CA: "algorithm" does not match the entry');
      return { kind: 'ca', record };
    }
    case 'token': {
      const record = decodeToken(v);
      if (record.token !== e.id) throw new Error('stored token: "token" does not match the entry');
      return { kind: 'token', record };
    }
  }
}

/** Why a record did not decode, for a log line: our decoders' messages name fields, never values. */
export function rejection(err: unknown): string {
  return err instanceof Error && /^stored [^\n]{1,200}$/.test(err.message) ? err.message : 'does not decode';
}

/** Puts decoded records into `states` (add), then orders them (finish): keys in creation order, tokens in issue order. */
export class RecordLoader {
  private readonly keys = new Map<RegionState, KeyRecord[]>();
  private readonly tokens = new Map<RegionState, TokenRecord[]>();
  constructor(private readonly states: StateStore) {}

  add(accountId: string, region: string, d: Decoded): void {
    const state = this.states.get(accountId, region);
    switch (d.kind) {
      case 'key':
        return void listOf(this.keys, state).push(d.record);
      case 'token':
        return void listOf(this.tokens, state).push(d.record);
      case 'alias':
        return void state.aliases.set(d.record.aliasName, d.record);
      case 'ca':
        return void state.emulatorCas.set(d.record.algorithm, d.record);
      case 'settings':
        return applySettings(state, d.record);
    }
  }

  finish(): void {
    const order = (a: KeyRecord, b: KeyRecord) => a.createdAt - b.createdAt || (a.keyId < b.keyId ? -1 : a.keyId > b.keyId ? 1 : 0);
    for (const [state, list] of this.keys) {
      // a snapshot is mostly in creation order already: sort only when it is not
      if (!list.every((k, i) => i === 0 || order(list[i - 1]!, k) <= 0)) list.sort(order);
      for (const k of list) state.keys.set(k.keyId, k);
    }
    for (const [state, list] of this.tokens) {
      list.sort((a, b) => a.issuedAt - b.issuedAt || (a.token < b.token ? -1 : 1));
      for (const t of list) state.tokens.set(t.token, t);
    }
    this.keys.clear();
    this.tokens.clear();
  }
}

function listOf<T>(m: Map<RegionState, T[]>, state: RegionState): T[] {
  let list = m.get(state);
  if (list === undefined) m.set(state, (list = []));
  return list;
}

/** Every record of `state` as a `put` entry (the format-1 migration's snapshot). */
export function* regionEntries(state: RegionState): Generator<Entry> {
  const at = { a: state.accountId, r: state.region };
  for (const k of state.keys.values()) yield { op: 'put', kind: 'key', ...at, id: k.keyId, v: storedKey(k) };
  for (const a of state.aliases.values()) yield { op: 'put', kind: 'alias', ...at, id: a.aliasName, v: { ...a } };
  if (state.defaultReplicationRegions.length > 0 || state.mpa.size > 0) yield { op: 'put', kind: 'settings', ...at, id: '', v: storedSettings(state) };
  for (const c of state.emulatorCas.values()) yield { op: 'put', kind: 'ca', ...at, id: c.algorithm, v: storedCa(c) };
  for (const t of state.tokens.values()) yield { op: 'put', kind: 'token', ...at, id: t.token, v: storedToken(t) };
}

/** The newest journal entry of a record while loading: decoded, or why not. */
export interface Latest {
  line: Line;
  a: string;
  r: string;
  decoded?: Decoded;
  reason?: string;
}

export function decoded(e: Entry, line: Line): Latest {
  const at: Latest = { line: { n: line.n, start: line.start, end: line.end }, a: e.a, r: e.r };
  try {
    at.decoded = decodeEntry(e);
  } catch (err) {
    at.reason = rejection(err);
  }
  return at;
}
