import { Option, type Command } from 'commander';
import { EMV_SCHEMES, EmvIssuerMasterKey, generateArpc, iso9797Pad, type Iso9797Padding, type ArpcRequest, type EmvCryptogramInput, type EmvSchemeName, type IccMasterKeyDerivationMode } from '@paycrypt/primitives';
import { CliError } from '../errors.js';
import { emit, emitVerdict } from '../output.js';
import { readKey, readOptionalKey, secretOptions } from '../secrets.js';
import { digits, engineInput, examples, hex, hexInput } from './common.js';

const SCHEMES = Object.keys(EMV_SCHEMES) as EmvSchemeName[];

function schemeName(v: unknown): EmvSchemeName {
  const s = SCHEMES.find((n) => n.toLowerCase() === String(v).toLowerCase());
  if (s === undefined) throw new CliError('USAGE', `--scheme: expected one of ${SCHEMES.join(', ')}`);
  return s;
}

function cardOptions(cmd: Command): Command {
  secretOptions(cmd, 'imk', 'issuer master key (TDES, 16 bytes): IMK-AC for ARQC/ARPC');
  return cmd
    .requiredOption('--scheme <scheme>', `session-key derivation as AWS names it: ${SCHEMES.join(', ')}`)
    .requiredOption('--pan <digits>', 'primary account number')
    .addOption(new Option('--psn <digits>', 'PAN sequence number, 2 digits').default('00'))
    .addOption(new Option('--derivation <mode>', 'ICC master key derivation: EMV_OPTION_A or EMV_OPTION_B').default('EMV_OPTION_A'))
    .addOption(new Option('--atc <hex>', 'application transaction counter, 2 bytes (tag 9F36)'))
    .addOption(new Option('--unpredictable-number <hex>', 'unpredictable number, 4 bytes (tag 9F37)'))
    .addOption(new Option('--padding <method>', 'pad the transaction data: none (as AWS: already a multiple of 8 bytes), ISO 9797-1 method 1 or 2').default('none'));
}

function cardInput(opts: Record<string, unknown>): EmvCryptogramInput {
  const mode = String(opts.derivation).toUpperCase();
  if (mode !== 'EMV_OPTION_A' && mode !== 'EMV_OPTION_B') throw new CliError('USAGE', '--derivation: expected EMV_OPTION_A or EMV_OPTION_B');
  return {
    scheme: schemeName(opts.scheme),
    pan: digits(String(opts.pan), '--pan', 12, 19),
    panSequenceNumber: digits(String(opts.psn), '--psn', 2, 2),
    majorKeyDerivationMode: mode as IccMasterKeyDerivationMode,
    ...(opts.atc === undefined ? {} : { atc: hexInput(String(opts.atc), '--atc', [2]) }),
    ...(opts.unpredictableNumber === undefined ? {} : { unpredictableNumber: hexInput(String(opts.unpredictableNumber), '--unpredictable-number', [4]) }),
  };
}

/** The MACed data: as given (AWS adds no padding), or padded by ISO 9797-1 method 1 (zeros) or 2 (80 00…). */
function transactionData(opts: Record<string, unknown>): Uint8Array {
  const d = hexInput(String(opts.transactionData), '--transaction-data');
  const padding = String(opts.padding ?? 'none');
  if (padding === '1' || padding === '2') return iso9797Pad(d, 8, Number(padding) as Iso9797Padding);
  if (padding !== 'none') throw new CliError('USAGE', '--padding: expected none, 1 or 2');
  if (d.length % 8 !== 0) throw new CliError('INVALID_INPUT', `--transaction-data: expected a multiple of 8 bytes (or give --padding 1 or 2), got ${d.length}`);
  return d;
}

function arpcRequest(opts: Record<string, unknown>): ArpcRequest {
  const method = String(opts.method);
  if (method === '1') {
    if (opts.arc === undefined) throw new CliError('USAGE', 'ARPC method 1 needs --arc (authorisation response code, 2 bytes)');
    return { method: 1, authResponseCode: hexInput(String(opts.arc), '--arc', [2]) };
  }
  if (method === '2') {
    if (opts.csu === undefined) throw new CliError('USAGE', 'ARPC method 2 needs --csu (card status update, 4 bytes)');
    return {
      method: 2,
      cardStatusUpdate: hexInput(String(opts.csu), '--csu', [4]),
      ...(opts.proprietaryData === undefined ? {} : { proprietaryAuthenticationData: hexInput(String(opts.proprietaryData), '--proprietary-data') }),
    };
  }
  throw new CliError('USAGE', '--method: expected 1 or 2');
}

