import { Option, type Command } from 'commander';
import {
  decodePinBlock,
  encodePinBlock,
  generateVisaPvv,
  ibm3624Offset,
  ibm3624PinFromOffset,
  verifyIbm3624Pin,
  verifyVisaPvv,
  type Ibm3624Data,
  type PinBlockFormat,
} from '@paycrypt/primitives';
import { CliError } from '../errors.js';
import { emit, emitVerdict } from '../output.js';
import { readDigits, readKey, secretOptions, secretText } from '../secrets.js';
import { choice, digits, engineInput, examples, hex, hexInput } from './common.js';

const FORMATS = ['ISO_0', 'ISO_1', 'ISO_2', 'ISO_3'] as const;
type ClearFormat = Exclude<PinBlockFormat, 'ISO_4'>;

function format(v: unknown): ClearFormat {
  // accepts ISO_0, ISO-0, ISO0 and 0
  return choice(`ISO_${String(v).toUpperCase().replace(/^ISO[-_]?/, '')}`, '--format', FORMATS);
}

function pinOptions(cmd: Command): Command {
  return secretOptions(cmd, 'pin', 'the PIN (4 to 12 digits)');
}

function ibmData(opts: Record<string, unknown>): Ibm3624Data {
  const validationData = String(opts.validationData);
  if (!/^[0-9A-Fa-f]{1,16}$/.test(validationData)) throw new CliError('INVALID_INPUT', '--validation-data: expected 1 to 16 hex digits');
  const padCharacter = String(opts.pad);
  if (!/^[0-9A-Fa-f]$/.test(padCharacter)) throw new CliError('INVALID_INPUT', '--pad: expected one hex digit');
  return { validationData, padCharacter, decimalizationTable: digits(String(opts.decimalizationTable), '--decimalization-table', 16, 16) };
}

function ibmOptions(cmd: Command): Command {
  secretOptions(cmd, 'pvk', 'PIN verification key (TDES)');
  return cmd
    .requiredOption('--validation-data <hex>', '1 to 16 hex digits, often part of the PAN')
    .addOption(new Option('--pad <hex-digit>', 'pads the validation data to 16 digits').default('F'))
    .addOption(new Option('--decimalization-table <digits>', '16 decimal digits').default('0123456789012345'));
}

