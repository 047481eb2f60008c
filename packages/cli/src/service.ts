/**
 * The connection to a service for the commands that talk to one: `--target emulator|aws`,
 * `--endpoint URL`, `--region`, `--profile`, as the AWS CLI names them, through
 * @paycrypt/aws-adapter (the real AWS SDK control-plane client and the adapter's data-plane client).
 */
import { Option, type Command } from 'commander';
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
    .addOption(new Option('--region <region>', 'AWS region (default: $AWS_REGION / $AWS_DEFAULT_REGION)'))
    .addOption(new Option('--profile <name>', 'named profile of the AWS shared config/credentials files (target aws)'));
}

export type Service = import('@paycrypt/aws-adapter').PaymentCryptography;

/** Opens the clients; a failure to configure them is a usage error (exit 2). */
export async function connect(flags: ServiceFlags, defaultTarget: 'emulator' | undefined): Promise<Service> {
  const envTarget = process.env['PAYCRYPT_TARGET']?.trim() || undefined;
  const target = flags.target ?? envTarget ?? (defaultTarget ?? (flags.endpoint !== undefined || process.env['AWS_ENDPOINT_URL'] ? 'emulator' : undefined));
  if (target === undefined) throw new CliError('USAGE', '--target: give emulator or aws (or set PAYCRYPT_TARGET)');
  if (target !== 'emulator' && target !== 'aws') throw new CliError('USAGE', '--target: expected emulator or aws');
  if (flags.endpoint !== undefined && !/^https?:\/\//.test(flags.endpoint)) throw new CliError('USAGE', '--endpoint: expected an http:// or https:// URL');
  // the standard provider chain reads the profile from AWS_PROFILE when it resolves credentials
  if (flags.profile !== undefined) process.env['AWS_PROFILE'] = flags.profile;
  const { createPaymentCryptography } = await import('@paycrypt/aws-adapter');
  try {
    return createPaymentCryptography({ target, endpoint: flags.endpoint, region: flags.region });
  } catch (e) {
    throw new CliError('USAGE', e instanceof Error ? e.message.replace(/"region" is required/, '--region is required') : 'cannot configure the service client');
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
