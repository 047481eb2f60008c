import {
  AesCipher,
  RetailMacKey,
  TdesCipher,
  cmac,
  hmacSha,
  iso9797Mac1,
  iso9797Mac3,
  ownEntry,
  type BlockCipher,
  type HmacHash,
} from '@paycrypt/primitives';
import type { RequestContext } from '../core/context.js';
import { validationError } from '../core/errors.js';
import type { KeyRuleName } from './key-rules.js';
import { prepared, type OperationKey } from './operation-key.js';

/**
 * The `MacAttributes.Algorithm` members of GenerateMac / VerifyMac (reference/data-plane.md §7),
 * one table: the KEY_RULES entry per direction, how the full MAC is computed from the prepared
 * key, and the default output length.
 *
 * | Algorithm           | key (rule)        | computation (primitives)                         | default MacLength        |
 * |---------------------|-------------------|--------------------------------------------------|--------------------------|
 * | ISO9797_ALGORITHM1  | M1 TDES           | ISO 9797-1 alg 1, full TDES, padding method 1    | 4 bytes (live AWS)       |
 * | ISO9797_ALGORITHM3  | M3 TDES           | ISO 9797-1 alg 3 (retail), padding method 1      | 4 bytes (live AWS)       |
 * | CMAC                | M6 TDES or AES    | NIST SP 800-38B                                  | full block — NOTE        |
 * | HMAC, HMAC_SHA*     | M7 HMAC_SHA*      | RFC 2104                                         | full hash — NOTE         |
 * | AS2805_4_1          | M0 TDES           | alg 3, padding method 1 — unverified, NOTE       | 4 bytes (the AWS sample) |
 *
 * Padding method 1 appends zeros only up to a block boundary (none when aligned), so a 1-byte
 * message is one zero-padded block. MacLength truncates to the leftmost bytes.
 *
 * NOTE: AWS does not document the default length of CMAC and HMAC MACs; the emulator answers the
 * full MAC (8 bytes for TDES CMAC, 16 for AES CMAC, the hash length for HMAC), which any shorter
 * MacLength truncates.
 */
export type AwsMacAlgorithm = 'ISO9797_ALGORITHM1' | 'ISO9797_ALGORITHM3' | 'CMAC' | 'HMAC' | 'HMAC_SHA224' | 'HMAC_SHA256' | 'HMAC_SHA384' | 'HMAC_SHA512' | 'AS2805_4_1';

/** A prepared MAC function: full-length MAC of the data. */
export type MacFunction = (data: Uint8Array) => Uint8Array;

interface AlgorithmFacts {
  readonly generate: KeyRuleName;
  readonly verify: KeyRuleName;
  /** a cache purpose for prepared() plus the builder of the MAC function */
  readonly prepare: (ctx: RequestContext, key: OperationKey) => MacFunction;
  /** default output length in bytes; undefined: the full MAC */
  readonly defaultLength: number | undefined;
  /** refused in strict mode (EmulatorOptions.strictAlgorithms): not confirmed against AWS */
  readonly candidate?: true;
}

function tdesCipher(ctx: RequestContext, key: OperationKey): BlockCipher {
  return prepared(ctx, key, 'mac:tdes-cipher', (clear) => new TdesCipher(clear));
}

/** ISO 9797-1 alg 3 under a 16- or 24-byte TDES key; the 16-byte case keeps both schedules. */
function retailMac(ctx: RequestContext, key: OperationKey): MacFunction {
  return prepared(ctx, key, 'mac:retail', (clear): MacFunction => {
    if (clear.length === 16) {
      const k = new RetailMacKey(clear);
      return (data) => k.mac(data, 1);
    }
    // TDES_3KEY: the last block under K1‖K2‖K3 (primitives' iso9797Mac3); the copy lives as long as the cache entry
    const copy = new Uint8Array(clear);
    return (data) => iso9797Mac3(copy, data, 1);
  });
}

const HMAC_OF_KEY: Readonly<Record<string, HmacHash>> = {
  HMAC_SHA224: 'SHA224',
  HMAC_SHA256: 'SHA256',
  HMAC_SHA384: 'SHA384',
  HMAC_SHA512: 'SHA512',
};

/**
 * HMAC with the hash of the key's algorithm. NOTE: bare `HMAC` means "the key's own hash"
 * (an HMAC_SHA384 key gives HMAC-SHA-384); `HMAC_SHA256` etc. must match the key's algorithm
 * (an HMAC_SHA256 key refuses HMAC_SHA512) — AWS binds an HMAC key to its hash (KeyAlgorithm).
 */
