import { DATA_PLANE_MODEL } from '@paycrypt/emulator/model';
import { extendedEncodeURIComponent } from '@smithy/core/protocols';
import type { DataPlaneOperation } from './operations.js';

/**
 * restJson1 request serialization from the model's http traits (the generated table the
 * emulator's router reads): the route with its URI labels filled in — each percent-encoded as
 * the SDKs do (encodeURIComponent plus `!'()*`, smithy's extendedEncodeURIComponent) — and a JSON
 * body of the other members.
 *
 * NOTE: DATA_PLANE_MODEL comes from `@paycrypt/emulator`'s index, which also exports the server;
 * a browser bundle relies on tree shaking for now (see README "Browser").
 */
export interface SerializedRequest {
  method: string;
  path: string;
  body: string;
}

export function serializeRequest(operation: DataPlaneOperation, input: object): SerializedRequest {
  const http = DATA_PLANE_MODEL.operations[operation]?.http;
  if (http === undefined) throw new TypeError(`"operation" expected a data-plane operation, got ${String(operation)}`);
  const members = input as Record<string, unknown>;
  const path = http.uri.replace(/\{([^}+]+)\+?\}/g, (_m, label: string) => {
    const v = members[label];
    if (typeof v !== 'string' || v === '') throw new TypeError(`"${label}" expected a non-empty string (URI label of ${operation})`);
    return extendedEncodeURIComponent(v);
  });
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(members)) {
    if (v !== undefined && !http.labels.includes(k)) body[k] = v;
  }
  return { method: http.method, path, body: JSON.stringify(body) };
}

/** The success status of an operation (the model's http code). */
export function successCode(operation: DataPlaneOperation): number {
  return DATA_PLANE_MODEL.operations[operation]?.http?.code ?? 200;
}
