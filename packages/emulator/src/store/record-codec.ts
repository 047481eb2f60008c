import { MODE_NAMES, normaliseModes, type ModeName } from '../keys/key-attributes.js';
import { KEY_ALGORITHMS } from '../keys/key-algorithms.js';
import type { CaRecord, RegionState, TokenRecord } from '../state/region-state.js';
import type { AliasRecord, KeyOriginName, KeyRecord, KeyStateName, MpaAssociationRecord } from '../state/records.js';
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

/** The stored (JSON-ready) form of a key; decodeKey reads it back. */
export function storedKey(k: KeyRecord): StoredKey {
  // the modes that are set (decodeKey reads an absent mode as false): a smaller line to load
  const modes: Record<string, boolean> = {};
  for (const [m, on] of Object.entries(k.modes)) if (on) modes[m] = true;
  const out: StoredKey = { ...k, modes, tags: k.tags === undefined ? undefined : [...k.tags] };
  if (out.tags === undefined) delete out.tags;
  return out;
}

export function encodeKey(k: KeyRecord): string {
  return JSON.stringify(storedKey(k));
}

/** Where a stored record was found: its fields must agree with it (a swapped file does not). */
export interface RecordPlace {
  accountId: string;
  region: string;
  /** the file name without `.json` */
  fileId: string;
}

const KEY_ID_RE = /^[0-9a-z]{16}$/;
const REGION_RE = /^[a-z]{2}-[a-z]{1,16}-[0-9]+$/;
const KEY_CLASSES = ['SYMMETRIC_KEY', 'ASYMMETRIC_KEY_PAIR', 'PRIVATE_KEY', 'PUBLIC_KEY'];
const KEY_STATES = ['CREATE_IN_PROGRESS', 'CREATE_COMPLETE', 'DELETE_PENDING', 'DELETE_COMPLETE'];
const ORIGINS = ['EXTERNAL', 'AWS_PAYMENT_CRYPTOGRAPHY'];
const KCV_ALGORITHMS = ['CMAC', 'ANSI_X9_24', 'HMAC', 'SHA_1'];
// the field formats of a stored key (compiled once: a restart checks 100,000 records)
const KEY_ARN_RE = /^arn:aws:payment-cryptography:([a-z]{2}-[a-z]{1,16}-[0-9]+):([0-9]{12}):key\/([0-9a-z]{16})$/;
const USAGE_RE = /^TR31_[0-9A-Z]{2}_[0-9A-Z_]+$/;
const KCV_RE = /^[0-9A-F]{4,64}$/;
/** a vault blob (TR-31 D block under the LMK, or a G1: GCM blob), never clear material */
const SEALED_RE = /^(D[0-9]{4}[0-9A-Z]{11}[!-~]*|G1:[A-Za-z0-9+/=]+)$/;
const BASE64_RE = /^[A-Za-z0-9+/=]+$/;
const ALIAS_NAME_RE = /^alias\/[a-zA-Z0-9/_-]+$/;

/** A stored record that does not decode or does not agree with where it was found. */
export class RecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordError';
  }
}

/**
 * A record's JSON text, or its already parsed value (the journal holds records inside entries),
 * as an object; JSON.parse's error never quotes the text (it may hold sealed material).
 */
function parseObject(text: string | object, what: string): Record<string, unknown> {
  let v: unknown = text;
  if (typeof text === 'string') {
    try {
      v = JSON.parse(text);
    } catch {
      throw new RecordError(`stored ${what}: not valid JSON`);
    }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new RecordError(`stored ${what}: not a JSON object`);
  return v as Record<string, unknown>;
}

/** Field checks of one stored record; messages name the field, never its value. */
class Fields {
  constructor(
    private readonly v: Record<string, unknown>,
    private readonly what: string,
    /** appended to `what` in a message (kept apart so a record that checks builds no string) */
    private readonly which?: string,
  ) {}
  fail(field: string, why: string): never {
    throw new RecordError(`stored ${this.what}${this.which === undefined ? '' : ` ${this.which}`}: "${field}" ${why}`);
  }
  raw(f: string): unknown {
    return this.v[f];
  }
  has(f: string): boolean {
    return this.v[f] !== undefined && this.v[f] !== null;
  }
  str(f: string, re?: RegExp): string {
    const x = this.v[f];
    if (typeof x !== 'string' || x === '') this.fail(f, 'missing or not a string');
    if (re !== undefined && !re.test(x)) this.fail(f, 'is not well-formed');
    return x;
  }
  oneOf<T extends string>(f: string, values: readonly T[]): T {
    const x = this.str(f);
    if (!values.includes(x as T)) this.fail(f, 'has an unknown value');
    return x as T;
  }
  bool(f: string): boolean {
    if (typeof this.v[f] !== 'boolean') this.fail(f, 'missing or not a boolean');
    return this.v[f] as boolean;
  }
  time(f: string): number {
    const x = this.v[f];
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) this.fail(f, 'missing or not a time');
    return x;
  }
  strings(f: string, re?: RegExp): string[] {
    const x = this.v[f];
    if (!Array.isArray(x) || !x.every((e) => typeof e === 'string' && (re === undefined || re.test(e)))) this.fail(f, 'is not a list of strings');
    return [...(x as string[])];
  }
}

