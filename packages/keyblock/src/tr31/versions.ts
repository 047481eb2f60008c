/**
 * The TR-31 / X9.143 / ISO 20038 key block versions: one table of facts.
 *
 * | version | binding                          | KBPK        | cipher block | MAC bytes | payload padded |
 * |---------|----------------------------------|-------------|--------------|-----------|----------------|
 * | A       | key variant (TR-31:2005)         | TDES 16, 24 | 8            | 4         | yes            |
 * | B       | TDES CMAC key derivation         | TDES 16, 24 | 8            | 8         | yes            |
 * | C       | key variant (TR-31:2010)         | TDES 16, 24 | 8            | 4         | yes            |
 * | D       | AES CMAC key derivation, CBC     | AES 16/24/32| 16           | 16        | yes            |
 * | E       | ISO 20038 derivation, AES-CTR    | AES 16/24/32| 16           | 16        | no             |
 */
export type Tr31Version = 'A' | 'B' | 'C' | 'D' | 'E';
export type KbpkFamily = 'TDES' | 'AES';
export type Binding = 'variant' | 'derive-cbc' | 'derive-ctr';

export interface VersionFacts {
  readonly version: Tr31Version;
  readonly binding: Binding;
  readonly kbpkFamily: KbpkFamily;
  readonly kbpkLengths: readonly number[];
  /** Cipher block size: the header and (A–D) the payload are multiples of it. */
  readonly blockSize: 8 | 16;
  /** Authenticator length in bytes (hex characters = twice this). */
  readonly macLength: 4 | 8 | 16;
  /** A–D pad the clear payload to a multiple of the block; E (CTR) does not (ISO 20038). */
  readonly padPayload: boolean;
  readonly standard: string;
}

export const TR31_VERSIONS: Readonly<Record<Tr31Version, VersionFacts>> = {
  A: { version: 'A', binding: 'variant', kbpkFamily: 'TDES', kbpkLengths: [16, 24], blockSize: 8, macLength: 4, padPayload: true, standard: 'TR-31:2005 (deprecated)' },
  B: { version: 'B', binding: 'derive-cbc', kbpkFamily: 'TDES', kbpkLengths: [16, 24], blockSize: 8, macLength: 8, padPayload: true, standard: 'TR-31:2010, X9.143' },
  C: { version: 'C', binding: 'variant', kbpkFamily: 'TDES', kbpkLengths: [16, 24], blockSize: 8, macLength: 4, padPayload: true, standard: 'TR-31:2010, X9.143' },
  D: { version: 'D', binding: 'derive-cbc', kbpkFamily: 'AES', kbpkLengths: [16, 24, 32], blockSize: 16, macLength: 16, padPayload: true, standard: 'TR-31:2018, X9.143' },
  E: { version: 'E', binding: 'derive-ctr', kbpkFamily: 'AES', kbpkLengths: [16, 24, 32], blockSize: 16, macLength: 16, padPayload: false, standard: 'ISO 20038:2017' },
};

export function versionFacts(v: string): VersionFacts | undefined {
  return v.length === 1 ? (TR31_VERSIONS as Record<string, VersionFacts>)[v] : undefined;
}

/**
 * Key derivation input (X9.143 / TR-31:2018 A.3, ISO 20038 A.3): 8 bytes
 * counter(1) ‖ key usage(2) ‖ separator 00(1) ‖ algorithm(2) ‖ length in bits(2),
 * CMAC'd under the KBPK once per output block; the output is truncated to the KBPK length
 * (AES-192 keeps the left 8 bytes of the second block).
 */
export const DERIVATION_KEY_USAGE = {
  /** KBEK for CBC (versions B and D). */
  encryptCbc: 0x0000,
  /** KBAK (B, D and E). */
  mac: 0x0001,
  /** KBEK for CTR (version E, ISO 20038). */
  encryptCtr: 0x0002,
} as const;

/** Derivation algorithm code and bit length by KBPK family and length. */
export const DERIVATION_ALGORITHM: Readonly<Record<string, { code: number; bits: number }>> = {
  'TDES-16': { code: 0x0000, bits: 0x0080 },
  'TDES-24': { code: 0x0001, bits: 0x00c0 },
  'AES-16': { code: 0x0002, bits: 0x0080 },
  'AES-24': { code: 0x0003, bits: 0x00c0 },
  'AES-32': { code: 0x0004, bits: 0x0100 },
};

/** Variant binding (A, C): KBEK = KBPK ⊕ 0x45…, KBAK = KBPK ⊕ 0x4D… (TR-31:2018 A.2). */
export const VARIANT_MASK = { encrypt: 0x45, mac: 0x4d } as const;
