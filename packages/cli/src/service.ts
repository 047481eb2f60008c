/**
 * The connection to a service for the commands that talk to one: `--target emulator|aws`,
 * `--endpoint URL`, `--region`, `--profile`, as the AWS CLI names them, through
 * @paycrypt/aws-adapter (the real AWS SDK control-plane client and the adapter's data-plane client).
 */
import { Option, type Command } from 'commander';
import { resolveTarget, type ResolvedTarget } from '@paycrypt/aws-adapter/target';
import { CliError } from './errors.js';

export interface ServiceFlags {
  target?: string;
  endpoint?: string;
  region?: string;
  profile?: string;
}

export function serviceOptions(cmd: Command, defaultTarget: 'emulator' | undefined): Command {
  return cmd
    .addOption(new Option('--target <target>', `emulator or aws (default: $PAYCRYPT_TARGET, else ${defaultTarget === 'emulator' ? 'emulator' : 'emulator with --endpoint, else required'})`).choices(['emulator', 'aws']))
    .addOption(new Option('--endpoint <url>', 'service endpoint URL (default: $AWS_ENDPOINT_URL; target emulator without one: an in-process emulator)'))
    .addOption(new Option('--region <region>', 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the region of the profile)'))
    .addOption(new Option('--profile <name>', 'named profile of the AWS shared config/credentials files: its credentials (target aws) and its region (default: $AWS_PROFILE, else "default")'));
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/**
 * The region as the AWS CLI picks it: --region, then AWS_REGION, then AWS_DEFAULT_REGION, then the
 * `region` of the profile (--profile, else AWS_PROFILE, else "default") read from the shared config
 * file (AWS_CONFIG_FILE, default ~/.aws/config) by the AWS SDK's own loader.
 * NOTE: a `region` found only in the credentials file (AWS_SHARED_CREDENTIALS_FILE) is used when the
 * config file has none for the profile, as the SDK's node config provider prefers the config file.
 * A --profile given explicitly that neither file defines is a usage error, as in the AWS CLI.
 */
export async function resolveRegion(flags: ServiceFlags): Promise<string | undefined> {
  const fromFlags = nonEmpty(flags.region) ?? nonEmpty(process.env['AWS_REGION']) ?? nonEmpty(process.env['AWS_DEFAULT_REGION']);
  if (fromFlags !== undefined && flags.profile === undefined) return fromFlags;
  const { getProfileName, loadSharedConfigFiles } = await import('./service-config.js');
  const name = getProfileName({ profile: flags.profile });
  let files;
  try {
    files = await loadSharedConfigFiles({ ignoreCache: true });
  } catch (e) {
    throw new CliError('USAGE', `cannot read the AWS shared config files (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  const inConfig = files.configFile[name];
  const inCredentials = files.credentialsFile[name];
  if (flags.profile !== undefined && inConfig === undefined && inCredentials === undefined) {
    throw new CliError('USAGE', `--profile ${flags.profile}: no such profile in the AWS config or credentials file`);
  }
  return fromFlags ?? nonEmpty(inConfig?.['region']) ?? nonEmpty(inCredentials?.['region']);
}

export type Service = import('@paycrypt/aws-adapter').PaymentCryptography;

/**
 * Where the flags and the environment point, decided as the adapter's factory decides it, without
 * loading the AWS SDK (`@paycrypt/aws-adapter/target`); a bad choice is a usage error (exit 2).
 */
export async function resolveService(flags: ServiceFlags, defaultTarget: 'emulator' | undefined): Promise<ResolvedTarget> {
  const envTarget = process.env['PAYCRYPT_TARGET']?.trim() || undefined;
  const target = flags.target ?? envTarget ?? (defaultTarget ?? (flags.endpoint !== undefined || process.env['AWS_ENDPOINT_URL'] ? 'emulator' : undefined));
  if (target === undefined) throw new CliError('USAGE', '--target: give emulator or aws (or set PAYCRYPT_TARGET)');
  if (target !== 'emulator' && target !== 'aws') throw new CliError('USAGE', '--target: expected emulator or aws');
  if (flags.endpoint !== undefined && !/^https?:\/\//.test(flags.endpoint)) throw new CliError('USAGE', '--endpoint: expected an http:// or https:// URL');
  const region = await resolveRegion(flags);
  try {
    return resolveTarget({ target, endpoint: flags.endpoint, region });
  } catch (e) {
    throw new CliError('USAGE', e instanceof Error ? e.message.replace(/"region" is required.*/, '--region is required for target aws (or AWS_REGION, or a profile with a region)') : 'cannot configure the service client');
  }
}

/** Opens the clients (the AWS SDK's control-plane client, the adapter's data-plane client); a failure to configure them is a usage error (exit 2). */
export async function connect(flags: ServiceFlags, defaultTarget: 'emulator' | undefined): Promise<Service> {
  const where = await resolveService(flags, defaultTarget);
  // the standard provider chain reads the profile from AWS_PROFILE when it resolves credentials
  if (flags.profile !== undefined) process.env['AWS_PROFILE'] = flags.profile;
  const { createPaymentCryptography } = await import('@paycrypt/aws-adapter');
  try {
    return createPaymentCryptography({ target: where.target, endpoint: flags.endpoint, region: where.region });
  } catch (e) {
    throw new CliError('USAGE', e instanceof Error ? e.message : 'cannot configure the service client');
  }
}

/** What may be said about a service failure: its name and message, hex runs that could be key material removed. */
export function serviceErrorText(e: unknown): string {
  const name = (e as { name?: unknown })?.name;
  const msg = e instanceof Error ? e.message : String(e);
  return `${typeof name === 'string' ? `${name}: ` : ''}${msg.replace(/[0-9A-Fa-f]{16,}/g, '[hex]').slice(0, 300)}`;
}

/** Whether a failed call is the service's problem (exit 3) rather than the input's (exit 1). */
export function isServiceFault(e: unknown): boolean {
  const x = e as { $fault?: unknown; name?: unknown; $metadata?: unknown };
  if (x?.$metadata === undefined) return true; // no answer: network, DNS, timeout
  if (x.$fault === 'server') return true;
  return x.name === 'ThrottlingException' || x.name === 'AccessDeniedException' || x.name === 'UnrecognizedClientException' || x.name === 'ServiceUnavailableException';
}
