import { closeSync, constants, createWriteStream, openSync, type WriteStream } from 'node:fs';
import type { StateStore } from '../state/region-state.js';
import { auditKeys, type AuditKeyFields, type KeyReference } from './audit-keys.js';
import type { AwsErrorName } from './errors.js';
import type { ServiceDefinition, ServiceId } from './service.js';

/**
 * The audit log (issue 11): one JSON line per call — both planes, both transports and direct
 * `Emulator.call()`s, failures and refused requests included — appended to one file
 * (`EmulatorOptions.auditLog`, `--audit-log FILE`). A line:
 *
 *   {"time":"2025-01-02T03:04:05.678Z","requestId":"…","transport":"http","plane":"data-plane",
 *    "operation":"EncryptData","account":"111122223333","region":"us-east-1",
 *    "keyIdentifier":"alias/pek","keyArn":"arn:aws:payment-cryptography:…:key/…",
 *    "outcome":"ok","status":200}
 *
 * - `time`: when the request reached the router (the emulator's clock), ISO-8601 UTC.
 * - `requestId`: the `x-amzn-RequestId` of the answer (a direct call: `CallOptions.requestId` or a
 *   fresh one). `transport`: `http`, `in-process` (the SDK requestHandler) or `direct`.
 * - `plane`, `operation`: once known (absent for an unknown operation or a refused Host).
 * - `account`, `region`: those the call ran under; absent where not established (a request
 *   refused by SigV4 verification, a scope region that is not a region name). `accessKeyId`: only
 *   when the signature was verified (`--credentials-file`).
 * - `keyIdentifier`, `keyArn`, `otherKeys`: core/audit-keys.ts.
 * - `outcome`: `ok` or the AWS error name; `status`: the HTTP status (a direct call: the one
 *   the wire would have answered).
 * Nothing else of a request or an answer is written: no key blocks, PINs, PANs, cryptograms, tag
 * values, error messages (they may quote input) or Host headers.
 *
 * Durability (NOTE: emulator choices): the file is opened for append when the emulator is made —
 * created 0600 (an existing file keeps its mode), its directory must exist, an error there fails
 * the start — and written through one stream; each line goes to the OS in call order of
 * completion, without fsync; `Emulator.close()` flushes it. A write failure (disk full, I/O error)
 * never fails a call or stops the emulator: it is reported once to `EmulatorOptions.log` (stderr)
 * with its errno code, the lines after it are dropped and counted, and the count is reported at
 * close. So are lines past MAX_BUFFERED_BYTES waiting for a slow disk.
 */

export type AuditTransport = 'http' | 'in-process' | 'direct';

export interface AuditRecord extends AuditKeyFields {
  time: string;
  requestId: string;
  transport: AuditTransport;
  plane?: ServiceId;
  operation?: string;
  account?: string;
  region?: string;
  accessKeyId?: string;
  outcome: 'ok' | AwsErrorName;
  status: number;
}

/** What the call path learned about one call, as it learned it. */
export interface CallFacts {
  /** epoch milliseconds */
  time: number;
  requestId: string;
  transport: AuditTransport;
  service?: ServiceDefinition;
  operation?: string;
  accountId?: string;
  region?: string;
  accessKeyId?: string;
  /** the keys the input names (keyReferences), resolved before the call */
  keys?: KeyReference[];
  output?: unknown;
  error?: AwsErrorName;
  status?: number;
}

/** Lines waiting for the disk beyond this are dropped (and counted). */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const REGION_RE = /^[a-z]{2}-[a-z]{1,16}-[0-9]+$/;
const ACCOUNT_RE = /^[0-9]{12}$/;

/** The line of one call. Never throws. */
export function auditRecord(states: StateStore, f: CallFacts): AuditRecord {
  const account = f.accountId !== undefined && ACCOUNT_RE.test(f.accountId) ? f.accountId : undefined;
  const region = f.region !== undefined && REGION_RE.test(f.region) ? f.region : undefined;
  let keys: AuditKeyFields = {};
  try {
    keys = auditKeys(f.service, f.operation, f.keys ?? [], f.error === undefined ? f.output : undefined, states, account, region);
  } catch {
    // the key fields are best effort; the line itself is written
  }
  const r: AuditRecord = { time: new Date(f.time).toISOString(), requestId: f.requestId, transport: f.transport } as AuditRecord;
  if (f.service !== undefined) r.plane = f.service.id;
  if (f.operation !== undefined) r.operation = f.operation;
  if (account !== undefined) r.account = account;
  if (region !== undefined) r.region = region;
  if (f.accessKeyId !== undefined) r.accessKeyId = f.accessKeyId;
  Object.assign(r, keys);
  r.outcome = f.error ?? 'ok';
  r.status = f.status ?? 500;
  return r;
}

/** One append-only JSON-lines file, written through one stream. */
export class AuditLog {
  readonly path: string;
  private readonly stream: WriteStream;
  private readonly log: (line: string) => void;
  private failed = false;
  private closing: Promise<void> | undefined;
  /** lines handed to the stream whose write has not completed */
  private pending = 0;
  private waiters: (() => void)[] = [];
  /** lines not written (after a write failure, past the buffer bound, after close) */
  dropped = 0;

  private constructor(path: string, stream: WriteStream, log: (line: string) => void) {
    this.path = path;
    this.stream = stream;
    this.log = log;
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (this.failed) return;
      this.failed = true;
      this.log(`audit log ${path}: write failed (${e.code ?? 'error'}); further audit lines are dropped`);
    });
  }

  /**
   * Open `path` for append, creating it with mode 0600; throws (with the errno code) when it
   * cannot be opened — a missing directory included.
   */
  static open(path: string, log: (line: string) => void): AuditLog {
    let fd: number;
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      throw new Error(`audit log ${path}: cannot open for append (${code}${code === 'ENOENT' ? ': its directory must exist' : ''})`);
    }
    try {
      return new AuditLog(path, createWriteStream('', { fd, flags: 'a', autoClose: true }), log);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /** Append one line (asynchronous; never throws). */
  write(record: AuditRecord): void {
    if (this.failed || this.closing !== undefined || this.stream.destroyed) {
      this.dropped++;
      return;
    }
    if (this.stream.writableLength > MAX_BUFFERED_BYTES) {
      if (this.dropped === 0) this.log(`audit log ${this.path}: more than ${MAX_BUFFERED_BYTES} bytes wait for the disk; audit lines are dropped until it catches up`);
      this.dropped++;
      return;
    }
    try {
      this.pending++;
      this.stream.write(`${JSON.stringify(record)}\n`, (e) => {
        if (e) this.dropped++;
        if (--this.pending === 0) for (const w of this.waiters.splice(0)) w();
      });
    } catch {
      this.dropped++;
    }
  }

  /** Resolves once every line written so far has reached the OS (or failed). */
  flush(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Flush what was written and close the file; reports dropped lines. Idempotent. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      const done = (): void => {
        if (this.dropped > 0) this.log(`audit log ${this.path}: ${this.dropped} line(s) were not written`);
        resolve();
      };
      // after a failure the stream is destroyed; its 'close' follows the 'error' report
      if (this.stream.closed) return done();
      this.stream.once('close', done);
      if (!this.stream.destroyed) this.stream.end();
    });
    return this.closing;
  }
}
