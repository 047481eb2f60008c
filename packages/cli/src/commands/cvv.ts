import { Option, type Command } from 'commander';
import { generateCvv, verifyCvv, type CvvInput } from '@paycrypt/primitives';
import { CliError } from '../errors.js';
import { emit, emitVerdict } from '../output.js';
import { readKey, secretOptions } from '../secrets.js';
import { choice, digits, engineInput, examples } from './common.js';

/** Visa CVV family: one algorithm, the service code makes the difference (CVV2 000, iCVV 999). */
const TYPES = { CVV: undefined, CVV2: '000', ICVV: '999' } as const;
type CvvType = keyof typeof TYPES;

function input(opts: Record<string, unknown>): { type: CvvType; input: CvvInput; digits: 3 | 4 } {
  const type = choice(String(opts.type ?? 'CVV'), '--type', Object.keys(TYPES) as CvvType[]);
  const fixed = TYPES[type];
  if (fixed !== undefined && opts.serviceCode !== undefined && opts.serviceCode !== fixed) {
    throw new CliError('USAGE', `--service-code: ${type} always uses ${fixed}`);
  }
  const serviceCode = fixed ?? (opts.serviceCode as string | undefined);
  if (serviceCode === undefined) throw new CliError('USAGE', '--service-code is required for --type CVV');
  const n = Number(opts.digits ?? '3');
  if (n !== 3 && n !== 4) throw new CliError('USAGE', '--digits: expected 3 or 4');
  return {
    type,
    digits: n,
    input: { pan: digits(String(opts.pan), '--pan', 12, 19), expiry: digits(String(opts.expiry), '--expiry', 4, 4), serviceCode: digits(serviceCode, '--service-code', 3, 3) },
  };
}

function common(cmd: Command): Command {
  secretOptions(cmd, 'cvk', 'card verification key, CVK-A || CVK-B (32 hex digits)');
  return cmd
    .requiredOption('--pan <digits>', 'primary account number')
    .requiredOption('--expiry <yymm>', 'expiry, 4 digits as the issuer feeds it (usually YYMM; AWS CVV2 uses the card date MMYY)')
    .addOption(new Option('--service-code <digits>', '3 digits (CVV only; CVV2 uses 000 and iCVV 999)'))
    .addOption(new Option('--type <type>', 'CVV, CVV2 or ICVV').default('CVV'))
    .addOption(new Option('--digits <n>', '3 or 4').default('3'));
}

export function registerCvv(program: Command): void {
  const cvv = program.command('cvv').description('Visa CVV, CVV2 and iCVV (also Mastercard CVC/CVC2): generate or verify');
  examples(cvv, 'paycrypt cvv generate --cvk-file cvk.hex --pan 4123456789012345 --expiry 8701 --service-code 101');

  examples(
    common(cvv.command('generate').description('compute the card verification value')).action((opts: Record<string, unknown>) => {
      const { type, input: data, digits: n } = input(opts);
      const cvk = readKey(opts, 'cvk', [16]);
      try {
        const value = engineInput(() => generateCvv(cvk, data, n), type);
        emit({ type, value }, value);
      } finally {
        cvk.fill(0);
      }
    }),
    'paycrypt cvv generate --cvk-file cvk.hex --pan 4123456789012345 --expiry 8701 --service-code 101',
    'paycrypt --json cvv generate --cvk-env CVK --type CVV2 --pan 4123456789012345 --expiry 0328',
  );

  examples(
    common(cvv.command('verify').description('check a card verification value; exit 1 when it does not match'))
      .requiredOption('--value <digits>', 'the value to check')
      .action((opts: Record<string, unknown>) => {
        const { type, input: data, digits: n } = input(opts);
        const value = digits(String(opts.value), '--value', n, n);
        const cvk = readKey(opts, 'cvk', [16]);
        try {
          const ok = engineInput(() => verifyCvv(cvk, data, value), type);
          process.exitCode = emitVerdict(ok, { type }, ok ? `${type} verified` : `${type} does not verify`);
        } finally {
          cvk.fill(0);
        }
      }),
    'paycrypt cvv verify --cvk-file cvk.hex --pan 4123456789012345 --expiry 8701 --service-code 101 --value 561',
  );
}
