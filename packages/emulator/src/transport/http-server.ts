import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Emulator } from '../emulator.js';
import { handleRequest } from '../protocol/router.js';
import { awsJsonError } from '../protocol/aws-json-1-0.js';
import { DEFAULT_MAX_BODY_BYTES, type WireResponse } from '../protocol/wire.js';
import { tooLargeError } from '../core/errors.js';
import { randomUUID } from 'node:crypto';

/**
 * The HTTP transport: a `node:http` server over the same core, bound to 127.0.0.1 by default.
 * Bodies larger than `maxBodyBytes` are refused with 413 as soon as the limit is passed
 * (the rest is not read). Keep-alive is on.
 *
 * Connections are bounded (issue 11 item 7): a socket silent for `idleTimeoutMs` is closed
 * (one that never sends a byte included), headers must arrive within `headersTimeoutMs` and the
 * whole request within `requestTimeoutMs` (408), a kept-alive connection is closed after
 * `keepAliveTimeoutMs` without a request, and past `maxConnections` open connections new ones
 * are dropped at once. Node checks the header and request timeouts every
 * `connectionsCheckingInterval`, set here to a fraction of the header timeout (node's 30 s
 * default let idle sockets linger for over a minute).
 */
export interface HttpServerOptions {
  port?: number;
  host?: string;
  maxBodyBytes?: number;
  /** the complete request headers must arrive within this (default 20 s) */
  headersTimeoutMs?: number;
  /** the complete request must arrive within this (default 60 s; ≥ headersTimeoutMs) */
  requestTimeoutMs?: number;
  /** a kept-alive connection without a new request is closed after this (default 30 s) */
  keepAliveTimeoutMs?: number;
  /** a connection with no traffic at all is closed after this (default 30 s) */
  idleTimeoutMs?: number;
  /** open connections at most; further ones are dropped (default 1024) */
  maxConnections?: number;
}

export const HTTP_DEFAULTS = {
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 30_000,
  idleTimeoutMs: 30_000,
  maxConnections: 1024,
} as const;

function positive(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`"${name}" expected a positive integer, got ${v}`);
  return v;
}

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  readonly host: string;
  readonly endpoint: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, w: WireResponse): void {
  res.writeHead(w.status, { ...w.headers, 'content-length': Buffer.byteLength(w.body) });
  res.end(w.body);
}

function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(',') : v;
  return out;
}

export function createHttpHandler(emulator: Emulator, maxBodyBytes = DEFAULT_MAX_BODY_BYTES) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > maxBodyBytes) {
        refused = true;
        res.setHeader('connection', 'close');
        send(res, awsJsonError(tooLargeError(maxBodyBytes), randomUUID()));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      handleRequest(emulator, { method: req.method ?? 'GET', path: req.url ?? '/', headers: headersOf(req), body }, { maxBodyBytes }).then(
        (w) => send(res, w),
        () => {
          res.statusCode = 500;
          res.end();
        },
      );
    });
    req.on('error', () => res.destroy());
  };
}

export async function startHttpServer(emulator: Emulator, options: HttpServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const headersTimeout = positive('headersTimeoutMs', options.headersTimeoutMs ?? HTTP_DEFAULTS.headersTimeoutMs);
  const requestTimeout = positive('requestTimeoutMs', options.requestTimeoutMs ?? Math.max(HTTP_DEFAULTS.requestTimeoutMs, headersTimeout));
  if (requestTimeout < headersTimeout) throw new RangeError('"requestTimeoutMs" must be at least "headersTimeoutMs"');
  const server = createServer(
    {
      keepAlive: true,
      headersTimeout,
      requestTimeout,
      keepAliveTimeout: positive('keepAliveTimeoutMs', options.keepAliveTimeoutMs ?? HTTP_DEFAULTS.keepAliveTimeoutMs),
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(headersTimeout / 4))),
    },
    createHttpHandler(emulator, options.maxBodyBytes),
  );
  // socket inactivity: with no 'timeout' listener on the server, node destroys the socket
  server.timeout = positive('idleTimeoutMs', options.idleTimeoutMs ?? HTTP_DEFAULTS.idleTimeoutMs);
  server.maxConnections = positive('maxConnections', options.maxConnections ?? HTTP_DEFAULTS.maxConnections);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    port,
    host,
    endpoint: `http://${urlHost}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
