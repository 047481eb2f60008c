import type { CaRecord, RegionState, StateStore, TokenRecord } from '../state/region-state.js';
import type { AliasRecord, KeyRecord } from '../state/records.js';
import type { RegionSettings } from '../state/commit.js';

/**
 * Persistence of the state. Handlers call these after a change and answer only once the
 * returned promise resolves, so an acknowledged change is durable (for a durable store).
 * Key, CA and token records hold sealed material only (see key-vault.ts).
 */
export interface Store {
  readonly kind: 'memory' | 'data-dir';
  saveKey(state: RegionState, key: KeyRecord): Promise<void>;
  /** forget a key record (only to take back a new key whose other writes failed: state/commit.ts) */
  deleteKey(state: RegionState, keyId: string): Promise<void>;
  saveAlias(state: RegionState, alias: AliasRecord): Promise<void>;
  deleteAlias(state: RegionState, aliasName: string): Promise<void>;
  /**
   * region-level settings: default replication regions, MPA associations — `settings` when given
   * (a change not yet visible in memory, see state/commit.ts), else the state's own
   */
  saveSettings(state: RegionState, settings?: RegionSettings): Promise<void>;
  /** the import/export CA of a region (private key sealed) */
  saveCa(state: RegionState, ca: CaRecord): Promise<void>;
  /** an import/export token (private key sealed) */
  saveToken(state: RegionState, token: TokenRecord): Promise<void>;
  /** forget a token (expired tokens are pruned) */
  deleteToken(state: RegionState, tokenId: string): Promise<void>;
  /** fill `states` from the store (startup) */
  load(states: StateStore): Promise<void>;
  close(): Promise<void>;
}

/** The default: nothing leaves the process. */
export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  async saveKey(): Promise<void> {}
  async deleteKey(): Promise<void> {}
  async saveAlias(): Promise<void> {}
  async deleteAlias(): Promise<void> {}
  async saveSettings(): Promise<void> {}
  async saveCa(): Promise<void> {}
  async saveToken(): Promise<void> {}
  async deleteToken(): Promise<void> {}
  async load(): Promise<void> {}
  async close(): Promise<void> {}
}
