import { bytesToHex, randomBytes } from '@paycrypt/primitives';
import { KeyBlockError } from '../errors.js';
import { algorithmFacts } from './attributes.js';
import { seal } from './binding.js';
import { asciiBytes } from './chars.js';
import { FIXED_HEADER_LENGTH, MAX_KEY_BLOCK_LENGTH, checkHeaderValues, parseTr31Header, serializeTr31Header, type Tr31Header } from './header.js';
import { PreparedKbpk, resolveKbpk } from './kbpk.js';
import { checkOptionalBlockData, minimalPaddingBlock, serializeOptionalBlocks } from './optional-blocks.js';
import type { Tr31WrapOptions } from './options.js';
import { checkKeyLength, checkPolicy } from './policy.js';
import { versionFacts } from './versions.js';

function structuredHeader(header: string | Tr31Header, options: Tr31WrapOptions): Tr31Header {
  if (typeof header === 'string') {
    const { lengthField: _ignored, ...h } = parseTr31Header(header, options);
    return h;
  }
  if (header === null || typeof header !== 'object') throw new TypeError('"header" expected a header string or a Tr31Header');
  if (versionFacts(header.version) === undefined) {
    throw new KeyBlockError('UNSUPPORTED_VERSION', `key block version "${String(header.version)}" is not supported (A, B, C, D or E)`, { field: 'version' });
  }
  checkHeaderValues(header, options);
  const blocks = header.optionalBlocks ?? [];
  if (!Array.isArray(blocks)) throw new TypeError('"header.optionalBlocks" expected an array');
  if (options.allowNonStandardOptionalBlockData !== true) for (const b of blocks) checkOptionalBlockData(b.id, b.data);
  return { ...header, optionalBlocks: blocks.map((b) => ({ id: b.id, data: b.data, raw: b.raw })) };
}

function paddingBytes(options: Tr31WrapOptions, n: number): Uint8Array {
  if (n === 0) return new Uint8Array(0);
  const r = options.random === undefined ? randomBytes(n) : options.random(n);
  if (!(r instanceof Uint8Array) || r.length !== n) throw new TypeError(`"random" must return a Uint8Array of ${n} bytes`);
  return r;
}

/**
 * Wraps `key` under `kbpk` into a key block (X9.143 output: upper-case hex, `00 04 LLLL`
 * extended lengths, a minimal PB block last when the header needs padding, key-length
 * obfuscation on by default). `header` is a header string (its length field is recomputed) or a
 * structured header. A PB block already present is kept if it pads the header correctly.
 */
export function wrapTr31(kbpk: Uint8Array | PreparedKbpk, header: string | Tr31Header, key: Uint8Array, options: Tr31WrapOptions = {}): string {
  if (!(kbpk instanceof Uint8Array) && !(kbpk instanceof PreparedKbpk)) {
    throw new TypeError(`"kbpk" expected Uint8Array or PreparedKbpk, got ${kbpk === null ? 'null' : typeof kbpk}`);
  }
  if (!(key instanceof Uint8Array)) throw new TypeError(`"key" expected Uint8Array, got ${key === null ? 'null' : typeof key}`);
  const h = structuredHeader(header, options);
  const f = versionFacts(h.version)!;
  const prepared = resolveKbpk(kbpk, f);
  checkKeyLength(h, key.length, options);
  if (key.length > 0x1fff) throw new KeyBlockError('INVALID_KEY_LENGTH', `key of ${key.length} bytes does not fit the 16-bit length field`, { field: 'key' });
  if (options.policy === true) checkPolicy(h, key.length, f, prepared.length);

  // optional blocks: keep the caller's PB if it pads correctly, else add a minimal one
  const bs = f.blockSize;
  let blocks = h.optionalBlocks;
  let headerLength = FIXED_HEADER_LENGTH + serializeOptionalBlocks(blocks).length;
  const last = blocks[blocks.length - 1];
  if (headerLength % bs !== 0) {
    if (last?.id === 'PB') {
      throw new KeyBlockError('INVALID_OPTIONAL_BLOCK', `optional block PB leaves the header at ${headerLength} characters, not a multiple of ${bs}`, { field: 'PB' });
    }
    const pb = minimalPaddingBlock(headerLength, bs)!;
    blocks = [...blocks, { ...pb, raw: '' }];
    headerLength = FIXED_HEADER_LENGTH + serializeOptionalBlocks(blocks).length;
  }

  // payload: 2-byte key length in bits ‖ key ‖ obfuscation and cipher padding (X9.143 §5.3)
  const facts = algorithmFacts(h.algorithm);
  const masked = options.maskedKeyLength ?? Math.max(key.length, facts?.maskedLength ?? key.length);
  if (!Number.isInteger(masked) || masked < key.length || masked > 0x1fff) {
    throw new RangeError(`"maskedKeyLength" expected an integer from ${key.length} (the key length) to ${0x1fff}, got ${masked}`);
  }
  let clearLength = 2 + masked;
  if (f.padPayload) clearLength = Math.ceil(clearLength / bs) * bs;
  const total = headerLength + 2 * clearLength + 2 * f.macLength;
  if (total > MAX_KEY_BLOCK_LENGTH) {
    throw new KeyBlockError('INVALID_LENGTH', `key block would be ${total} characters, more than ${MAX_KEY_BLOCK_LENGTH}`, { field: 'length' });
  }
  const headerText = serializeTr31Header({ ...h, optionalBlocks: blocks }, total);
  const pad = paddingBytes(options, clearLength - 2 - key.length);
  const input = new Uint8Array(headerLength + clearLength);
  asciiBytes(headerText, input);
  input[headerLength] = (key.length * 8) >>> 8;
  input[headerLength + 1] = (key.length * 8) & 0xff;
  input.set(key, headerLength + 2);
  input.set(pad, headerLength + 2 + key.length);
  const { mac, ciphertext } = seal(f, prepared.ciphersFor(f), input, headerLength);
  input.fill(0);
  return headerText + bytesToHex(ciphertext) + bytesToHex(mac);
}
