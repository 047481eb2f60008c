import { MODEL as CONTROL_PLANE_MODEL } from '../model/control-plane.generated.js';
import { MODEL as DATA_PLANE_MODEL } from '../model/data-plane.generated.js';
import type { ValidationIssue } from '../model/validator.js';

/**
 * ALL mapping between emulator failures and AWS errors lives in this file: the error names,
 * HTTP status codes, body members, and the conversion of anything thrown into a wire error.
 *
 * Status codes follow the Smithy `httpError` traits of the service model (403/404/409/402/429/
 * 500/503; 400 for ValidationException and errors without a trait). The AWS API reference pages
 * print 400 for every client error; the SDKs dispatch on the error name, so either numbering
 * works. Bodies are written per protocol (wireError): awsJson1_0 (control plane) carries `__type`
 * and both `message` and `Message`; restJson1 (data plane) carries the members of the data-plane
 * error shapes — `ValidationException {message, fieldList}`, `VerificationFailedException
 * {Reason, Message}`, `ResourceNotFoundException {ResourceId}` (+ `Message`), the others
 * `{Message}`. The `x-amzn-errortype` header (read first by the SDKs) is set by the protocol layer.
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
  | 'VerificationFailedException'
  // protocol level (not in the model; usual AWS JSON-protocol names)
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'RequestEntityTooLargeException'
  | 'InvalidSignatureException'
  // SigV4 verification (protocol/sigv4.ts; 403)
  | 'MissingAuthenticationTokenException'
  | 'IncompleteSignatureException'
  | 'UnrecognizedClientException'
  // emulator only: an operation registered but not implemented yet
  | 'NotImplementedException';

const PROTOCOL_STATUS: Record<string, number> = {
  SerializationException: 400,
  UnknownOperationException: 400,
  RequestEntityTooLargeException: 413,
  InvalidSignatureException: 400,
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 403,
  UnrecognizedClientException: 403,
  // NOTE: not an AWS error. 501 is outside the SDK's transient set (500/502/503/504), so the SDK
  // does not retry it.
  NotImplementedException: 501,
};

const MODEL_STATUS: Readonly<Record<string, number>> = { ...DATA_PLANE_MODEL.errorStatus, ...CONTROL_PLANE_MODEL.errorStatus };

export function statusOf(name: AwsErrorName): number {
  return MODEL_STATUS[name] ?? PROTOCOL_STATUS[name] ?? 400;
}

/** `VerificationFailedReason` of the data-plane model. */
export type VerificationFailedReason = 'INVALID_MAC' | 'INVALID_PIN' | 'INVALID_VALIDATION_DATA' | 'INVALID_AUTH_REQUEST_CRYPTOGRAM';

/** One entry of a data-plane ValidationException's `fieldList`. */
export interface ValidationField {
  path: string;
  message: string;
}

/** An AWS error answered on the wire. Messages must never contain key material. */
export class AwsError extends Error {
  readonly awsName: AwsErrorName;
  readonly status: number;
  /** Extra body members, e.g. `ResourceId` for ResourceNotFoundException, `Reason` for VerificationFailedException. */
  readonly members: Readonly<Record<string, string>>;
  /** ValidationException: the member-level issues (the data plane's `fieldList`) */
  readonly fieldList: readonly ValidationField[] | undefined;

  /** `status`: only where one name answers different codes (InvalidSignatureException: 400 for a bad scope region, 403 from verification) */
  constructor(name: AwsErrorName, message: string, members: Record<string, string> = {}, fieldList?: readonly ValidationField[], status?: number) {
    super(message);
    this.name = name;
    this.awsName = name;
    this.status = status ?? statusOf(name);
    this.members = members;
    this.fieldList = fieldList;
  }
}

export function isAwsError(e: unknown): e is AwsError {
  return e instanceof AwsError;
}

// ---- factories used by handlers -------------------------------------------------------------

export function validationError(message: string, fieldList?: readonly ValidationField[]): AwsError {
  return new AwsError('ValidationException', message, {}, fieldList);
}

/** The input failed the model's constraints (one message, and one field per issue). */
export function modelValidationError(message: string, issues: readonly ValidationIssue[]): AwsError {
  return validationError(message, issues.map((i) => ({ path: i.path, message: i.message })));
}

/**
 * A data-plane verification that did not match (MAC, PIN, card validation data, ARQC). The
 * message is fixed per reason: it never depends on the secret values compared.
 */
const VERIFICATION_MESSAGES: Readonly<Record<VerificationFailedReason, string>> = {
  INVALID_MAC: 'MAC verification failed.', // NOTE: AWS's text for this reason is not published
  INVALID_PIN: 'Pin block verification failed.',
  INVALID_VALIDATION_DATA: 'Card validation data verification failed.',
  INVALID_AUTH_REQUEST_CRYPTOGRAM: 'Auth request cryptogram verification failed.',
};

export function verificationFailedError(reason: VerificationFailedReason): AwsError {
  return new AwsError('VerificationFailedException', VERIFICATION_MESSAGES[reason], { Reason: reason });
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

/** A request refused by SigV4 verification (protocol/sigv4.ts): 403 with AWS's name. */
export function authenticationError(name: 'InvalidSignatureException' | 'MissingAuthenticationTokenException' | 'IncompleteSignatureException' | 'UnrecognizedClientException', message: string): AwsError {
  return new AwsError(name, message, {}, undefined, 403);
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

export type ErrorProtocol = 'awsJson1_0' | 'restJson1';

/** The JSON body of an error response, in the protocol's shape. */
export function wireError(e: AwsError, protocol: ErrorProtocol = 'awsJson1_0'): WireError {
  if (protocol === 'awsJson1_0') {
    return { status: e.status, name: e.awsName, body: { __type: e.awsName, message: e.message, Message: e.message, ...e.members } };
  }
  // restJson1: the data-plane shapes; ValidationException has a lower-case message and fieldList
  const body: Record<string, unknown> =
    e.awsName === 'ValidationException'
      ? { message: e.message, ...(e.fieldList !== undefined && e.fieldList.length > 0 ? { fieldList: e.fieldList } : {}) }
      : { Message: e.message, ...e.members };
  return { status: e.status, name: e.awsName, body };
}
