import { CONTROL_PLANE_MODEL } from '../src/index.js';
import { describe, expect, it } from 'vitest';
import { Emulator } from '../src/index.js';
import { checkCreateKeyAttributes, MODE_NAMES, type ModeName } from '../src/keys/key-attributes.js';

/**
 * CreateKey accepts exactly the usage × class × algorithm × modes-of-use table of aws-api.md
 * §10.7 (AWS user guide "keys-validattributes"). The table below is transcribed from that
 * section line by line for this test, independently of `key-attributes.ts`; the decisions the
 * section leaves open are the documented ones: M7 takes HMAC_* (the API enum), P1 is refused
 * ("not currently used"), K2 lists {DeriveKey}. Every usage, class and algorithm of the model
 * enums is tried, and every one of the 512 mode combinations for each row.
 */
const TABLE = `
TR31_B0_BASE_DERIVATION_KEY           | SYMMETRIC_KEY       | TDES_2KEY TDES_3KEY AES_128 AES_192 AES_256 | DeriveKey ; NoRestrictions
TR31_C0_CARD_VERIFICATION_KEY         | SYMMETRIC_KEY       | TDES_2KEY TDES_3KEY AES_128 AES_192 AES_256 | Generate ; Verify ; Generate Verify ; NoRestrictions
TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY | SYMMETRIC_KEY       | TDES_2KEY TDES_3KEY AES_128 AES_192 AES_256 | Encrypt Decrypt Wrap Unwrap ; Encrypt Wrap ; Decrypt Unwrap ; NoRestrictions
TR31_E0_EMV_MKEY_APP_CRYPTOGRAMS      | SYMMETRIC_KEY       | TDES_2KEY TDES_3KEY AES_128 AES_192 AES_256 | DeriveKey ; NoRestrictions
TR31_E1_EMV_MKEY_CONFIDENTIALITY      | SYMMETRIC_KEY       | TDES_2KEY TDES_3KEY AES_128 AES_192 AES_256 | DeriveKey ; NoRestrictions
TR31_E2_EMV_MKEY_INTEGRITY            | SYMMETRIC_KEY       | TDES_2KEY TDES_3KEY AES_128 AES_192 AES_256 | DeriveKey ; NoRestrictions
TR31_E4_EMV_MKEY_DYNAMIC_NUMBERS      | SYMMETRIC_KEY       | TDES_2KEY TDES_3KEY AES_128 AES_192 AES_256 | DeriveKey ; NoRestrictions
TR31_E5_EMV_MKEY_CARD_PERSONALIZATION | SYMMETRIC_KEY       | TDES_2KEY TDES_3KEY AES_128 AES_192 AES_256 | DeriveKey ; NoRestrictions
TR31_E6_EMV_MKEY_OTHER                | SYMMETRIC_KEY       | TDES_2KEY TDES_3KEY AES_128 AES_192 AES_256 | DeriveKey ; NoRestrictions
TR31_K0_KEY_ENCRYPTION_KEY            | SYMMETRIC_KEY       | TDES_2KEY TDES_3KEY AES_128 AES_192 AES_256 | Encrypt Decrypt Wrap Unwrap ; Encrypt Wrap ; Decrypt Unwrap ; NoRestrictions
TR31_K1_KEY_BLOCK_PROTECTION_KEY      | SYMMETRIC_KEY       | TDES_2KEY TDES_3KEY AES_128 AES_192 AES_256 | Encrypt Decrypt Wrap Unwrap ; Encrypt Wrap ; Decrypt Unwrap ; NoRestrictions
TR31_M1_ISO_9797_1_MAC_KEY            | SYMMETRIC_KEY       | TDES_2KEY TDES_3KEY                         | Generate ; Verify ; Generate Verify ; NoRestrictions
TR31_M3_ISO_9797_3_MAC_KEY            | SYMMETRIC_KEY       | TDES_2KEY TDES_3KEY                         | Generate ; Verify ; Generate Verify ; NoRestrictions
TR31_M6_ISO_9797_5_CMAC_KEY           | SYMMETRIC_KEY       | TDES_2KEY TDES_3KEY AES_128 AES_192 AES_256 | Generate ; Verify ; Generate Verify ; NoRestrictions
TR31_M7_HMAC_KEY                      | SYMMETRIC_KEY       | HMAC_SHA224 HMAC_SHA256 HMAC_SHA384 HMAC_SHA512 | Generate ; Verify ; Generate Verify ; NoRestrictions
TR31_M0_ISO_16609_MAC_KEY             | SYMMETRIC_KEY       | TDES_2KEY TDES_3KEY                         | Generate ; Verify ; Generate Verify
TR31_P0_PIN_ENCRYPTION_KEY            | SYMMETRIC_KEY       | TDES_2KEY TDES_3KEY AES_128 AES_192 AES_256 | Encrypt Decrypt Wrap Unwrap ; Encrypt Wrap ; Decrypt Unwrap ; NoRestrictions
TR31_V1_IBM3624_PIN_VERIFICATION_KEY  | SYMMETRIC_KEY       | TDES_2KEY TDES_3KEY AES_128 AES_192 AES_256 | Generate ; Verify ; Generate Verify ; NoRestrictions
TR31_V2_VISA_PIN_VERIFICATION_KEY     | SYMMETRIC_KEY       | TDES_2KEY TDES_3KEY AES_128 AES_192 AES_256 | Generate ; Verify ; Generate Verify ; NoRestrictions
TR31_D1_ASYMMETRIC_KEY_FOR_DATA_ENCRYPTION   | ASYMMETRIC_KEY_PAIR | RSA_2048 RSA_3072 RSA_4096          | Encrypt Decrypt Wrap Unwrap ; Encrypt Wrap ; Decrypt Unwrap
TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE | ASYMMETRIC_KEY_PAIR | RSA_2048 RSA_3072 RSA_4096          | Sign ; Verify
TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT     | ASYMMETRIC_KEY_PAIR | ECC_NIST_P256 ECC_NIST_P384 ECC_NIST_P521 | DeriveKey
TR31_K2_TR34_ASYMMETRIC_KEY                  | ASYMMETRIC_KEY_PAIR | RSA_2048 RSA_3072 RSA_4096          | DeriveKey ; Encrypt Decrypt Wrap Unwrap ; Encrypt Wrap ; Decrypt Unwrap
`;

