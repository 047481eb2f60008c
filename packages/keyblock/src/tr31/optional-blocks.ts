import { KeyBlockError } from '../errors.js';
import { hexValue, isAlnum, isPrintable, toHex } from './chars.js';
import { optionalBlockFacts } from './optional-block-formats.js';
import type { Tr31ParseOptions } from './options.js';

/** One optional block, in header order. `raw` is its text as read (ID, length and data). */
export interface Tr31OptionalBlock {
  id: string;
  data: string;
  raw: string;
}

/** Longest optional block the 4-hex extended length can express. */
export const MAX_OPTIONAL_BLOCK_LENGTH = 0xffff;

function fail(message: string, field?: string): KeyBlockError {
  return new KeyBlockError('INVALID_OPTIONAL_BLOCK', message, field === undefined ? undefined : { field });
}

/**
 * Reads `count` optional blocks from `s` starting at `start`; returns them and the end offset.
 *
 * Length encoding (X9.143:2021 §6.3.6): 2 hex digits counting the whole block (ID, length and
 * data); `00` announces the extended form `00 LL NNNN` where LL = `04` is the number of length
 * characters that follow (psec writes `02`, counting bytes: accepted only with
 * `allowExtendedLength0002`; openemv/tr31 issue #4).
 */
export function parseOptionalBlocks(s: string, start: number, count: number, options: Tr31ParseOptions): { blocks: Tr31OptionalBlock[]; end: number } {
  const lower = options.allowLowerCaseHex === true;
  const blocks: Tr31OptionalBlock[] = [];
  const seen = new Set<string>();
  let p = start;
  for (let i = 0; i < count; i++) {
    const n = i + 1;
    if (p + 4 > s.length) throw fail(`optional block ${n} of ${count} is truncated`);
    const id = s.slice(p, p + 2);
    if (!isAlnum(id)) throw fail(`optional block ${n} has a non-alphanumeric ID`);
    let total = hexValue(s, p + 2, 2, lower);
    if (total < 0) throw fail(`optional block ${id} has a non-hex length`, id);
    let dataStart = p + 4;
    if (total === 0) {
      const lol = hexValue(s, p + 4, 2, lower);
      if (lol !== 4 && !(lol === 2 && options.allowExtendedLength0002 === true)) {
        throw fail(
          lol === 2
            ? `optional block ${id} uses psec's extended length 0002 (X9.143 requires 0004; see allowExtendedLength0002)`
            : `optional block ${id} has an invalid extended length (X9.143 requires 00 04 LLLL)`,
          id,
        );
      }
      total = hexValue(s, p + 6, 4, lower);
      if (total < 0) throw fail(`optional block ${id} has a non-hex extended length`, id);
      dataStart = p + 10;
    }
    if (total < dataStart - p) throw fail(`optional block ${id} length ${total} is shorter than its own header`, id);
    const end = p + total;
    if (end > s.length) throw fail(`optional block ${id} length ${total} runs past the end of the header`, id);
    if (!isPrintable(s, dataStart, end)) throw fail(`optional block ${id} data is not printable ASCII`, id);
    if (seen.has(id)) throw fail(`duplicate optional block ${id}`, id);
    if (seen.has('PB')) throw fail('optional block PB must be the last one', 'PB');
    seen.add(id);
    const data = s.slice(dataStart, end);
    if (options.allowNonStandardOptionalBlockData !== true) checkOptionalBlockData(id, data);
    blocks.push({ id, data, raw: s.slice(p, end) });
    p = end;
  }
  return { blocks, end: p };
}

/** Checks a registered block's data against its X9.143 format; unregistered IDs pass. */
export function checkOptionalBlockData(id: string, data: string): void {
  const facts = optionalBlockFacts(id);
  const problem = facts?.validate(data);
  if (problem !== undefined) throw fail(`optional block ${id} (${facts!.name}): ${problem}`, id);
}

/** One optional block as text: short length when it fits in 2 hex digits, else `00 04 LLLL`. */
export function serializeOptionalBlock(id: string, data: string): string {
  if (typeof id !== 'string' || id.length !== 2 || !isAlnum(id)) throw fail('optional block ID must be 2 alphanumeric characters');
  if (typeof data !== 'string' || !isPrintable(data)) throw fail(`optional block ${id} data must be printable ASCII`, id);
  const short = 4 + data.length;
  if (short <= 0xff) return id + toHex(short, 2) + data;
  const long = 10 + data.length;
  if (long > MAX_OPTIONAL_BLOCK_LENGTH) throw fail(`optional block ${id} is too long (${long} characters)`, id);
  return id + '0004' + toHex(long, 4) + data;
}

/** Serialises blocks in order, enforcing unique IDs and PB last. */
export function serializeOptionalBlocks(blocks: readonly { id: string; data: string }[]): string {
  if (!Array.isArray(blocks)) throw new TypeError('"optionalBlocks" expected an array');
  if (blocks.length > 99) throw fail(`at most 99 optional blocks, got ${blocks.length}`);
  const seen = new Set<string>();
  let out = '';
  for (const b of blocks) {
    if (seen.has(b.id)) throw fail(`duplicate optional block ${b.id}`, b.id);
    if (seen.has('PB')) throw fail('optional block PB must be the last one', 'PB');
    seen.add(b.id);
    out += serializeOptionalBlock(b.id, b.data);
  }
  return out;
}

/**
 * The smallest PB block that brings a header of `headerLength` characters to a multiple of
 * `blockSize`, or `undefined` if none is needed. PB data is `0` characters: alphanumeric, so it
 * cannot clash with HSM protocol delimiters, and deterministic (the header is not secret).
 */
export function minimalPaddingBlock(headerLength: number, blockSize: number): { id: string; data: string } | undefined {
  const rem = headerLength % blockSize;
  if (rem === 0) return undefined;
  let len = blockSize - rem;
  while (len < 4) len += blockSize;
  return { id: 'PB', data: '0'.repeat(len - 4) };
}
