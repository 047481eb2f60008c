import { Sha256 } from '@aws-crypto/sha256-js';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, ChecksumConstructor, HashConstructor, RetryErrorInfo, RetryErrorType, RetryStrategyV2 } from '@smithy/types';
import { StandardRetryStrategy } from '@smithy/util-retry';
import { resolveDataPlaneEndpoint } from '../endpoints/resolve.js';
import type { DataPlaneCommand } from './commands.js';
import { PaymentCryptographyDataServiceException, toServiceException } from './errors.js';
import type { DataPlaneOperation, InputOf, OutputOf, ResponseMetadata } from './operations.js';
import { serializeRequest } from './serialize.js';
import { fetchTransport, type DataPlaneHttpResponse, type DataPlaneTransport } from './transport.js';

/** The SigV4 signing name of both planes. */
export const SIGNING_NAME = 'payment-cryptography';
const DEFAULT_MAX_ATTEMPTS = 3;

export interface DataPlaneClientOptions {
  region: string;
  /** a custom endpoint (emulator, VPC endpoint); otherwise resolved from the region by the service's endpoint rules */
  endpoint?: string | URL | undefined;
  useFipsEndpoint?: boolean | undefined;
  useDualstackEndpoint?: boolean | undefined;
  /** default: `credentialDefaultProvider()` — in the Node entry the standard provider chain (`fromNodeProviderChain`) */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;
  /** where credentials come from when `credentials` is not given (as the SDK's config of that name); the browser entry has none */
  credentialDefaultProvider?: (() => AwsCredentialIdentityProvider) | undefined;
  /** default: `fetch` (the Node entry: @smithy/node-http-handler) */
  transport?: DataPlaneTransport | undefined;
  /** SHA-256 for SigV4 (default @aws-crypto/sha256-js; the Node entry: @smithy/hash-node, on node:crypto) */
  sha256?: ChecksumConstructor | HashConstructor | undefined;
  /** default: `new StandardRetryStrategy(maxAttempts)` from @smithy/util-retry */
  retryStrategy?: RetryStrategyV2 | undefined;
  /** default 3 (as the SDKs) */
  maxAttempts?: number | undefined;
}

export interface SendOptions {
  abortSignal?: AbortSignal | undefined;
}

function credentialProvider(options: DataPlaneClientOptions): AwsCredentialIdentityProvider {
  const c = options.credentials;
  if (typeof c === 'function') return c;
  if (c !== undefined) return async () => c;
  if (options.credentialDefaultProvider !== undefined) return options.credentialDefaultProvider();
  return async () => {
    throw new TypeError('"credentials" are required (no default credential provider in this entry point)');
  };
}

/** The retry class of an error, as the SDK's retry middleware decides it (@smithy/core/retry classifiers). */
export function retryErrorType(error: unknown): RetryErrorType {
  const e = error as Parameters<typeof isThrottlingError>[0];
  if (isThrottlingError(e)) return 'THROTTLING';
  if (isTransientError(e)) return 'TRANSIENT';
  if (isServerError(e)) return 'SERVER_ERROR';
  return 'CLIENT_ERROR';
}

