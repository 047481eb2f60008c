/**
 * The X9.143 header value tables (X9.143:2021 §6.2–6.3 tables 1–6; ISO 20038 adds K4),
 * and the opt-in policy facts attached to each value. One table per header field.
 */

/** Key algorithm (header byte 7): family and permitted key lengths in bytes. */
export interface AlgorithmFacts {
  readonly name: string;
  /** Permitted clear-key lengths in bytes; `undefined` = any (DER-encoded keys, HMAC keys). */
  readonly keyLengths: readonly number[] | undefined;
  /** Default masked length for key-length obfuscation on wrap (X9.143 §5: pad to the longest key). */
  readonly maskedLength: number | undefined;
  readonly symmetric: boolean;
}

export const TR31_ALGORITHMS: Readonly<Record<string, AlgorithmFacts>> = {
  A: { name: 'AES', keyLengths: [16, 24, 32], maskedLength: 32, symmetric: true },
  D: { name: 'DES', keyLengths: [8], maskedLength: 24, symmetric: true },
  E: { name: 'Elliptic curve', keyLengths: undefined, maskedLength: undefined, symmetric: false },
  H: { name: 'HMAC', keyLengths: undefined, maskedLength: undefined, symmetric: true },
  R: { name: 'RSA', keyLengths: undefined, maskedLength: undefined, symmetric: false },
  S: { name: 'DSA', keyLengths: undefined, maskedLength: undefined, symmetric: false },
  T: { name: 'TDES', keyLengths: [16, 24], maskedLength: 24, symmetric: true },
};

/** Mode of use (header byte 8). `T` (sign and decrypt) is listed in TR-31:2018 for S2 keys. */
export const TR31_MODES_OF_USE: Readonly<Record<string, string>> = {
  B: 'encrypt/wrap and decrypt/unwrap',
  C: 'MAC generate and verify',
  D: 'decrypt/unwrap only',
  E: 'encrypt/wrap only',
  G: 'MAC generate only',
  N: 'no special restrictions',
  S: 'signature only',
  T: 'sign and decrypt',
  V: 'MAC verify only',
  X: 'key derivation',
  Y: 'create key variants',
};

/** Exportability (header byte 11). */
export const TR31_EXPORTABILITY: Readonly<Record<string, string>> = {
  E: 'exportable under a trusted key (X9.24)',
  N: 'not exportable',
  S: 'sensitive (exportable in other forms)',
};

/** Key context (header byte 14, X9.143:2021 table 1; TR-31:2018 calls it reserved and uses '0'). */
export const TR31_KEY_CONTEXTS: Readonly<Record<string, string>> = {
  '0': 'determined by the wrapping key',
  '1': 'storage context only',
  '2': 'key exchange context only',
};

/**
 * Key usage (header bytes 5–6), X9.143:2021 table 2 plus ISO 20038 K4.
 * `modes` and `algorithms` are what the opt-in `policy` accepts:
 * the TR-31:2018 usage → mode table (as transcribed in psec's documentation), with `N` added
 * where AWS Payment Cryptography accepts {NoRestrictions} for that usage. Policy algorithm
 * sets are ours (TDES/AES for symmetric usages; single DES is refused; HMAC only for M7).
 */
export interface UsageFacts {
  readonly name: string;
  readonly modes: string;
  readonly algorithms: string;
}

const SYM = 'TA';
const ASYM = 'RES';
const ENC = 'BDE';
const MAC = 'CGV';

