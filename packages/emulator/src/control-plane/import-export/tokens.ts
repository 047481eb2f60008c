import { createHash } from 'node:crypto';
import { Certificate, RsaPrivateKey } from '@paycrypt/tr34';
import type { RequestContext } from '../../core/context.js';
import { notFoundError, validationError } from '../../core/errors.js';
import { newKeyId } from '../../keys/key-access.js';
import { commit, type Change } from '../../state/commit.js';
import type { RegionState, TokenRecord } from '../../state/region-state.js';
import type { KeyVault, SealBinding } from '../../vault/key-vault.js';

/**
 * Import and export tokens (GetParametersForImport / GetParametersForExport), per account ×
 * region. A token names an RSA key pair of the emulator: the KRD wrapping key of an import
 * (its private key opens TR-34 tokens and key cryptograms sent to us) or the KDH signing key of
 * an export (its private key signs the TR-34 tokens we build).
 *
 * Each token is a `TokenRecord` in `RegionState.tokens`, persisted through commit() (disk before
 * memory, state/commit.ts) before the answer is sent (with --data-dir it survives a restart, like
 * a key; a token whose write failed is never in memory, so it cannot be used): its private key is sealed
 * under the LMK by the vault, bound to the token id, account, region, attributes, validity and
 * certificate. The live object (parsed certificate, RsaPrivateKey) is made on first use; a
 * token loaded from disk is unsealed only when its private key is first needed, then kept in
 * process memory (as a freshly generated one is). Expired tokens are pruned from memory and
 * disk when the next token is issued, in the same commit. Issuing holds the region's tokens lock
 * (`<account>/<region>/tokens`, state/keyed-lock.ts), so prunes and ReuseLastGeneratedToken
 * decisions of concurrent requests do not interleave.
 */
export type TokenKind = 'import' | 'export';

export interface IssuedToken {
  readonly token: string;
  readonly kind: TokenKind;
  /** KeyMaterialType it was issued for (TR34_KEY_BLOCK | KEY_CRYPTOGRAM) */
  readonly keyMaterialType: string;
  /** RSA_2048 | RSA_3072 | RSA_4096 */
  readonly algorithm: string;
  readonly privateKey: RsaPrivateKey;
  readonly certificate: Certificate;
  /** base64 of the PEM of `certificate` */
  readonly awsCertificate: string;
  /** base64 of the PEM of the CA certificate that issued `certificate` */
  readonly certificateChain: string;
  /** epoch ms */
  readonly validUntil: number;
}

/** Token validity: 30 days (API docs of ImportToken / ExportToken). */
export const TOKEN_VALIDITY_DAYS = 30;
/** ReuseLastGeneratedToken reuses a token only while at least 7 days remain (API docs). */
export const REUSE_MIN_REMAINING_MS = 7 * 86_400_000;

/** A stored token's live form; the private key is unsealed on first access. */
class LiveToken implements IssuedToken {
  readonly token: string;
  readonly kind: TokenKind;
  readonly keyMaterialType: string;
  readonly algorithm: string;
  readonly awsCertificate: string;
  readonly certificateChain: string;
  readonly validUntil: number;
  readonly #record: TokenRecord;
  readonly #vault: KeyVault;
  readonly #binding: SealBinding;
  #certificate: Certificate | undefined;
  #privateKey: RsaPrivateKey | undefined;

  constructor(record: TokenRecord, vault: KeyVault, binding: SealBinding, privateKey?: RsaPrivateKey, certificate?: Certificate) {
    this.token = record.token;
    this.kind = record.kind;
    this.keyMaterialType = record.keyMaterialType;
    this.algorithm = record.algorithm;
    this.awsCertificate = record.certificate;
    this.certificateChain = record.certificateChain;
    this.validUntil = record.validUntil;
    this.#record = record;
    this.#vault = vault;
    this.#binding = binding;
    this.#privateKey = privateKey;
    this.#certificate = certificate;
  }

  get certificate(): Certificate {
    this.#certificate ??= Certificate.parse(this.#record.certificate);
    return this.#certificate;
  }