/**
 * A stored key, every field checked (types, enums, formats, the state's required fields); with
 * `place`, its id and ARN must be those of the file and directory it was read from. Unknown
 * fields are dropped. Throws RecordError.
 */
export function decodeKey(text: string | object, place?: RecordPlace): KeyRecord {
  const f: Fields = new Fields(parseObject(text, 'key'), 'key', place?.fileId);
  const keyId = f.str('keyId', KEY_ID_RE);
  if (place !== undefined && keyId !== place.fileId) f.fail('keyId', 'does not match the file name');
  const keyArn = f.str('keyArn');
  const m = KEY_ARN_RE.exec(keyArn);
  if (m === null || m[3] !== keyId) f.fail('keyArn', 'is not the ARN of this key');
  if (place !== undefined && (m[1] !== place.region || m[2] !== place.accountId)) f.fail('keyArn', 'names another account or region');
  const keyAlgorithm = f.str('keyAlgorithm');
  if (KEY_ALGORITHMS[keyAlgorithm] === undefined) f.fail('keyAlgorithm', 'has an unknown value');
  const rawModes: unknown = f.raw('modes');
  if (typeof rawModes !== 'object' || rawModes === null || Array.isArray(rawModes)) f.fail('modes', 'missing or not an object');
  const modes: Partial<Record<ModeName, boolean>> = {};
  for (const [k, b] of Object.entries(rawModes as Record<string, unknown>)) {
    if (!(MODE_NAMES as readonly string[]).includes(k) || typeof b !== 'boolean') f.fail('modes', 'has an unknown mode or a non-boolean flag');
    modes[k as ModeName] = b as boolean;
  }
  const k: KeyRecord = {
    keyId,
    keyArn,
    keyUsage: f.str('keyUsage', USAGE_RE),
    keyClass: f.oneOf('keyClass', KEY_CLASSES),
    keyAlgorithm,
    modes: normaliseModes(modes),
    kcv: f.str('kcv', KCV_RE),
    kcvAlgorithm: f.oneOf('kcvAlgorithm', KCV_ALGORITHMS),
    enabled: f.bool('enabled'),
    exportable: f.bool('exportable'),
    state: f.oneOf('state', KEY_STATES as KeyStateName[]),
    origin: f.oneOf('origin', ORIGINS as KeyOriginName[]),
    createdAt: f.time('createdAt'),
  };
  for (const t of ['usageStartAt', 'usageStopAt', 'deletePendingAt', 'deletedAt'] as const) if (f.has(t)) k[t] = f.time(t);
  if (k.state === 'DELETE_PENDING' && k.deletePendingAt === undefined) f.fail('deletePendingAt', 'missing for a key pending deletion');
  if (f.has('deriveKeyUsage')) k.deriveKeyUsage = f.str('deriveKeyUsage', USAGE_RE);
  if (f.has('sealed')) {
    // a vault blob (TR-31 D block under the LMK, or a G1: GCM blob), never clear material
    k.sealed = f.str('sealed', SEALED_RE);
  } else if (k.state !== 'DELETE_COMPLETE' && k.keyClass !== 'PUBLIC_KEY') {
    f.fail('sealed', 'missing for a key with secret material');
  }
  if (f.has('publicKey')) k.publicKey = f.str('publicKey', BASE64_RE);
  if (k.keyClass === 'PUBLIC_KEY' && k.publicKey === undefined) f.fail('publicKey', 'missing for a public key');
  if (f.has('certificate')) k.certificate = f.str('certificate', BASE64_RE);
  if (f.has('certificateChain')) k.certificateChain = f.str('certificateChain', BASE64_RE);
  if (f.has('policy')) k.policy = f.str('policy');
  if (f.has('tags')) {
    const tags: unknown = f.raw('tags');
    if (!Array.isArray(tags) || !tags.every((t) => Array.isArray(t) && t.length === 2 && typeof t[0] === 'string' && typeof t[1] === 'string')) {
      f.fail('tags', 'is not a list of [key, value] strings');
    }
    if ((tags as unknown[]).length > 0) k.tags = new Map(tags as Array<[string, string]>);
  }
  if (f.has('multiRegionKeyType')) k.multiRegionKeyType = f.oneOf('multiRegionKeyType', ['PRIMARY', 'REPLICA'] as const);
  if (f.has('primaryRegion')) k.primaryRegion = f.str('primaryRegion', REGION_RE);
  if (f.has('replicationRegions')) k.replicationRegions = f.strings('replicationRegions', REGION_RE);
  if (f.has('usingDefaultReplicationRegions')) k.usingDefaultReplicationRegions = f.bool('usingDefaultReplicationRegions');
  return k;
}

