import { algorithmFacts } from './key-algorithms.js';
import { publicKeyKcv, symmetricKcv } from './key-material.js';
import type { RequestContext } from '../core/context.js';
import { conflictError, validationError } from '../core/errors.js';
import { commit, keyChange, type Change } from '../state/commit.js';
import { insertKey, newKeyId, sealBinding } from './key-access.js';
import type { RegionState } from '../state/region-state.js';
import type { KeyOriginName, KeyRecord } from '../state/records.js';
import { normaliseModes, type ModeName } from './key-attributes.js';

/** Material of a new key, in clear, as produced by generation or an import. */
export type NewKeyMaterial =
  | { kind: 'symmetric'; key: Uint8Array }
  | { kind: 'asymmetric'; privateKeyPkcs8: Uint8Array; publicKeySpki: Uint8Array }
  | { kind: 'public'; publicKeySpki: Uint8Array; certificate?: string; certificateChain?: string };

export interface NewKeyParams {
  keyUsage: string;
  keyClass: string;
  keyAlgorithm: string;
  modes: Partial<Record<ModeName, boolean | undefined>>;
  exportable: boolean;
  /** default true */
  enabled?: boolean;
  origin: KeyOriginName;
  /** default: the algorithm's default (algorithms.ts) */
  kcvAlgorithm?: string;
  deriveKeyUsage?: string;
  tags?: Map<string, string>;
  material: NewKeyMaterial;
  /**
   * More of the same change (CreateKey's replication): may complete the record (primary fields)
   * and answers the further records to write; everything is stored before the key appears.
   */
  withRecord?: (rec: KeyRecord) => Change[];
}

/** Checks a requested KCV algorithm against the key algorithm; returns the one to use. */
export function kcvAlgorithmFor(keyAlgorithm: string, requested: string | undefined): string {
  const facts = algorithmFacts(keyAlgorithm);
  if (requested === undefined) return facts.defaultKcv;
  if (!facts.kcvAllowed.includes(requested)) {
    // NOTE: AWS does not document which non-default KCV algorithms it accepts; the emulator
    // accepts ANSI_X9_24 and CMAC for TDES and AES keys, HMAC for HMAC keys, SHA_1 for key pairs.
    throw validationError(`KeyCheckValueAlgorithm ${requested} is not supported for KeyAlgorithm ${keyAlgorithm}; supported: ${facts.kcvAllowed.join(', ')}`);
  }
  return requested;
}

/**
 * Build, seal, persist and insert a key record in `state` (the request's region unless a
 * replica is being made). The clear material is sealed under the LMK here and not kept.
 * Used by CreateKey and by ImportKey (import-export/).
 */
export async function createKeyRecord(ctx: RequestContext, state: RegionState, p: NewKeyParams): Promise<KeyRecord> {
  // NOTE: ImportKey of a certificate (RootCertificatePublicKey / TrustedCertificatePublicKey)
  // accepts every KeyCheckValueAlgorithm of the model, as AWS does (its samples send ANSI_X9_24 and
  // CMAC for a root certificate); the key's KCV is still the emulator's public-key KCV (the first
  // 4 bytes of SHA-1 over the DER SubjectPublicKeyInfo), answered with KeyCheckValueAlgorithm SHA_1.
  const kcvAlgorithm = p.material.kind === 'public' ? algorithmFacts(p.keyAlgorithm).defaultKcv : kcvAlgorithmFor(p.keyAlgorithm, p.kcvAlgorithm);
  const keyId = newKeyId();
  const enabled = p.enabled ?? true;
  const rec: KeyRecord = {
    keyId,
    keyArn: state.keyArn(keyId),
    keyUsage: p.keyUsage,
    keyClass: p.keyClass,
    keyAlgorithm: p.keyAlgorithm,
    modes: normaliseModes(p.modes),
    kcv: '',
    kcvAlgorithm,
    enabled,
    exportable: p.exportable,
    state: 'CREATE_COMPLETE',
    origin: p.origin,
    createdAt: ctx.now,
  };
  // NOTE: keys created disabled carry UsageStopTimestamp instead of UsageStartTimestamp (not documented).
  if (enabled) rec.usageStartAt = ctx.now;
  else rec.usageStopAt = ctx.now;
  if (p.deriveKeyUsage !== undefined) rec.deriveKeyUsage = p.deriveKeyUsage;
  if (p.tags !== undefined && p.tags.size > 0) rec.tags = p.tags;
  const m = p.material;
  if (m.kind === 'symmetric') {
    rec.kcv = symmetricKcv(p.keyAlgorithm, m.key, kcvAlgorithm);
    rec.sealed = ctx.services.vault.seal(m.key, sealBinding(rec));
  } else {
    rec.kcv = publicKeyKcv(m.publicKeySpki);
    rec.publicKey = Buffer.from(m.publicKeySpki).toString('base64');
    if (m.kind === 'asymmetric') rec.sealed = ctx.services.vault.seal(m.privateKeyPkcs8, sealBinding(rec));
    else {
      if (m.certificate !== undefined) rec.certificate = m.certificate;
      if (m.certificateChain !== undefined) rec.certificateChain = m.certificateChain;
    }
  }
  if (p.withRecord === undefined) {
    await insertKey(ctx, state, rec);
    return rec;
  }
  if (state.keys.has(rec.keyId)) throw conflictError(`Key ${rec.keyArn} already exists`);
  const more = p.withRecord(rec);
  await commit(ctx, [keyChange(ctx, state, undefined, rec), ...more]);
  return rec;
}
