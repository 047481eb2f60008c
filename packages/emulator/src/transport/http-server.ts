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
 * (the rest is not read). Keep-alive is on (node's default).
 */
export interface HttpServerOptions {
  port?: number;
  host?: string;
  maxBodyBytes?: number;
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
  const server = createServer({ keepAlive: true }, createHttpHandler(emulator, options.maxBodyBytes));
  server.keepAliveTimeout = 65_000;
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
