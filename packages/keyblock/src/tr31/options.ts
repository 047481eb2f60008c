import type { RandomSource } from '@paycrypt/primitives';

/**
 * Leniency is opt-in and each option is named for exactly what it tolerates.
 * With no options, parsing follows ANSI X9.143: upper-case hex, `00 04 LLLL` extended
 * optional-block lengths, header values from the X9.143 tables, per-ID optional-block formats.
 */
export interface Tr31ParseOptions {
  /** Accept psec's extended optional-block length `ID 00 02 LLLL` as well as X9.143's `ID 00 04 LLLL`. */
  allowExtendedLength0002?: boolean;
  /** Accept lower-case hex in the payload, the authenticator and optional-block lengths (moov-io/psec output). */
  allowLowerCaseHex?: boolean;
  /**
   * Accept key usage, algorithm, mode of use, exportability and key context values that are
   * outside the X9.143 tables but alphanumeric (e.g. IBM's proprietary usage `10`, mode `1`).
   */
  allowProprietaryValues?: boolean;
  /** Accept registered optional blocks whose data breaks their X9.143 format (e.g. a GBIC `KS` in ASCII). */
  allowNonStandardOptionalBlockData?: boolean;
}

export interface Tr31KeyOptions {
  /**
   * Accept a key whose length does not fit the header's algorithm (TDES 16/24, AES 16/24/32,
   * DES 8), as psec does since its PR #9 (e.g. an 8-byte single-DES key labelled `T`).
   */
  allowNonStandardKeyLength?: boolean;
  /**
   * Enforce the usage × algorithm × mode-of-use table (`TR31_KEY_USAGES`) and refuse a key
   * stronger than the KBPK that wraps it. Off by default (no published implementation does this;
   * AWS Payment Cryptography applies similar rules service-side).
   */
  policy?: boolean;
}

export interface Tr31UnwrapOptions extends Tr31ParseOptions, Tr31KeyOptions {}

export interface Tr31WrapOptions extends Tr31ParseOptions, Tr31KeyOptions {
  /**
   * Key-length obfuscation (X9.143 §5.3): the clear key is followed by random bytes so that the
   * payload looks like one of this many bytes. Default: 24 for TDES/DES keys, 32 for AES keys,
   * no obfuscation for other algorithms. Give the key length to switch obfuscation off.
   */
  maskedKeyLength?: number;
  /** Random source for the padding (default: WebCrypto). Inject one to reproduce a published block. */
  random?: RandomSource;
}
