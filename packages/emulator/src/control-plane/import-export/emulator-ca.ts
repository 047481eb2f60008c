import { createHash } from 'node:crypto';
import { Certificate, RsaPrivateKey, createCaCertificate, issueCertificate, type RsaModulusBits } from '@paycrypt/tr34';
import type { RequestContext } from '../../core/context.js';
import { generateKey } from '../../keys/key-material.js';
import type { CaRecord, RegionState } from '../../state/region-state.js';
import type { SealBinding } from '../../vault/key-vault.js';

/**
 * The emulator's certificate authority, one per account × region (tr34.md §9): an RSA-4096 key
 * and a self-signed sha512WithRSAEncryption root, valid 10 years. It certifies the wrapping
 * (KRD) certificates of GetParametersForImport, the signing (KDH) certificates of
 * GetParametersForExport and the key certificates of GetPublicKeyCertificate; its certificate
 * is the `…CertificateChain` of each answer.
 *
 * RSA-4096 generation takes 1–2 s on this machine: the CA is generated once per RegionState,
 * asynchronously (libuv thread pool), on first use, and the promise is cached so concurrent
 * first requests share it.
 *
 * The CA is a `CaRecord` in `RegionState.emulatorCas` (key RSA_4096), saved through the store (private key
 * sealed under the LMK, bound to the account, region and certificate) before the first answer
 * that uses it: with --data-dir a restarted emulator has the same CA, so certificates and tokens
 * it issued stay valid. A CA loaded from disk is unsealed on its first use after the restart.
 * NOTE: the real CA's subject name and extensions are not published; these are our own.
 */
export interface EmulatorCa {
  readonly certificate: Certificate;
  readonly privateKey: RsaPrivateKey;
  /** base64 of the PEM of `certificate` (the API's certificate form) */
  readonly awsCertificate: string;
}

const CA_VALIDITY_DAYS = 3650;

const cas = new WeakMap<RegionState, Promise<EmulatorCa>>();

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

/** What the sealed CA private key is bound to: a blob opens only as this region's CA. */
function caBinding(state: RegionState, certificate: string): SealBinding {
  const certHash = createHash('sha256').update(certificate).digest('hex');
  return {
    keyUsage: 'EMULATOR_CA',
    keyAlgorithm: 'RSA_4096',
    keyClass: 'ASYMMETRIC_KEY_PAIR',
    exportable: false,
    recordId: `emulator-ca:${state.accountId}:${state.region}:${certHash}`,
  };
}

async function createCa(ctx: RequestContext): Promise<EmulatorCa> {
  const { state, now } = ctx;
  const privateKey = await newRsaKey(4096);
  const certificate = await createCaCertificate({
    privateKey,
    subject: {
      commonName: `Payment Cryptography emulator CA ${state.region}`,
      organizationalUnit: state.accountId,
      organization: 'paycrypt emulator',
    },
    notBefore: new Date(now),
    validityDays: CA_VALIDITY_DAYS,
    signatureHash: 'SHA-512',
  });
  const awsCertificate = certificate.toAwsBase64();
  const pkcs8 = privateKey.exportPkcs8();
  let record: CaRecord;
  try {
    record = { algorithm: 'RSA_4096', certificate: awsCertificate, sealedPrivateKey: ctx.services.vault.seal(pkcs8, caBinding(state, awsCertificate)), createdAt: now };
  } finally {
    pkcs8.fill(0);
  }
  await ctx.services.store.saveCa(state, record);
  state.emulatorCas.set('RSA_4096', record);
  return { certificate, privateKey, awsCertificate };
}

/** The CA saved before a restart: certificate parsed, private key unsealed. */
async function openCa(ctx: RequestContext, record: CaRecord): Promise<EmulatorCa> {
  const certificate = Certificate.parse(record.certificate);
  const pkcs8 = ctx.services.vault.unseal(record.sealedPrivateKey, caBinding(ctx.state, record.certificate));
  try {
    return { certificate, privateKey: RsaPrivateKey.fromPkcs8(pkcs8), awsCertificate: record.certificate };
  } finally {
    pkcs8.fill(0);
  }
}

/** The CA of the request's account × region: loaded from the store, else created on first use. */
export function emulatorCa(ctx: RequestContext): Promise<EmulatorCa> {
  let ca = cas.get(ctx.state);
  if (ca === undefined) {
    const stored = ctx.state.emulatorCas.get('RSA_4096');
    ca = stored !== undefined ? openCa(ctx, stored) : createCa(ctx);
    cas.set(ctx.state, ca);
    // a failed generation is not cached: the next request tries again
    ca.catch(() => {
      if (cas.get(ctx.state) === ca) cas.delete(ctx.state);
    });
  }
  return ca;
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