  get privateKey(): RsaPrivateKey {
    if (this.#privateKey === undefined) {
      const der = this.#vault.unseal(this.#record.sealedPrivateKey, this.#binding);
      try {
        this.#privateKey = RsaPrivateKey.fromPkcs8(der);
      } finally {
        der.fill(0);
      }
    }
    return this.#privateKey;
  }
}

const live = new WeakMap<TokenRecord, IssuedToken>();
/** `${kind}/${keyMaterialType}/${algorithm}` → last generated token (ReuseLastGeneratedToken) */
const lastIndexes = new WeakMap<RegionState, Map<string, TokenRecord>>();

function lastKey(t: { kind: TokenKind; keyMaterialType: string; algorithm: string }): string {
  return `${t.kind}/${t.keyMaterialType}/${t.algorithm}`;
}

/** Built from the (issue-ordered) records on first use, so it covers tokens loaded from disk. */
function lastIndex(state: RegionState): Map<string, TokenRecord> {
  let m = lastIndexes.get(state);
  if (m === undefined) {
    m = new Map();
    for (const t of state.tokens.values()) m.set(lastKey(t), t);
    lastIndexes.set(state, m);
  }
  return m;
}

/** What the sealed private key of a token is bound to: a blob opens only in its own record. */
function tokenBinding(state: RegionState, t: Omit<TokenRecord, 'sealedPrivateKey'>): SealBinding {
  const certHash = createHash('sha256').update(t.certificate).digest('hex');
  return {
    keyUsage: `${t.kind.toUpperCase()}_TOKEN/${t.keyMaterialType}`,
    keyAlgorithm: t.algorithm,
    keyClass: 'ASYMMETRIC_KEY_PAIR',
    exportable: false,
    recordId: `${t.token}:${state.accountId}:${state.region}:${t.issuedAt}:${t.validUntil}:${certHash}`,
  };
}

function liveToken(ctx: RequestContext, rec: TokenRecord): IssuedToken {
  let t = live.get(rec);
  if (t === undefined) {
    t = new LiveToken(rec, ctx.services.vault, tokenBinding(ctx.state, rec));
    live.set(rec, t);
  }
  return t;
}

/** `import-token-` / `export-token-` and 16 lowercase alphanumerics (docs: `export-token-au7pvkbsq4mbup6i`). */
export function newTokenId(kind: TokenKind): string {
  return `${kind}-token-${newKeyId()}`;
}

/**
 * The last token generated for the same kind, KeyMaterialType and algorithm, when it still has
 * at least 7 days of validity. NOTE: AWS does not say whether "last generated" is per
 * KeyMaterialType and algorithm; reusing an RSA_2048 token for an RSA_4096 request would answer
 * the wrong algorithm, so the emulator matches both.
 */
export function reusableToken(ctx: RequestContext, kind: TokenKind, keyMaterialType: string, algorithm: string): IssuedToken | undefined {
  const t = lastIndex(ctx.state).get(lastKey({ kind, keyMaterialType, algorithm }));
  return t !== undefined && t.validUntil - ctx.now >= REUSE_MIN_REMAINING_MS ? liveToken(ctx, t) : undefined;
}

export interface NewToken {
  token: string;
  kind: TokenKind;
  keyMaterialType: string;
  algorithm: string;
  privateKey: RsaPrivateKey;
  certificate: Certificate;
  certificateChain: string;
  validUntil: number;
}

/** The lock of a region's tokens (names as in keys/key-access.ts lockName). */
function tokensLock(state: RegionState): string {
  return `${state.accountId}/${state.region}/tokens`;
}

/** Forget an expired token (memory after disk; undone by writing it back). */
function tokenRemoval(ctx: RequestContext, state: RegionState, old: TokenRecord): Change {
  const store = ctx.services.store;
  return {
    what: `expired token ${old.token}`,
    write: () => store.deleteToken(state, old.token),
    undo: () => store.saveToken(state, old),
    apply: () => {
      state.tokens.delete(old.token);
      const last = lastIndex(state);
      if (last.get(lastKey(old)) === old) last.delete(lastKey(old));
    },
  };
}

