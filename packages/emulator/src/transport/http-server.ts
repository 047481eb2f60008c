import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Emulator } from '../emulator.js';
import { auditRefused, handleRequest } from '../protocol/router.js';
import { awsJsonError } from '../protocol/aws-json-1-0.js';
import { DEFAULT_MAX_BODY_BYTES, type WireResponse } from '../protocol/wire.js';
import { accessDeniedError, tooLargeError } from '../core/errors.js';
import { randomUUID } from 'node:crypto';
import { hostname, networkInterfaces } from 'node:os';

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
 *
 * Host allow-list (issue 11, against DNS rebinding): a request whose `Host` header (port aside)
 * is not `localhost`, `127.0.0.1`, `::1`, the bound address or one of `allowedHosts` is refused
 * with 403 AccessDeniedException before its body is read (NOTE: AWS has no such case; the name
 * is the model's 403). Bound to a wildcard (`0.0.0.0`, `::`), the machine's interface addresses
 * and host name are allowed too. `allowedHosts: ['*']` turns the check off.
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
  /** Host header names allowed besides loopback and the bound address; `'*'`: any (see above) */
  allowedHosts?: readonly string[];
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

/** A host name as compared: lower case, no port, no brackets, no trailing dot. */
export function normalizeHost(value: string): string {
  let h = value.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    h = end < 0 ? h.slice(1) : h.slice(1, end);
  } else if (h.split(':').length === 2) h = h.slice(0, h.indexOf(':')); // name:port (a bare IPv6 address has more colons)
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

const WILDCARDS = new Set(['', '0.0.0.0', '::', '::0']);

/** The Host names a server bound to `host` accepts (undefined: any). */
export function allowedHostSet(host: string, extra: readonly string[] = []): ReadonlySet<string> | undefined {
  if (extra.includes('*')) return undefined;
  const names = ['localhost', '127.0.0.1', '::1', host, ...extra];
  if (WILDCARDS.has(normalizeHost(host))) {
    names.push(hostname());
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.push(a.address);
  }
  return new Set(names.map(normalizeHost).filter((n) => !WILDCARDS.has(n)));
}

export function createHttpHandler(emulator: Emulator, maxBodyBytes = DEFAULT_MAX_BODY_BYTES, allowedHosts?: ReadonlySet<string>) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (allowedHosts !== undefined) {
      const host = req.headers.host;
      if (host === undefined || !allowedHosts.has(normalizeHost(host))) {
        const shown = host === undefined ? 'missing' : JSON.stringify(host.slice(0, 255));
        res.setHeader('connection', 'close');
        const err = accessDeniedError(`Host header ${shown} is not allowed by this emulator (see --allowed-host)`);
        const requestId = randomUUID();
        // the audit line names no operation: nothing of a refused request is trusted
        auditRefused(emulator, requestId, err);
        send(res, awsJsonError(err, requestId));
        req.resume();
        return;
      }
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > maxBodyBytes) {
        refused = true;
        res.setHeader('connection', 'close');
        const err = tooLargeError(maxBodyBytes);
        const requestId = randomUUID();
        auditRefused(emulator, requestId, err, { method: req.method ?? 'GET', path: req.url ?? '/', target: headersOf(req)['x-amz-target'] });
        send(res, awsJsonError(err, requestId));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      handleRequest(emulator, { method: req.method ?? 'GET', path: req.url ?? '/', headers: headersOf(req), body }, { maxBodyBytes }, 'http').then(
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
    createHttpHandler(emulator, options.maxBodyBytes, allowedHostSet(host, options.allowedHosts)),
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
