import type { FullModesOfUse } from '../keys/key-attributes.js';

export type KeyStateName = 'CREATE_IN_PROGRESS' | 'CREATE_COMPLETE' | 'DELETE_PENDING' | 'DELETE_COMPLETE';
export type KeyOriginName = 'EXTERNAL' | 'AWS_PAYMENT_CRYPTOGRAPHY';

/**
 * One key as the emulator keeps it. Key material is never here in clear: `sealed` is the
 * material wrapped under the local master key by the KeyVault (see vault/key-vault.ts).
 * Times are epoch milliseconds.
 */
export interface KeyRecord {
  keyId: string;
  keyArn: string;
  keyUsage: string;
  keyClass: string;
  keyAlgorithm: string;
  /** shared, frozen instance (normaliseModes) */
  modes: Readonly<FullModesOfUse>;
  kcv: string;
  kcvAlgorithm: string;
  enabled: boolean;
  exportable: boolean;
  state: KeyStateName;
  origin: KeyOriginName;
  createdAt: number;
  usageStartAt?: number;
  usageStopAt?: number;
  deletePendingAt?: number;
  deletedAt?: number;
  deriveKeyUsage?: string;
  /**
   * Symmetric key, or PKCS#8 private key of a key pair, sealed under the LMK. Absent for a
   * public-key-only key (imported certificate) and after DELETE_COMPLETE (material destroyed).
   */
  sealed?: string;
  /** base64 DER SubjectPublicKeyInfo of an asymmetric key */
  publicKey?: string;
  /** base64 of a PEM certificate (imported certificates; GetPublicKeyCertificate caches) */
  certificate?: string;
  certificateChain?: string;
  /** user tags in insertion order; absent when there are none */
  tags?: Map<string, string>;
  /** resource policy (PutResourcePolicy) */
  policy?: string;
  multiRegionKeyType?: 'PRIMARY' | 'REPLICA';
  primaryRegion?: string;
  /** replica regions of a PRIMARY key */
  replicationRegions?: string[];
  usingDefaultReplicationRegions?: boolean;
}

export interface AliasRecord {
  aliasName: string;
  keyArn?: string;
}

export interface MpaAssociationRecord {
  action: string;
  mpaTeamArn: string;
  associationState: 'ACTIVE' | 'UPDATE_PENDING' | 'DELETE_PENDING';
}
