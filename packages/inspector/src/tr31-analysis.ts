import {
  KeyBlockError,
  OPTIONAL_BLOCKS,
  TR31_ALGORITHMS,
  TR31_EXPORTABILITY,
  TR31_KEY_CONTEXTS,
  TR31_KEY_USAGES,
  TR31_MODES_OF_USE,
  TR31_VERSIONS,
  decodeOptionalBlock,
  parseTr31,
  tr31KeyUsageToAws,
  awsKeyModesFromTr31,
  awsExportabilityFromTr31,
  type ParsedTr31,
  type Tr31ParseOptions,
  type TypedOptionalBlockId,
} from '@paycrypt/keyblock';
import { bytesToHex } from '@paycrypt/primitives';
import { Certificate } from '@paycrypt/tr34';

/**
 * What the TR-31 view shows about a block without any key: the header fields at their
 * character positions, the optional blocks decoded, and every strict-parser finding.
 * All the facts come from @paycrypt/keyblock's tables; this file only places them.
 */

export interface Span {
  start: number;
  end: number;
}

export interface HeaderField extends Span {
  key: string;
  label: string;
  value: string;
  meaning: string;
}

export interface OptionalBlockView extends Span {
  id: string;
  name: string;
  data: string;
  decoded: string | undefined;
}

export interface Finding extends Span {
  code: string;
  message: string;
  /** The leniency option that accepts this (undefined: nothing does). */
  acceptedBy: keyof Tr31ParseOptions | undefined;
}

export interface Tr31Analysis {
  block: string;
  fields: HeaderField[];
  optionalBlocks: OptionalBlockView[];
  payload: Span | undefined;
  mac: Span | undefined;
  /** The block as read by the strict parser, or with the leniency it needed; undefined when even lenient parsing fails. */
  parsed: ParsedTr31 | undefined;
  /** The options `parsed` needed ({} when strict parsing succeeded). */
  options: Tr31ParseOptions;
  findings: Finding[];
  /** AWS names that do not depend on the key length. */
  aws: { label: string; value: string }[];
}

const LENIENCY: readonly (keyof Tr31ParseOptions)[] = ['allowExtendedLength0002', 'allowLowerCaseHex', 'allowProprietaryValues', 'allowNonStandardOptionalBlockData'];
const ALL_LENIENT: Tr31ParseOptions = Object.fromEntries(LENIENCY.map((k) => [k, true]));

export const LENIENCY_TEXT: Readonly<Record<keyof Tr31ParseOptions, string>> = {
  allowExtendedLength0002: "psec's extended optional-block length 0002",
  allowLowerCaseHex: 'lower-case hex',
  allowProprietaryValues: 'values outside the X9.143 tables',
  allowNonStandardOptionalBlockData: 'optional-block data outside its X9.143 format',
};

/** Fixed header layout (X9.143:2021 table 1). */
const FIXED: readonly (readonly [key: string, label: string, start: number, end: number])[] = [
  ['version', 'Version', 0, 1],
  ['length', 'Key block length', 1, 5],
  ['keyUsage', 'Key usage', 5, 7],
  ['algorithm', 'Algorithm', 7, 8],
  ['modeOfUse', 'Mode of use', 8, 9],
  ['keyVersion', 'Key version', 9, 11],
  ['exportability', 'Exportability', 11, 12],
  ['optionalBlocks', 'Optional blocks', 12, 14],
  ['keyContext', 'Key context', 14, 15],
  ['reserved', 'Reserved', 15, 16],
];

const own = <T>(o: Readonly<Record<string, T>>, k: string): T | undefined => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);

