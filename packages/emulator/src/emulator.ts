import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { EmulatorServices, RequestContext } from './core/context.js';
import { invalidScopeError, modelValidationError, notImplementedError, toAwsError, unknownOperationError, validationError, type AwsError } from './core/errors.js';
import { DEFAULT_MAX_JSON_DEPTH } from './protocol/wire.js';
import { toCredentials, type Credential, type Credentials } from './protocol/sigv4.js';
import type { AllOperationTypes } from './core/operation-types.js';
import type { AnyOperationName, DataOperationTable, Handler, OperationTable } from './core/registry.js';
import { controlPlaneService, dataPlaneService, type ServiceDefinition } from './core/service.js';
import { CONTROL_PLANE } from './control-plane/index.js';
import { DATA_PLANE } from './data-plane/index.js';
import { validateShape, validationMessage } from './model/validator.js';
import { StateStore } from './state/region-state.js';
import { KeyedLock } from './state/keyed-lock.js';
import { DirStore } from './store/dir-store.js';
import { createKeyVault } from './vault/vault-factory.js';
import { MemoryStore, type Store } from './store/store.js';
import { AuditLog, auditRecord, type CallFacts } from './core/audit-log.js';
import { keyReferences, resolveBefore } from './core/audit-keys.js';

/** The model's Region pattern: what a key ARN accepts. */
const REGION_RE = /^[a-z]{2}-[a-z]{1,16}-[0-9]+$/;
const ACCOUNT_RE = /^[0-9]{12}$/;

export const DEFAULT_ACCOUNT_ID = '111122223333';
export const DEFAULT_REGION = 'us-east-1';

export interface EmulatorOptions {
  /** account id used when the caller's access key does not name one (default 111122223333) */
  accountId?: string;
  /** 32-byte AES-256 local master key; default: random per process (memory store only) */
  lmk?: Uint8Array;
  /** persist to this directory (see store/dir-store.ts); requires `lmk` */
  dataDir?: string;
  /** epoch-milliseconds clock (tests) */
  clock?: () => number;
  /** replace the control-plane operation table (tests) */
  operations?: OperationTable;
  /** replace the data-plane operation table (tests) */
  dataOperations?: DataOperationTable;
  /**
   * refuse the data-plane algorithms that are public candidates not confirmed against AWS
   * (Visa dCVV, Amex CSC v1/v2) with a ValidationException instead of computing them (default false)
   */
  strictAlgorithms?: boolean;
  /**
   * deepest nesting of objects and arrays in an input (default 64): deeper answers
   * SerializationException on the wire, ValidationException for an in-process call()
   */
  maxJsonDepth?: number;
  /**
   * verify the SigV4 signature of every wire request (both planes, both transports) against
   * these credentials, access key id → secret and account (protocol/sigv4.ts); the caller's
   * account is then the credential's. Default: signatures are not verified.
   */
  credentials?: Credentials | Readonly<Record<string, Credential>>;
  /** where operational lines go (failed writes, quarantined files); default: stderr */
  log?: (line: string) => void;
  /**
   * append one JSON line per call to this file (core/audit-log.ts): created 0600, its directory
   * must exist; never key material. Default: no audit log.
   */
  auditLog?: string;
  /** wrap the data-dir store (tests: fault injection) */
  wrapStore?: (store: Store) => Store;
}

function defaultLog(line: string): void {
  process.stderr.write(`${line}\n`);
}

export interface CallOptions {
  region?: string;
  accountId?: string;
  requestId?: string;
}

/** One-way check value of the LMK, stored in a data directory to refuse a wrong LMK. */
export function lmkCheckValue(lmk: Uint8Array): string {
  return createHmac('sha256', lmk).update('paycrypt-emulator LMK check v1').digest('hex').slice(0, 16).toUpperCase();
}

/**
 * A copy of a validated input without its null structure members (the validator has refused null
 * list items and map values, so every null left is a member "not set"). The caller's object is
 * not modified. Iterative (an explicit stack): no depth of input can overflow the call stack.
 */
export function withoutNulls(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const root: unknown = Array.isArray(value) ? [] : {};
  // iterative (any depth is safe); parallel stacks and no per-member closures: this runs on every call
  const srcs: unknown[] = [value];
  const dsts: unknown[] = [root];
  while (srcs.length > 0) {
    const src = srcs.pop() as Record<string, unknown> | unknown[];
    const dst = dsts.pop() as Record<string, unknown> | unknown[];
    if (Array.isArray(src)) {
      const out = dst as unknown[];
      for (let i = 0; i < src.length; i++) {
        const v = src[i];
        if (typeof v === 'object' && v !== null) {
          const copy = Array.isArray(v) ? [] : {};
          srcs.push(v);
          dsts.push(copy);
          out[i] = copy;
        } else out[i] = v;
      }
      continue;
    }
    const out = dst as Record<string, unknown>;
    for (const k of Object.keys(src)) {
      const v = src[k];
      if (v === null) continue;
      let copy = v;
      if (typeof v === 'object') {
        copy = Array.isArray(v) ? [] : {};
        srcs.push(v);
        dsts.push(copy);
      }
      // defineProperty: a member named __proto__ stays an own property (assignment would set the prototype)
      if (k === '__proto__') Object.defineProperty(out, k, { value: copy, enumerable: true, writable: true, configurable: true });
      else out[k] = copy;
    }
  }
  return root;
}

