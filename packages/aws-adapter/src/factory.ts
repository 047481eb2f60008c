import { PaymentCryptographyClient } from '@aws-sdk/client-payment-cryptography';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { Emulator, inProcessHandler } from '@paycrypt/emulator';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, RetryStrategyV2 } from '@smithy/types';
import { PaymentCryptographyDataClient } from './data-plane/node-client.js';
import { inProcessDataPlaneTransport } from './emulator-transport.js';

/**
 * One factory for both planes, against the emulator or AWS:
 *
 *   const { controlPlane, dataPlane } = createPaymentCryptography({ target: 'emulator' });
 *
 * - `controlPlane`: the real `PaymentCryptographyClient` (@aws-sdk/client-payment-cryptography);
 * - `dataPlane`: this package's `PaymentCryptographyDataClient`.
 *
 * Targets: `'emulator'` in-process (no socket: the emulator's `inProcessHandler` for the control
 * plane, its router `handleRequest` for the data plane) or at an endpoint URL; `'aws'`: the
 * region endpoints of the service's endpoint rules (FIPS, dual-stack), or a custom endpoint.
 * The target and endpoints may come from the environment, as the SDKs read it.
 */
export type Target = 'emulator' | 'aws';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface PaymentCryptographyOptions {
  /** default: `PAYCRYPT_TARGET`, else `'emulator'` when `emulator` is given, else `'aws'` */
  target?: Target | undefined;
  /** default: `AWS_REGION`, `AWS_DEFAULT_REGION`; for the emulator `us-east-1` */
  region?: string | undefined;
  /** default: the emulator: fixed test credentials; AWS: the standard Node provider chain */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;
  /** target 'emulator' in-process: this emulator (default: a new in-memory one, closed by `close()`) */
  emulator?: Emulator | undefined;
  /** both planes (default `AWS_ENDPOINT_URL`) */
  endpoint?: string | undefined;
  /** default `AWS_ENDPOINT_URL_PAYMENT_CRYPTOGRAPHY_DATA` */
  dataPlaneEndpoint?: string | undefined;
  /** default `AWS_ENDPOINT_URL_PAYMENT_CRYPTOGRAPHY` */
  controlPlaneEndpoint?: string | undefined;
  /** default `AWS_USE_FIPS_ENDPOINT` */
  useFipsEndpoint?: boolean | undefined;
  /** default `AWS_USE_DUALSTACK_ENDPOINT` */
  useDualstackEndpoint?: boolean | undefined;
  maxAttempts?: number | undefined;
  /** the data plane's retry strategy (default: StandardRetryStrategy(maxAttempts)) */
  retryStrategy?: RetryStrategyV2 | undefined;
  /** default `process.env` */
  env?: Environment | undefined;
}

export interface PaymentCryptography {
  readonly target: Target;
  readonly region: string;
  /** 'in-process' or the endpoint URL of each plane ('rules' when the control plane's SDK resolves it from the region) */
  readonly transport: 'in-process' | 'http';
  readonly controlPlane: PaymentCryptographyClient;
  readonly dataPlane: PaymentCryptographyDataClient;
  /** the in-process emulator, when there is one */
  readonly emulator: Emulator | undefined;
  /** destroys the control-plane client; closes an emulator this factory created */
  close(): Promise<void>;
}

/** The credentials the emulator target uses when none are given (the emulator checks no signature). */
export const EMULATOR_CREDENTIALS: AwsCredentialIdentity = { accessKeyId: 'AKIAPAYCRYPTEMULATOR', secretAccessKey: 'paycrypt-emulator-secret' };
const IN_PROCESS_ENDPOINT = 'http://emulator.local';
const DEFAULT_EMULATOR_REGION = 'us-east-1';

