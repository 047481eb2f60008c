import { randomUUID } from 'node:crypto';
import { toAwsError, tooLargeError, unknownOperationError } from '../core/errors.js';
import type { Emulator } from '../emulator.js';
import { awsJsonError, awsJsonResponse, parseAwsJson } from './aws-json-1-0.js';
import { matchRestJson, restJsonError, restJsonInput, restJsonResponse } from './rest-json-1.js';
import { verifySignature } from './sigv4.js';
import { bodySize, credentialScope, DEFAULT_MAX_BODY_BYTES, type WireOptions, type WireRequest, type WireResponse } from './wire.js';

/**
 * The one router both transports call. A request with `X-Amz-Target` is the control plane's
 * (awsJson1_0); otherwise its method and path are matched against the data plane's restJson1
 * routes; anything else is an UnknownOperationException. `x-amzn-RequestId` on every answer.
 *
 * The region is read from the SigV4 credential scope of the Authorization header
 * (`Credential=<akid>/<date>/<region>/payment-cryptography/aws4_request`), for both planes.
 * Without credentials (EmulatorOptions.credentials / WireOptions.credentials) signatures are not
 * verified, and NOTE: an access key id of exactly 12 digits selects that account id (as LocalStack
 * does); any other access key uses the configured account. With credentials every request of both
 * planes is verified first (protocol/sigv4.ts) and the account is the credential's.
 */

const ACCOUNT_RE = /^\d{12}$/;

async function callOptions(emulator: Emulator, req: WireRequest, requestId: string, options: WireOptions) {
  const credentials = options.credentials ?? emulator.credentials;
  if (credentials !== undefined) return { ...(await verifySignature(req, credentials, emulator.services.clock())), requestId };
  const scope = credentialScope(req.headers['authorization']);
  const accountId = scope !== undefined && ACCOUNT_RE.test(scope.accessKeyId) ? scope.accessKeyId : undefined;
  return { region: scope?.region, accountId, requestId };
}

/** Serve one wire request. Never throws. */
export async function handleRequest(emulator: Emulator, req: WireRequest, options: WireOptions = {}): Promise<WireResponse> {
  const requestId = randomUUID();
  const target = req.headers['x-amz-target'];
  const path = req.path ?? '/';
  // the protocol decides the error shape: restJson1 once a data-plane route matched
  let restJson = false;
  try {
    const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const depth = options.maxJsonDepth ?? emulator.maxJsonDepth;
    if (bodySize(req.body) > limit) throw tooLargeError(limit);
    const match = target === undefined || target === '' ? matchRestJson(emulator.dataPlane, req.method, path) : undefined;
    restJson = match !== undefined;
    // before anything reads the request: a request that fails verification learns nothing else
    const call = await callOptions(emulator, req, requestId, options);
    if (target === undefined || target === '') {
      if (match !== undefined) {
        const input = restJsonInput(req, match, depth);
        const output = await emulator.call(match.operation as never, input, call);
        const http = (emulator.dataPlane.model.operations as Readonly<Record<string, { http?: { code: number } }>>)[match.operation]?.http;
        return restJsonResponse(output, requestId, http?.code ?? 200);
      }
      if (req.method !== 'POST') throw unknownOperationError(`Method ${req.method} is not supported; use POST with X-Amz-Target`);
      throw unknownOperationError('Missing X-Amz-Target header');
    }
    const parsed = parseAwsJson(emulator.controlPlane, req, target, depth);
    const output = await emulator.call(parsed.operation as never, parsed.input, call);
    return awsJsonResponse(output, requestId);
  } catch (e) {
    const err = toAwsError(e);
    return restJson ? restJsonError(err, requestId) : awsJsonError(err, requestId);
  }
}