export const TR31_KEY_USAGES: Readonly<Record<string, UsageFacts>> = {
  B0: { name: 'Base derivation key (BDK)', modes: 'XN', algorithms: SYM },
  B1: { name: 'Initial DUKPT key', modes: 'XN', algorithms: SYM },
  B2: { name: 'Base key variant key', modes: 'XN', algorithms: SYM },
  B3: { name: 'Key derivation key (non-X9.24)', modes: 'XN', algorithms: SYM + 'H' },
  C0: { name: 'Card verification key', modes: MAC + 'N', algorithms: SYM },
  D0: { name: 'Symmetric data encryption key', modes: ENC + 'N', algorithms: SYM },
  D1: { name: 'Asymmetric key for data encryption', modes: ENC, algorithms: 'R' },
  D2: { name: 'Data encryption key for decimalization table', modes: ENC, algorithms: SYM },
  D3: { name: 'Data encryption key for sensitive data', modes: ENC + 'N', algorithms: SYM },
  E0: { name: 'EMV master key: application cryptograms', modes: 'XN', algorithms: SYM },
  E1: { name: 'EMV master key: secure messaging confidentiality', modes: 'XN', algorithms: SYM },
  E2: { name: 'EMV master key: secure messaging integrity', modes: 'XN', algorithms: SYM },
  E3: { name: 'EMV master key: data authentication code', modes: 'XN', algorithms: SYM },
  E4: { name: 'EMV master key: dynamic numbers', modes: 'XN', algorithms: SYM },
  E5: { name: 'EMV master key: card personalization', modes: 'XN', algorithms: SYM },
  E6: { name: 'EMV master key: other', modes: 'XN', algorithms: SYM },
  E7: { name: 'EMV asymmetric key pair for PIN encryption', modes: ENC, algorithms: ASYM },
  I0: { name: 'Initialization vector', modes: 'N', algorithms: SYM },
  K0: { name: 'Key encryption or wrapping key', modes: ENC + 'N', algorithms: SYM },
  K1: { name: 'TR-31 key block protection key', modes: ENC + 'N', algorithms: SYM },
  K2: { name: 'TR-34 asymmetric key', modes: ENC, algorithms: 'R' },
  K3: { name: 'Asymmetric key for key agreement or wrapping', modes: ENC + 'X', algorithms: ASYM },
  K4: { name: 'ISO 20038 key block protection key', modes: ENC + 'N', algorithms: 'A' },
  M0: { name: 'ISO 16609 MAC algorithm 1 (TDES)', modes: MAC, algorithms: 'T' },
  M1: { name: 'ISO 9797-1 MAC algorithm 1', modes: MAC + 'N', algorithms: 'T' },
  M2: { name: 'ISO 9797-1 MAC algorithm 2', modes: MAC + 'N', algorithms: 'T' },
  M3: { name: 'ISO 9797-1 MAC algorithm 3 (retail MAC)', modes: MAC + 'N', algorithms: 'T' },
  M4: { name: 'ISO 9797-1 MAC algorithm 4', modes: MAC + 'N', algorithms: 'T' },
  M5: { name: 'ISO 9797-1:1999 MAC algorithm 5', modes: MAC + 'N', algorithms: SYM },
  M6: { name: 'ISO 9797-1:2011 MAC algorithm 5 (CMAC)', modes: MAC + 'N', algorithms: SYM },
  M7: { name: 'HMAC key', modes: MAC + 'N', algorithms: 'H' },
  M8: { name: 'ISO 9797-1 MAC algorithm 6', modes: MAC + 'N', algorithms: SYM },
  P0: { name: 'PIN encryption key', modes: ENC + 'N', algorithms: SYM },
  P1: { name: 'PIN generation key', modes: MAC + 'N', algorithms: SYM },
  S0: { name: 'Asymmetric key pair for digital signature', modes: 'SV', algorithms: ASYM },
  S1: { name: 'Asymmetric key pair for CA use', modes: 'SV', algorithms: ASYM },
  S2: { name: 'Asymmetric key pair for non-X9.24 use', modes: 'SVT' + ENC, algorithms: ASYM },
  V0: { name: 'PIN verification key (other)', modes: MAC + 'N', algorithms: SYM },
  V1: { name: 'PIN verification key (IBM 3624)', modes: MAC + 'N', algorithms: SYM },
  V2: { name: 'PIN verification key (Visa PVV)', modes: MAC + 'N', algorithms: SYM },
  V3: { name: 'PIN verification key (X9.132 algorithm 1)', modes: MAC + 'N', algorithms: SYM },
  V4: { name: 'PIN verification key (X9.132 algorithm 2)', modes: MAC + 'N', algorithms: SYM },
  V5: { name: 'PIN verification key (X9.132 algorithm 3)', modes: MAC + 'N', algorithms: SYM },
};

/**
 * Security strength in bits (NIST SP 800-57 part 1 table 2) of a symmetric key, used by the
 * policy's "no key wrapped by a weaker KBPK" rule. `undefined` when not assessed here
 * (asymmetric keys: their strength depends on the modulus or curve inside the DER).
 */
export function keyStrengthBits(algorithm: string, keyLength: number): number | undefined {
  switch (algorithm) {
    case 'T':
      return keyLength === 24 ? 112 : 80;
    case 'D':
      return 56;
    case 'A':
      return keyLength * 8;
    case 'H':
      return Math.min(keyLength * 8, 256);
    default:
      return undefined;
  }
}

function has(table: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(table, k);
}

export const isKnownUsage = (v: string): boolean => has(TR31_KEY_USAGES, v);
export const isKnownAlgorithm = (v: string): boolean => has(TR31_ALGORITHMS, v);
export const isKnownMode = (v: string): boolean => has(TR31_MODES_OF_USE, v);
export const isKnownExportability = (v: string): boolean => has(TR31_EXPORTABILITY, v);
export const isKnownKeyContext = (v: string): boolean => has(TR31_KEY_CONTEXTS, v);
export function algorithmFacts(v: string): AlgorithmFacts | undefined {
  return has(TR31_ALGORITHMS, v) ? TR31_ALGORITHMS[v] : undefined;
}