export function encodeAlias(a: AliasRecord): string {
  return JSON.stringify(a);
}

/** A stored alias, checked; with `place`, its name must be the file's and its key of this account and region. */
export function decodeAlias(text: string | object, place?: RecordPlace): AliasRecord {
  const f: Fields = new Fields(parseObject(text, 'alias'), 'alias', place?.fileId);
  const aliasName = f.str('aliasName', ALIAS_NAME_RE);
  if (place !== undefined && aliasName.replaceAll('/', '~') !== place.fileId) f.fail('aliasName', 'does not match the file name');
  if (!f.has('keyArn')) return { aliasName };
  const keyArn = f.str('keyArn', KEY_ARN_RE);
  if (place !== undefined && !keyArn.startsWith(`arn:aws:payment-cryptography:${place.region}:${place.accountId}:key/`)) f.fail('keyArn', 'names another account or region');
  return { aliasName, keyArn };
}

export function storedSettings(s: RegionSettings): StoredSettings {
  return { defaultReplicationRegions: s.defaultReplicationRegions, mpa: [...s.mpa.values()] };
}

export function encodeSettings(s: RegionSettings): string {
  return JSON.stringify(storedSettings(s));
}

/** Stored region settings, checked (applySettings puts them into a state). */
export function decodeSettings(text: string | object): RegionSettings {
  const v = parseObject(text, 'settings');
  const f: Fields = new Fields(v, 'settings');
  const regions = f.has('defaultReplicationRegions') ? f.strings('defaultReplicationRegions', REGION_RE) : [];
  const mpa = new Map<string, MpaAssociationRecord>();
  if (v.mpa !== undefined) {
    if (!Array.isArray(v.mpa)) f.fail('mpa', 'is not a list');
    for (const m of v.mpa as unknown[]) {
      if (typeof m !== 'object' || m === null) f.fail('mpa', 'holds a non-object');
      const g: Fields = new Fields(m as Record<string, unknown>, 'settings mpa');
      const a: MpaAssociationRecord = { action: g.str('action'), mpaTeamArn: g.str('mpaTeamArn'), associationState: g.oneOf('associationState', ['ACTIVE', 'UPDATE_PENDING', 'DELETE_PENDING'] as const) };
      mpa.set(a.action, a);
    }
  }
  return { defaultReplicationRegions: regions, mpa };
}

/** Decoded settings into a state (MPA associations added by action). */
export function applySettings(s: RegionState, settings: RegionSettings): void {
  s.defaultReplicationRegions = settings.defaultReplicationRegions;
  for (const m of settings.mpa.values()) s.mpa.set(m.action, m);
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

/** The KeyAlgorithms an emulator CA can have (state/region-state.ts CaRecord.algorithm). */
export const CA_ALGORITHMS: readonly string[] = ['RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521'];

export function storedCa(c: CaRecord): CaRecord {
  return { algorithm: c.algorithm, certificate: c.certificate, sealedPrivateKey: c.sealedPrivateKey, createdAt: c.createdAt };
}

export function decodeCa(json: string | object): CaRecord {
  const v = parseObject(json, 'emulator CA');
  // stored before ECC CAs existed: the RSA-4096 CA
  const algorithm = v.algorithm === undefined ? 'RSA_4096' : text(v.algorithm, 'algorithm', 'emulator CA');
  if (!CA_ALGORITHMS.includes(algorithm)) throw new Error('stored emulator CA: "algorithm" has an unknown value');
  return {
    algorithm,
    certificate: text(v.certificate, 'certificate', 'emulator CA'),
    sealedPrivateKey: sealedBlob(v.sealedPrivateKey, 'emulator CA'),
    createdAt: time(v.createdAt, 'createdAt', 'emulator CA'),
  };
}

export function storedToken(t: TokenRecord): TokenRecord {
  return {
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
}

export function decodeToken(json: string | object): TokenRecord {
  const v = parseObject(json, 'token');
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
