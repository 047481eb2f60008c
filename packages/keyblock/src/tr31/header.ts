import { KeyBlockError } from '../errors.js';
import { isAlnum, isDigits, isPrintable } from './chars.js';
import { isKnownAlgorithm, isKnownExportability, isKnownKeyContext, isKnownMode, isKnownUsage } from './attributes.js';
import { parseOptionalBlocks, serializeOptionalBlocks, type Tr31OptionalBlock } from './optional-blocks.js';
import type { Tr31ParseOptions } from './options.js';
import { versionFacts, type Tr31Version } from './versions.js';

/**
 * The key block header (X9.143:2021 §6.2, table 1): 16 characters
 *
 * | offset | length | field                                                   |
 * |--------|--------|---------------------------------------------------------|
 * | 0      | 1      | version                                                 |
 * | 1      | 4      | key block length (decimal)                              |
 * | 5      | 2      | key usage                                               |
 * | 7      | 1      | algorithm                                               |
 * | 8      | 1      | mode of use                                             |
 * | 9      | 2      | key version (`00` = none)                               |
 * | 11     | 1      | exportability                                           |
 * | 12     | 2      | number of optional blocks (decimal)                     |
 * | 14     | 1      | key context (X9.143; "reserved" `0` in TR-31:2018)      |
 * | 15     | 1      | reserved, `0`                                           |
 *
 * followed by the optional blocks.
 */
export interface Tr31Header {
  version: Tr31Version;
  keyUsage: string;
  algorithm: string;
  modeOfUse: string;
  keyVersion: string;
  exportability: string;
  keyContext: string;
  optionalBlocks: Tr31OptionalBlock[];
}

export const FIXED_HEADER_LENGTH = 16;
export const MAX_KEY_BLOCK_LENGTH = 9999;

function bad(code: 'INVALID_FORMAT' | 'INVALID_HEADER_FIELD', message: string, field?: string): KeyBlockError {
  return new KeyBlockError(code, message, field === undefined ? undefined : { field });
}

/** Checks the fixed fields' values: X9.143 tables, or just alphanumeric with `allowProprietaryValues`. */
export function checkHeaderValues(h: Tr31Header, options: Tr31ParseOptions): void {
  const proprietary = options.allowProprietaryValues === true;
  const field = (name: keyof Tr31Header, value: unknown, len: number, known: (v: string) => boolean, label: string): void => {
    if (typeof value !== 'string' || value.length !== len || !isAlnum(value)) {
      throw bad('INVALID_HEADER_FIELD', `${label} must be ${len} alphanumeric character${len > 1 ? 's' : ''}`, name);
    }
    if (!proprietary && !known(value)) {
      throw bad('INVALID_HEADER_FIELD', `${label} "${value}" is not in the X9.143 table (see allowProprietaryValues)`, name);
    }
  };
  field('keyUsage', h.keyUsage, 2, isKnownUsage, 'key usage');
  field('algorithm', h.algorithm, 1, isKnownAlgorithm, 'algorithm');
  field('modeOfUse', h.modeOfUse, 1, isKnownMode, 'mode of use');
  field('keyVersion', h.keyVersion, 2, () => true, 'key version');
  field('exportability', h.exportability, 1, isKnownExportability, 'exportability');
  field('keyContext', h.keyContext, 1, isKnownKeyContext, 'key context');
}

export interface ParsedHeaderAt {
  header: Tr31Header;
  /** Value of the 4-digit length field. */
  lengthField: number;
  /** Characters used by the header, optional blocks included. */
  headerLength: number;
}

/** Parses the header at the start of `s` (a header or a whole key block). */
export function parseHeaderAt(s: string, options: Tr31ParseOptions): ParsedHeaderAt {
  if (typeof s !== 'string') throw new TypeError(`"block" expected a string, got ${s === null ? 'null' : typeof s}`);
  if (s.length < FIXED_HEADER_LENGTH) throw bad('INVALID_FORMAT', `key block header needs 16 characters, got ${s.length}`);
  if (!isPrintable(s, 0, FIXED_HEADER_LENGTH)) throw bad('INVALID_FORMAT', 'key block header contains non-printable characters');
  const version = s[0]!;
  if (versionFacts(version) === undefined) {
    throw new KeyBlockError('UNSUPPORTED_VERSION', `key block version "${version}" is not supported (A, B, C, D or E)`, { field: 'version' });
  }
  const len = s.slice(1, 5);
  if (!isDigits(len)) throw bad('INVALID_FORMAT', 'key block length field must be 4 decimal digits', 'length');
  const count = s.slice(12, 14);
  if (!isDigits(count)) throw bad('INVALID_FORMAT', 'number of optional blocks must be 2 decimal digits', 'optionalBlocks');
  if (s[15] !== '0') throw bad('INVALID_HEADER_FIELD', 'reserved header byte 15 must be "0"', 'reserved');
  const { blocks, end } = parseOptionalBlocks(s, FIXED_HEADER_LENGTH, Number(count), options);
  const header: Tr31Header = {
    version: version as Tr31Version,
    keyUsage: s.slice(5, 7),
    algorithm: s[7]!,
    modeOfUse: s[8]!,
    keyVersion: s.slice(9, 11),
    exportability: s[11]!,
    keyContext: s[14]!,
    optionalBlocks: blocks,
  };
  checkHeaderValues(header, options);
  return { header, lengthField: Number(len), headerLength: end };
}

/**
 * Parses a header string: 16 characters plus its optional blocks, no encrypted part.
 * Its length field is returned as read (`lengthField`) and not checked against anything
 * (TR-34 carries headers whose length field describes no TR-31 block).
 */
export function parseTr31Header(header: string, options: Tr31ParseOptions = {}): Tr31Header & { lengthField: number } {
  const r = parseHeaderAt(header, options);
  if (r.headerLength !== header.length) {
    throw bad('INVALID_FORMAT', `header has ${header.length - r.headerLength} characters after its optional blocks`);
  }
  return { ...r.header, lengthField: r.lengthField };
}

/**
 * Serialises a header: 16 characters plus the optional blocks (in order; extended lengths as
 * `00 04 LLLL`). The length field is `totalLength` when given, else the header's own length.
 * Only the structure is checked here (field sizes, alphanumeric values, unique IDs, PB last);
 * value tables are checked by wrap and parse.
 */
export function serializeTr31Header(header: Tr31Header, totalLength?: number): string {
  if (header === null || typeof header !== 'object') throw new TypeError('"header" expected a Tr31Header object');
  if (versionFacts(header.version) === undefined) {
    throw new KeyBlockError('UNSUPPORTED_VERSION', `key block version "${String(header.version)}" is not supported (A, B, C, D or E)`, { field: 'version' });
  }
  checkHeaderValues(header, { allowProprietaryValues: true });
  const blocks = serializeOptionalBlocks(header.optionalBlocks ?? []);
  const length = totalLength ?? FIXED_HEADER_LENGTH + blocks.length;
  if (!Number.isInteger(length) || length < 0 || length > MAX_KEY_BLOCK_LENGTH) {
    throw new KeyBlockError('INVALID_LENGTH', `key block length ${length} does not fit the 4-digit length field`, { field: 'length' });
  }
  const count = (header.optionalBlocks ?? []).length;
  return (
    header.version +
    String(length).padStart(4, '0') +
    header.keyUsage +
    header.algorithm +
    header.modeOfUse +
    header.keyVersion +
    header.exportability +
    String(count).padStart(2, '0') +
    header.keyContext +
    '0' +
    blocks
  );
}
