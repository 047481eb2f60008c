import type { Alias, DeriveKeyUsage, Key, KeyAlgorithm, KeyCheckValueAlgorithm, KeyClass, KeySummary, KeyUsage, Tag } from '@aws-sdk/client-payment-cryptography';
import type { AliasRecord, KeyRecord } from '../state/records.js';

/** Fields of the newest model's `Key` that the SDK 3.882.0 type lacks (the SDK drops them). */
export interface KeyNewerFields {
  MultiRegionKeyType?: 'PRIMARY' | 'REPLICA';
  PrimaryRegion?: string;
  ReplicationStatus?: Record<string, { Status: string; StatusMessage?: string }>;
  UsingDefaultReplicationRegions?: boolean;
}

export type KeyView = Key & KeyNewerFields;

function date(ms: number): Date {
  return new Date(ms);
}

/** The `Key` structure of GetKey/CreateKey/… answers: all nine KeyModesOfUse booleans. */
export function keyView(k: KeyRecord): KeyView {
  const v: KeyView = {
    KeyArn: k.keyArn,
    KeyAttributes: {
      KeyUsage: k.keyUsage as KeyUsage,
      KeyClass: k.keyClass as KeyClass,
      KeyAlgorithm: k.keyAlgorithm as KeyAlgorithm,
      KeyModesOfUse: { ...k.modes },
    },
    KeyCheckValue: k.kcv,
    KeyCheckValueAlgorithm: k.kcvAlgorithm as KeyCheckValueAlgorithm,
    Enabled: k.enabled,
    Exportable: k.exportable,
    KeyState: k.state,
    KeyOrigin: k.origin,
    CreateTimestamp: date(k.createdAt),
  };
  if (k.usageStartAt !== undefined) v.UsageStartTimestamp = date(k.usageStartAt);
  if (k.usageStopAt !== undefined) v.UsageStopTimestamp = date(k.usageStopAt);
  if (k.deletePendingAt !== undefined) v.DeletePendingTimestamp = date(k.deletePendingAt);
  if (k.deletedAt !== undefined) v.DeleteTimestamp = date(k.deletedAt);
  if (k.deriveKeyUsage !== undefined) v.DeriveKeyUsage = k.deriveKeyUsage as DeriveKeyUsage;
  if (k.multiRegionKeyType !== undefined) v.MultiRegionKeyType = k.multiRegionKeyType;
  if (k.primaryRegion !== undefined) v.PrimaryRegion = k.primaryRegion;
  if (k.multiRegionKeyType === 'PRIMARY' && k.replicationRegions !== undefined) {
    // NOTE: replication is immediate in the emulator: every replica is SYNCHRONIZED.
    v.ReplicationStatus = Object.fromEntries(k.replicationRegions.map((r) => [r, { Status: 'SYNCHRONIZED' }]));
    v.UsingDefaultReplicationRegions = k.usingDefaultReplicationRegions === true;
  }
  return v;
}

export function keySummaryView(k: KeyRecord): KeySummary & Pick<KeyNewerFields, 'MultiRegionKeyType' | 'PrimaryRegion'> {
  const v: KeySummary & Pick<KeyNewerFields, 'MultiRegionKeyType' | 'PrimaryRegion'> = {
    KeyArn: k.keyArn,
    KeyState: k.state,
    KeyAttributes: {
      KeyUsage: k.keyUsage as KeyUsage,
      KeyClass: k.keyClass as KeyClass,
      KeyAlgorithm: k.keyAlgorithm as KeyAlgorithm,
      KeyModesOfUse: { ...k.modes },
    },
    KeyCheckValue: k.kcv,
    Exportable: k.exportable,
    Enabled: k.enabled,
  };
  if (k.multiRegionKeyType !== undefined) v.MultiRegionKeyType = k.multiRegionKeyType;
  if (k.primaryRegion !== undefined) v.PrimaryRegion = k.primaryRegion;
  return v;
}

export function aliasView(a: AliasRecord): Alias {
  return a.keyArn === undefined ? { AliasName: a.aliasName } : { AliasName: a.aliasName, KeyArn: a.keyArn };
}

export function tagsView(tags: ReadonlyMap<string, string> | undefined): Tag[] {
  return tags === undefined ? [] : [...tags].map(([Key, Value]) => ({ Key, Value }));
}
