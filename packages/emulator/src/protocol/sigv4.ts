import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { authenticationError } from '../core/errors.js';
import type { WireRequest } from './wire.js';

/**
 * Optional SigV4 verification (issue 11, "Access"): with configured credentials every request of
 * both planes must carry an `Authorization: AWS4-HMAC-SHA256 …` header whose signature the AWS
 * SDK's own signer (`@smithy/signature-v4`) recomputes from the request as received — method, raw
 * path, query, the signed headers only, the SHA-256 of the body — with the secret of the access
 * key id; `x-amz-date` must be within 5 minutes of the emulator's clock. The caller's account is
 * the credential's, never the access key id's digits.
 *
 * Errors (403, the names AWS's JSON services use; NOTE: AWS answers some of these with 400):
 * - no Authorization header → MissingAuthenticationTokenException ("Missing Authentication Token")
 * - an Authorization header that is not SigV4 or lacks a part, no x-amz-date → IncompleteSignatureException
 * - an access key id not configured → UnrecognizedClientException
 * - a wrong signature, a scope of another service or date, a body unlike x-amz-content-sha256,
 *   a skewed clock ("Signature expired") → InvalidSignatureException
 * Messages never contain the secret, the expected signature or the canonical request.
 * NOTE: presigned (query-string) requests and session tokens are not verified: a presigned
 * request without an Authorization header is MissingAuthenticationTokenException.
 */

export interface Credential {
  readonly secretAccessKey: string;
  readonly accountId: string;
}

/** access key id → secret and account */
export type Credentials = ReadonlyMap<string, Credential>;

export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
const ACCOUNT_RE = /^\d{12}$/;
const AKID_RE = /^[A-Za-z0-9+/=_.-]{1,128}$/;
const AMZ_DATE_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const AUTH_RE = /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request\s*,\s*SignedHeaders=([a-z0-9;_.-]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/;
export const SIGNING_SERVICE = 'payment-cryptography';

const authError = authenticationError;

function add(out: Map<string, Credential>, where: string, accessKeyId: unknown, secretAccessKey: unknown, accountId: unknown): void {
  if (typeof accessKeyId !== 'string' || !AKID_RE.test(accessKeyId)) throw new Error(`credentials ${where}: expected an access key id`);
  if (typeof secretAccessKey !== 'string' || secretAccessKey === '') throw new Error(`credentials ${where}: expected a secret access key`);
  if (typeof accountId !== 'string' || !ACCOUNT_RE.test(accountId)) throw new Error(`credentials ${where}: expected a 12-digit account id`);
  if (out.has(accessKeyId)) throw new Error(`credentials ${where}: access key id ${accessKeyId} given twice`);
  out.set(accessKeyId, { secretAccessKey, accountId });
}

/**
 * Credentials from a file's text: JSON — `{"AKID": {"secretAccessKey": "…", "accountId": "…"}}`
 * or `[{"accessKeyId": "…", "secretAccessKey": "…", "accountId": "…"}]` — or lines
 * `ACCESS_KEY_ID SECRET ACCOUNT_ID` (blank lines and `#` comments ignored). Error messages name
 * the entry, never a secret.
 */
export function parseCredentials(text: string): Credentials {
  const out = new Map<string, Credential>();
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      throw new Error('credentials: not valid JSON');
    }
    if (Array.isArray(value)) {
      value.forEach((e: unknown, i) => {
        const o = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
        add(out, `entry ${i}`, o['accessKeyId'], o['secretAccessKey'], o['accountId']);
      });
    } else {
      for (const [akid, e] of Object.entries(value as Record<string, unknown>)) {
        const o = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
        add(out, `entry ${JSON.stringify(akid.slice(0, 128))}`, akid, o['secretAccessKey'], o['accountId']);
      }
    }
  } else {
    text.split(/\r?\n/).forEach((line, i) => {
      const l = line.trim();
      if (l === '' || l.startsWith('#')) return;
      const parts = l.split(/\s+/);
      if (parts.length !== 3) throw new Error(`credentials line ${i + 1}: expected ACCESS_KEY_ID SECRET ACCOUNT_ID`);
      add(out, `line ${i + 1}`, parts[0], parts[1], parts[2]);
    });
  }
  if (out.size === 0) throw new Error('credentials: no entries');
  return out;
}

export async function loadCredentialsFile(path: string): Promise<Credentials> {
  return parseCredentials(await readFile(path, 'utf8'));
}

/** `Credentials` from a map, a record or entries (EmulatorOptions.credentials). */
export function toCredentials(c: Credentials | Record<string, Credential>): Credentials {
  if (c instanceof Map) return c;
  const out = new Map<string, Credential>();
  for (const [akid, e] of Object.entries(c as Record<string, Credential>)) add(out, `entry ${JSON.stringify(akid.slice(0, 128))}`, akid, e.secretAccessKey, e.accountId);
  return out;
}

