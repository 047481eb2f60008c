import type { KeyRecord } from '../../state/records.js';

/**
 * What export-key.ts hands to each export format (tr31.ts, tr34.ts, cryptogram.ts): the clear
 * key to export and the TR-31 header fields that describe it. For a plain key these come from
 * the key's record; for ExportDukptInitialKey the key is the IPEK/IK derived from the BDK and the
 * header is B1 (e.g. `B1`, `T`, `X`, `S`).
 */
export interface ExportPayload {
  /** clear key bytes; export-key.ts zeroes them after the answer is built */
  readonly key: Uint8Array;
  /** the key named by ExportKeyIdentifier (for an IPEK export: the BDK) */
  readonly source: KeyRecord;
  /** AWS KeyAlgorithm of the exported key (TDES_2KEY, AES_128, …), for the strength rule */
  readonly keyAlgorithm: string;
  /** TR-31 header fields of the exported key, before KeyBlockHeaders restrictions */
  readonly header: {
    readonly keyUsage: string;
    readonly algorithm: string;
    readonly modeOfUse: string;
    readonly keyVersion: string;
    readonly exportability: string;
  };
  /**
   * True when `key` is a DUKPT initial key derived from the BDK (ExportDukptInitialKey): its
   * KCV then uses the default method of `keyAlgorithm`, not the BDK's KeyCheckValueAlgorithm.
   */
  readonly dukptInitialKey?: boolean;
}
