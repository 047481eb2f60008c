import { Option, type Command } from 'commander';
import {
  AES_DUKPT_KEY_TYPES,
  AES_DUKPT_KEY_USAGES,
  aesDukptInitialKey,
  aesDukptTransactionKeyFromInitialKey,
  aesDukptWorkingKeyFromTransactionKey,
  kcv,
  tdesDukptIpek,
  tdesDukptTransactionKeyFromIpek,
  tdesDukptVariantKey,
  TDES_DUKPT_VARIANTS,
  type AesDukptKeyType,
  type AesDukptKeyUsage,
  type TdesDukptKeyVariant,
} from '@paycrypt/primitives';
import { CliError } from '../errors.js';
import { emit } from '../output.js';
import { readKey, readOptionalKey, secretOptions } from '../secrets.js';
import { choice, clearKeyOptions, engineInput, examples, hex, hexInput, releaseClearKey } from './common.js';

type Family = 'TDES' | 'AES';

/** TDES DUKPT KSNs are 10 bytes (X9.24-1), AES DUKPT KSNs 12 bytes (X9.24-3). */
function ksnFamily(ksn: Uint8Array): Family {
  if (ksn.length === 10) return 'TDES';
  if (ksn.length === 12) return 'AES';
  throw new CliError('INVALID_INPUT', `--ksn: expected 20 hex digits (TDES DUKPT) or 24 (AES DUKPT), got ${ksn.length * 2}`);
}

function kcvOf(family: Family, key: Uint8Array): { kcv: string; kcvMethod: string } {
  if (family === 'TDES' || key.length === 24) return { kcv: hex(kcv(key, 'TDES')), kcvMethod: 'ANSI_X9_24' };
  return { kcv: hex(kcv(key, 'AES')), kcvMethod: 'CMAC' };
}

function show(opts: Record<string, unknown>, family: Family, name: string, key: Uint8Array, extra: Record<string, unknown>): void {
  // a key derived for TDES use (an AES DUKPT 2TDEA/3TDEA working key) gets a TDES KCV
  const check = kcvOf(family, key);
  const fields = releaseClearKey(opts, hex(key), { derived: name, ...extra, keyLength: key.length, ...check });
  emit(fields, [
    `${name}: ${key.length} bytes, KCV ${check.kcv} (${check.kcvMethod})`,
    ...(typeof fields.key === 'string' ? [`key: ${fields.key}`] : []),
    ...(typeof fields.keyFile === 'string' ? [`key written: ${fields.keyFile}`] : []),
  ]);
  key.fill(0);
}

const TDES_VARIANTS = Object.keys(TDES_DUKPT_VARIANTS) as TdesDukptKeyVariant[];
const AES_USAGES = Object.keys(AES_DUKPT_KEY_USAGES) as AesDukptKeyUsage[];
const AES_TYPES = Object.keys(AES_DUKPT_KEY_TYPES) as AesDukptKeyType[];

