import type { RegionState, StateStore, TokenRecord } from '../state/region-state.js';
import type { KeyRecord } from '../state/records.js';
import type { Entry } from './journal.js';
import { applySettings, decodeAlias, decodeCa, decodeKey, decodeToken, storedCa, storedKey, storedSettings, storedToken } from './record-codec.js';

/**
 * Between the journal's entries (journal.ts) and the region states: the records of the live
 * entries decoded into `states` (load), and a state's records as entries (migration).
 */

/**
 * Decodes live `put` entries into `states`, one at a time (add), then orders them (finish): keys
 * in creation order, tokens in issue order, the rest in the order added.
 */
export class RecordDecoder {
  private readonly keys = new Map<RegionState, KeyRecord[]>();
  private readonly tokens = new Map<RegionState, TokenRecord[]>();
  constructor(private readonly states: StateStore) {}

  /** undefined when the record loaded, else why not (names the field, never its value) */
  add(e: Entry): string | undefined {
    try {
      decodeInto(this.states.get(e.a, e.r), e, this.keys, this.tokens);
      return undefined;
    } catch (err) {
      // our decoders' messages name fields, never values; anything else is summarised
      return err instanceof Error && /^stored [^\n]{1,200}$/.test(err.message) ? err.message : 'does not decode';
    }
  }

  finish(): void {
    for (const [state, list] of this.keys) {
      list.sort((a, b) => a.createdAt - b.createdAt || (a.keyId < b.keyId ? -1 : 1));
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

function decodeInto(state: RegionState, e: Entry, keys: Map<RegionState, KeyRecord[]>, tokens: Map<RegionState, TokenRecord[]>): void {
  const v = e.v!;
  switch (e.kind) {
    case 'key': {
      const k = decodeKey(v, { accountId: e.a, region: e.r, fileId: e.id });
      let list = keys.get(state);
      if (list === undefined) keys.set(state, (list = []));
      list.push(k);
      return;
    }
    case 'alias': {
      const a = decodeAlias(v, { accountId: e.a, region: e.r, fileId: e.id.replaceAll('/', '~') });
      state.aliases.set(a.aliasName, a);
      return;
    }
    case 'settings':
      if (e.id !== '') throw new Error('stored settings: "id" is not empty');
      applySettings(state, v);
      return;
    case 'ca': {
      const c = decodeCa(v);
      if (c.algorithm !== e.id) throw new Error('stored emulator CA: "algorithm" does not match the entry');
      state.emulatorCas.set(c.algorithm, c);
      return;
    }
    case 'token': {
      const t = decodeToken(v);
      if (t.token !== e.id) throw new Error('stored token: "token" does not match the entry');
      let list = tokens.get(state);
      if (list === undefined) tokens.set(state, (list = []));
      list.push(t);
      return;
    }
  }
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