function flag(v: string | undefined): boolean | undefined {
  if (v === undefined || v === '') return undefined;
  return v.toLowerCase() === 'true';
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** Endpoint settings from the environment, as the AWS SDKs read them (service-specific first; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS honoured). */
export function endpointsFromEnv(env: Environment): { endpoint?: string; dataPlane?: string; controlPlane?: string } {
  if (flag(env['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS']) === true) return {};
  const out: { endpoint?: string; dataPlane?: string; controlPlane?: string } = {};
  const e = nonEmpty(env['AWS_ENDPOINT_URL']);
  const d = nonEmpty(env['AWS_ENDPOINT_URL_PAYMENT_CRYPTOGRAPHY_DATA']);
  const c = nonEmpty(env['AWS_ENDPOINT_URL_PAYMENT_CRYPTOGRAPHY']);
  if (e !== undefined) out.endpoint = e;
  if (d !== undefined) out.dataPlane = d;
  if (c !== undefined) out.controlPlane = c;
  return out;
}

function processEnv(): Environment {
  const p = (globalThis as { process?: { env?: Environment } }).process;
  return p?.env ?? {};
}

export function createPaymentCryptography(options: PaymentCryptographyOptions = {}): PaymentCryptography {
  const env = options.env ?? processEnv();
  const rawTarget = options.target ?? nonEmpty(env['PAYCRYPT_TARGET']) ?? (options.emulator !== undefined ? 'emulator' : 'aws');
  if (rawTarget !== 'emulator' && rawTarget !== 'aws') throw new RangeError(`"target" expected 'emulator' or 'aws', got ${JSON.stringify(rawTarget)}`);
  const target: Target = rawTarget;
  const fromEnv = endpointsFromEnv(env);
  const endpoint = options.endpoint ?? fromEnv.endpoint;
  let dataEndpoint = options.dataPlaneEndpoint ?? fromEnv.dataPlane ?? endpoint;
  let controlEndpoint = options.controlPlaneEndpoint ?? fromEnv.controlPlane ?? endpoint;
  const useFipsEndpoint = options.useFipsEndpoint ?? flag(env['AWS_USE_FIPS_ENDPOINT']) ?? false;
  const useDualstackEndpoint = options.useDualstackEndpoint ?? flag(env['AWS_USE_DUALSTACK_ENDPOINT']) ?? false;
  const region = options.region ?? nonEmpty(env['AWS_REGION']) ?? nonEmpty(env['AWS_DEFAULT_REGION']) ?? (target === 'emulator' ? DEFAULT_EMULATOR_REGION : undefined);
  if (region === undefined) throw new TypeError('"region" is required for target aws (or set AWS_REGION)');
  const maxAttempts = options.maxAttempts;

  if (target === 'emulator') {
    const credentials = options.credentials ?? EMULATOR_CREDENTIALS;
    // the emulator serves both planes on one endpoint
    dataEndpoint ??= controlEndpoint;
    controlEndpoint ??= dataEndpoint;
    if (dataEndpoint === undefined || controlEndpoint === undefined) {
      const owned = options.emulator === undefined;
      const emulator = options.emulator ?? Emulator.inMemory();
      const controlPlane = new PaymentCryptographyClient({ region, credentials, endpoint: IN_PROCESS_ENDPOINT, requestHandler: inProcessHandler(emulator), ...(maxAttempts !== undefined ? { maxAttempts } : {}) });
      const dataPlane = new PaymentCryptographyDataClient({ region, credentials, endpoint: IN_PROCESS_ENDPOINT, transport: inProcessDataPlaneTransport(emulator), maxAttempts, retryStrategy: options.retryStrategy });
      return {
        target,
        region,
        transport: 'in-process',
        controlPlane,
        dataPlane,
        emulator,
        async close() {
          controlPlane.destroy();
          if (owned) await emulator.close();
        },
      };
    }
    return http(target, region, credentials, controlEndpoint, dataEndpoint, false, false, options);
  }
  // AWS: one provider chain for both planes unless credentials are given
  const credentials = options.credentials ?? fromNodeProviderChain();
  return http(target, region, credentials, controlEndpoint, dataEndpoint, useFipsEndpoint, useDualstackEndpoint, options);
}

function http(
  target: Target,
  region: string,
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
  controlEndpoint: string | undefined,
  dataEndpoint: string | undefined,
  useFipsEndpoint: boolean,
  useDualstackEndpoint: boolean,
  options: PaymentCryptographyOptions,
): PaymentCryptography {
  const controlPlane = new PaymentCryptographyClient({
    region,
    credentials,
    useFipsEndpoint,
    useDualstackEndpoint,
    ...(controlEndpoint !== undefined ? { endpoint: controlEndpoint } : {}),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
  });
  const dataPlane = new PaymentCryptographyDataClient({ region, credentials, endpoint: dataEndpoint, useFipsEndpoint, useDualstackEndpoint, maxAttempts: options.maxAttempts, retryStrategy: options.retryStrategy });
  return {
    target,
    region,
    transport: 'http',
    controlPlane,
    dataPlane,
    emulator: undefined,
    async close() {
      controlPlane.destroy();
    },
  };
}