function meaning(key: string, value: string, block: string): string {
  switch (key) {
    case 'version': {
      const v = own(TR31_VERSIONS, value);
      return v === undefined ? 'unknown version' : `${v.standard}; ${v.kbpkFamily} KBPK, ${v.binding === 'variant' ? 'key variant binding' : v.binding === 'derive-cbc' ? 'CMAC-derived keys, CBC' : 'CMAC-derived keys, CTR'}, ${v.macLength}-byte MAC`;
    }
    case 'length':
      return /^\d{4}$/.test(value) ? `${Number(value)} characters${Number(value) === block.length ? '' : ` (the block has ${block.length})`}` : 'not 4 digits';
    case 'keyUsage':
      return own(TR31_KEY_USAGES, value)?.name ?? 'not in the X9.143 table';
    case 'algorithm':
      return own(TR31_ALGORITHMS, value)?.name ?? 'not in the X9.143 table';
    case 'modeOfUse':
      return own(TR31_MODES_OF_USE, value) ?? 'not in the X9.143 table';
    case 'keyVersion':
      return value === '00' ? 'no key version' : value[0] === 'c' ? `component ${value[1]}` : `version ${value}`;
    case 'exportability':
      return own(TR31_EXPORTABILITY, value) ?? 'not in the X9.143 table';
    case 'optionalBlocks':
      return /^\d{2}$/.test(value) ? `${Number(value)} optional block${Number(value) === 1 ? '' : 's'}` : 'not 2 digits';
    case 'keyContext':
      return own(TR31_KEY_CONTEXTS, value) ?? 'not in the X9.143 table';
    default:
      return value === '0' ? 'must be 0' : 'must be 0 (is not)';
  }
}

function describeValue(v: unknown): string {
  if (v instanceof Uint8Array) return v.length <= 32 ? bytesToHex(v) : `${v.length} bytes (${bytesToHex(v.subarray(0, 8))}…)`;
  if (Array.isArray(v)) return v.map(describeValue).join(', ');
  if (v !== null && typeof v === 'object') {
    return Object.entries(v)
      .map(([k, x]) => `${k}: ${describeValue(x)}`)
      .join('; ');
  }
  const text = String(v);
  return text.length <= 80 ? text : `${text.length} characters (${text.slice(0, 24)}…)`;
}

/** CT entries: X.509 certificates read by @paycrypt/tr34 (subject and validity). */
function describeCertificates(data: string): string {
  const ct = decodeOptionalBlock('CT', data);
  const list = ct.certificates.map((c) => {
    if (c.format !== 'X509') return `EMV certificate, ${c.base64.length} characters`;
    try {
      const der = Uint8Array.from(atob(c.base64), (ch) => ch.charCodeAt(0));
      const cert = Certificate.parse(der);
      return `X.509 ${cert.subject} (valid ${cert.notBefore.toISOString().slice(0, 10)} to ${cert.notAfter.toISOString().slice(0, 10)})`;
    } catch {
      return 'X.509 certificate (not readable)';
    }
  });
  return `${ct.chain ? 'chain' : 'one certificate'}: ${list.join('; ')}`;
}

function decodeBlock(id: string, data: string): string | undefined {
  if (own(OPTIONAL_BLOCKS, id) === undefined) return undefined;
  try {
    if (id === 'CT') return describeCertificates(data);
    return describeValue(decodeOptionalBlock(id as TypedOptionalBlockId, data));
  } catch {
    return undefined;
  }
}

function tryParse(block: string, options: Tr31ParseOptions): { parsed: ParsedTr31 } | { error: KeyBlockError | Error } {
  try {
    return { parsed: parseTr31(block, options) };
  } catch (e) {
    return { error: e instanceof Error ? e : new Error('unexpected error') };
  }
}

