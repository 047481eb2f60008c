import { PaymentCryptographyClient } from '@aws-sdk/client-payment-cryptography';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { Emulator, inProcessHandler } from '@paycrypt/emulator';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, RetryStrategyV2 } from '@smithy/types';
import { PaymentCryptographyDataClient } from './data-plane/node-client.js';
import { inProcessDataPlaneTransport } from './emulator-transport.js';
import { EMULATOR_CREDENTIALS, resolveTarget, type Target, type TargetOptions } from './target.js';

export interface PaymentCryptographyOptions extends TargetOptions {
  /** default: the emulator: fixed test credentials; AWS: the standard Node provider chain */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;
  /** target 'emulator' in-process: this emulator (default: a new in-memory one, closed by `close()`); given, the default target is 'emulator' */
  emulator?: Emulator | undefined;
  maxAttempts?: number | undefined;
  /** the data plane's retry strategy (default: StandardRetryStrategy(maxAttempts)) */
  retryStrategy?: RetryStrategyV2 | undefined;
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

const IN_PROCESS_ENDPOINT = 'http://emulator.local';

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
export function createPaymentCryptography(options: PaymentCryptographyOptions = {}): PaymentCryptography {
  const { target, region, controlPlaneEndpoint: controlEndpoint, dataPlaneEndpoint: dataEndpoint, useFipsEndpoint, useDualstackEndpoint } = resolveTarget({ ...options, emulator: options.emulator !== undefined });
  const maxAttempts = options.maxAttempts;

  if (target === 'emulator') {
    const credentials = options.credentials ?? EMULATOR_CREDENTIALS;
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
