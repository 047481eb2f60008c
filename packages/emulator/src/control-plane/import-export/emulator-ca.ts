import { createHash } from 'node:crypto';
import {
  Certificate,
  EcPrivateKey,
  EC_CURVES,
  RsaPrivateKey,
  awsCertificateToDer,
  createCaCertificate,
  createEcCaCertificateDer,
  derToAwsCertificate,
  issueCertificate,
  type EcdsaHash,
  type RsaModulusBits,
} from '@paycrypt/tr34';
import type { RequestContext } from '../../core/context.js';
import { algorithmFacts } from '../../keys/key-algorithms.js';
import { generateKey } from '../../keys/key-material.js';
import { commit, type Change } from '../../state/commit.js';
import type { CaRecord, RegionState } from '../../state/region-state.js';
import type { SealBinding } from '../../vault/key-vault.js';

/**
 * The emulator's certificate authorities, one per account × region × CA algorithm (tr34.md §9):
 * - `RSA_4096`: an RSA-4096 key and a self-signed sha512WithRSAEncryption root. It certifies the
 *   wrapping (KRD) certificates of GetParametersForImport, the signing (KDH) certificates of
 *   GetParametersForExport and the key certificates of RSA keys (GetPublicKeyCertificate).
 * - `ECC_NIST_P256` / `ECC_NIST_P384` / `ECC_NIST_P521`: a key on that curve and a self-signed
 *   root signed with ECDSA and SHA-256 / SHA-384 / SHA-512. It certifies the GetPublicKeyCertificate
 *   certificates of ECC keys on the same curve, so the chain AWS's ECDH sample imports as a
 *   `RootCertificatePublicKey` of that curve (key_exchange/import_export_ecdh.py) is of the key's
 *   kind.
 * The CA's certificate is the `…CertificateChain` of each answer. All are valid 10 years.
 *
 * Each CA is generated on first use (RSA-4096 takes 1–2 s: off the event loop, keys/key-material.ts)
 * and its promise cached per RegionState and algorithm, so concurrent first requests share one
 * generation — the single flight serialises the CA's creation as a lock would. The CA is a
 * `CaRecord` in `RegionState.emulatorCas`, stored through commit() (state/commit.ts) before
 * anything uses it: its private key sealed under the LMK, bound to the account, region, algorithm
 * and certificate. A failed write answers 500 and leaves no CA (none in memory, none used to
 * issue anything; the next request tries again). With --data-dir a restarted emulator has the same
 * CAs, so the certificates and tokens they issued stay valid; a CA loaded from disk is unsealed on
 * its first use after the restart.
 * NOTE: the real CAs' subject names and extensions are not published; these are our own. AWS's
 * ECDH sample names the CA of an ECC_NIST_P521 key ECC_NIST_P521; that AWS uses a CA of the key's
 * own curve for P-256 and P-384 keys too is the emulator's choice.
 */
export interface EmulatorCa {
  readonly certificate: Certificate;
  readonly privateKey: RsaPrivateKey;
  /** base64 of the PEM of `certificate` (the API's certificate form) */
  readonly awsCertificate: string;
}

export type EccCaAlgorithm = 'ECC_NIST_P256' | 'ECC_NIST_P384' | 'ECC_NIST_P521';
export type CaAlgorithm = 'RSA_4096' | EccCaAlgorithm;

/** An ECC CA (`Certificate` of @paycrypt/tr34 parses RSA certificates only: the DER is kept). */
export interface EccEmulatorCa {
  readonly algorithm: EccCaAlgorithm;
  readonly certificateDer: Uint8Array;
  readonly privateKey: EcPrivateKey;
  /** the hash of its ECDSA signatures (its curve's: EC_CURVES) */
  readonly signatureHash: EcdsaHash;
  /** base64 of the PEM of the certificate (the API's certificate form) */
  readonly awsCertificate: string;
}

const CA_VALIDITY_DAYS = 3650;

const cas = new WeakMap<RegionState, Map<CaAlgorithm, Promise<EmulatorCa | EccEmulatorCa>>>();

