import { randomUUID } from 'node:crypto';
import { keyReferences, resolveBefore } from '../core/audit-keys.js';
import { auditRecord, type AuditTransport, type CallFacts } from '../core/audit-log.js';
import { toAwsError, tooLargeError, unknownOperationError, type AwsError } from '../core/errors.js';
import type { ServiceDefinition } from '../core/service.js';
import { DEFAULT_REGION, type Emulator } from '../emulator.js';
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
 *
 * With an audit log (EmulatorOptions.auditLog) every request gets one line, whatever its outcome
 * (core/audit-log.ts); the facts are collected as the request is served.
 */

const ACCOUNT_RE = /^\d{12}$/;

async function callOptions(emulator: Emulator, req: WireRequest, requestId: string, options: WireOptions, facts: CallFacts | undefined) {
  const credentials = options.credentials ?? emulator.credentials;
  if (credentials !== undefined) {
    const verified = await verifySignature(req, credentials, emulator.services.clock());
    if (facts !== undefined) facts.accessKeyId = credentialScope(req.headers['authorization'])?.accessKeyId;
    return { ...verified, requestId };
  }
  const scope = credentialScope(req.headers['authorization']);
  const accountId = scope !== undefined && ACCOUNT_RE.test(scope.accessKeyId) ? scope.accessKeyId : undefined;
  return { region: scope?.region, accountId, requestId };
}

/** The control-plane operation an `X-Amz-Target` names (undefined: none of the model's). */
function controlOperation(service: ServiceDefinition, target: string): string | undefined {
  const prefix = `${service.model.service.targetPrefix ?? ''}.`;
  const op = target.startsWith(prefix) ? target.slice(prefix.length) : '';
  return Object.prototype.hasOwnProperty.call(service.model.operations, op) ? op : undefined;
}

/**
 * The service and operation a request is for, from its target header or route, without reading
 * its body (the HTTP transport's audit line of a request refused before the router).
 */
export function requestOperation(emulator: Emulator, method: string, path: string, target: string | undefined): { service: ServiceDefinition; operation: string } | undefined {
  if (target !== undefined && target !== '') {
    const operation = controlOperation(emulator.controlPlane, target);
    return operation === undefined ? undefined : { service: emulator.controlPlane, operation };
  }
  try {
    const match = matchRestJson(emulator.dataPlane, method, path);
    return match === undefined ? undefined : { service: emulator.dataPlane, operation: match.operation };
  } catch {
    return undefined;
  }
}

/** Write the audit line of a request answered with `err` before it reached the router (HTTP transport). */
export function auditRefused(emulator: Emulator, requestId: string, err: AwsError, at?: { method: string; path: string; target: string | undefined }): void {
  const audit = emulator.audit;
  if (audit === undefined) return;
  const op = at === undefined ? undefined : requestOperation(emulator, at.method, at.path, at.target);
  const facts: CallFacts = { time: emulator.services.clock(), requestId, transport: 'http', service: op?.service, operation: op?.operation, error: err.awsName, status: err.status };
  audit.write(auditRecord(emulator.services.states, facts));
}

/**
 * Serve one wire request. Never throws. `transport` names the caller in the audit log
 * (default `in-process`).
 */
export async function handleRequest(emulator: Emulator, req: WireRequest, options: WireOptions = {}, transport: AuditTransport = 'in-process'): Promise<WireResponse> {
  const requestId = randomUUID();
  const audit = emulator.audit;
  if (audit === undefined) return serve(emulator, req, options, requestId, undefined);
  const facts: CallFacts = { time: emulator.services.clock(), requestId, transport };
  const res = await serve(emulator, req, options, requestId, facts);
  facts.status = res.status;
  audit.write(auditRecord(emulator.services.states, facts));
  return res;
}

async function serve(emulator: Emulator, req: WireRequest, options: WireOptions, requestId: string, facts: CallFacts | undefined): Promise<WireResponse> {
  const target = req.headers['x-amz-target'];
  const path = req.path ?? '/';
  // the protocol decides the error shape: restJson1 once a data-plane route matched
  let restJson = false;
  /** the call, once the audit log may name its keys */
  const learn = (service: ServiceDefinition, operation: string | undefined, input: unknown): void => {
    if (facts === undefined || operation === undefined) return;
    facts.service = service;
    facts.operation = operation;
    if (input !== undefined) {
      facts.keys = keyReferences(service, operation, input);
      resolveBefore(facts.keys, emulator.services.states, facts.accountId, facts.region);
    }
  };
  try {
    const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const depth = options.maxJsonDepth ?? emulator.maxJsonDepth;
    if (facts !== undefined && target !== undefined && target !== '') learn(emulator.controlPlane, controlOperation(emulator.controlPlane, target), undefined);
    if (bodySize(req.body) > limit) throw tooLargeError(limit);
    const match = target === undefined || target === '' ? matchRestJson(emulator.dataPlane, req.method, path) : undefined;
    restJson = match !== undefined;
    if (match !== undefined) learn(emulator.dataPlane, match.operation, undefined);
    // before anything reads the request: a request that fails verification learns nothing else
    const call = await callOptions(emulator, req, requestId, options, facts);
    if (facts !== undefined) {
      facts.accountId = call.accountId ?? emulator.services.defaultAccountId;
      facts.region = call.region ?? DEFAULT_REGION;
      // a body that does not parse still names the key of a data-plane URI label
      if (match !== undefined) learn(emulator.dataPlane, match.operation, match.labels);
    }
    if (target === undefined || target === '') {
      if (match !== undefined) {
        const input = restJsonInput(req, match, depth);
        learn(emulator.dataPlane, match.operation, input);
        const output = await emulator.run(match.operation as never, input, call);
        if (facts !== undefined) facts.output = output;
        const http = (emulator.dataPlane.model.operations as Readonly<Record<string, { http?: { code: number } }>>)[match.operation]?.http;
        return restJsonResponse(output, requestId, http?.code ?? 200);
      }
      if (req.method !== 'POST') throw unknownOperationError(`Method ${req.method} is not supported; use POST with X-Amz-Target`);
      throw unknownOperationError('Missing X-Amz-Target header');
    }
    const parsed = parseAwsJson(emulator.controlPlane, req, target, depth);
    learn(emulator.controlPlane, parsed.operation, parsed.input);
    const output = await emulator.run(parsed.operation as never, parsed.input, call);
    if (facts !== undefined) facts.output = output;
    return awsJsonResponse(output, requestId);
  } catch (e) {
    const err = toAwsError(e);
    if (facts !== undefined) facts.error = err.awsName;
    return restJson ? restJsonError(err, requestId) : awsJsonError(err, requestId);
  }
}
