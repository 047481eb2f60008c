import type { KeyVault } from '../vault/key-vault.js';
import type { KeyedLock } from '../state/keyed-lock.js';
import type { Store } from '../store/store.js';
import type { RegionState, StateStore } from '../state/region-state.js';

/** Services shared by every request of one emulator instance. */
export interface EmulatorServices {
  readonly states: StateStore;
  readonly store: Store;
  readonly vault: KeyVault;
  /** epoch milliseconds; injectable for tests (key deletion windows) */
  readonly clock: () => number;
  readonly defaultAccountId: string;
  /** refuse candidate data-plane algorithms not confirmed against AWS (EmulatorOptions.strictAlgorithms) */
  readonly strictAlgorithms: boolean;
  /** one operational line (a failed write, a quarantined file); never key material (EmulatorOptions.log) */
  readonly log: (line: string) => void;
  /** per key / alias name / region settings serialisation of mutations (state/keyed-lock.ts) */
  readonly locks: KeyedLock;
}

/** What a handler knows about the request it serves. */
export interface RequestContext {
  readonly accountId: string;
  readonly region: string;
  readonly requestId: string;
  readonly operation: string;
  /** state of this account × region */
  readonly state: RegionState;
  readonly services: EmulatorServices;
  /** epoch milliseconds, fixed for the duration of the request */
  readonly now: number;
}