/** Whether objects/arrays in `value` nest deeper than `limit` (iterative). */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const values: unknown[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const v = values.pop() as Record<string, unknown> | unknown[];
    const d = depths.pop()!;
    if (d > limit) return true;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const c = v[i];
        if (typeof c === 'object' && c !== null) {
          values.push(c);
          depths.push(d + 1);
        }
      }
    } else {
      for (const k of Object.keys(v)) {
        const c = v[k];
        if (typeof c === 'object' && c !== null) {
          values.push(c);
          depths.push(d + 1);
        }
      }
    }
  }
  return false;
}

/**
 * The emulator core: state, store, vault and the two services (control plane, data plane) with
 * their models and operation tables. The protocol layer (protocol/router.ts) turns wire requests
 * into `call()`s; the transports (in-process requestHandler, HTTP server) call the router only.
 */
export class Emulator {
  readonly services: EmulatorServices;
  readonly controlPlane: ServiceDefinition;
  readonly dataPlane: ServiceDefinition;
  private readonly byOperation: ReadonlyMap<string, ServiceDefinition>;
  /** deepest nesting accepted in an input (EmulatorOptions.maxJsonDepth) */
  readonly maxJsonDepth: number;

  /** SigV4 verification credentials (EmulatorOptions.credentials); undefined: not verified */
  readonly credentials: Credentials | undefined;

  /** the audit log (EmulatorOptions.auditLog); undefined: none */
  readonly audit: AuditLog | undefined;

  private constructor(services: EmulatorServices, options: Pick<EmulatorOptions, 'operations' | 'dataOperations' | 'maxJsonDepth' | 'credentials' | 'auditLog'>) {
    this.services = services;
    this.credentials = options.credentials === undefined ? undefined : toCredentials(options.credentials);
    this.maxJsonDepth = options.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH;
    if (!Number.isInteger(this.maxJsonDepth) || this.maxJsonDepth < 1) throw new RangeError(`"maxJsonDepth" expected a positive integer, got ${this.maxJsonDepth}`);
    this.controlPlane = controlPlaneService(options.operations ?? CONTROL_PLANE) as ServiceDefinition;
    this.dataPlane = dataPlaneService(options.dataOperations ?? DATA_PLANE) as ServiceDefinition;
    const byOperation = new Map<string, ServiceDefinition>();
    for (const service of [this.controlPlane, this.dataPlane]) {
      for (const op of Object.keys(service.model.operations)) byOperation.set(op, service);
    }
    this.byOperation = byOperation;
    // last: nothing after it can fail and leave the file open
    this.audit = options.auditLog === undefined ? undefined : AuditLog.open(options.auditLog, services.log);
  }

  /** The control-plane operation table. */
  get operations(): OperationTable {
    return this.controlPlane.operations as OperationTable;
  }

  /** In-memory emulator (nothing persisted). */
  static inMemory(options: Omit<EmulatorOptions, 'dataDir'> = {}): Emulator {
    const lmk = options.lmk ?? new Uint8Array(randomBytes(32));
    return new Emulator(
      {
        states: new StateStore(),
        store: new MemoryStore(),
        vault: createKeyVault(lmk),
        clock: options.clock ?? Date.now,
        defaultAccountId: options.accountId ?? DEFAULT_ACCOUNT_ID,
        strictAlgorithms: options.strictAlgorithms ?? false,
        log: options.log ?? defaultLog,
        locks: new KeyedLock(),
      },
      options,
    );
  }

  /** Emulator with the given options; with `dataDir`, the state is loaded from and written to it. */
  static async open(options: EmulatorOptions = {}): Promise<Emulator> {
    if (options.dataDir === undefined) return Emulator.inMemory(options);
    if (options.lmk === undefined) throw new TypeError('"lmk" is required with "dataDir" (see vault/lmk.ts)');
    const dirStore: Store = await DirStore.open(options.dataDir, lmkCheckValue(options.lmk), options.log ?? defaultLog);
    const store = options.wrapStore === undefined ? dirStore : options.wrapStore(dirStore);
    const states = new StateStore();
    await store.load(states);
    return new Emulator(
      {
        states,
        store,
        vault: createKeyVault(options.lmk),
        clock: options.clock ?? Date.now,
        defaultAccountId: options.accountId ?? DEFAULT_ACCOUNT_ID,
        strictAlgorithms: options.strictAlgorithms ?? false,
        log: options.log ?? defaultLog,
        locks: new KeyedLock(),
      },
      options,
    );
  }

