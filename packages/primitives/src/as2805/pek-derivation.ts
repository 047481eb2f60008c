import { cbcEncrypt } from '../cipher/block-cipher.js';
import { TdesCipher, createTdes } from '../cipher/tdes.js';
import { PrimitivesError } from '../errors.js';

/**
 * AS2805 per-transaction PIN key (KPE) from the PIN key KPP, the STAN and the amount — the
 * CANDIDATE algorithm of AWS's sample (aws-samples/samples-for-payment-cryptography-service
 * @0e338de, python_sdk_example/as2805_node-to-node_examples/as2805_3_1_pin_translation.py, citing
 * AS2805 section 6.6.3 and the AS2805.5.4 OWF). The sample only prints a mismatch when APC's
 * translation disagrees, so agreement with AWS is unconfirmed; the standard itself is not public.
 *
 * - E = the 6 STAN digits, left justified, zero-filled on the right to 64 bits (16 hex digits);
 *   F = the 12 amount digits, right justified, zero-filled on the left to 64 bits; D = E ‖ F.
 * - OWF(K, D), D longer than one block: M = the last block of TDES-CBC_K(D, IV 0);
 *   R = TDES-CBC_K(D, IV M); OWF = R ⊕ D.
 * - KPE = OWF(KPP, D): 16 bytes, used as a TDES_2KEY key (parity is not adjusted, as in the sample).
 */

function digits(s: string, n: number, field: string): string {
  if (typeof s !== 'string' || s.length !== n || !/^[0-9]+$/.test(s)) {
    throw new PrimitivesError('INVALID_INPUT', `"${field}" expected ${n} decimal digits`, { field });
  }
  return s;
}

/** D = E ‖ F for a 6-digit STAN and a 12-digit amount. */
export function as2805PekDerivationData(stan: string, amount: string): Uint8Array {
  const e = digits(stan, 6, 'stan').padEnd(16, '0');
  const f = digits(amount, 12, 'amount').padStart(16, '0');
  const out = new Uint8Array(16);
  const h = e + f;
  for (let i = 0; i < 16; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The AS2805 OWF of the sample for data of two or more blocks. */
export function as2805Owf(key: Uint8Array | TdesCipher, data: Uint8Array): Uint8Array {
  if (!(data instanceof Uint8Array) || data.length < 16 || data.length % 8 !== 0) {
    throw new RangeError(`"data" expected a multiple of 8 bytes, at least 16, got ${data instanceof Uint8Array ? data.length : typeof data}`);
  }
  const c = key instanceof TdesCipher ? key : createTdes(key);
  const first = cbcEncrypt(c, new Uint8Array(8), data);
  const mac = first.slice(first.length - 8);
  const r = cbcEncrypt(c, mac, data);
  for (let i = 0; i < r.length; i++) r[i] = r[i]! ^ data[i]!;
  first.fill(0);
  mac.fill(0);
  return r;
}

/** KPE = OWF(KPP, E ‖ F): a fresh 16-byte key the caller wipes. */
export function as2805DerivePek(kpp: Uint8Array | TdesCipher, stan: string, amount: string): Uint8Array {
  return as2805Owf(kpp, as2805PekDerivationData(stan, amount));
}
