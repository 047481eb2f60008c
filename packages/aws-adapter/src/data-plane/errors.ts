import { ServiceException } from '@smithy/smithy-client';
import type { ResponseMetadata } from './operations.js';

/**
 * The data plane's errors as classes named like the service's exceptions, on the SDK's
 * `ServiceException` (so `$fault`, `$metadata` and `ServiceException.isInstance` work as with
 * any AWS SDK client). Members follow the data-plane error shapes of the model:
 * ValidationException {message, fieldList}, VerificationFailedException {Reason, Message},
 * ResourceNotFoundException {ResourceId}, the others {Message}.
 */

export interface ValidationExceptionField {
  path: string;
  message: string;
}

interface ErrorInit {
  message: string;
  $metadata: ResponseMetadata;
  members: Record<string, unknown>;
}

export class PaymentCryptographyDataServiceException extends ServiceException {
  constructor(name: string, fault: 'client' | 'server', init: ErrorInit) {
    super({ name, $fault: fault, $metadata: init.$metadata, message: init.message });
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

export class ValidationException extends PaymentCryptographyDataServiceException {
  readonly fieldList: ValidationExceptionField[] | undefined;
  constructor(init: ErrorInit) {
    super('ValidationException', 'client', init);
    const list = init.members['fieldList'];
    this.fieldList = Array.isArray(list) ? (list as ValidationExceptionField[]) : undefined;
  }
}

export class VerificationFailedException extends PaymentCryptographyDataServiceException {
  readonly Reason: string | undefined;
  readonly Message: string;
  constructor(init: ErrorInit) {
    super('VerificationFailedException', 'client', init);
    const reason = init.members['Reason'];
    this.Reason = typeof reason === 'string' ? reason : undefined;
    this.Message = init.message;
  }
}

export class ResourceNotFoundException extends PaymentCryptographyDataServiceException {
  readonly ResourceId: string | undefined;
  constructor(init: ErrorInit) {
    super('ResourceNotFoundException', 'client', init);
    const id = init.members['ResourceId'];
    this.ResourceId = typeof id === 'string' ? id : undefined;
  }
}

export class AccessDeniedException extends PaymentCryptographyDataServiceException {
  readonly Message: string;
  constructor(init: ErrorInit) {
    super('AccessDeniedException', 'client', init);
    this.Message = init.message;
  }
}

export class ThrottlingException extends PaymentCryptographyDataServiceException {
  readonly Message: string;
  constructor(init: ErrorInit) {
    super('ThrottlingException', 'client', init);
    this.Message = init.message;
    this.$retryable = { throttling: true };
  }
}

export class InternalServerException extends PaymentCryptographyDataServiceException {
  readonly Message: string;
  constructor(init: ErrorInit) {
    super('InternalServerException', 'server', init);
    this.Message = init.message;
  }
}

/** One table: modelled error name → class. */
const ERROR_CLASSES: Readonly<Record<string, new (init: ErrorInit) => PaymentCryptographyDataServiceException>> = {
  ValidationException,
  VerificationFailedException,
  ResourceNotFoundException,
  AccessDeniedException,
  ThrottlingException,
  InternalServerException,
};

/** The error name of a restJson1 answer: `x-amzn-errortype` first, then the body's `__type`/`code` (namespace and `:…` suffix removed). */
export function errorName(headers: Readonly<Record<string, string>>, body: Record<string, unknown>): string | undefined {
  const raw = headers['x-amzn-errortype'] ?? (typeof body['__type'] === 'string' ? body['__type'] : typeof body['code'] === 'string' ? body['code'] : undefined);
  if (raw === undefined || raw === '') return undefined;
  let name = raw.split(':')[0]!;
  const hash = name.lastIndexOf('#');
  if (hash >= 0) name = name.slice(hash + 1);
  return name.trim();
}

/** The exception for an error answer; unmodelled names (SerializationException, …) keep their name on the base class. */
export function toServiceException(status: number, headers: Readonly<Record<string, string>>, bodyText: string, $metadata: ResponseMetadata): PaymentCryptographyDataServiceException {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = bodyText === '' ? {} : JSON.parse(bodyText);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    // a non-JSON error body (a proxy's HTML page): the status decides
  }
  const name = errorName(headers, body) ?? (status >= 500 ? 'UnknownServerError' : 'UnknownError');
  const m = body['message'] ?? body['Message'];
  const message = typeof m === 'string' ? m : `${name} (HTTP ${status})`;
  const init: ErrorInit = { message, $metadata, members: body };
  const cls = ERROR_CLASSES[name];
  if (cls !== undefined) return new cls(init);
  return new PaymentCryptographyDataServiceException(name, status >= 500 ? 'server' : 'client', init);
}
