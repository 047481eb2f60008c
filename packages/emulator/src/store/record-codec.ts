import { normaliseModes } from '../control-plane/key-attributes.js';
import type { RegionState } from '../state/region-state.js';
import type { AliasRecord, KeyRecord, MpaAssociationRecord } from '../state/records.js';

/** JSON forms of the records, as written by the data-dir store. Format version 1. */
export interface StoredKey extends Omit<KeyRecord, 'modes' | 'tags'> {
  modes: Record<string, boolean>;
  tags?: Array<[string, string]>;
}

export interface StoredSettings {
  defaultReplicationRegions: string[];
  mpa: MpaAssociationRecord[];
}

export function encodeKey(k: KeyRecord): string {
  const out: StoredKey = { ...k, modes: { ...k.modes }, tags: k.tags === undefined ? undefined : [...k.tags] };
  if (out.tags === undefined) delete out.tags;
  return JSON.stringify(out);
}

export function decodeKey(text: string): KeyRecord {
  const s = JSON.parse(text) as StoredKey;
  const { tags, modes, ...rest } = s;
  const k: KeyRecord = { ...rest, modes: normaliseModes(modes) };
  if (tags !== undefined && tags.length > 0) k.tags = new Map(tags);
  return k;
}

export function encodeAlias(a: AliasRecord): string {
  return JSON.stringify(a);
}

export function decodeAlias(text: string): AliasRecord {
  const a = JSON.parse(text) as AliasRecord;
  return a.keyArn === undefined ? { aliasName: a.aliasName } : { aliasName: a.aliasName, keyArn: a.keyArn };
}

export function encodeSettings(s: RegionState): string {
  const out: StoredSettings = { defaultReplicationRegions: s.defaultReplicationRegions, mpa: [...s.mpa.values()] };
  return JSON.stringify(out);
}

export function applySettings(s: RegionState, text: string): void {
  const v = JSON.parse(text) as StoredSettings;
  s.defaultReplicationRegions = v.defaultReplicationRegions ?? [];
  for (const m of v.mpa ?? []) s.mpa.set(m.action, m);
}
