import { ERROR_STATUS } from '../model/generated.js';

/**
 * ALL mapping between emulator failures and AWS errors lives in this file: the error names,
 * HTTP status codes, body members, and the conversion of anything thrown into a wire error.
 *
 * Status codes follow the Smithy `httpError` traits of the service model (403/404/409/402/429/
 * 500/503; 400 for ValidationException and errors without a trait). The AWS API reference pages
 * print 400 for every client error; the SDKs dispatch on the error name, so either numbering
 * works. The body carries `__type` (read by botocore) and both `message` and `Message`; the
 * `x-amzn-errortype` header (read first by the JS SDK) is set by the transport.
 */

/** Error names this emulator can answer with. Model errors + protocol-level ones. */
export type AwsErrorName =
  | 'ValidationException'
  | 'AccessDeniedException'
  | 'ResourceNotFoundException'
  | 'ConflictException'
  | 'ServiceQuotaExceededException'
  | 'ThrottlingException'
  | 'InternalServerException'
  | 'ServiceUnavailableException'
  | 'PublicPolicyException'
  // protocol level (not in the model; usual AWS JSON-protocol names)
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'RequestEntityTooLargeException'
  | 'InvalidSignatureException'
  // emulator only: an operation registered but not implemented yet
  | 'NotImplementedException';

const PROTOCOL_STATUS: Record<string, number> = {
  SerializationException: 400,
  UnknownOperationException: 400,
  RequestEntityTooLargeException: 413,
  InvalidSignatureException: 400,
  // NOTE: not an AWS error. 501 is outside the SDK's transient set (500/502/503/504), so the SDK
  // does not retry it.
  NotImplementedException: 501,
};

export function statusOf(name: AwsErrorName): number {
  return ERROR_STATUS[name] ?? PROTOCOL_STATUS[name] ?? 400;
}

/** An AWS error answered on the wire. Messages must never contain key material. */
export class AwsError extends Error {
  readonly awsName: AwsErrorName;
  readonly status: number;
  /** Extra body members, e.g. `ResourceId` for ResourceNotFoundException. */
  readonly members: Readonly<Record<string, string>>;

  constructor(name: AwsErrorName, message: string, members: Record<string, string> = {}) {
    super(message);
    this.name = name;
    this.awsName = name;
    this.status = statusOf(name);
    this.members = members;
  }
}

export function isAwsError(e: unknown): e is AwsError {
  return e instanceof AwsError;
}

// ---- factories used by handlers -------------------------------------------------------------

export function validationError(message: string): AwsError {
  return new AwsError('ValidationException', message);
}

export function notFoundError(resourceId: string, message?: string): AwsError {
  return new AwsError('ResourceNotFoundException', message ?? `Resource ${resourceId} not found`, { ResourceId: resourceId });
}

export function conflictError(message: string): AwsError {
  return new AwsError('ConflictException', message);
}

export function quotaError(message: string): AwsError {
  return new AwsError('ServiceQuotaExceededException', message);
}

export function accessDeniedError(message: string): AwsError {
  return new AwsError('AccessDeniedException', message);
}

export function publicPolicyError(message: string): AwsError {
  return new AwsError('PublicPolicyException', message);
}

export function notImplementedError(operation: string): AwsError {
  return new AwsError('NotImplementedException', `${operation} is not implemented by this emulator yet`);
}

export function serializationError(message: string): AwsError {
  return new AwsError('SerializationException', message);
}

export function unknownOperationError(message: string): AwsError {
  return new AwsError('UnknownOperationException', message);
}

/**
 * A request whose SigV4 credential scope names no valid region, or a call for an account id that
 * is not 12 digits. NOTE: AWS answers a bad scope region with InvalidSignatureException (400);
 * the emulator verifies no signature, it only refuses identifiers that would not make valid ARNs
 * (and, with --data-dir, would make paths such as `..`).
 */
export function invalidScopeError(message: string): AwsError {
  return new AwsError('InvalidSignatureException', message);
}

export function tooLargeError(limit: number): AwsError {
  return new AwsError('RequestEntityTooLargeException', `Request body exceeds ${limit} bytes`);
}

// ---- conversion of anything thrown -----------------------------------------------------------

/** Error classes of the engine packages (matched by name: no import cycle, no hard dependency). */
const ENGINE_ERRORS = new Set(['PrimitivesError', 'KeyBlockError', 'Tr34Error']);

/**
 * Turn anything a handler threw into an AwsError.
 * - AwsError: as is.
 * - Engine errors (bad key block, bad hex …): ValidationException with their message (engine
 *   messages never carry key material by the project's rules).
 * - Anything else is a bug: InternalServerException with a fixed message (the detail is not
 *   sent: it might echo input).
 */
export function toAwsError(e: unknown): AwsError {
  if (e instanceof AwsError) return e;
  if (e instanceof Error && ENGINE_ERRORS.has(e.name)) return validationError(e.message);
  return new AwsError('InternalServerException', 'The emulator failed to process the request');
}

export interface WireError {
  status: number;
  name: AwsErrorName;
  body: Record<string, unknown>;
}

/** The JSON body of an error response. */
export function wireError(e: AwsError): WireError {
  return {
    status: e.status,
    name: e.awsName,
    body: { __type: e.awsName, message: e.message, Message: e.message, ...e.members },
  };
}