  /** The service an operation belongs to (undefined: no such operation in either model). */
  serviceOf(operation: string): ServiceDefinition | undefined {
    return this.byOperation.get(operation);
  }

  /**
   * Run one operation: validate the input against the model, then the handler.
   * Throws AwsError (anything else a handler throws is converted by toAwsError).
   * With an audit log, writes the call's line (transport `direct`).
   */
  call<Op extends AnyOperationName>(operation: Op, input: unknown, options: CallOptions = {}): Promise<AllOperationTypes[Op]['output']> {
    // no extra await on the hot path without an audit log
    return this.audit === undefined ? this.run(operation, input, options) : this.callAudited(this.audit, operation, input, options);
  }

  private async callAudited<Op extends AnyOperationName>(audit: AuditLog, operation: Op, input: unknown, options: CallOptions): Promise<AllOperationTypes[Op]['output']> {
    const service = this.byOperation.get(operation);
    const facts: CallFacts = {
      time: this.services.clock(),
      requestId: options.requestId ?? randomUUID(),
      transport: 'direct',
      service,
      operation: service === undefined ? undefined : operation,
      accountId: options.accountId ?? this.services.defaultAccountId,
      region: options.region ?? DEFAULT_REGION,
    };
    facts.keys = keyReferences(service, facts.operation, input);
    resolveBefore(facts.keys, this.services.states, facts.accountId, facts.region);
    try {
      const output = await this.run(operation, input, { ...options, requestId: facts.requestId });
      facts.output = output;
      facts.status = (service?.model.operations as Readonly<Record<string, { http?: { code: number } }>> | undefined)?.[operation]?.http?.code ?? 200;
      return output;
    } catch (e) {
      const err = toAwsError(e);
      facts.error = err.awsName;
      facts.status = err.status;
      throw err;
    } finally {
      audit.write(auditRecord(this.services.states, facts));
    }
  }

  /**
   * `call()` without an audit line: the wire router's entry (protocol/router.ts writes one line
   * per wire request, refused ones included).
   */
  async run<Op extends AnyOperationName>(operation: Op, input: unknown, options: CallOptions = {}): Promise<AllOperationTypes[Op]['output']> {
    try {
      return await this.callUnsafe(operation, input, options);
    } catch (e) {
      throw toAwsError(e);
    }
  }

  private async callUnsafe<Op extends AnyOperationName>(operation: Op, input: unknown, options: CallOptions): Promise<AllOperationTypes[Op]['output']> {
    const service = this.byOperation.get(operation);
    if (service === undefined) throw unknownOperationError(`Unknown operation ${String(operation)}`);
    const accountId = options.accountId ?? this.services.defaultAccountId;
    const region = options.region ?? DEFAULT_REGION;
    // the region and account become ARNs and, with --data-dir, directory names
    if (!REGION_RE.test(region)) throw invalidScopeError(`Credential should be scoped to a valid region, not '${region.slice(0, 64)}'`);
    if (!ACCOUNT_RE.test(accountId)) throw invalidScopeError('The account id must be 12 digits');
    const model = service.model.operations[operation];
    const value = input ?? {};
    // before validation: the validator and withoutNulls walk the value
    if (nestedDeeperThan(value, this.maxJsonDepth)) throw validationError(`The input is nested deeper than ${this.maxJsonDepth} levels`);
    if (model.input !== undefined) {
      const issues = validateShape(service.model.shapes, model.input, value);
      if (issues.length > 0) throw modelValidationError(validationMessage(issues), issues);
    }
    const entry = service.operations[operation];
    if (entry === undefined || entry.kind === 'not-implemented') throw notImplementedError(operation);
    // the validator counts a JSON null member as not set; handlers see it absent (a null NextToken
    // reached Buffer.from and answered InternalServerException)
    const handlerInput = withoutNulls(value);
    const ctx: RequestContext = {
      accountId,
      region,
      requestId: options.requestId ?? randomUUID(),
      operation,
      state: this.services.states.get(accountId, region),
      services: this.services,
      now: this.services.clock(),
    };
    return (await (entry.handle as Handler<Op>)(handlerInput as never, ctx)) as AllOperationTypes[Op]['output'];
  }

  /** Close the store, then flush and close the audit log. */
  async close(): Promise<void> {
    try {
      await this.services.store.close();
    } finally {
      await this.audit?.close();
    }
  }
}

export type { AwsError };
