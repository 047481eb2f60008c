/**
 * One small interface over our block ciphers (AES from @noble/ciphers, DES/TDES from
 * node-forge). An instance holds an expanded key schedule: build it once per key and reuse it.
 */
export interface BlockCipher {
  /** 8 for DES/TDES, 16 for AES. */
  readonly blockSize: 8 | 16;
  /** Encrypts one block from `src[srcOff..]` into `dst[dstOff..]` (may alias). */
  encryptBlockInto(src: Uint8Array, srcOff: number, dst: Uint8Array, dstOff: number): void;
  /** Decrypts one block from `src[srcOff..]` into `dst[dstOff..]` (may alias). */
  decryptBlockInto(src: Uint8Array, srcOff: number, dst: Uint8Array, dstOff: number): void;
}

function assertMultiple(data: Uint8Array, bs: number, name: string): void {
  if (!(data instanceof Uint8Array)) throw new TypeError(`"${name}" expected Uint8Array`);
  if (data.length % bs !== 0) throw new RangeError(`"${name}" expected a multiple of ${bs} bytes, got ${data.length}`);
}

function assertIv(iv: Uint8Array, bs: number): void {
  if (!(iv instanceof Uint8Array) || iv.length !== bs) {
    throw new RangeError(`"iv" expected ${bs} bytes, got ${iv instanceof Uint8Array ? iv.length : typeof iv}`);
  }
}

export function encryptBlock(c: BlockCipher, block: Uint8Array): Uint8Array {
  if (block.length !== c.blockSize) throw new RangeError(`"block" expected ${c.blockSize} bytes, got ${block.length}`);
  const out = new Uint8Array(c.blockSize);
  c.encryptBlockInto(block, 0, out, 0);
  return out;
}

export function decryptBlock(c: BlockCipher, block: Uint8Array): Uint8Array {
  if (block.length !== c.blockSize) throw new RangeError(`"block" expected ${c.blockSize} bytes, got ${block.length}`);
  const out = new Uint8Array(c.blockSize);
  c.decryptBlockInto(block, 0, out, 0);
  return out;
}

/** ECB, no padding: `data` must be a multiple of the block size. */
export function ecbEncrypt(c: BlockCipher, data: Uint8Array): Uint8Array {
  const bs = c.blockSize;
  assertMultiple(data, bs, 'data');
  const out = new Uint8Array(data.length);
  for (let o = 0; o < data.length; o += bs) c.encryptBlockInto(data, o, out, o);
  return out;
}

export function ecbDecrypt(c: BlockCipher, data: Uint8Array): Uint8Array {
  const bs = c.blockSize;
  assertMultiple(data, bs, 'data');
  const out = new Uint8Array(data.length);
  for (let o = 0; o < data.length; o += bs) c.decryptBlockInto(data, o, out, o);
  return out;
}

/** CBC, no padding. */
export function cbcEncrypt(c: BlockCipher, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const bs = c.blockSize;
  assertIv(iv, bs);
  assertMultiple(data, bs, 'data');
  const out = new Uint8Array(data.length);
  let prev = iv;
  let prevOff = 0;
  for (let o = 0; o < data.length; o += bs) {
    for (let i = 0; i < bs; i++) out[o + i] = data[o + i]! ^ prev[prevOff + i]!;
    c.encryptBlockInto(out, o, out, o);
    prev = out;
    prevOff = o;
  }
  return out;
}

/** CBC, no padding. */
export function cbcDecrypt(c: BlockCipher, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const bs = c.blockSize;
  assertIv(iv, bs);
  assertMultiple(data, bs, 'data');
  const out = new Uint8Array(data.length);
  for (let o = 0; o < data.length; o += bs) {
    c.decryptBlockInto(data, o, out, o);
    if (o === 0) for (let i = 0; i < bs; i++) out[i] = out[i]! ^ iv[i]!;
    else for (let i = 0; i < bs; i++) out[o + i] = out[o + i]! ^ data[o - bs + i]!;
  }
  return out;
}

/**
 * CTR mode with a full-block big-endian counter (the whole IV block is incremented, as in
 * NIST SP 800-38A and ISO 20038). Encryption and decryption are the same operation; any length.
 */
export function ctrCrypt(c: BlockCipher, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const bs = c.blockSize;
  assertIv(iv, bs);
  const counter = new Uint8Array(iv); // a copy: the caller's IV (even a Buffer, whose slice() is a view) is never advanced
  const ks = new Uint8Array(bs);
  const out = new Uint8Array(data.length);
  for (let o = 0; o < data.length; o += bs) {
    c.encryptBlockInto(counter, 0, ks, 0);
    const n = Math.min(bs, data.length - o);
    for (let i = 0; i < n; i++) out[o + i] = data[o + i]! ^ ks[i]!;
    for (let i = bs - 1; i >= 0; i--) {
      counter[i] = (counter[i]! + 1) & 0xff;
      if (counter[i] !== 0) break;
    }
  }
  ks.fill(0);
  return out;
}
