import { randomUUID } from 'node:crypto';
import { serializationError, toAwsError, tooLargeError, unknownOperationError, wireError } from '../core/errors.js';
import type { Emulator } from '../emulator.js';
import { SERVICE } from '../model/generated.js';

/**
 * The awsJson1_0 wire protocol of the control plane, shared by both transports:
 * `POST /` (any path), `X-Amz-Target: PaymentCryptographyControlPlane.<Op>`, a JSON body;
 * answers 200 with a JSON body, timestamps as epoch seconds; errors with the AWS name in both the
 * `x-amzn-errortype` header and `__type` of the body; `x-amzn-RequestId` on every answer.
 *
 * The region is read from the SigV4 credential scope of the Authorization header
 * (`Credential=<akid>/<date>/<region>/payment-cryptography/aws4_request`).
 * NOTE: signatures are not verified. NOTE: an access key id of exactly 12 digits selects that
 * account id (as LocalStack does); any other access key uses the configured account.
 */

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const TARGET_PREFIX = `${SERVICE.targetPrefix}.`;
const CONTENT_TYPE = 'application/x-amz-json-1.0';
const SCOPE_RE = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/[^/,\s]+\/aws4_request/;
const ACCOUNT_RE = /^\d{12}$/;

export interface WireRequest {
  method: string;
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

function errorResponse(e: unknown, requestId: string): WireResponse {
  const w = wireError(toAwsError(e));
  return {
    status: w.status,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId, 'x-amzn-errortype': w.name },
    body: JSON.stringify(w.body),
  };
}

function parseBody(body: string | Uint8Array): unknown {
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw serializationError('The request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw serializationError('The request body must be a JSON object');
  return value;
}

/** Serve one wire request. Never throws. */
export async function handleWire(emulator: Emulator, req: WireRequest, options: WireOptions = {}): Promise<WireResponse> {
  const requestId = randomUUID();
  try {
    const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const size = typeof req.body === 'string' ? Buffer.byteLength(req.body) : req.body.byteLength;
    if (size > limit) throw tooLargeError(limit);
    if (req.method !== 'POST') throw unknownOperationError(`Method ${req.method} is not supported; use POST with X-Amz-Target`);
    const target = req.headers['x-amz-target'];
    if (target === undefined || target === '') throw unknownOperationError('Missing X-Amz-Target header');
    const op = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    if (!emulator.isOperation(op)) throw unknownOperationError(`Unknown operation ${target}`);
    const input = parseBody(req.body);
    const scope = credentialScope(req.headers['authorization']);
    const accountId = scope !== undefined && ACCOUNT_RE.test(scope.accessKeyId) ? scope.accessKeyId : undefined;
    const output = await emulator.call(op, input, { region: scope?.region, accountId, requestId });
    return {
      status: 200,
      headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId },
      body: toJson(output ?? {}),
    };
  } catch (e) {
    return errorResponse(e, requestId);
  }
}