/** A fresh RSA key pair (e = 65537), generated off the event loop (keys/key-material.ts). */
export async function newRsaKey(bits: RsaModulusBits): Promise<RsaPrivateKey> {
  const generated = await generateKey(`RSA_${bits}`);
  if (generated.kind !== 'asymmetric') throw new TypeError(`RSA_${bits} is not a key pair`);
  try {
    return RsaPrivateKey.fromPkcs8(generated.privateKeyPkcs8);
  } finally {
    generated.privateKeyPkcs8.fill(0);
  }
}

/** The CA that certifies a key pair of `keyAlgorithm`: RSA keys the RSA CA, ECC keys the CA of their curve. */
export function caAlgorithmFor(keyAlgorithm: string): CaAlgorithm {
  const facts = algorithmFacts(keyAlgorithm);
  if (facts.family === 'ECC') return keyAlgorithm as EccCaAlgorithm;
  if (facts.family === 'RSA') return 'RSA_4096';
  throw new RangeError(`${keyAlgorithm} is not an RSA or ECC key pair`);
}

/**
 * What the sealed CA private key is bound to: a blob opens only as this region's CA of this
 * algorithm with this certificate (the record id is the one RSA CAs were sealed with before ECC
 * CAs existed; the algorithm is bound as the keyAlgorithm).
 */
function caBinding(state: RegionState, algorithm: CaAlgorithm, certificate: string): SealBinding {
  const certHash = createHash('sha256').update(certificate).digest('hex');
  return {
    keyUsage: 'EMULATOR_CA',
    keyAlgorithm: algorithm,
    keyClass: 'ASYMMETRIC_KEY_PAIR',
    exportable: false,
    recordId: `emulator-ca:${state.accountId}:${state.region}:${certHash}`,
  };
}

/** Store a new CA record (the only write of its commit), then make it the region's CA of its algorithm. */
function caChange(ctx: RequestContext, state: RegionState, record: CaRecord): Change {
  return {
    what: `emulator CA ${record.algorithm} of ${state.accountId}/${state.region}`,
    write: () => ctx.services.store.saveCa(state, record),
    // the Store has no deleteCa: a CA is never written with other records (commit() keeps
    // memory equal to disk by applying a change whose undo fails)
    undo: () => Promise.reject(new Error('an emulator CA is not taken back')),
    apply: () => void state.emulatorCas.set(record.algorithm, record),
  };
}

function subject(state: RegionState, algorithm: CaAlgorithm) {
  const suffix = algorithm === 'RSA_4096' ? '' : ` ${algorithm}`;
  return { commonName: `Payment Cryptography emulator CA ${state.region}${suffix}`, organizationalUnit: state.accountId, organization: 'paycrypt emulator' };
}

/** Seal the CA's PKCS#8 (wiped afterwards) into its record and commit it. */
async function storeCa(ctx: RequestContext, algorithm: CaAlgorithm, awsCertificate: string, pkcs8: Uint8Array): Promise<void> {
  const { state, now } = ctx;
  let record: CaRecord;
  try {
    record = { algorithm, certificate: awsCertificate, sealedPrivateKey: ctx.services.vault.seal(pkcs8, caBinding(state, algorithm, awsCertificate)), createdAt: now };
  } finally {
    pkcs8.fill(0);
  }
  await commit(ctx, [caChange(ctx, state, record)]);
}

async function createRsaCa(ctx: RequestContext): Promise<EmulatorCa> {
  const privateKey = await newRsaKey(4096);
  const certificate = await createCaCertificate({
    privateKey,
    subject: subject(ctx.state, 'RSA_4096'),
    notBefore: new Date(ctx.now),
    validityDays: CA_VALIDITY_DAYS,
    signatureHash: 'SHA-512',
  });
  const awsCertificate = certificate.toAwsBase64();
  await storeCa(ctx, 'RSA_4096', awsCertificate, privateKey.exportPkcs8());
  return { certificate, privateKey, awsCertificate };
}

