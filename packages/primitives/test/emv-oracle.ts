import { createCipheriv, createHash } from 'node:crypto';

/**
 * Independent node:crypto computations for the card-validation tests (no code from src/):
 * TDES-ECB, the EMV ICC master key (Option A, and jPOS's Option B that hashes any PAN length),
 * and the Visa CVV method with Visa decimalisation.
 */
export function nodeEcb(key: Uint8Array, data: Uint8Array): Uint8Array {
  const k = key.length === 8 ? Buffer.concat([key, key]) : Buffer.from(key);
  const c = createCipheriv(k.length === 16 ? 'des-ede-ecb' : 'des-ede3-ecb', k, null);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

function parity(k: Uint8Array): Uint8Array {
  return k.map((b) => {
    let ones = 0;
    for (let v = b >> 1; v !== 0; v >>= 1) ones += v & 1;
    return (b & 0xfe) | (ones % 2 === 0 ? 1 : 0);
  });
}

function iccFromY(imk: Uint8Array, yDigits: string): Uint8Array {
  const y = Buffer.from(yDigits, 'hex');
  return parity(nodeEcb(imk, Buffer.concat([y, y.map((b) => b ^ 0xff)])));
}

export function nodeOptionA(imk: Uint8Array, pan: string, psn: string): Uint8Array {
  return iccFromY(imk, (pan + psn).slice(-16).padStart(16, '0'));
}

/** jPOS's Option B: SHA-1 over PAN ‖ PSN as BCD (0 first when odd), for any PAN length. */
export function nodeJposOptionB(imk: Uint8Array, pan: string, psn: string): Uint8Array {
  const d = pan + psn;
  const digest = createHash('sha1').update(Buffer.from(d.length % 2 === 1 ? `0${d}` : d, 'hex')).digest('hex').toUpperCase();
  const y = (digest.replace(/[A-F]/g, '') + digest.replace(/[0-9]/g, '').replace(/[A-F]/g, (c) => String(c.charCodeAt(0) - 65))).slice(0, 16);
  return iccFromY(imk, y);
}

/** Visa CVV method over a digit/hex string (≤ 32 nibbles); first `n` Visa-decimalised digits. */
export function nodeCvvMethod(cvk: Uint8Array, nibbles: string, n: number): string {
  const data = Buffer.from(nibbles.padEnd(32, '0'), 'hex');
  const a = nodeEcb(cvk.subarray(0, 8), data.subarray(0, 8));
  const x = a.map((b, i) => b ^ data[8 + i]!);
  const hex = Buffer.from(nodeEcb(cvk, x)).toString('hex').toUpperCase();
  const digits = hex.replace(/[A-F]/g, '') + hex.replace(/[0-9]/g, '').replace(/[A-F]/g, (c) => String(c.charCodeAt(0) - 65));
  return digits.slice(0, n);
}
