import { normaliseModes } from '../keys/key-attributes.js';
import type { CaRecord, RegionState, TokenRecord } from '../state/region-state.js';
import type { AliasRecord, KeyRecord, MpaAssociationRecord } from '../state/records.js';
import type { RegionSettings } from '../state/commit.js';

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

export function encodeSettings(s: RegionSettings): string {
  const out: StoredSettings = { defaultReplicationRegions: s.defaultReplicationRegions, mpa: [...s.mpa.values()] };
  return JSON.stringify(out);
}

export function applySettings(s: RegionState, text: string): void {
  const v = JSON.parse(text) as StoredSettings;
  s.defaultReplicationRegions = v.defaultReplicationRegions ?? [];
  for (const m of v.mpa ?? []) s.mpa.set(m.action, m);
}

// ---- import/export: the emulator CA and the tokens (added to format 1; older stores have none) --

const TOKEN_ID_RE = /^(import|export)-token-[0-9a-z]{16}$/;

/** A token id that can name a file (`tokens/<id>.json`). */
export function isTokenId(id: string): boolean {
  return TOKEN_ID_RE.test(id);
}

function text(v: unknown, field: string, what: string): string {
  if (typeof v !== 'string' || v === '') throw new Error(`stored ${what}: "${field}" missing or not a string`);
  return v;
}

function time(v: unknown, field: string, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`stored ${what}: "${field}" missing or not a number`);
  return v;
}

/** A private-key field must hold a vault blob, never a clear key. */
function sealedBlob(v: unknown, what: string): string {
  const s = text(v, 'sealedPrivateKey', what);
  if (!s.startsWith('G1:')) throw new Error(`stored ${what}: "sealedPrivateKey" is not an LMK-sealed blob`);
  return s;
}

export function encodeCa(c: CaRecord): string {
  const out: CaRecord = { certificate: c.certificate, sealedPrivateKey: c.sealedPrivateKey, createdAt: c.createdAt };
  return JSON.stringify(out);
}

export function decodeCa(json: string): CaRecord {
  const v = JSON.parse(json) as Record<string, unknown>;
  return {
    certificate: text(v.certificate, 'certificate', 'emulator CA'),
    sealedPrivateKey: sealedBlob(v.sealedPrivateKey, 'emulator CA'),
    createdAt: time(v.createdAt, 'createdAt', 'emulator CA'),
  };
}

export function encodeToken(t: TokenRecord): string {
  const out: TokenRecord = {
    token: t.token,
    kind: t.kind,
    keyMaterialType: t.keyMaterialType,
    algorithm: t.algorithm,
    certificate: t.certificate,
    certificateChain: t.certificateChain,
    issuedAt: t.issuedAt,
    validUntil: t.validUntil,
    sealedPrivateKey: t.sealedPrivateKey,
  };
  return JSON.stringify(out);
}

export function decodeToken(json: string): TokenRecord {
  const v = JSON.parse(json) as Record<string, unknown>;
  const token = text(v.token, 'token', 'token');
  if (!isTokenId(token)) throw new Error('stored token: "token" is not an import/export token id');
  const kind = token.startsWith('import-') ? 'import' : 'export';
  if (v.kind !== kind) throw new Error(`stored token ${token}: "kind" does not match the id`);
  return {
    token,
    kind,
    keyMaterialType: text(v.keyMaterialType, 'keyMaterialType', `token ${token}`),
    algorithm: text(v.algorithm, 'algorithm', `token ${token}`),
    certificate: text(v.certificate, 'certificate', `token ${token}`),
    certificateChain: text(v.certificateChain, 'certificateChain', `token ${token}`),
    issuedAt: time(v.issuedAt, 'issuedAt', `token ${token}`),
    validUntil: time(v.validUntil, 'validUntil', `token ${token}`),
    sealedPrivateKey: sealedBlob(v.sealedPrivateKey, `token ${token}`),
  };
}
