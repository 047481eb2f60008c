import type { AliasRecord, KeyRecord, MpaAssociationRecord } from './records.js';

/** Everything the emulator knows for one AWS account in one region. */
export class RegionState {
  readonly accountId: string;
  readonly region: string;
  /** key id → key, in creation order */
  readonly keys = new Map<string, KeyRecord>();
  /** alias name → alias, in creation order */
  readonly aliases = new Map<string, AliasRecord>();
  /** EnableDefaultKeyReplicationRegions / Disable… */
  defaultReplicationRegions: string[] = [];
  /** MPA team associations by action */
  readonly mpa = new Map<string, MpaAssociationRecord>();
  /** `arn:aws:payment-cryptography:<region>:<account>:` */
  readonly arnPrefix: string;

  constructor(accountId: string, region: string) {
    this.accountId = accountId;
    this.region = region;
    this.arnPrefix = `arn:aws:payment-cryptography:${region}:${accountId}:`;
  }

  keyArn(keyId: string): string {
    return `${this.arnPrefix}key/${keyId}`;
  }

  aliasArn(aliasName: string): string {
    return this.arnPrefix + aliasName;
  }
}

/** All account × region states of one emulator. */
export class StateStore {
  private readonly states = new Map<string, RegionState>();

  get(accountId: string, region: string): RegionState {
    const id = `${accountId}/${region}`;
    let s = this.states.get(id);
    if (s === undefined) {
      s = new RegionState(accountId, region);
      this.states.set(id, s);
    }
    return s;
  }

  peek(accountId: string, region: string): RegionState | undefined {
    return this.states.get(`${accountId}/${region}`);
  }

  all(): IterableIterator<RegionState> {
    return this.states.values();
  }
}