interface Row {
  usage: string;
  keyClass: string;
  algorithms: string[];
  modeSets: ModeName[][];
}

const ROWS: Row[] = TABLE.trim()
  .split('\n')
  .map((line) => {
    const [usage, keyClass, algorithms, modes] = line.split('|').map((s) => s.trim());
    return {
      usage: usage!,
      keyClass: keyClass!,
      algorithms: algorithms!.split(/\s+/),
      modeSets: modes!.split(';').map((s) => s.trim().split(/\s+/) as ModeName[]),
    };
  });

const enumOf = (shape: string): string[] => (CONTROL_PLANE_MODEL.shapes[shape] as { e: string[] }).e;
const modesOf = (set: readonly string[]): Record<string, boolean> => Object.fromEntries(set.map((m) => [m, true]));
/** The 512 combinations of the nine flags, as objects with only the true flags set. */
const ALL_COMBINATIONS = Array.from({ length: 512 }, (_, bits) => MODE_NAMES.filter((_, i) => (bits & (1 << i)) !== 0));
const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

describe('CreateKey attribute table (aws-api.md §10.7)', () => {
  it('the transcription covers every model KeyUsage except the unused P1 (and the E3 the guide does not list)', () => {
    const usages = enumOf('KeyUsage');
    expect(ROWS.map((r) => r.usage).every((u) => usages.includes(u))).toBe(true);
    expect(usages.filter((u) => !ROWS.some((r) => r.usage === u)).sort()).toEqual(
      usages.filter((u) => u === 'TR31_P1_PIN_GENERATION_KEY' || u.startsWith('TR31_E3_')).sort(),
    );
  });

  it('usage × class × algorithm: accepted exactly where the table lists them', () => {
    let accepted = 0;
    for (const usage of enumOf('KeyUsage')) {
      const row = ROWS.find((r) => r.usage === usage);
      for (const keyClass of enumOf('KeyClass')) {
        for (const alg of enumOf('KeyAlgorithm')) {
          const modes = modesOf(row?.modeSets[0] ?? ['Encrypt']);
          const problem = checkCreateKeyAttributes({ KeyUsage: usage, KeyClass: keyClass, KeyAlgorithm: alg, KeyModesOfUse: modes });
          const expected = row !== undefined && row.keyClass === keyClass && row.algorithms.includes(alg);
          expect(problem === undefined, `${usage} ${keyClass} ${alg}: ${problem}`).toBe(expected);
          if (expected) accepted++;
        }
      }
    }
    expect(accepted).toBe(ROWS.reduce((n, r) => n + r.algorithms.length, 0));
  });

  it('modes of use: for every row, exactly the listed sets among all 512 combinations (all other flags false)', () => {
    for (const row of ROWS) {
      const found = ALL_COMBINATIONS.filter(
        (set) => checkCreateKeyAttributes({ KeyUsage: row.usage, KeyClass: row.keyClass, KeyAlgorithm: row.algorithms[0]!, KeyModesOfUse: modesOf(set) }) === undefined,
      );
      expect(found.length, row.usage).toBe(row.modeSets.length);
      for (const set of row.modeSets) expect(found.some((f) => sameSet(f, set)), `${row.usage} {${set.join(', ')}}`).toBe(true);
    }
    // explicit false flags are the same as absent ones
    expect(checkCreateKeyAttributes({ KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: false, Encrypt: false } })).toBeUndefined();
  });

  it('through the core: every symmetric row × algorithm × mode set creates a key with those attributes; a neighbour set is refused', async () => {
    const em = Emulator.inMemory();
    let created = 0;
    for (const row of ROWS.filter((r) => r.keyClass === 'SYMMETRIC_KEY')) {
      for (const alg of row.algorithms) {
        for (const set of row.modeSets) {
          const KeyAttributes = { KeyUsage: row.usage, KeyClass: row.keyClass, KeyAlgorithm: alg, KeyModesOfUse: modesOf(set) };
          const out = await em.call('CreateKey', { Exportable: true, KeyAttributes });
          expect(Object.entries(out.Key!.KeyAttributes!.KeyModesOfUse!).filter(([, v]) => v === true).map(([k]) => k).sort()).toEqual([...set].sort());
          created++;
        }
        // the first set plus Sign is never in the table
        const bad = { KeyUsage: row.usage, KeyClass: row.keyClass, KeyAlgorithm: alg, KeyModesOfUse: modesOf([...row.modeSets[0]!, 'Sign']) };
        await expect(em.call('CreateKey', { Exportable: true, KeyAttributes: bad })).rejects.toMatchObject({ awsName: 'ValidationException' });
      }
    }
    expect(created).toBe(ROWS.filter((r) => r.keyClass === 'SYMMETRIC_KEY').reduce((n, r) => n + r.algorithms.length * r.modeSets.length, 0));
    await em.close();
  });
});