export function registerDukpt(program: Command): void {
  const dukpt = program.command('dukpt').description('DUKPT: TDES (ANSI X9.24-1:2009) and AES (ANSI X9.24-3:2017) key derivation');
  examples(dukpt, 'paycrypt dukpt ipek --bdk-file bdk.hex --ksn FFFF9876543210E00000', 'paycrypt dukpt key --bdk-file bdk.hex --ksn FFFF9876543210E00001 --variant PIN');

  const ipek = dukpt
    .command('ipek')
    .description('the initial key (IPEK / IK) of a device from the BDK and its KSN; prints its KCV (the key only with --print-key or --key-out)')
    .requiredOption('--ksn <hex>', 'key serial number: 20 hex digits (TDES) or 24 (AES; the initial key ID is the first 16)');
  secretOptions(ipek, 'bdk', 'base derivation key');
  clearKeyOptions(ipek);
  examples(
    ipek.action((opts: Record<string, unknown>) => {
      const ksn = hexInput(String(opts.ksn), '--ksn');
      const family = ksnFamily(ksn);
      const bdk = readKey(opts, 'bdk', family === 'TDES' ? [16, 24] : [16, 24, 32]);
      try {
        const key = engineInput(() => (family === 'TDES' ? tdesDukptIpek(bdk, ksn) : aesDukptInitialKey(bdk, ksn.subarray(0, 8))), '--ksn');
        show(opts, family, family === 'TDES' ? 'IPEK' : 'initial key', key, { family, ksn: hex(ksn) });
      } finally {
        bdk.fill(0);
      }
    }),
    'paycrypt dukpt ipek --bdk-file bdk.hex --ksn FFFF9876543210E00000 --print-key',
    'paycrypt dukpt ipek --bdk-env BDK --ksn 123456789012345600000001 --key-out ik.hex',
  );

  const key = dukpt
    .command('key')
    .description('a transaction or working key for a KSN, from the BDK or the device initial key')
    .requiredOption('--ksn <hex>', 'key serial number: 20 hex digits (TDES) or 24 (AES)')
    .addOption(new Option('--variant <variant>', `TDES working-key variant: ${TDES_VARIANTS.join(', ')} (default: the transaction key)`))
    .addOption(new Option('--usage <usage>', `AES working-key usage: ${AES_USAGES.join(', ')} (default: the transaction key)`))
    .addOption(new Option('--key-type <type>', `AES working-key type: ${AES_TYPES.join(', ')} (default: that of the BDK)`));
  secretOptions(key, 'bdk', 'base derivation key');
  secretOptions(key, 'ipek', 'the device initial key (IPEK / IK) instead of the BDK');
  clearKeyOptions(key);
  examples(
    key.action((opts: Record<string, unknown>) => {
      const ksn = hexInput(String(opts.ksn), '--ksn');
      const family = ksnFamily(ksn);
      const lengths = family === 'TDES' ? [16, 24] : [16, 24, 32];
      const bdk = readOptionalKey(opts, 'bdk', lengths);
      const given = readOptionalKey(opts, 'ipek', family === 'TDES' ? [16] : [16, 24, 32]);
      if ((bdk === undefined) === (given === undefined)) throw new CliError('USAGE', 'give one of --bdk-file/--bdk-env and --ipek-file/--ipek-env');
      const initial = given ?? engineInput(() => (family === 'TDES' ? tdesDukptIpek(bdk!, ksn) : aesDukptInitialKey(bdk!, ksn.subarray(0, 8))), '--ksn');
      bdk?.fill(0);
      try {
        if (family === 'TDES') {
          if (opts.usage !== undefined || opts.keyType !== undefined) throw new CliError('USAGE', '--usage and --key-type are for AES DUKPT (24-digit KSN); TDES takes --variant');
          const tk = engineInput(() => tdesDukptTransactionKeyFromIpek(initial, ksn), '--ksn');
          if (opts.variant === undefined) return show(opts, family, 'transaction key', tk, { family, ksn: hex(ksn) });
          const variant = choice(String(opts.variant), '--variant', TDES_VARIANTS);
          const wk = tdesDukptVariantKey(tk, variant);
          tk.fill(0);
          return show(opts, family, `${variant} key`, wk, { family, ksn: hex(ksn), variant });
        }
        if (opts.variant !== undefined) throw new CliError('USAGE', '--variant is for TDES DUKPT (20-digit KSN); AES takes --usage and --key-type');
        const tk = engineInput(() => aesDukptTransactionKeyFromInitialKey(initial, ksn), '--ksn');
        if (opts.usage === undefined) return show(opts, family, 'transaction key', tk, { family, ksn: hex(ksn) });
        const usage = choice(String(opts.usage), '--usage', AES_USAGES);
        const keyType = opts.keyType === undefined ? undefined : (String(opts.keyType).toUpperCase() as AesDukptKeyType);
        if (keyType !== undefined) choice(keyType, '--key-type', AES_TYPES);
        const wk = engineInput(() => aesDukptWorkingKeyFromTransactionKey(tk, ksn, { usage, ...(keyType === undefined ? {} : { keyType }) }), '--usage/--key-type');
        tk.fill(0);
        return show(opts, keyType !== undefined && keyType.endsWith('TDEA') ? 'TDES' : family, `${usage} key`, wk, { family, ksn: hex(ksn), usage, ...(keyType === undefined ? {} : { keyType }) });
      } finally {
        initial.fill(0);
      }
    }),
    'paycrypt dukpt key --bdk-file bdk.hex --ksn FFFF9876543210E00001 --variant PIN --print-key',
    'paycrypt dukpt key --ipek-file ik.hex --ksn 123456789012345600000001 --usage PIN_ENCRYPTION --key-type AES128',
  );
}
