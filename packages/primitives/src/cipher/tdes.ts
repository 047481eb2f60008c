import forge from 'node-forge';
import type { BlockCipher } from './block-cipher.js';

/**
 * DES / TDES through node-forge's DES core, behind our BlockCipher interface.
 * node:crypto refuses single DES under OpenSSL 3 and WebCrypto has no DES, hence forge.
 *
 * Keys: 8 bytes (single DES, run as K‖K‖K), 16 bytes (2-key TDES, K1‖K2‖K1) or
 * 24 bytes (3-key TDES). The key schedule is expanded once per instance.
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

export class TdesCipher implements BlockCipher {
  readonly blockSize = 8 as const;
  readonly keyLength: 8 | 16 | 24;
  readonly #ops: ForgeBlockOps;
  readonly #in: number[] = [0, 0];
  readonly #out: number[] = [0, 0];

  constructor(key: Uint8Array) {
    const k24 = expandTdesKey(key);
    this.keyLength = key.length as 8 | 16 | 24;
    // forge.des.Algorithm keeps the expanded subkeys; its mode object exposes the raw
    // block encrypt/decrypt over two 32-bit big-endian words.
    const Alg = (forge as unknown as { des: { Algorithm: new (name: string, mode: unknown) => { initialize(o: { key: unknown }): void; mode: { cipher: ForgeBlockOps } } } }).des.Algorithm;
    const alg = new Alg('3DES-ECB', (forge as unknown as { cipher: { modes: { ecb: unknown } } }).cipher.modes.ecb);
    alg.initialize({ key: forge.util.createBuffer(toBinaryString(k24)) });
    k24.fill(0);
    this.#ops = alg.mode.cipher;
  }

  encryptBlockInto(src: Uint8Array, so: number, dst: Uint8Array, d: number): void {
    this.#in[0] = readBE(src, so);
    this.#in[1] = readBE(src, so + 4);
    this.#ops.encrypt(this.#in, this.#out);
    writeBE(dst, d, this.#out[0]!);
    writeBE(dst, d + 4, this.#out[1]!);
  }

  decryptBlockInto(src: Uint8Array, so: number, dst: Uint8Array, d: number): void {
    this.#in[0] = readBE(src, so);
    this.#in[1] = readBE(src, so + 4);
    this.#ops.decrypt(this.#in, this.#out);
    writeBE(dst, d, this.#out[0]!);
    writeBE(dst, d + 4, this.#out[1]!);
  }
}

export function createTdes(key: Uint8Array): TdesCipher {
  return new TdesCipher(key);
}
