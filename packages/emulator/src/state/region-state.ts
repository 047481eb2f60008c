import type { AliasRecord, KeyRecord, MpaAssociationRecord } from './records.js';

/**
 * The emulator's certificate authority of one account × region (control-plane/import-export/
 * emulator-ca.ts) as stored: its private key only LMK-sealed. Times are epoch milliseconds.
 */
export interface CaRecord {
  /**
   * the CA key's KeyAlgorithm: RSA_4096 (the import/export CA, certifying RSA keys) or an
   * ECC_NIST_P* curve (certifying that curve's keys); a record stored without it is RSA_4096
   */
  algorithm: string;
  /** AWS form (base64 of PEM) of the self-signed CA certificate */
  certificate: string;
  /** PKCS#8 private key sealed by the KeyVault, bound to this account, region and certificate */
  sealedPrivateKey: string;
  createdAt: number;
}

/** An import or export token (control-plane/import-export/tokens.ts) as stored. */
export interface TokenRecord {
  /** `import-token-…` / `export-token-…` */
  token: string;
  kind: 'import' | 'export';
  /** KeyMaterialType it was issued for (TR34_KEY_BLOCK | KEY_CRYPTOGRAM) */
  keyMaterialType: string;
  /** RSA_2048 | RSA_3072 | RSA_4096 */
  algorithm: string;
  /** AWS form (base64 of PEM) of the token's wrapping / signing certificate */
  certificate: string;
  /** AWS form of the CA certificate that issued it */
  certificateChain: string;
  issuedAt: number;
  validUntil: number;
  /** PKCS#8 private key sealed by the KeyVault, bound to the token's id, attributes and certificate */
  sealedPrivateKey: string;
}

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
  /** the emulator CAs by algorithm (CaRecord.algorithm), once generated or loaded; live objects are in emulator-ca.ts */
  readonly emulatorCas = new Map<string, CaRecord>();
  /** import/export tokens by id in issue order, expired ones until pruned (tokens.ts) */
  readonly tokens = new Map<string, TokenRecord>();
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
