import { bytesToHex, hexToBytes, kcv } from '@paycrypt/primitives';
import { KeyBlockError } from '../errors.js';
import { HM_HASH_ALGORITHMS } from './optional-block-formats.js';
import { checkOptionalBlockData, serializeOptionalBlock, type Tr31OptionalBlock } from './optional-blocks.js';

/**
 * Typed values of the registered optional blocks (X9.143:2021 §6.3.6), with one codec per ID:
 * `readOptionalBlock(header, 'KS')` decodes (after validating the format),
 * `optionalBlock('KS', value)` encodes into a `Tr31OptionalBlock` ready for a header.
 */
export type KcvMethodCode = 'ANSI_X9_24' | 'CMAC';
export interface CertificateEntry {
  format: 'X509' | 'EMV';
  base64: string;
}

export interface Tr31OptionalBlockValues {
  /** Initial key serial number (TDES DUKPT): 10 bytes (8 accepted as legacy). */
  KS: { ksn: Uint8Array };
  /** Initial key identifier (AES DUKPT): 8 bytes. */
  IK: { ikid: Uint8Array };
  /** BDK identifier: TDES DUKPT key set ID (5 bytes) or AES DUKPT BDK ID (4 bytes). */
  BI: { type: 'TDES_DUKPT' | 'AES_DUKPT'; id: Uint8Array };
  /** KCV of the wrapped key. */
  KC: { method: KcvMethodCode; kcv: Uint8Array };
  /** KCV of the KBPK. */
  KP: { method: KcvMethodCode; kcv: Uint8Array };
  /** KCV of the export KBPK. */
  PK: { method: KcvMethodCode; kcv: Uint8Array };
  /** Key block values: version ID and other (2 characters each). */
  KV: { versionId: string; other: string };
  /** HMAC hash algorithm (code from X9.143 table 13, and its name). */
  HM: { code: string; hash: string };
  /** Time stamp, ISO 8601 UTC as written. */
  TS: { time: string };
  /** Time of creation, ISO 8601 UTC as written. */
  TC: { time: string };
  /** Public key certificate, or a chain. */
  CT: { chain: boolean; certificates: CertificateEntry[] };
  /** Derivations allowed: 5-character attribute groups (usage, algorithm, mode, exportability). */
  DA: { derivations: { keyUsage: string; algorithm: string; modeOfUse: string; exportability: string }[] };
  /** Asymmetric key life. */
  AL: { life: 'EPHEMERAL' | 'STATIC' };
  /** Label (printable ASCII). */
  LB: { label: string };
  /** Wrapping pedigree 0–3. */
  WP: { pedigree: 0 | 1 | 2 | 3 };
}

export type TypedOptionalBlockId = keyof Tr31OptionalBlockValues;

interface Codec<V> {
  decode(data: string): V;
  encode(value: V): string;
}

const KCV_CODES: Record<KcvMethodCode, string> = { ANSI_X9_24: '00', CMAC: '01' };
const kcvCodec: Codec<{ method: KcvMethodCode; kcv: Uint8Array }> = {
  decode: (d) => ({ method: d.startsWith('00') ? 'ANSI_X9_24' : 'CMAC', kcv: hexToBytes(d.slice(2)) }),
  encode: (v) => KCV_CODES[v.method] + bytesToHex(v.kcv),
};
const CERT_CODES = { X509: '00', EMV: '01' } as const;
const timeCodec: Codec<{ time: string }> = { decode: (d) => ({ time: d }), encode: (v) => v.time };

