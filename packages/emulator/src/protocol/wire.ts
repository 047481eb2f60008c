import { serializationError } from '../core/errors.js';

/**
 * What both protocols share: the request and response as the transports hand them over, the
 * SigV4 credential scope, JSON with epoch-second timestamps, and the body parser.
 */

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Deepest JSON nesting accepted (objects and arrays); the models nest far less (issue 11 item 6). */
export const DEFAULT_MAX_JSON_DEPTH = 64;
const SCOPE_RE = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/[^/,\s]+\/aws4_request/;

export interface WireRequest {
  method: string;
  /** the raw request target: path and query as sent, percent-encoding kept (default `/`) */
  path?: string;
  /** header names in lower case */
  headers: Readonly<Record<string, string | undefined>>;
  body: string | Uint8Array;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface WireOptions {
  maxBodyBytes?: number;
  /**
   * verify SigV4 signatures against these credentials (default: the emulator's,
   * EmulatorOptions.credentials; none: not verified). See protocol/sigv4.ts.
   */
  credentials?: import('./sigv4.js').Credentials;
  /** deepest nesting of a JSON body (default: the emulator's, DEFAULT_MAX_JSON_DEPTH) */
  maxJsonDepth?: number;
}

/** JSON with `Date` values written as epoch seconds (fractional milliseconds kept). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}

export function credentialScope(authorization: string | undefined): { accessKeyId: string; region: string } | undefined {
  if (authorization === undefined) return undefined;
  const m = SCOPE_RE.exec(authorization);
  return m === null ? undefined : { accessKeyId: m[1]!, region: m[2]! };
}

export function bodySize(body: string | Uint8Array): number {
  return typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
}

/**
 * The deepest nesting of `[` / `{` in a JSON text, counted outside strings, without parsing it
 * (so neither JSON.parse nor anything after it recurses on a hostile body); stops past `limit`.
 */
export function jsonTextDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** The request body as a JSON object; an empty body is `{}`. Nesting deeper than `maxDepth` → SerializationException. */
export function parseJsonObject(body: string | Uint8Array, maxDepth = DEFAULT_MAX_JSON_DEPTH): Record<string, unknown> {
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (text.trim() === '') return {};
  if (jsonTextDepth(text, maxDepth) > maxDepth) throw serializationError(`The request body is nested deeper than ${maxDepth} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw serializationError('The request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw serializationError('The request body must be a JSON object');
  return value as Record<string, unknown>;
}
