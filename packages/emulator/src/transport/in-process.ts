import type { Emulator } from '../emulator.js';
import { handleRequest } from '../protocol/router.js';
import type { WireOptions } from '../protocol/wire.js';

/**
 * The in-process transport: an object the AWS SDK takes as its `requestHandler`. Requests go
 * through the same wire protocol as over HTTP (SigV4-signed headers, JSON body, JSON answer),
 * without a socket:
 *
 *   new PaymentCryptographyClient({ region, credentials, endpoint: 'http://emulator.local',
 *     requestHandler: inProcessHandler(emulator) })
 *
 * The shape is the Smithy `HttpHandler` contract (`handle(request) → { response }`); the
 * response body is a Uint8Array, which the SDK reads without a stream collector.
 */
export interface InProcessRequest {
  method: string;
  path?: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

export interface InProcessResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface InProcessHandler {
  handle(request: InProcessRequest, options?: unknown): Promise<{ response: InProcessResponse }>;
  updateHttpClientConfig(key: string, value: unknown): void;
  httpHandlerConfigs(): Record<string, unknown>;
  destroy(): void;
  readonly metadata: { handlerProtocol: string };
}

const encoder = new TextEncoder();

function lowerHeaders(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(h)) out[k.toLowerCase()] = h[k]!;
  return out;
}

/** The request target as sent over HTTP: the path and the SDK's query, percent-encoded. */
function targetOf(request: InProcessRequest): string {
  const path = request.path ?? '/';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(request.query ?? {})) {
    if (v === null || v === undefined) parts.push(encodeURIComponent(k));
    else for (const one of Array.isArray(v) ? v : [v]) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(one)}`);
  }
  return parts.length === 0 ? path : `${path}?${parts.join('&')}`;
}

export function inProcessHandler(emulator: Emulator, options: WireOptions = {}): InProcessHandler {
  return {
    metadata: { handlerProtocol: 'in-process' },
    async handle(request) {
      const body = request.body;
      const res = await handleRequest(
        emulator,
        {
          method: request.method,
          path: targetOf(request),
          headers: lowerHeaders(request.headers),
          body: typeof body === 'string' ? body : body instanceof Uint8Array ? body : body === undefined || body === null ? '' : String(body),
        },
        options,
      );
      return { response: { statusCode: res.status, headers: res.headers, body: encoder.encode(res.body) } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() {
      return {};
    },
    destroy() {},
  };
}
