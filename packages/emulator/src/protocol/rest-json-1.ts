import { serializationError, wireError, type AwsError } from '../core/errors.js';
import type { ServiceDefinition } from '../core/service.js';
import { parseJsonObject, toJson, type WireRequest, type WireResponse } from './wire.js';

/**
 * restJson1 (the data plane): routes from the model's http traits (`POST /keys/{KeyIdentifier}/encrypt`,
 * `POST /cardvalidationdata/generate`, …). URI labels are matched on the raw path, segment by
 * segment, and only then percent-decoded — an ARN arrives as `arn%3Aaws%3A…%3Akey%2Fabcd…`, an
 * alias as `alias%2Fname` — so an encoded `/` never splits a label. A route matches the last
 * segments of the path, so an endpoint with a base path is served too. Body members and label
 * members form the input; the answer is the output as a JSON body; errors carry the data-plane
 * error shapes (core/errors.ts wireError) and the `x-amzn-errortype` header.
 */
export const REST_JSON_CONTENT_TYPE = 'application/json';

type Segment = { literal: string } | { label: string };

interface Route {
  readonly operation: string;
  readonly method: string;
  readonly segments: readonly Segment[];
}

export interface RestJsonMatch {
  operation: string;
  labels: Record<string, string>;
}

function compile(service: ServiceDefinition): Route[] {
  const routes: Route[] = [];
  for (const [operation, op] of Object.entries(service.model.operations)) {
    if (op.http === undefined) continue;
    const segments = op.http.uri
      .split('?')[0]!
      .split('/')
      .filter((s) => s !== '')
      .map((s): Segment => (s.startsWith('{') && s.endsWith('}') ? { label: s.slice(1, -1) } : { literal: s }));
    routes.push({ operation, method: op.http.method, segments });
  }
  return routes;
}

const ROUTES = new WeakMap<ServiceDefinition, Route[]>();

function routesOf(service: ServiceDefinition): Route[] {
  let r = ROUTES.get(service);
  if (r === undefined) {
    r = compile(service);
    ROUTES.set(service, r);
  }
  return r;
}

function pathSegments(path: string): string[] {
  const q = path.indexOf('?');
  return (q < 0 ? path : path.slice(0, q)).split('/').filter((s) => s !== '');
}

/** The route of a request (method + raw path), or undefined. Labels are percent-decoded. */
export function matchRestJson(service: ServiceDefinition, method: string, path: string): RestJsonMatch | undefined {
  const segs = pathSegments(path);
  for (const route of routesOf(service)) {
    if (route.method !== method || segs.length < route.segments.length) continue;
    const offset = segs.length - route.segments.length;
    const labels: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < route.segments.length && ok; i++) {
      const want = route.segments[i]!;
      const got = segs[offset + i]!;
      if ('literal' in want) ok = want.literal === got;
      else labels[want.label] = got;
    }
    if (!ok) continue;
    for (const [k, raw] of Object.entries(labels)) {
      try {
        labels[k] = decodeURIComponent(raw);
      } catch {
        throw serializationError(`The URI label ${k} is not a valid percent-encoded string`);
      }
    }
    return { operation: route.operation, labels };
  }
  return undefined;
}

/** The input of a matched request: the body's members, then the URI label members. */
export function restJsonInput(req: WireRequest, match: RestJsonMatch, maxJsonDepth?: number): Record<string, unknown> {
  const input = parseJsonObject(req.body, maxJsonDepth);
  for (const [k, v] of Object.entries(match.labels)) {
    Object.defineProperty(input, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return input;
}

export function restJsonResponse(output: unknown, requestId: string, status = 200): WireResponse {
  return { status, headers: { 'content-type': REST_JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId }, body: toJson(output ?? {}) };
}

export function restJsonError(e: AwsError, requestId: string): WireResponse {
  const w = wireError(e, 'restJson1');
  return {
    status: w.status,
    headers: { 'content-type': REST_JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId, 'x-amzn-errortype': w.name },
    body: JSON.stringify(w.body),
  };
}