/** Character range an error is about, from its `field` and what is known of the layout. */
function spanOf(e: Error, a: Pick<Tr31Analysis, 'optionalBlocks' | 'payload' | 'mac' | 'block'>): Span {
  const field = e instanceof KeyBlockError ? e.field : undefined;
  const fixed = FIXED.find((f) => f[0] === field);
  if (fixed !== undefined) return { start: fixed[2], end: Math.min(fixed[3], Math.max(a.block.length, fixed[2] + 1)) };
  if (field === 'payload' && a.payload !== undefined) return a.payload;
  if (field === 'mac' && a.mac !== undefined) return a.mac;
  const ob = a.optionalBlocks.find((b) => b.id === field);
  if (ob !== undefined) return ob;
  if (field !== undefined && field.length === 2) {
    // an optional block the parser could not finish: find its ID after the fixed header
    const at = a.block.indexOf(field, 16);
    if (at >= 0) return { start: at, end: Math.min(a.block.length, at + 4) };
  }
  if (field === 'payload' || field === 'mac' || field === 'optionalBlocks') return { start: 16, end: a.block.length };
  return { start: 0, end: a.block.length };
}

/** Optional-block positions, read by walking their length fields (for highlighting only). */
function optionalBlockSpans(parsed: ParsedTr31): OptionalBlockView[] {
  const out: OptionalBlockView[] = [];
  let p = 16;
  for (const b of parsed.optionalBlocks) {
    out.push({ id: b.id, name: own(OPTIONAL_BLOCKS, b.id)?.name ?? 'proprietary or unregistered', data: b.data, decoded: decodeBlock(b.id, b.data), start: p, end: p + b.raw.length });
    p += b.raw.length;
  }
  return out;
}

export function analyseTr31(input: string): Tr31Analysis {
  const block = input.trim();
  const a: Tr31Analysis = { block, fields: [], optionalBlocks: [], payload: undefined, mac: undefined, parsed: undefined, options: {}, findings: [], aws: [] };
  for (const [key, label, start, end] of FIXED) {
    if (block.length < end) break;
    const value = block.slice(start, end);
    a.fields.push({ key, label, value, meaning: meaning(key, value, block), start, end });
  }
  const strict = tryParse(block, {});
  const lenient = 'parsed' in strict ? strict : tryParse(block, ALL_LENIENT);
  if ('parsed' in lenient) {
    const parsed = lenient.parsed;
    a.parsed = parsed;
    a.optionalBlocks = optionalBlockSpans(parsed);
    a.payload = { start: parsed.headerLength, end: parsed.headerLength + parsed.payloadLength * 2 };
    a.mac = { start: block.length - parsed.mac.length, end: block.length };
  }
  if ('error' in strict) {
    if ('parsed' in lenient) {
      // which leniency options were needed: drop each one in turn
      const needed: (keyof Tr31ParseOptions)[] = [];
      for (const k of LENIENCY) {
        const r = tryParse(block, { ...ALL_LENIENT, [k]: false });
        if ('error' in r) {
          needed.push(k);
          a.findings.push({ ...spanOf(r.error, a), code: codeOf(r.error), message: r.error.message, acceptedBy: k });
        }
      }
      a.options = Object.fromEntries(needed.map((k) => [k, true]));
      if (a.findings.length === 0) a.findings.push({ ...spanOf(strict.error, a), code: codeOf(strict.error), message: strict.error.message, acceptedBy: undefined });
    } else {
      a.findings.push({ ...spanOf(strict.error, a), code: codeOf(strict.error), message: strict.error.message, acceptedBy: undefined });
    }
  }
  if (a.parsed !== undefined) {
    const h = a.parsed;
    const add = (label: string, f: () => string): void => {
      try {
        a.aws.push({ label, value: f() });
      } catch (e) {
        a.aws.push({ label, value: `— ${e instanceof Error ? e.message : 'not representable'}` });
      }
    };
    add('KeyUsage', () => tr31KeyUsageToAws(h.keyUsage));
    add('KeyModesOfUse', () =>
      Object.entries(awsKeyModesFromTr31(h.modeOfUse))
        .filter(([, on]) => on === true)
        .map(([k]) => k)
        .join(', ') || 'none',
    );
    add('KeyExportability', () => awsExportabilityFromTr31(h.exportability));
  }
  return a;
}

function codeOf(e: Error): string {
  return e instanceof KeyBlockError ? e.code : e.name;
}
