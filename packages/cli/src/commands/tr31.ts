import { Option, type Command } from 'commander';
import {
  AWS_EXPORTABILITY,
  KeyBlockError,
  MAC_FAILURE_MESSAGE,
  OPTIONAL_BLOCKS,
  TR31_ALGORITHMS,
  TR31_EXPORTABILITY,
  TR31_KEY_CONTEXTS,
  TR31_KEY_USAGES,
  TR31_MODES_OF_USE,
  awsKeyAlgorithmFromTr31,
  awsKeyAttributesFromTr31,
  awsKeyModesFromTr31,
  decodeOptionalBlock,
  parseTr31,
  tr31KeyUsageToAws,
  unwrapTr31,
  wrapTr31,
  type ParsedTr31,
  type Tr31Header,
  type Tr31ParseOptions,
  type TypedOptionalBlockId,
} from '@paycrypt/keyblock';
import { kcv } from '@paycrypt/primitives';
import { CliError, EXIT } from '../errors.js';
import { emit, jsonMode } from '../output.js';
import { readKey, readStdinOnce, secretOptions } from '../secrets.js';
import { clearKeyOptions, examples, hex, releaseClearKey } from './common.js';

const LENIENT: Tr31ParseOptions = {
  allowExtendedLength0002: true,
  allowLowerCaseHex: true,
  allowProprietaryValues: true,
  allowNonStandardOptionalBlockData: true,
};

const TYPED_BLOCKS = new Set<string>(['KS', 'IK', 'BI', 'KC', 'KP', 'PK', 'KV', 'HM', 'TS', 'TC', 'CT', 'DA', 'AL', 'LB', 'WP']);

function blockArg(value: string): string {
  const b = value === '-' ? readStdinOnce('block') : value;
  return b.trim();
}

