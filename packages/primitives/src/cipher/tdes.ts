import forge from 'node-forge';
import type { BlockCipher } from './block-cipher.js';

/**
 * DES / TDES through node-forge's DES core, behind our BlockCipher interface.
 * node:crypto refuses single DES under OpenSSL 3 and WebCrypto has no DES, hence forge.
 *
 * Keys: 8 bytes (single DES), 16 bytes (2-key TDES, K1‖K2‖K1) or 24 bytes (3-key TDES). The key
 * schedule is expanded once per instance. Key setup dominates the EMV and DUKPT paths (a fresh
 * session key per call), so an 8-byte key runs forge's single DES (one schedule, ~3.7× faster to
 * set up than its 3DES with K‖K‖K) and a 2-key TDES key runs E(K1) D(K2) E(K1) over two
 * single-DES schedules (two schedules instead of three); the results are the same.
 */
interface ForgeBlockOps {
  encrypt(input: number[], output: number[]): void;
  decrypt(input: number[], output: number[]): void;
}

function toBinaryString(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

function readBE(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) | 0;
}

function writeBE(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 24) & 0xff;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

/** Expands an 8/16/24-byte DES-family key to the 24-byte TDES form. */
export function expandTdesKey(key: Uint8Array): Uint8Array {
  if (!(key instanceof Uint8Array)) throw new TypeError('"key" expected Uint8Array');
  const k = new Uint8Array(24);
  switch (key.length) {
    case 8:
      k.set(key, 0);
      k.set(key, 8);
      k.set(key, 16);
      return k;
    case 16:
      k.set(key, 0);
      k.set(key.subarray(0, 8), 16);
      return k;
    case 24:
      k.set(key);
      return k;
    default:
      throw new RangeError(`"key" expected 8, 16 or 24 bytes, got ${key.length}`);
  }
}

type ForgeAlgorithm = new (name: string, mode: unknown) => { initialize(o: { key: unknown }): void; mode: { cipher: ForgeBlockOps } };

/** forge's raw block operations for a DES ('DES-ECB', 8-byte key) or 3DES ('3DES-ECB', 24-byte key) key. */
function forgeOps(name: 'DES-ECB' | '3DES-ECB', key: Uint8Array): ForgeBlockOps {
  // forge.des.Algorithm keeps the expanded subkeys; its mode object exposes the raw
  // block encrypt/decrypt over two 32-bit big-endian words.
  const Alg = (forge as unknown as { des: { Algorithm: ForgeAlgorithm } }).des.Algorithm;
  const alg = new Alg(name, (forge as unknown as { cipher: { modes: { ecb: unknown } } }).cipher.modes.ecb);
  alg.initialize({ key: forge.util.createBuffer(toBinaryString(key)) });
  return alg.mode.cipher;
}

export class TdesCipher implements BlockCipher {
  readonly blockSize = 8 as const;
  readonly keyLength: 8 | 16 | 24;
  /** single DES (8-byte key), 3-key TDES (24), or K1 of a 2-key TDES key */
  readonly #ops: ForgeBlockOps;
  /** K2 of a 2-key TDES key */
  readonly #ops2: ForgeBlockOps | undefined;
  readonly #in: number[] = [0, 0];
  readonly #out: number[] = [0, 0];

  constructor(key: Uint8Array) {
    if (!(key instanceof Uint8Array)) throw new TypeError('"key" expected Uint8Array');
    if (key.length !== 8 && key.length !== 16 && key.length !== 24) throw new RangeError(`"key" expected 8, 16 or 24 bytes, got ${key.length}`);
    this.keyLength = key.length;
    if (key.length === 24) {
      this.#ops = forgeOps('3DES-ECB', key);
    } else {
      this.#ops = forgeOps('DES-ECB', key.subarray(0, 8));
      if (key.length === 16) this.#ops2 = forgeOps('DES-ECB', key.subarray(8, 16));
    }
  }

  encryptBlockInto(src: Uint8Array, so: number, dst: Uint8Array, d: number): void {
    this.#in[0] = readBE(src, so);
    this.#in[1] = readBE(src, so + 4);
    const k2 = this.#ops2;
    if (k2 === undefined) this.#ops.encrypt(this.#in, this.#out);
    else {
      // EDE with K1, K2, K1
      this.#ops.encrypt(this.#in, this.#out);
      k2.decrypt(this.#out, this.#in);
      this.#ops.encrypt(this.#in, this.#out);
    }
    writeBE(dst, d, this.#out[0]!);
    writeBE(dst, d + 4, this.#out[1]!);
  }

  decryptBlockInto(src: Uint8Array, so: number, dst: Uint8Array, d: number): void {
    this.#in[0] = readBE(src, so);
    this.#in[1] = readBE(src, so + 4);
    const k2 = this.#ops2;
    if (k2 === undefined) this.#ops.decrypt(this.#in, this.#out);
    else {
      this.#ops.decrypt(this.#in, this.#out);
      k2.encrypt(this.#out, this.#in);
      this.#ops.decrypt(this.#in, this.#out);
    }
    writeBE(dst, d, this.#out[0]!);
    writeBE(dst, d + 4, this.#out[1]!);
  }
}

export function createTdes(key: Uint8Array): TdesCipher {
  return new TdesCipher(key);
}
