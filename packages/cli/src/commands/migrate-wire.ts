/**
 * The control-plane calls of `migrate import`, by operation name, two ways:
 *
 * - `sdkCalls`: the adapter's AWS SDK client (target aws, and the in-process emulator);
 * - `wireCalls`: an emulator over HTTP. awsJson1_0 (`POST`, `X-Amz-Target:
 *   PaymentCryptographyControlPlane.<Op>`) over one keep-alive node:http(s) agent, signed with
 *   SigV4 by the `aws4` library, with the region, endpoint and credentials the adapter's factory
 *   would give the SDK client (`resolveTarget`, `EMULATOR_CREDENTIALS`); failures become a
 *   `WireServiceError` with the fields of the SDK's service exceptions (`name`, `$fault`,
 *   `$metadata`, `message`), so callers handle both ways alike.
 *
 * Why two: the SDK's per-call work (middleware stack, endpoint rules, user agent, retry
 * bookkeeping) costs about three times the CPU of the request itself, which makes the CLI, not the
 * emulator, the limit of a bulk import (packages/cli/bench: issue 13 asks for ≥ 70 % of the
 * emulator's ImportKey rate). Against AWS the service's quotas are the limit, and the SDK's retry
 * strategy (throttling, backoff) is worth its cost, so target aws keeps the SDK. The wire path
 * also starts faster: it loads neither the SDK client nor the adapter (about 1.3 MB of bundle).
 * Why `aws4` and not the SDK's signer (`@smithy/signature-v4`, which the SDK client and the
 * adapter's data-plane client keep): per ImportKey it costs about 30 µs warm and 80 µs in a fresh
 * process, where the SDK's signer costs 60–100 and 200 µs (an HttpRequest clone, a hash object per
 * digest, an HMAC per call for its key cache); in `pnpm bench cli` that moved the bin from about
 * 660 to 560 µs of CPU per import. Both sign the same SigV4: the tests recompute the signature with
 * node:crypto and import through an emulator that verifies signatures.
 * NOTE: the wire path retries nothing except a request whose reused keep-alive socket was reset
 * before any answer (Node's documented `reusedSocket` case: the server closed an idle socket, the
 * request was never read). The emulator does not throttle.
 */
import type {
  CreateAliasCommandInput,
  CreateAliasCommandOutput,
  ImportKeyCommandInput,
  ImportKeyCommandOutput,
  ListAliasesCommandInput,
  ListAliasesCommandOutput,
  ListKeysCommandInput,
  ListKeysCommandOutput,
  ListTagsForResourceCommandInput,
  ListTagsForResourceCommandOutput,
  UpdateAliasCommandInput,
  UpdateAliasCommandOutput,
} from '@aws-sdk/client-payment-cryptography';
import aws4 from 'aws4';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { EMULATOR_CREDENTIALS } from '@paycrypt/aws-adapter/target';
import { connect, resolveService, type Service, type ServiceFlags } from '../service.js';

interface Ops {
  ListKeys: [ListKeysCommandInput, ListKeysCommandOutput];
  ListTagsForResource: [ListTagsForResourceCommandInput, ListTagsForResourceCommandOutput];
  ListAliases: [ListAliasesCommandInput, ListAliasesCommandOutput];
  ImportKey: [ImportKeyCommandInput, ImportKeyCommandOutput];
  CreateAlias: [CreateAliasCommandInput, CreateAliasCommandOutput];
  UpdateAlias: [UpdateAliasCommandInput, UpdateAliasCommandOutput];
}
export type Op = keyof Ops;

export interface ControlPlane {
  readonly via: 'sdk' | 'wire';
  call<O extends Op>(op: O, input: Ops[O][0]): Promise<Ops[O][1]>;
  /** closes the sockets, or the SDK's clients */
  close(): Promise<void>;
}

/** The wire path for an emulator over HTTP(S), else the SDK through the adapter (`connect`). */
export async function controlPlane(flags: ServiceFlags, concurrency: number): Promise<ControlPlane> {
  const where = await resolveService(flags, undefined);
  if (where.target === 'emulator' && where.controlPlaneEndpoint !== undefined) {
    const url = new URL(where.controlPlaneEndpoint);
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      const endpoint: WireEndpoint = { protocol: url.protocol, hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port === '' ? undefined : Number(url.port), path: url.pathname };
      return wireCalls(endpoint, where.region, async () => EMULATOR_CREDENTIALS, concurrency, { host: url.host });
    }
  }
  return sdkCalls(await connect(flags, undefined));
}