/** Store a new token, then make it known (and the last generated of its kind). */
function tokenAddition(ctx: RequestContext, state: RegionState, rec: TokenRecord, t: IssuedToken): Change {
  const store = ctx.services.store;
  return {
    what: `token ${rec.token}`,
    write: () => store.saveToken(state, rec),
    undo: () => store.deleteToken(state, rec.token),
    apply: () => {
      state.tokens.set(rec.token, rec);
      lastIndex(state).set(lastKey(rec), rec);
      live.set(rec, t);
    },
  };
}

/**
 * Record a newly generated token, holding the region's tokens lock: with `reuse`, a token that
 * became reusable meanwhile (a concurrent request's) is answered instead; else the expired tokens
 * are forgotten (memory and store, so neither grows without bound), the new token's private key
 * sealed under the LMK, and everything committed at once: stored, then made known. A failed write
 * answers 500 and changes nothing (state/commit.ts).
 */
export async function rememberToken(ctx: RequestContext, n: NewToken, reuse = false): Promise<IssuedToken> {
  const state = ctx.state;
  return ctx.services.locks.run([tokensLock(state)], async () => {
    if (reuse) {
      const meanwhile = reusableToken(ctx, n.kind, n.keyMaterialType, n.algorithm);
      if (meanwhile !== undefined) return meanwhile;
    }
    const fields: Omit<TokenRecord, 'sealedPrivateKey'> = {
      token: n.token,
      kind: n.kind,
      keyMaterialType: n.keyMaterialType,
      algorithm: n.algorithm,
      certificate: n.certificate.toAwsBase64(),
      certificateChain: n.certificateChain,
      issuedAt: ctx.now,
      validUntil: n.validUntil,
    };
    const binding = tokenBinding(state, fields);
    const pkcs8 = n.privateKey.exportPkcs8();
    let rec: TokenRecord;
    try {
      rec = { ...fields, sealedPrivateKey: ctx.services.vault.seal(pkcs8, binding) };
    } finally {
      pkcs8.fill(0);
    }
    const t = new LiveToken(rec, ctx.services.vault, binding, n.privateKey, n.certificate);
    const changes: Change[] = [tokenAddition(ctx, state, rec, t)];
    for (const old of state.tokens.values()) if (old.validUntil <= ctx.now) changes.push(tokenRemoval(ctx, state, old));
    await commit(ctx, changes);
    return t;
  });
}

/**
 * The token named in an ImportKey / ExportKey request, valid now and issued for this
 * KeyMaterialType.
 * NOTE: AWS does not document these errors. Unknown token → ResourceNotFoundException; expired
 * token or a token issued for the other KeyMaterialType → ValidationException.
 */
export function requireToken(ctx: RequestContext, kind: TokenKind, token: string | undefined, keyMaterialType: string): IssuedToken {
  const field = kind === 'import' ? 'ImportToken' : 'ExportToken';
  if (token === undefined || token === '') {
    // the newest model makes the TR-34 tokens optional for the BYOCA alternative (byoca.ts)
    throw validationError(kind === 'import' ? `${field} is required (or, for TR-34, WrappingKeyIdentifier and WrappingKeyCertificate)` : `${field} is required (or SigningKeyIdentifier and SigningKeyCertificate)`);
  }
  if (!token.startsWith(`${kind}-token-`)) throw validationError(`${field} ${token} is not an ${kind} token`);
  const t = ctx.state.tokens.get(token);
  if (t === undefined) throw notFoundError(token, `${field} ${token} not found`);
  if (ctx.now >= t.validUntil) throw validationError(`${field} ${token} has expired`);
  if (t.keyMaterialType !== keyMaterialType) {
    throw validationError(`${field} ${token} was generated for KeyMaterialType ${t.keyMaterialType}, not ${keyMaterialType}`);
  }
  return liveToken(ctx, t);
}
