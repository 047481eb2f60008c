import type { Certificate, RsaPrivateKey } from '@paycrypt/tr34';
import type { RequestContext } from '../../core/context.js';
import { notFoundError, validationError } from '../../core/errors.js';
import { newKeyId } from '../../state/keys.js';
import type { RegionState } from '../../state/region-state.js';

/**
 * Import and export tokens (GetParametersForImport / GetParametersForExport), per account ×
 * region. A token names an RSA key pair of the emulator: the KRD wrapping key of an import
 * (its private key opens TR-34 tokens and key cryptograms sent to us) or the KDH signing key of
 * an export (its private key signs the TR-34 tokens we build).
 *
 * NOTE: tokens live in memory only (a WeakMap keyed by the RegionState, like the CA in
 * emulator-ca.ts): they do not survive a restart of the emulator, even with --data-dir; their
 * private keys are held in clear in process memory, not sealed under the LMK.
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
  /** epoch ms */
  readonly validUntil: number;
}

interface RegionTokens {
  readonly byId: Map<string, IssuedToken>;
  /** `${kind}/${keyMaterialType}/${algorithm}` → last generated token (ReuseLastGeneratedToken) */
  readonly last: Map<string, IssuedToken>;
}

/** Token validity: 30 days (API docs of ImportToken / ExportToken). */
export const TOKEN_VALIDITY_DAYS = 30;
/** ReuseLastGeneratedToken reuses a token only while at least 7 days remain (API docs). */
export const REUSE_MIN_REMAINING_MS = 7 * 86_400_000;

const tokens = new WeakMap<RegionState, RegionTokens>();

function regionTokens(state: RegionState): RegionTokens {
  let t = tokens.get(state);
  if (t === undefined) {
    t = { byId: new Map(), last: new Map() };
    tokens.set(state, t);
  }
  return t;
}

/** `import-token-` / `export-token-` and 16 lowercase alphanumerics (docs: `export-token-au7pvkbsq4mbup6i`). */
export function newTokenId(kind: TokenKind): string {
  return `${kind}-token-${newKeyId()}`;
}

function lastKey(kind: TokenKind, keyMaterialType: string, algorithm: string): string {
  return `${kind}/${keyMaterialType}/${algorithm}`;
}

/**
 * The last token generated for the same kind, KeyMaterialType and algorithm, when it still has
 * at least 7 days of validity. NOTE: AWS does not say whether "last generated" is per
 * KeyMaterialType and algorithm; reusing an RSA_2048 token for an RSA_4096 request would answer
 * the wrong algorithm, so the emulator matches both.
 */
export function reusableToken(ctx: RequestContext, kind: TokenKind, keyMaterialType: string, algorithm: string): IssuedToken | undefined {
  const t = regionTokens(ctx.state).last.get(lastKey(kind, keyMaterialType, algorithm));
  return t !== undefined && t.validUntil - ctx.now >= REUSE_MIN_REMAINING_MS ? t : undefined;
}

/** Record a new token (and forget expired ones, so the map does not grow without bound). */
export function rememberToken(ctx: RequestContext, t: IssuedToken): void {
  const r = regionTokens(ctx.state);
  for (const [id, old] of r.byId) if (old.validUntil <= ctx.now) r.byId.delete(id);
  r.byId.set(t.token, t);
  r.last.set(lastKey(t.kind, t.keyMaterialType, t.algorithm), t);
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
  const t = regionTokens(ctx.state).byId.get(token);
  if (t === undefined) throw notFoundError(token, `${field} ${token} not found`);
  if (ctx.now >= t.validUntil) throw validationError(`${field} ${token} has expired`);
  if (t.keyMaterialType !== keyMaterialType) {
    throw validationError(`${field} ${token} was generated for KeyMaterialType ${t.keyMaterialType}, not ${keyMaterialType}`);
  }
  return t;
}