function retryAfter(res: DataPlaneHttpResponse | undefined): Date | undefined {
  const v = res?.headers['retry-after'];
  if (v === undefined) return undefined;
  const seconds = Number(v);
  if (Number.isFinite(seconds)) return new Date(Date.now() + seconds * 1000);
  const date = new Date(v);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * The AWS Payment Cryptography data-plane client: restJson1 over `fetch` (or any transport),
 * SigV4 by `@smithy/signature-v4`, retries by `@smithy/util-retry`'s standard strategy
 * (throttling and transient 5xx retried, 4xx not). `send(new XCommand(input))` as with the SDK
 * clients, or the plain method `x(input)`.
 */
export class PaymentCryptographyDataClient {
  readonly region: string;
  readonly endpoint: URL;
  private readonly signer: SignatureV4;
  private readonly transport: DataPlaneTransport;
  private readonly retryStrategy: RetryStrategyV2;

  constructor(options: DataPlaneClientOptions) {
    if (typeof options.region !== 'string' || options.region === '') throw new TypeError('"region" expected a non-empty string');
    this.region = options.region;
    this.endpoint = resolveDataPlaneEndpoint({
      Region: options.region,
      UseFIPS: options.useFipsEndpoint,
      UseDualStack: options.useDualstackEndpoint,
      Endpoint: options.endpoint === undefined ? undefined : String(options.endpoint),
    });
    this.signer = new SignatureV4({ service: SIGNING_NAME, region: options.region, credentials: credentialProvider(options), sha256: options.sha256 ?? Sha256 });
    this.transport = options.transport ?? fetchTransport();
    this.retryStrategy = options.retryStrategy ?? new StandardRetryStrategy(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  }

  send<Op extends DataPlaneOperation>(command: DataPlaneCommand<Op>, options: SendOptions = {}): Promise<OutputOf<Op>> {
    return this.call(command.operation, command.input, options);
  }

  /** One operation by name. */
  async call<Op extends DataPlaneOperation>(operation: Op, input: InputOf<Op>, options: SendOptions = {}): Promise<OutputOf<Op>> {
    const req = serializeRequest(operation, input as object);
    const base = this.endpoint.pathname.replace(/\/+$/, '');
    const path = base + req.path;
    let token = await this.retryStrategy.acquireInitialRetryToken(`${SIGNING_NAME}-data`);
    let attempts = 0;
    let totalRetryDelay = 0;
    for (;;) {
      attempts++;
      let res: DataPlaneHttpResponse | undefined;
      try {
        const signed = await this.signer.sign(
          new HttpRequest({
            method: req.method,
            protocol: this.endpoint.protocol,
            hostname: this.endpoint.hostname,
            port: this.endpoint.port === '' ? undefined : Number(this.endpoint.port),
            path,
            headers: { host: this.endpoint.host, 'content-type': 'application/json' },
            body: req.body,
          }),
        );
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
        res = await this.transport({ method: req.method, url: this.endpoint.origin + path, path, headers, body: req.body, abortSignal: options.abortSignal });
        const $metadata: ResponseMetadata = { httpStatusCode: res.status, requestId: res.headers['x-amzn-requestid'], attempts, totalRetryDelay };
        if (res.status >= 200 && res.status < 300) {
          this.retryStrategy.recordSuccess(token);
          const out: unknown = res.body === '' ? {} : JSON.parse(res.body);
          return { ...(out as object), $metadata } as OutputOf<Op>;
        }
        throw toServiceException(res.status, res.headers, res.body, $metadata);
      } catch (error) {
        if (options.abortSignal?.aborted === true) throw error;
        const info: RetryErrorInfo = { error: error as RetryErrorInfo['error'], errorType: retryErrorType(error) };
        const hint = retryAfter(res);
        if (hint !== undefined) info.retryAfterHint = hint;
        try {
          token = await this.retryStrategy.refreshRetryTokenForRetry(token, info);
        } catch {
          if (error instanceof PaymentCryptographyDataServiceException) {
            error.$metadata.attempts = attempts;
            error.$metadata.totalRetryDelay = totalRetryDelay;
          }
          throw error;
        }
        totalRetryDelay += token.getRetryDelay();
      }
    }
  }

  decryptData(input: InputOf<'DecryptData'>, o?: SendOptions) { return this.call('DecryptData', input, o); }
  encryptData(input: InputOf<'EncryptData'>, o?: SendOptions) { return this.call('EncryptData', input, o); }
  generateAs2805KekValidation(input: InputOf<'GenerateAs2805KekValidation'>, o?: SendOptions) { return this.call('GenerateAs2805KekValidation', input, o); }
  generateAuthRequestCryptogram(input: InputOf<'GenerateAuthRequestCryptogram'>, o?: SendOptions) { return this.call('GenerateAuthRequestCryptogram', input, o); }
  generateCardValidationData(input: InputOf<'GenerateCardValidationData'>, o?: SendOptions) { return this.call('GenerateCardValidationData', input, o); }
  generateMac(input: InputOf<'GenerateMac'>, o?: SendOptions) { return this.call('GenerateMac', input, o); }
  generateMacEmvPinChange(input: InputOf<'GenerateMacEmvPinChange'>, o?: SendOptions) { return this.call('GenerateMacEmvPinChange', input, o); }
  generatePinData(input: InputOf<'GeneratePinData'>, o?: SendOptions) { return this.call('GeneratePinData', input, o); }
  reEncryptData(input: InputOf<'ReEncryptData'>, o?: SendOptions) { return this.call('ReEncryptData', input, o); }
  translateKeyMaterial(input: InputOf<'TranslateKeyMaterial'>, o?: SendOptions) { return this.call('TranslateKeyMaterial', input, o); }
  translatePinData(input: InputOf<'TranslatePinData'>, o?: SendOptions) { return this.call('TranslatePinData', input, o); }
  verifyAuthRequestCryptogram(input: InputOf<'VerifyAuthRequestCryptogram'>, o?: SendOptions) { return this.call('VerifyAuthRequestCryptogram', input, o); }
  verifyCardValidationData(input: InputOf<'VerifyCardValidationData'>, o?: SendOptions) { return this.call('VerifyCardValidationData', input, o); }
  verifyMac(input: InputOf<'VerifyMac'>, o?: SendOptions) { return this.call('VerifyMac', input, o); }
  verifyPinData(input: InputOf<'VerifyPinData'>, o?: SendOptions) { return this.call('VerifyPinData', input, o); }
}