/** JSON-friendly copy: byte arrays become upper-case hex. */
function plain(v: unknown): unknown {
  if (v instanceof Uint8Array) return hex(v);
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function describeHeader(h: Tr31Header): Record<string, unknown> {
  return {
    version: h.version,
    keyUsage: { code: h.keyUsage, name: TR31_KEY_USAGES[h.keyUsage]?.name ?? 'not in X9.143' },
    algorithm: { code: h.algorithm, name: TR31_ALGORITHMS[h.algorithm]?.name ?? 'not in X9.143' },
    modeOfUse: { code: h.modeOfUse, name: TR31_MODES_OF_USE[h.modeOfUse] ?? 'not in X9.143' },
    keyVersion: h.keyVersion,
    exportability: { code: h.exportability, name: TR31_EXPORTABILITY[h.exportability] ?? 'not in X9.143' },
    keyContext: { code: h.keyContext, name: TR31_KEY_CONTEXTS[h.keyContext] ?? 'not in X9.143' },
    optionalBlocks: h.optionalBlocks.map((b) => {
      const out: Record<string, unknown> = { id: b.id, name: OPTIONAL_BLOCKS[b.id]?.name ?? 'proprietary or unregistered', data: b.data };
      if (TYPED_BLOCKS.has(b.id)) {
        try {
          out.decoded = plain(decodeOptionalBlock(b.id as TypedOptionalBlockId, b.data));
        } catch (e) {
          out.decodeError = e instanceof Error ? e.message : 'does not decode';
        }
      }
      return out;
    }),
  };
}

/** The AWS attributes a header maps to; the key algorithm may depend on a key length the block hides. */
function awsMapping(h: Tr31Header, keyLength?: number): { attributes?: Record<string, unknown>; notRepresentable: string[] } {
  const problems: string[] = [];
  const attributes: Record<string, unknown> = { KeyClass: 'SYMMETRIC_KEY' };
  const attempt = (name: string, f: () => unknown): void => {
    try {
      attributes[name] = f();
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
    }
  };
  attempt('KeyUsage', () => tr31KeyUsageToAws(h.keyUsage));
  if (keyLength !== undefined) {
    attempt('KeyAlgorithm', () => awsKeyAlgorithmFromTr31(h, keyLength));
  } else {
    const lengths = TR31_ALGORITHMS[h.algorithm]?.keyLengths ?? [0];
    const candidates = [...new Set(lengths.flatMap((n) => {
      try {
        return [awsKeyAlgorithmFromTr31(h, n)];
      } catch {
        return [];
      }
    }))];
    if (candidates.length === 0) attempt('KeyAlgorithm', () => awsKeyAlgorithmFromTr31(h, lengths[0]!));
    else attributes.KeyAlgorithm = candidates.length === 1 ? candidates[0] : { oneOf: candidates, why: 'the key length is hidden by the encrypted payload' };
  }
  attempt('KeyModesOfUse', () => awsKeyModesFromTr31(h.modeOfUse));
  attributes.Exportability = AWS_EXPORTABILITY[h.exportability] ?? 'none';
  return { attributes, notRepresentable: problems };
}

/** What the usage × algorithm × mode-of-use table of X9.143 says about the header (no key needed). */
function policyObjections(h: Tr31Header): string[] {
  const u = TR31_KEY_USAGES[h.keyUsage];
  if (u === undefined) return [];
  const out: string[] = [];
  if (!u.algorithms.includes(h.algorithm)) out.push(`key usage ${h.keyUsage} (${u.name}) allows algorithms ${u.algorithms.split('').join(', ')}, not ${h.algorithm}`);
  if (!u.modes.includes(h.modeOfUse)) out.push(`key usage ${h.keyUsage} (${u.name}) allows modes of use ${u.modes.split('').join(', ')}, not ${h.modeOfUse}`);
  return out;
}

function keyBlockError(e: unknown): CliError {
  if (e instanceof KeyBlockError) {
    if (e.code === 'MAC_VERIFICATION_FAILED') return new CliError('MAC_VERIFICATION_FAILED', MAC_FAILURE_MESSAGE, { details: { engineCode: e.code } });
    return new CliError('KEY_BLOCK_INVALID', e.message, { details: { engineCode: e.code, ...(e.field === undefined ? {} : { field: e.field }) } });
  }
  if (e instanceof CliError) return e;
  return new CliError('KEY_BLOCK_INVALID', e instanceof Error ? e.message : 'invalid key block');
}

function inspect(blockText: string): number {
  const block = blockArg(blockText);
  let strictError: KeyBlockError | undefined;
  let parsed: ParsedTr31;
  try {
    parsed = parseTr31(block);
  } catch (e) {
    if (!(e instanceof KeyBlockError)) throw e;
    strictError = e;
    try {
      parsed = parseTr31(block, LENIENT);
    } catch (e2) {
      throw keyBlockError(e2);
    }
  }
  const { attributes, notRepresentable } = awsMapping(parsed);
  const policy = policyObjections(parsed);
  const strict = strictError === undefined ? { accepted: true } : { accepted: false, code: strictError.code, field: strictError.field, objection: strictError.message };
  const result = {
    header: describeHeader(parsed),
    blockLength: parsed.blockLength,
    headerLength: parsed.headerLength,
    payloadBytes: parsed.payloadLength,
    mac: parsed.mac,
    strict,
    policy: { objections: policy },
    aws: { attributes, notRepresentable },
  };
  if (jsonMode.on) {
    const out = strictError === undefined ? { ok: true, ...result } : { ok: false, error: { code: 'KEY_BLOCK_INVALID', message: strictError.message, engineCode: strictError.code }, ...result };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else {
    const h = result.header as Record<string, { code: string; name: string } | string | unknown[]>;
    const f = (k: string): string => {
      const v = h[k] as { code: string; name: string };
      return `${v.code} (${v.name})`;
    };
    const lines = [
      `version:        ${parsed.version}`,
      `key usage:      ${f('keyUsage')}`,
      `algorithm:      ${f('algorithm')}`,
      `mode of use:    ${f('modeOfUse')}`,
      `key version:    ${parsed.keyVersion}`,
      `exportability:  ${f('exportability')}`,
      `key context:    ${f('keyContext')}`,
      `length:         ${parsed.blockLength} characters, header ${parsed.headerLength}, payload ${parsed.payloadLength} bytes, MAC ${parsed.mac}`,
    ];
    for (const b of result.header.optionalBlocks as Record<string, unknown>[]) {
      lines.push(`optional block: ${String(b.id)} (${String(b.name)}) ${String(b.data)}${b.decoded !== undefined ? ` = ${JSON.stringify(b.decoded)}` : ''}${b.decodeError !== undefined ? ` [does not decode: ${String(b.decodeError)}]` : ''}`);
    }
    lines.push(`AWS:            ${JSON.stringify(attributes)}`);
    for (const p of notRepresentable) lines.push(`AWS objects:    ${p}`);
    for (const p of policy) lines.push(`policy:         ${p}`);
    lines.push(strictError === undefined ? 'strict parser:  accepts' : `strict parser:  refuses (${strictError.code}): ${strictError.message}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return strictError === undefined ? EXIT.ok : EXIT.verification;
}

function keyKcv(h: Tr31Header, key: Uint8Array): { kcv: string; kcvMethod: string } | undefined {
  if (h.algorithm === 'T' && (key.length === 16 || key.length === 24)) return { kcv: hex(kcv(key, 'TDES')), kcvMethod: 'ANSI_X9_24' };
  if (h.algorithm === 'A' && [16, 24, 32].includes(key.length)) return { kcv: hex(kcv(key, 'AES')), kcvMethod: 'CMAC' };
  return undefined;
}

export function registerTr31(program: Command): void {
  const tr31 = program.command('tr31').description('TR-31 / ANSI X9.143 key blocks: inspect, wrap, unwrap');
  examples(tr31, 'paycrypt tr31 inspect D0112P0AE00E0000...', 'paycrypt tr31 unwrap --kbpk-file kbpk.hex BLOCK');

  examples(
    tr31
      .command('inspect')
      .description('decode a key block without any key: header, optional blocks, the AWS attributes it maps to, what a strict parser objects to')
      .argument('<block>', 'the key block ("-" = stdin)')
      .action((block: string) => {
        process.exitCode = inspect(block);
      }),
    'paycrypt tr31 inspect A0072K0TN00N0000F40D5672C6D0EC86F860BA88D44D00F0CA9A8CE8CD2F640287A9A9EB',
    'paycrypt --json tr31 inspect "$(cat block.txt)"',
  );

  const unwrap = tr31
    .command('unwrap')
    .description('verify and decrypt a key block; prints the header and the KCV of the key (the clear key only with --print-key or --key-out)')
    .argument('<block>', 'the key block ("-" = stdin)')
    .addOption(new Option('--lenient', 'accept lower-case hex, psec 0002 lengths, proprietary values, non-standard optional-block data and key lengths'))
    .addOption(new Option('--policy', 'enforce the X9.143 usage × algorithm × mode table and refuse a key stronger than the KBPK'));
  secretOptions(unwrap, 'kbpk', 'key block protection key');
  clearKeyOptions(unwrap);
  examples(
    unwrap.action((block: string, opts: Record<string, unknown>) => {
      const kbpk = readKey(opts, 'kbpk', [16, 24, 32]);
      const text = blockArg(block);
      let header: Tr31Header;
      let key: Uint8Array;
      try {
        ({ header, key } = unwrapTr31(kbpk, text, { ...(opts.lenient === true ? { ...LENIENT, allowNonStandardKeyLength: true } : {}), policy: opts.policy === true }));
      } catch (e) {
        throw keyBlockError(e);
      } finally {
        kbpk.fill(0);
      }
      try {
        const check = keyKcv(header, key);
        let aws: Record<string, unknown> | undefined;
        try {
          aws = { ...awsKeyAttributesFromTr31(header, key.length) };
        } catch {
          aws = undefined;
        }
        const fields = releaseClearKey(opts, hex(key), {
          header: describeHeader(header),
          keyLength: key.length,
          ...(check ?? {}),
          ...(aws === undefined ? {} : { aws }),
        });
        const lines = [
          `header:      ${header.version} ${header.keyUsage} ${header.algorithm} ${header.modeOfUse} version ${header.keyVersion} exportability ${header.exportability}`,
          `key length:  ${key.length} bytes`,
          ...(check === undefined ? [] : [`KCV:         ${check.kcv} (${check.kcvMethod})`]),
          ...(aws === undefined ? [] : [`AWS:         ${JSON.stringify(aws)}`]),
          ...(typeof fields.key === 'string' ? [`key:         ${fields.key}`] : []),
          ...(typeof fields.keyFile === 'string' ? [`key written: ${fields.keyFile}`] : []),
        ];
        emit(fields, lines);
      } finally {
        key.fill(0);
      }
    }),
    'paycrypt tr31 unwrap --kbpk-file kbpk.hex A0072K0TN00N0000F40D5672C6D0EC86F860BA88D44D00F0CA9A8CE8CD2F640287A9A9EB',
    'paycrypt tr31 unwrap --kbpk-env KBPK --key-out key.hex "$(cat block.txt)"',
  );

  const wrap = tr31
    .command('wrap')
    .description('wrap a key into a key block under a KBPK (X9.143 output, key-length obfuscation on by default)')
    .requiredOption('--header <header>', 'the 16-character header with any optional blocks; its length field is recomputed (e.g. D0000P0AE00E0000)')
    .addOption(new Option('--masked-key-length <bytes>', 'obfuscate the key length to this many bytes (default 24 for TDES, 32 for AES)'))
    .addOption(new Option('--no-obfuscation', 'do not hide the key length (payload holds exactly the key)'))
    .addOption(new Option('--policy', 'enforce the X9.143 usage × algorithm × mode table and refuse a key stronger than the KBPK'));
  secretOptions(wrap, 'kbpk', 'key block protection key');
  secretOptions(wrap, 'key', 'the key to wrap');
  examples(
    wrap.action((opts: Record<string, unknown>) => {
      const kbpk = readKey(opts, 'kbpk', [16, 24, 32]);
      const key = readKey(opts, 'key');
      try {
        let masked: number | undefined;
        if (opts.obfuscation === false) masked = key.length;
        else if (opts.maskedKeyLength !== undefined) {
          masked = Number(opts.maskedKeyLength);
          if (!Number.isInteger(masked) || masked < key.length) throw new CliError('USAGE', `--masked-key-length: expected an integer of at least the key length (${key.length})`);
        }
        const header = String(opts.header);
        let block: string;
        try {
          block = wrapTr31(kbpk, header, key, { ...(masked === undefined ? {} : { maskedKeyLength: masked }), policy: opts.policy === true });
        } catch (e) {
          throw keyBlockError(e);
        }
        const parsed = parseTr31(block);
        const check = keyKcv(parsed, key);
        emit({ keyBlock: block, ...(check ?? {}) }, [block, ...(check === undefined ? [] : [`KCV: ${check.kcv} (${check.kcvMethod})`])]);
      } finally {
        kbpk.fill(0);
        key.fill(0);
      }
    }),
    'paycrypt tr31 wrap --kbpk-file kbpk.hex --key-file cvk.hex --header D0000C0TC00E0000',
    'paycrypt tr31 wrap --kbpk-env KBPK --key-file - --header B0000P0TE00N0000 --no-obfuscation < key.hex',
  );
}