function hmacFor(algorithm: AwsMacAlgorithm): (ctx: RequestContext, key: OperationKey) => MacFunction {
  return (ctx, key) => {
    const hash = ownEntry(HMAC_OF_KEY, key.keyAlgorithm);
    if (hash === undefined) throw validationError(`${algorithm} needs an HMAC key; ${key.arn} is ${key.keyAlgorithm}`);
    if (algorithm !== 'HMAC' && algorithm !== key.keyAlgorithm) {
      throw validationError(`Algorithm ${algorithm} does not match the key's algorithm ${key.keyAlgorithm}; use ${key.keyAlgorithm} or HMAC`);
    }
    return prepared(ctx, key, 'mac:hmac', (clear): MacFunction => {
      const copy = new Uint8Array(clear);
      return (data) => hmacSha(hash, copy, data);
    });
  };
}

export const MAC_ALGORITHM_TABLE: Readonly<Record<AwsMacAlgorithm, AlgorithmFacts>> = {
  ISO9797_ALGORITHM1: {
    generate: 'MAC_ISO9797_1_GENERATE',
    verify: 'MAC_ISO9797_1_VERIFY',
    prepare: (ctx, key) => {
      const c = tdesCipher(ctx, key);
      return (data) => iso9797Mac1(c, data, 1);
    },
    defaultLength: 4,
  },
  ISO9797_ALGORITHM3: { generate: 'MAC_ISO9797_3_GENERATE', verify: 'MAC_ISO9797_3_VERIFY', prepare: retailMac, defaultLength: 4 },
  CMAC: {
    generate: 'MAC_CMAC_GENERATE',
    verify: 'MAC_CMAC_VERIFY',
    prepare: (ctx, key) => {
      // the cipher instance is cached, and primitives caches its CMAC subkeys per instance
      const c = prepared(ctx, key, 'mac:cmac-cipher', (clear): BlockCipher => (key.keyAlgorithm.startsWith('AES') ? new AesCipher(clear) : new TdesCipher(clear)));
      return (data) => cmac(c, data);
    },
    defaultLength: undefined,
  },
  HMAC: { generate: 'MAC_HMAC_GENERATE', verify: 'MAC_HMAC_VERIFY', prepare: hmacFor('HMAC'), defaultLength: undefined },
  HMAC_SHA224: { generate: 'MAC_HMAC_GENERATE', verify: 'MAC_HMAC_VERIFY', prepare: hmacFor('HMAC_SHA224'), defaultLength: undefined },
  HMAC_SHA256: { generate: 'MAC_HMAC_GENERATE', verify: 'MAC_HMAC_VERIFY', prepare: hmacFor('HMAC_SHA256'), defaultLength: undefined },
  HMAC_SHA384: { generate: 'MAC_HMAC_GENERATE', verify: 'MAC_HMAC_VERIFY', prepare: hmacFor('HMAC_SHA384'), defaultLength: undefined },
  HMAC_SHA512: { generate: 'MAC_HMAC_GENERATE', verify: 'MAC_HMAC_VERIFY', prepare: hmacFor('HMAC_SHA512'), defaultLength: undefined },
  // NOTE: AS2805.4.1 is not published; this is the reading of aws-samples
  // as2805_4_1_mac_validation.py (ISO 9797-1 alg 3, padding 1, first 4 bytes), which that sample
  // itself does not confirm against AWS. Unverified: refused with strictAlgorithms.
  AS2805_4_1: { generate: 'MAC_AS2805_GENERATE', verify: 'MAC_AS2805_VERIFY', prepare: retailMac, defaultLength: 4, candidate: true },
};

/** The facts of an `Algorithm` value (own entries only). */
export function macAlgorithmFacts(ctx: RequestContext, algorithm: string): AlgorithmFacts {
  const facts = ownEntry(MAC_ALGORITHM_TABLE, algorithm as AwsMacAlgorithm);
  if (facts === undefined) throw validationError(`Algorithm ${algorithm} is not supported`);
  if (facts.candidate === true && ctx.services.strictAlgorithms) {
    throw validationError(`Algorithm ${algorithm} is not confirmed against AWS; this emulator refuses it in strict mode`);
  }
  return facts;
}