function amzDate(value: string): Date | undefined {
  const m = AMZ_DATE_RE.exec(value);
  if (m === null) return undefined;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function splitTarget(target: string): { path: string; query: Record<string, string | string[]> } {
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const query: Record<string, string | string[]> = {};
  if (q >= 0) {
    for (const pair of target.slice(q + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const dec = (s: string): string => {
        try {
          return decodeURIComponent(s.replace(/\+/g, '%20'));
        } catch {
          throw authError('InvalidSignatureException', 'The request query string is not valid percent-encoding');
        }
      };
      const k = dec(eq < 0 ? pair : pair.slice(0, eq));
      const v = dec(eq < 0 ? '' : pair.slice(eq + 1));
      const prev = query[k];
      query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
  }
  return { path: path === '' ? '/' : path, query };
}

function isoBasic(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * Verify the SigV4 signature of `req`; answers the caller's account and the scope's region, or
 * throws AwsError (403). `now`: epoch milliseconds.
 */
export async function verifySignature(req: WireRequest, credentials: Credentials, now: number): Promise<{ accountId: string; region: string }> {
  const authorization = req.headers['authorization'];
  if (authorization === undefined || authorization.trim() === '') throw authError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const m = AUTH_RE.exec(authorization.trim());
  if (m === null) {
    throw authError(
      'IncompleteSignatureException',
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters of algorithm AWS4-HMAC-SHA256.",
    );
  }
  const [, accessKeyId, scopeDate, region, service, signedHeaderList, signature] = m as unknown as [string, string, string, string, string, string, string];
  const credential = credentials.get(accessKeyId);
  if (credential === undefined) throw authError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  if (service !== SIGNING_SERVICE) throw authError('InvalidSignatureException', `Credential should be scoped to correct service: '${SIGNING_SERVICE}'.`);
  const dateHeader = req.headers['x-amz-date'];
  const signingDate = dateHeader === undefined ? undefined : amzDate(dateHeader.trim());
  if (signingDate === undefined) throw authError('IncompleteSignatureException', 'Authorization header requires existence of either a \'X-Amz-Date\' or a \'Date\' header.');
  if (isoBasic(signingDate).slice(0, 8) !== scopeDate) throw authError('InvalidSignatureException', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${isoBasic(signingDate).slice(0, 8)}'.`);
  if (Math.abs(now - signingDate.getTime()) > MAX_CLOCK_SKEW_MS) {
    const nowBasic = isoBasic(new Date(now));
    const earlier = signingDate.getTime() < now;
    throw authError(
      'InvalidSignatureException',
      earlier
        ? `Signature expired: ${isoBasic(signingDate)} is now earlier than ${isoBasic(new Date(now - MAX_CLOCK_SKEW_MS))} (${nowBasic} - 5 min.)`
        : `Signature not yet current: ${isoBasic(signingDate)} is still later than ${isoBasic(new Date(now + MAX_CLOCK_SKEW_MS))} (${nowBasic} + 5 min.)`,
    );
  }
  const signed = signedHeaderList.split(';');
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const v = req.headers[name];
    if (v !== undefined) headers[name] = v;
  }
  const body = typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
  const declared = req.headers['x-amz-content-sha256'];
  if (declared !== undefined && declared.trim().toLowerCase() !== createHash('sha256').update(body).digest('hex')) {
    throw authError('InvalidSignatureException', 'The provided x-amz-content-sha256 header does not match what was computed.');
  }
  const { path, query } = splitTarget(req.path ?? '/');
  const hostHeader = req.headers['host'] ?? '';
  const signer = new SignatureV4({
    service,
    region,
    credentials: { accessKeyId, secretAccessKey: credential.secretAccessKey },
    sha256: Sha256,
    applyChecksum: false,
  });
  const signedRequest = await signer.sign(
    { method: req.method, protocol: 'http:', hostname: hostHeader.replace(/:\d+$/, ''), path, query, headers, body },
    { signingDate, signableHeaders: new Set(signed), signingRegion: region, signingService: service },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signedRequest.headers['authorization'] ?? ''))?.[1] ?? '';
  const expectedList = /SignedHeaders=([^,\s]+)/.exec(String(signedRequest.headers['authorization'] ?? ''))?.[1];
  const ok = expected.length === 64 && timingSafeEqual(Buffer.from(expected), Buffer.from(signature)) && expectedList === signedHeaderList;
  if (!ok) {
    throw authError(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return { accountId: credential.accountId, region };
}