export function registerPin(program: Command): void {
  const pin = program.command('pin').description('PIN blocks (ISO 9564 formats 0-3), Visa PVV, IBM 3624 offsets');
  examples(pin, 'paycrypt pin block encode --format ISO_0 --pin-file - --pan 4012345678909 <<< 1234');

  const block = pin.command('block').description('clear ISO 9564-1 PIN blocks');
  const encode = block
    .command('encode')
    .description('build a clear PIN block')
    .requiredOption('--format <format>', `${FORMATS.join(', ')}`)
    .addOption(new Option('--pan <digits>', 'the PAN (formats 0 and 3)'))
    .addOption(new Option('--fill <hex>', 'fill digits for formats 1 and 3 (default random; for reproducing published blocks)'));
  pinOptions(encode);
  examples(
    encode.action((opts: Record<string, unknown>) => {
      const f = format(opts.format);
      const thePin = readDigits(opts, 'pin', 4, 12);
      const b = engineInput(() => encodePinBlock(f, thePin, opts.pan as string | undefined, opts.fill === undefined ? {} : { fill: String(opts.fill) }), '--pin/--pan');
      emit({ format: f, pinBlock: hex(b) }, hex(b));
    }),
    'paycrypt pin block encode --format ISO_0 --pin-file pin.txt --pan 4012345678909',
    'echo 1234 | paycrypt pin block encode --format ISO_3 --pin-file - --pan 4012345678909',
  );

  const decode = block
    .command('decode')
    .description('read the PIN out of a clear PIN block')
    .requiredOption('--format <format>', `${FORMATS.join(', ')}`)
    .addOption(new Option('--pan <digits>', 'the PAN (formats 0 and 3)'));
  secretOptions(decode, 'pin-block', 'the clear PIN block (16 hex digits)');
  examples(
    decode.action((opts: Record<string, unknown>) => {
      const f = format(opts.format);
      const text = secretText(opts, 'pin-block');
      if (text === undefined) throw new CliError('USAGE', 'missing --pin-block-file PATH (or "-" for stdin) or --pin-block-env NAME');
      const b = hexInput(text, '--pin-block', [8]);
      const thePin = engineInput(() => decodePinBlock(f, b, opts.pan as string | undefined), '--pin-block');
      emit({ format: f, pin: thePin }, thePin);
    }),
    'paycrypt pin block decode --format ISO_0 --pin-block-file - --pan 4012345678909 <<< 041274EDCBA9876F',
  );

  const pvv = pin.command('pvv').description('Visa PIN verification value');
  for (const mode of ['generate', 'verify'] as const) {
    const c = pvv
      .command(mode)
      .description(mode === 'generate' ? 'compute the 4-digit PVV' : 'check a PVV; exit 1 when it does not match')
      .requiredOption('--pan <digits>', 'primary account number')
      .requiredOption('--pvki <digit>', 'PIN verification key index (0-9)');
    if (mode === 'verify') c.requiredOption('--pvv <digits>', 'the PVV to check');
    secretOptions(c, 'pvk', 'PIN verification key (TDES)');
    pinOptions(c);
    examples(
      c.action((opts: Record<string, unknown>) => {
        const data = { pan: digits(String(opts.pan), '--pan', 12, 19), pvki: digits(String(opts.pvki), '--pvki', 1, 1), pin: readDigits(opts, 'pin', 4, 12) };
        const key = readKey(opts, 'pvk', [16, 24]);
        try {
          if (mode === 'generate') {
            const v = engineInput(() => generateVisaPvv(key, data), 'pvv');
            emit({ pvv: v }, v);
          } else {
            const ok = engineInput(() => verifyVisaPvv(key, data, digits(String(opts.pvv), '--pvv', 4, 4)), 'pvv');
            process.exitCode = emitVerdict(ok, {}, ok ? 'PVV verified' : 'PVV does not verify');
          }
        } finally {
          key.fill(0);
        }
      }),
      mode === 'generate'
        ? 'paycrypt pin pvv generate --pvk-file pvk.hex --pan 1122334455667788 --pvki 1 --pin-env PIN'
        : 'paycrypt pin pvv verify --pvk-file pvk.hex --pan 1122334455667788 --pvki 1 --pin-file pin.txt --pvv 8523',
    );
  }

  const ibm = pin.command('ibm3624').description('IBM 3624 PIN offsets');
  const ibmOffset = ibmOptions(ibm.command('offset').description('the offset that turns the natural PIN into this PIN'));
  pinOptions(ibmOffset);
  examples(
    ibmOffset
      .action((opts: Record<string, unknown>) => {
        const data = ibmData(opts);
        const thePin = readDigits(opts, 'pin', 4, 12);
        const key = readKey(opts, 'pvk', [16, 24]);
        try {
          const offset = engineInput(() => ibm3624Offset(key, { ...data, pin: thePin }), 'ibm3624');
          emit({ offset }, offset);
        } finally {
          key.fill(0);
        }
      }),
    'paycrypt pin ibm3624 offset --pvk-file pvk.hex --validation-data 1122334455667788 --decimalization-table 1234567890123456 --pin-file - <<< 1234',
  );
  examples(
    ibmOptions(ibm.command('pin').description('the PIN that an offset gives (natural PIN + offset)'))
      .requiredOption('--offset <digits>', 'the PIN offset (4 to 12 digits)')
      .action((opts: Record<string, unknown>) => {
        const data = ibmData(opts);
        const offset = digits(String(opts.offset), '--offset', 4, 12);
        const key = readKey(opts, 'pvk', [16, 24]);
        try {
          const thePin = engineInput(() => ibm3624PinFromOffset(key, { ...data, offset }), 'ibm3624');
          emit({ pin: thePin }, thePin);
        } finally {
          key.fill(0);
        }
      }),
    'paycrypt pin ibm3624 pin --pvk-file pvk.hex --validation-data 1122334455667788 --offset 0000',
  );
  const ibmVerify = ibmOptions(ibm.command('verify').description('check a PIN against its offset; exit 1 when it does not match')).requiredOption('--offset <digits>', 'the PIN offset');
  pinOptions(ibmVerify);
  examples(
    ibmVerify.action((opts: Record<string, unknown>) => {
      const data = ibmData(opts);
      const offset = digits(String(opts.offset), '--offset', 4, 12);
      const thePin = readDigits(opts, 'pin', 4, 12);
      const key = readKey(opts, 'pvk', [16, 24]);
      try {
        const ok = engineInput(() => verifyIbm3624Pin(key, { ...data, pin: thePin, offset }), 'ibm3624');
        process.exitCode = emitVerdict(ok, {}, ok ? 'PIN verified' : 'PIN does not verify');
      } finally {
        key.fill(0);
      }
    }),
    'paycrypt pin ibm3624 verify --pvk-file pvk.hex --validation-data 1122334455667788 --offset 7710 --pin-env PIN',
  );
}