async function createEccCa(ctx: RequestContext, algorithm: EccCaAlgorithm): Promise<EccEmulatorCa> {
  const generated = await generateKey(algorithm);
  if (generated.kind !== 'asymmetric') throw new TypeError(`${algorithm} is not a key pair`);
  let privateKey: EcPrivateKey;
  try {
    privateKey = await EcPrivateKey.fromPkcs8(generated.privateKeyPkcs8);
  } finally {
    generated.privateKeyPkcs8.fill(0);
  }
  const signatureHash = EC_CURVES[privateKey.curve].hash;
  const certificateDer = await createEcCaCertificateDer({ privateKey, subject: subject(ctx.state, algorithm), notBefore: new Date(ctx.now), validityDays: CA_VALIDITY_DAYS, signatureHash });
  const awsCertificate = derToAwsCertificate(certificateDer);
  await storeCa(ctx, algorithm, awsCertificate, privateKey.exportPkcs8());
  return { algorithm, certificateDer, privateKey, signatureHash, awsCertificate };
}

/** A CA saved before a restart: certificate parsed, private key unsealed. */
async function openCa(ctx: RequestContext, record: CaRecord, algorithm: CaAlgorithm): Promise<EmulatorCa | EccEmulatorCa> {
  const pkcs8 = ctx.services.vault.unseal(record.sealedPrivateKey, caBinding(ctx.state, algorithm, record.certificate));
  try {
    if (algorithm === 'RSA_4096') return { certificate: Certificate.parse(record.certificate), privateKey: RsaPrivateKey.fromPkcs8(pkcs8), awsCertificate: record.certificate };
    const privateKey = await EcPrivateKey.fromPkcs8(pkcs8);
    return { algorithm, certificateDer: awsCertificateToDer(record.certificate), privateKey, signatureHash: EC_CURVES[privateKey.curve].hash, awsCertificate: record.certificate };
  } finally {
    pkcs8.fill(0);
  }
}

function caOf(ctx: RequestContext, algorithm: CaAlgorithm): Promise<EmulatorCa | EccEmulatorCa> {
  let byAlgorithm = cas.get(ctx.state);
  if (byAlgorithm === undefined) {
    byAlgorithm = new Map();
    cas.set(ctx.state, byAlgorithm);
  }
  let ca = byAlgorithm.get(algorithm);
  if (ca === undefined) {
    const stored = ctx.state.emulatorCas.get(algorithm);
    ca = stored !== undefined ? openCa(ctx, stored, algorithm) : algorithm === 'RSA_4096' ? createRsaCa(ctx) : createEccCa(ctx, algorithm);
    const mine = ca;
    byAlgorithm.set(algorithm, mine);
    // a failed generation or write is not cached: the next request tries again
    mine.catch(() => {
      if (byAlgorithm.get(algorithm) === mine) byAlgorithm.delete(algorithm);
    });
  }
  return ca;
}

/** The RSA-4096 CA of the request's account × region (import/export tokens, RSA keys): loaded from the store, else created on first use. */
export function emulatorCa(ctx: RequestContext): Promise<EmulatorCa> {
  return caOf(ctx, 'RSA_4096') as Promise<EmulatorCa>;
}

/** The ECC CA of one curve of the request's account × region: loaded from the store, else created on first use. */
export function eccEmulatorCa(ctx: RequestContext, algorithm: EccCaAlgorithm): Promise<EccEmulatorCa> {
  return caOf(ctx, algorithm) as Promise<EccEmulatorCa>;
}

/** The CA that certifies a key pair of `keyAlgorithm` (GetPublicKeyCertificate). */
export function keyCertificateCa(ctx: RequestContext, keyAlgorithm: string): Promise<EmulatorCa | EccEmulatorCa> {
  return caOf(ctx, caAlgorithmFor(keyAlgorithm));
}

/** A wrapping (KRD, keyEncipherment) or signing (KDH, digitalSignature) certificate for a token. */
export async function issueTokenCertificate(
  ctx: RequestContext,
  ca: EmulatorCa,
  kind: 'import' | 'export',
  token: string,
  key: RsaPrivateKey,
  validityDays: number,
): Promise<Certificate> {
  return issueCertificate({
    profile: kind === 'import' ? 'keyTransport' : 'signing',
    subject: {
      commonName: kind === 'import' ? `Import wrapping key ${token}` : `Export signing key ${token}`,
      organizationalUnit: ctx.accountId,
      organization: 'paycrypt emulator',
    },
    publicKey: key.publicKey,
    issuer: { certificate: ca.certificate, privateKey: ca.privateKey },
    notBefore: new Date(ctx.now),
    validityDays,
    signatureHash: 'SHA-512',
  });
}