const CODECS: { [K in TypedOptionalBlockId]: Codec<Tr31OptionalBlockValues[K]> } = {
  KS: { decode: (d) => ({ ksn: hexToBytes(d) }), encode: (v) => bytesToHex(v.ksn) },
  IK: { decode: (d) => ({ ikid: hexToBytes(d) }), encode: (v) => bytesToHex(v.ikid) },
  BI: {
    decode: (d) => ({ type: d.startsWith('00') ? 'TDES_DUKPT' : 'AES_DUKPT', id: hexToBytes(d.slice(2)) }),
    encode: (v) => (v.type === 'TDES_DUKPT' ? '00' : '01') + bytesToHex(v.id),
  },
  KC: kcvCodec,
  KP: kcvCodec,
  PK: kcvCodec,
  KV: { decode: (d) => ({ versionId: d.slice(0, 2), other: d.slice(2) }), encode: (v) => v.versionId + v.other },
  HM: { decode: (d) => ({ code: d, hash: HM_HASH_ALGORITHMS[d]! }), encode: (v) => v.code },
  TS: timeCodec,
  TC: timeCodec,
  CT: {
    decode: (d) => {
      const fmt = (c: string): 'X509' | 'EMV' => (c === '00' ? 'X509' : 'EMV');
      if (d.startsWith('02')) {
        const certificates: CertificateEntry[] = [];
        for (let p = 2; p < d.length; ) {
          const len = parseInt(d.slice(p + 2, p + 6), 16);
          certificates.push({ format: fmt(d.slice(p, p + 2)), base64: d.slice(p + 6, p + 6 + len) });
          p += 6 + len;
        }
        return { chain: true, certificates };
      }
      return { chain: false, certificates: [{ format: fmt(d.slice(0, 2)), base64: d.slice(2) }] };
    },
    encode: (v) => {
      if (!v.chain) {
        if (v.certificates.length !== 1) throw new RangeError('"CT" without chain expected exactly one certificate');
        return CERT_CODES[v.certificates[0]!.format] + v.certificates[0]!.base64;
      }
      return '02' + v.certificates.map((c) => CERT_CODES[c.format] + c.base64.length.toString(16).toUpperCase().padStart(4, '0') + c.base64).join('');
    },
  },
  DA: {
    decode: (d) => {
      const derivations = [];
      for (let p = 2; p < d.length; p += 5) {
        derivations.push({ keyUsage: d.slice(p, p + 2), algorithm: d[p + 2]!, modeOfUse: d[p + 3]!, exportability: d[p + 4]! });
      }
      return { derivations };
    },
    encode: (v) => '01' + v.derivations.map((x) => x.keyUsage + x.algorithm + x.modeOfUse + x.exportability).join(''),
  },
  AL: { decode: (d) => ({ life: d === '0100' ? 'EPHEMERAL' : 'STATIC' }), encode: (v) => (v.life === 'EPHEMERAL' ? '0100' : '0101') },
  LB: { decode: (d) => ({ label: d }), encode: (v) => v.label },
  WP: { decode: (d) => ({ pedigree: Number(d[2]) as 0 | 1 | 2 | 3 }), encode: (v) => `00${v.pedigree}` },
};

/** Decodes the data of a registered optional block (its format is validated first). */
export function decodeOptionalBlock<K extends TypedOptionalBlockId>(id: K, data: string): Tr31OptionalBlockValues[K] {
  if (!Object.prototype.hasOwnProperty.call(CODECS, id)) throw new RangeError(`"id" expected a registered optional block ID, got ${String(id)}`);
  if (typeof data !== 'string') throw new TypeError(`"data" expected a string, got ${typeof data}`);
  checkOptionalBlockData(id, data);
  return CODECS[id].decode(data);
}

/** Finds `id` in a header's optional blocks and decodes it; `undefined` when absent. */
export function readOptionalBlock<K extends TypedOptionalBlockId>(header: { optionalBlocks: readonly { id: string; data: string }[] }, id: K): Tr31OptionalBlockValues[K] | undefined {
  const b = header.optionalBlocks.find((x) => x.id === id);
  return b === undefined ? undefined : decodeOptionalBlock(id, b.data);
}

/** Encodes a typed value as an optional block (format validated), ready for `header.optionalBlocks`. */
export function optionalBlock<K extends TypedOptionalBlockId>(id: K, value: Tr31OptionalBlockValues[K]): Tr31OptionalBlock {
  if (!Object.prototype.hasOwnProperty.call(CODECS, id)) throw new RangeError(`"id" expected a registered optional block ID, got ${String(id)}`);
  const data = CODECS[id].encode(value);
  checkOptionalBlockData(id, data);
  return { id, data, raw: serializeOptionalBlock(id, data) };
}

/**
 * A KC, KP or PK block computed from a key, as X9.143 prescribes: legacy KCV (3 bytes) for
 * TDES keys, CMAC KCV (5 bytes) for AES keys. The KCV is of a key: never of a secret payload.
 */
export function kcvOptionalBlock(id: 'KC' | 'KP' | 'PK', key: Uint8Array, algorithm: 'TDES' | 'AES'): Tr31OptionalBlock {
  if (algorithm !== 'TDES' && algorithm !== 'AES') throw new KeyBlockError('INVALID_HEADER_FIELD', 'KCV blocks need a TDES or AES key', { field: id });
  const method: KcvMethodCode = algorithm === 'AES' ? 'CMAC' : 'ANSI_X9_24';
  return optionalBlock(id, { method, kcv: kcv(key, algorithm, { method, length: algorithm === 'AES' ? 5 : 3 }) });
}