export function registerEmv(program: Command): void {
  const emv = program.command('emv').description('EMV application cryptograms: ARQC generate/verify and ARPC, from the issuer master key');
  examples(emv, 'paycrypt emv arqc verify --imk-file imk.hex --scheme Visa --pan 9137631040001422 --psn 01 --transaction-data ... --arqc D791093C8A921769');

  const arqc = emv.command('arqc').description('authorisation request cryptogram (ARQC)');
  examples(
    cardOptions(arqc.command('generate').description('compute the ARQC a card would send'))
      .requiredOption('--transaction-data <hex>', 'the data the card MACs (see --padding)')
      .action((opts: Record<string, unknown>) => {
        const input = { ...cardInput(opts), transactionData: transactionData(opts) };
        const imk = readKey(opts, 'imk', [16]);
        try {
          const value = engineInput(() => new EmvIssuerMasterKey(imk).generateArqc(input), 'arqc');
          emit({ scheme: input.scheme, arqc: hex(value) }, hex(value));
        } finally {
          imk.fill(0);
        }
      }),
    'paycrypt emv arqc generate --imk-file imk.hex --scheme EmvCommon --pan 9137631040001422 --psn 01 --atc 000B --transaction-data 0000...',
  );
  examples(
    cardOptions(arqc.command('verify').description('check an ARQC; exit 1 when it does not match; with --method also print the ARPC'))
      .requiredOption('--transaction-data <hex>', 'the data the card MACed (see --padding)')
      .requiredOption('--arqc <hex>', 'the ARQC to check (8 bytes)')
      .addOption(new Option('--method <n>', 'also compute the ARPC by method 1 or 2 when the ARQC verifies'))
      .addOption(new Option('--arc <hex>', 'ARPC method 1: authorisation response code (2 bytes)'))
      .addOption(new Option('--csu <hex>', 'ARPC method 2: card status update (4 bytes)'))
      .addOption(new Option('--proprietary-data <hex>', 'ARPC method 2: proprietary authentication data'))
      .action((opts: Record<string, unknown>) => {
        const input = { ...cardInput(opts), transactionData: transactionData(opts) };
        const cryptogram = hexInput(String(opts.arqc), '--arqc', [8]);
        const request = opts.method === undefined ? undefined : arpcRequest(opts);
        const imk = readKey(opts, 'imk', [16]);
        try {
          const r = engineInput(() => new EmvIssuerMasterKey(imk).verifyArqcAndRespond(input, cryptogram, request), 'arqc');
          const fields = { scheme: input.scheme, ...(r.arpc === undefined ? {} : { arpc: hex(r.arpc) }) };
          process.exitCode = emitVerdict(r.verified, fields, r.verified ? `ARQC verified${r.arpc === undefined ? '' : `; ARPC ${hex(r.arpc)}`}` : 'ARQC does not verify');
        } finally {
          imk.fill(0);
        }
      }),
    'paycrypt emv arqc verify --imk-file imk.hex --scheme Visa --pan 9137631040001422 --psn 01 --transaction-data 0000... --arqc D791093C8A921769 --method 1 --arc 3030',
  );

  const arpc = emv
    .command('arpc')
    .description('authorisation response cryptogram (ARPC, EMV Book 2 8.2 methods 1 and 2), from the IMK or from the ARPC session key')
    .requiredOption('--arqc <hex>', 'the ARQC the response answers (8 bytes)')
    .requiredOption('--method <n>', '1 or 2')
    .addOption(new Option('--arc <hex>', 'method 1: authorisation response code (2 bytes)'))
    .addOption(new Option('--csu <hex>', 'method 2: card status update (4 bytes)'))
    .addOption(new Option('--proprietary-data <hex>', 'method 2: proprietary authentication data'))
    .addOption(new Option('--scheme <scheme>', `with --imk-*: ${SCHEMES.join(', ')}`))
    .addOption(new Option('--pan <digits>', 'with --imk-*: primary account number'))
    .addOption(new Option('--psn <digits>', 'with --imk-*: PAN sequence number').default('00'))
    .addOption(new Option('--derivation <mode>', 'with --imk-*: EMV_OPTION_A or EMV_OPTION_B').default('EMV_OPTION_A'))
    .addOption(new Option('--atc <hex>', 'with --imk-*: application transaction counter (2 bytes)'))
    .addOption(new Option('--unpredictable-number <hex>', 'with --imk-*: unpredictable number (4 bytes)'));
  secretOptions(arpc, 'imk', 'issuer master key IMK-AC (TDES, 16 bytes)');
  secretOptions(arpc, 'session-key', 'the ARPC session key itself (16 bytes) instead of the IMK');
  examples(
    arpc.action((opts: Record<string, unknown>) => {
      const cryptogram = hexInput(String(opts.arqc), '--arqc', [8]);
      const request = arpcRequest(opts);
      const sk = readOptionalKey(opts, 'session-key', [16]);
      const imk = sk === undefined ? readOptionalKey(opts, 'imk', [16]) : undefined;
      if ((sk === undefined) === (imk === undefined)) throw new CliError('USAGE', 'give one of --imk-file/--imk-env (with --scheme and --pan) and --session-key-file/--session-key-env');
      try {
        let value: Uint8Array;
        if (sk !== undefined) value = engineInput(() => generateArpc(sk, cryptogram, request), 'arpc');
        else {
          if (opts.scheme === undefined || opts.pan === undefined) throw new CliError('USAGE', '--imk-* needs --scheme and --pan');
          const input = { ...cardInput(opts), applicationCryptogram: cryptogram };
          value = engineInput(() => new EmvIssuerMasterKey(imk!).generateArpc(input, cryptogram, request), 'arpc');
        }
        emit({ method: request.method, arpc: hex(value) }, hex(value));
      } finally {
        sk?.fill(0);
        imk?.fill(0);
      }
    }),
    'paycrypt emv arpc --session-key-file sk.hex --arqc 1234567890ABCDEF --method 1 --arc 0000',
    'paycrypt emv arpc --imk-file imk.hex --scheme Visa --pan 9137631040001422 --psn 01 --arqc D791093C8A921769 --method 2 --csu 00000000',
  );
}
