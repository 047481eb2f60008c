/**
 * Where the factory's clients go, decided from the options and the environment without building
 * a client: the target, the region, each plane's endpoint, FIPS and dual-stack. No AWS SDK or
 * emulator code is loaded from here (`@paycrypt/aws-adapter/target`), so a caller that talks to
 * an emulator over its own wire (the CLI's `migrate import`) can decide that before paying for
 * the SDK's start-up.
 */
import type { AwsCredentialIdentity } from '@smithy/types';

export type Target = 'emulator' | 'aws';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface TargetOptions {
  /** default: `PAYCRYPT_TARGET`, else `'emulator'` when `emulator` is true, else `'aws'` */
  target?: Target | undefined;
  /** default: `AWS_REGION`, `AWS_DEFAULT_REGION`; for the emulator `us-east-1` */
  region?: string | undefined;
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
  /** default `process.env` */
  env?: Environment | undefined;
}

export interface ResolvedTarget {
  target: Target;
  region: string;
  /** undefined: target emulator in-process, or target aws by the endpoint rules */
  controlPlaneEndpoint: string | undefined;
  dataPlaneEndpoint: string | undefined;
  /** always false for the emulator */
  useFipsEndpoint: boolean;
  useDualstackEndpoint: boolean;
}

/** The credentials the emulator target uses when none are given (the emulator checks no signature). */
export const EMULATOR_CREDENTIALS: AwsCredentialIdentity = { accessKeyId: 'AKIAPAYCRYPTEMULATOR', secretAccessKey: 'paycrypt-emulator-secret' };
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

/**
 * The factory's decision. Throws RangeError for a target that is neither, TypeError when target
 * aws has no region. The emulator serves both planes on one endpoint: one given serves both.
 */
export function resolveTarget(options: TargetOptions & { emulator?: boolean }): ResolvedTarget {
  const env = options.env ?? processEnv();
  const rawTarget = options.target ?? nonEmpty(env['PAYCRYPT_TARGET']) ?? (options.emulator === true ? 'emulator' : 'aws');
  if (rawTarget !== 'emulator' && rawTarget !== 'aws') throw new RangeError(`"target" expected 'emulator' or 'aws', got ${JSON.stringify(rawTarget)}`);
  const target: Target = rawTarget;
  const fromEnv = endpointsFromEnv(env);
  const endpoint = options.endpoint ?? fromEnv.endpoint;
  let dataPlaneEndpoint = options.dataPlaneEndpoint ?? fromEnv.dataPlane ?? endpoint;
  let controlPlaneEndpoint = options.controlPlaneEndpoint ?? fromEnv.controlPlane ?? endpoint;
  const region = options.region ?? nonEmpty(env['AWS_REGION']) ?? nonEmpty(env['AWS_DEFAULT_REGION']) ?? (target === 'emulator' ? DEFAULT_EMULATOR_REGION : undefined);
  if (region === undefined) throw new TypeError('"region" is required for target aws (or set AWS_REGION)');
  if (target === 'emulator') {
    dataPlaneEndpoint ??= controlPlaneEndpoint;
    controlPlaneEndpoint ??= dataPlaneEndpoint;
    return { target, region, controlPlaneEndpoint, dataPlaneEndpoint, useFipsEndpoint: false, useDualstackEndpoint: false };
  }
  return {
    target,
    region,
    controlPlaneEndpoint,
    dataPlaneEndpoint,
    useFipsEndpoint: options.useFipsEndpoint ?? flag(env['AWS_USE_FIPS_ENDPOINT']) ?? false,
    useDualstackEndpoint: options.useDualstackEndpoint ?? flag(env['AWS_USE_DUALSTACK_ENDPOINT']) ?? false,
  };
}