export async function sdkCalls(svc: Service): Promise<ControlPlane> {
  const sdk = await import('../service-sdk.js');
  const commands = {
    ListKeys: sdk.ListKeysCommand,
    ListTagsForResource: sdk.ListTagsForResourceCommand,
    ListAliases: sdk.ListAliasesCommand,
    ImportKey: sdk.ImportKeyCommand,
    CreateAlias: sdk.CreateAliasCommand,
    UpdateAlias: sdk.UpdateAliasCommand,
  } as const;
  return {
    via: 'sdk',
    call: (op, input) => svc.controlPlane.send(new (commands[op] as new (i: typeof input) => Parameters<typeof svc.controlPlane.send>[0])(input)) as never,
    close: () => svc.close(),
  };
}

type Credentials = () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;

export interface WireEndpoint {
  protocol: 'http:' | 'https:';
  hostname: string;
  port?: number | undefined;
  path: string;
}

const TARGET_PREFIX = 'PaymentCryptographyControlPlane.';
const SIGNING_NAME = 'payment-cryptography';
const TIMEOUT_MS = 60_000;

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface WireOptions {
  /** the Host header (default hostname[:port]; an IPv6 literal needs its brackets) */
  host?: string;
  /** a request whose socket stays silent this long fails with TimeoutError (default 60 s) */
  timeoutMs?: number;
}

/** node:https (and with it node:tls) is loaded only for an https endpoint. */
export async function wireCalls(endpoint: WireEndpoint, region: string, credentials: Credentials, concurrency: number, options: WireOptions = {}): Promise<ControlPlane> {
  const host = options.host ?? (endpoint.port === undefined ? endpoint.hostname : `${endpoint.hostname}:${endpoint.port}`);
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  const { Agent, request: send } = endpoint.protocol === 'https:' ? await import('node:https') : await import('node:http');
  // the agent's timeout is each socket's idle timeout, armed once per socket: a request whose
  // socket stays silent that long is destroyed by its 'timeout' listener
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, timeout: timeoutMs });

  const post = (headers: OutgoingHttpHeaders, body: string, retried = false): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = send({ agent, method: 'POST', host: endpoint.hostname, port: endpoint.port, path: endpoint.path, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on('error', reject);
      });
      req.once('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { name: 'TimeoutError' })));
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (!retried && req.reusedSocket && e.code === 'ECONNRESET') post(headers, body, true).then(resolve, reject);
        else reject(e);
      });
      req.end(body);
    });

  return {
    via: 'wire',
    async call(op, input) {
      const body = JSON.stringify(input);
      const creds = await credentials();
      // a copy of the headers with Host, Content-Length, X-Amz-Date, X-Amz-Security-Token (a session) and Authorization
      const { headers } = aws4.sign({ service: SIGNING_NAME, region, method: 'POST', host, path: endpoint.path, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `${TARGET_PREFIX}${op}` }, body }, creds);
      const res = await post(headers ?? {}, body);
      const $metadata = { httpStatusCode: res.status, requestId: header(res.headers, 'x-amzn-requestid'), attempts: 1, totalRetryDelay: 0 };
      if (res.status >= 200 && res.status < 300) {
        const parsed = (res.body === '' ? null : JSON.parse(res.body)) as unknown;
        const out = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
        out['$metadata'] = $metadata;
        return out as never;
      }
      throw serviceException(res, $metadata);
    },
    async close() {
      agent.destroy();
    },
  };
}

function header(h: IncomingMessage['headers'], name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/** A service's error answer, with the fields of the SDK's service exceptions. */
export class WireServiceError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { httpStatusCode: number; requestId: string | undefined; attempts: number; totalRetryDelay: number };
  constructor(name: string, message: string, $fault: 'client' | 'server', $metadata: WireServiceError['$metadata']) {
    super(message);
    this.name = name;
    this.$fault = $fault;
    this.$metadata = $metadata;
  }
}

/**
 * An awsJson1_0 error answer as the SDK raises it: the type from `x-amzn-errortype` or `__type`,
 * without namespace or suffix (`HTTP<status>` when there is none); `$fault` from the status.
 */
function serviceException(res: Answer, $metadata: { httpStatusCode: number; requestId: string | undefined; attempts: number; totalRetryDelay: number }): Error {
  let parsed: Record<string, unknown> = {};
  try {
    const v = JSON.parse(res.body) as unknown;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) parsed = v as Record<string, unknown>;
  } catch {
    // not JSON (a proxy's page): the status says it
  }
  const raw = header(res.headers, 'x-amzn-errortype') ?? (typeof parsed['__type'] === 'string' ? parsed['__type'] : undefined);
  const name = raw?.split(':')[0]?.split('#').pop() || `HTTP${res.status}`;
  const message = typeof parsed['message'] === 'string' ? parsed['message'] : typeof parsed['Message'] === 'string' ? parsed['Message'] : `HTTP ${res.status}`;
  return new WireServiceError(name, message, res.status >= 500 ? 'server' : 'client', $metadata);
}
