import { unknownOperationError, wireError, type AwsError } from '../core/errors.js';
import type { ServiceDefinition } from '../core/service.js';
import { parseJsonObject, toJson, type WireRequest, type WireResponse } from './wire.js';

/**
 * awsJson1_0 (the control plane): `POST /` (any path), `X-Amz-Target: <targetPrefix>.<Op>`, a
 * JSON body; answers 200 with a JSON body, timestamps as epoch seconds; errors with the AWS name
 * in both the `x-amzn-errortype` header and `__type` of the body.
 */
export const AWS_JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

export interface ParsedCall {
  operation: string;
  input: Record<string, unknown>;
}

/** The operation and input of an awsJson1_0 request of `service`; throws AwsError. */
export function parseAwsJson(service: ServiceDefinition, req: WireRequest, target: string, maxJsonDepth?: number): ParsedCall {
  if (req.method !== 'POST') throw unknownOperationError(`Method ${req.method} is not supported; use POST with X-Amz-Target`);
  const prefix = `${service.model.service.targetPrefix ?? ''}.`;
  const op = target.startsWith(prefix) ? target.slice(prefix.length) : '';
  if (!Object.prototype.hasOwnProperty.call(service.model.operations, op)) throw unknownOperationError(`Unknown operation ${target}`);
  return { operation: op, input: parseJsonObject(req.body, maxJsonDepth) };
}

export function awsJsonResponse(output: unknown, requestId: string): WireResponse {
  return { status: 200, headers: { 'content-type': AWS_JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId }, body: toJson(output ?? {}) };
}

export function awsJsonError(e: AwsError, requestId: string): WireResponse {
  const w = wireError(e, 'awsJson1_0');
  return {
    status: w.status,
    headers: { 'content-type': AWS_JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId, 'x-amzn-errortype': w.name },
    body: JSON.stringify(w.body),
  };
}
