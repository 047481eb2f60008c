import { assertBytes } from '../bytes.js';
import { TdesCipher } from '../cipher/tdes.js';
import { adjustOddParity } from './icc-master-key.js';

/**
 * EMV2000 tree session key (EMV 4.0/4.1 Book 2 Annex A1.3, replaced by the common session key in
 * 2005 by EMVCo bulletin SU-46; AWS still offers it as `Emv2000`).
 *
 * With branch factor b, height H and a 16-byte IV:
 *   F(X, Y, j) = TDES_X(Y_L ⊕ (j mod b)) ‖ TDES_X(Y_R ⊕ (j mod b) ⊕ 00…00F0)   (j mod b as 8 bytes, big-endian)
 *   level 0: parent P = MK, grandparent GP = IV
 *   level i: IK = F(P, GP, j), then GP := P, P := IK, for j = ATC div b^(H-i)
 *   SK = F(P, GP, ATC) ⊕ GP at level H, odd parity.
 * b^H must exceed the largest ATC (FFFF). AWS exposes no parameters; we take the
 * specification's recommendation b = 4, H = 8, IV = 0 (pyemv's defaults — an assumption).
 */
export interface Emv2000TreeOptions {
  /** Branch factor b (default 4). */
  branchFactor?: number;
  /** Tree height H (default 8). */
  height?: number;
  /** 16-byte IV (default zeros). */
  iv?: Uint8Array;
}

export const EMV2000_TREE_DEFAULTS = { branchFactor: 4, height: 8 } as const;

function f(x: Uint8Array, y: Uint8Array, jModB: number): Uint8Array {
  const c = new TdesCipher(x);
  const out = new Uint8Array(16);
  out.set(y);
  out[7] = out[7]! ^ jModB;
  out[15] = out[15]! ^ jModB ^ 0xf0;
  c.encryptBlockInto(out, 0, out, 0);
  c.encryptBlockInto(out, 8, out, 8);
  return out;
}

/** EMV2000 tree session key for `atc` (2 bytes) from the 16-byte ICC master key. */
export function deriveEmv2000TreeSessionKey(mk: Uint8Array, atc: Uint8Array, options: Emv2000TreeOptions = {}): Uint8Array {
  assertBytes(mk, 'mk', 16);
  assertBytes(atc, 'atc', 2);
  const b = options.branchFactor ?? EMV2000_TREE_DEFAULTS.branchFactor;
  const h = options.height ?? EMV2000_TREE_DEFAULTS.height;
  if (!Number.isInteger(b) || b < 2 || b > 256) throw new RangeError(`"branchFactor" expected an integer 2 to 256, got ${String(b)}`);
  if (!Number.isInteger(h) || h < 1 || h > 16) throw new RangeError(`"height" expected an integer 1 to 16, got ${String(h)}`);
  if (b ** h <= 0xffff) throw new RangeError(`"branchFactor" ** "height" must exceed 65535, got ${b ** h}`);
  const iv = options.iv ?? new Uint8Array(16);
  assertBytes(iv, 'iv', 16);
  const n = (atc[0]! << 8) | atc[1]!;
  let p: Uint8Array = mk;
  let gp: Uint8Array = iv;
  for (let level = 1; level < h; level++) {
    const j = Math.floor(n / b ** (h - level));
    const ik = f(p, gp, j % b);
    if (gp !== iv && gp !== mk) gp.fill(0);
    gp = p;
    p = ik;
  }
  const sk = f(p, gp, n % b);
  for (let i = 0; i < 16; i++) sk[i] = sk[i]! ^ gp[i]!;
  if (p !== mk) p.fill(0);
  if (gp !== iv && gp !== mk) gp.fill(0);
  return adjustOddParity(sk);
}
