import { createPrivateKey, diffieHellman, type KeyObject, type X509Certificate } from 'node:crypto';
import type { RequestContext } from '../core/context.js';
import { validationError } from '../core/errors.js';
import { KEY_ALGORITHMS } from '../keys/key-algorithms.js';
import { keyMaterial, requireUsable, resolveKey } from '../keys/key-access.js';
import type { KeyRecord } from '../state/records.js';
import { resolveCaRecord } from './ca-record.js';
import { ecdhKdf, isEcdhKdfHash, isEcdhKdfName } from './ecdh-kdf.js';
import type { Tr31Protector } from './tr31.js';
import { checkX509Validity, eccKeyAlgorithm, parseX509 } from './x509.js';

/**
 * ECDH key agreement, shared by the control plane (ImportKey / ExportKey
 * `DiffieHellmanTr31KeyBlock`) and the data plane (TranslateKeyMaterial, and the
 * `DiffieHellmanSymmetricKey` dynamic key): the emulator's ECC key pair (a K3 key) and the
 * partner's ECC public key (a certificate that must be signed by the imported CA
 * `CertificateAuthorityPublicKeyIdentifier`) agree on a shared secret Z (ECDH, SP 800-56A ECC CDH:
 * the x-coordinate of the shared point); a KDF (ecdh-kdf.ts) turns Z and `SharedInformation`
 * into a symmetric key of the requested algorithm.
 *
 * Sources: the API reference of ImportDiffieHellmanTr31KeyBlock / ExportDiffieHellmanTr31KeyBlock
 * / IncomingDiffieHellmanTr31KeyBlock / EcdhDerivationAttributes (fields, enums);
 * aws-samples/samples-for-payment-cryptography key-import-export/ecdh (the partner side: CreateKey
 * ECC_NIST_P521, KeyUsage TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT, KeyModesOfUse {DeriveKey},
 * DeriveKeyUsage TR31_K1_KEY_BLOCK_PROTECTION_KEY; ConcatKDF = NIST_SP800 with SHA_256 and
 * AES_256); user guide keys-importexport (the strength table: an ECC_NIST_P256 key protects keys
 * up to AES_128, P384 up to AES_192, P521 up to AES_256).
 *
 * The shared secret is wiped after use; the private key is read with keyMaterial(), its PKCS#8
 * bytes wiped once parsed (the parsed key is cached per record, privateKeyOf). A wrong KDF choice, SharedInformation or partner key gives a different
 * key, so whatever it protects fails with one fixed message (a MAC failure, a wrong PIN…).
 */

export const K3 = 'TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT';

/**
 * `DeriveKeyUsage` values whose derived key may protect a TR-31 block. NOTE: AWS's documentation
 * and samples use TR31_K1_KEY_BLOCK_PROTECTION_KEY for ECDH key exchange (and
 * TR31_P0_PIN_ENCRYPTION_KEY for the data plane's PIN operations); the emulator also accepts K0,
 * like Tr31KeyBlock wrapping keys, and refuses any other value, or none, for a KBPK.
 */
export const KBPK_DERIVE_USAGES: readonly string[] = ['TR31_K1_KEY_BLOCK_PROTECTION_KEY', 'TR31_K0_KEY_ENCRYPTION_KEY'];

/** The agreement parameters other than the emulator's key (the partner and the KDF). */
export interface EcdhDerivation {
  readonly CertificateAuthorityPublicKeyIdentifier?: string | undefined;
  readonly PublicKeyCertificate?: string | undefined;
  readonly KeyDerivationFunction?: string | undefined;
  readonly KeyDerivationHashAlgorithm?: string | undefined;
  readonly SharedInformation?: string | undefined;
}

/** The ECDH parameters of a derived KBPK (ImportKey / ExportKey / TranslateKeyMaterial members). */
export interface EcdhKbpkParameters {
  readonly PrivateKeyIdentifier?: string | undefined;
  readonly CertificateAuthorityPublicKeyIdentifier?: string | undefined;
  readonly PublicKeyCertificate?: string | undefined;
  readonly DeriveKeyAlgorithm?: string | undefined;
  readonly KeyDerivationFunction?: string | undefined;
  readonly KeyDerivationHashAlgorithm?: string | undefined;
  readonly DerivationData?: { readonly SharedInformation?: string | undefined } | undefined;
}

export interface AgreementKey {
  readonly key: KeyRecord;
  /** the curve name of KEY_ALGORITHMS (P-256, P-384, P-521) */
  readonly curve: string;
}

/** The emulator's ECC key pair: usable, K3, ECC, DeriveKey. `member` names it in messages. */
export async function resolveAgreementKey(ctx: RequestContext, identifier: string, member = 'PrivateKeyIdentifier'): Promise<AgreementKey> {
  const key = await resolveKey(ctx, identifier);
  requireUsable(key);
  const curve = KEY_ALGORITHMS[key.keyAlgorithm]?.curve;
  if (key.keyClass !== 'ASYMMETRIC_KEY_PAIR' || key.keyUsage !== K3 || curve === undefined) {
    throw validationError(`${member} ${key.keyArn} must be an ECC key pair with KeyUsage ${K3}; it is a ${key.keyClass} ${key.keyAlgorithm} key with KeyUsage ${key.keyUsage}`);
  }
  if (key.modes.DeriveKey !== true) throw validationError(`${member} ${key.keyArn} does not allow DeriveKey (KeyModesOfUse)`);
  return { key, curve };
}

/** The K3 key must derive a KBPK (DeriveKeyUsage K1 or K0). */
export function requireKbpkDeriveUsage(key: KeyRecord, member = 'PrivateKeyIdentifier'): void {
  if (key.deriveKeyUsage === undefined || !KBPK_DERIVE_USAGES.includes(key.deriveKeyUsage)) {
    throw validationError(
      `${member} ${key.keyArn} has DeriveKeyUsage ${key.deriveKeyUsage ?? '(none)'}; a key derived to protect a TR-31 key block needs ${KBPK_DERIVE_USAGES.join(' or ')}`,
    );
  }
}

/** A partner certificate whose chain to a CA record was verified (dates are checked per call). */
interface VerifiedPartner {
  readonly caText: string;
  readonly ca: X509Certificate;
  readonly leaf: X509Certificate;
}

/**
 * Verified partner certificates per CA record, by certificate text: parsing and verifying costs
 * more than the agreement itself. Only public data is kept; a CA whose certificate changes starts
 * over; each CA keeps at most MAX_PARTNERS entries (cleared when full).
 */
const PARTNERS = new WeakMap<KeyRecord, Map<string, VerifiedPartner>>();
const MAX_PARTNERS = 256;

function verifiedPartner(caRecord: KeyRecord & { certificate: string }, certificate: string): VerifiedPartner {
  let byText = PARTNERS.get(caRecord);
  const hit = byText?.get(certificate);
  if (hit !== undefined && hit.caText === caRecord.certificate) return hit;
  const ca = parseX509(caRecord.certificate, `The certificate of ${caRecord.keyArn}`);
  const leaf = parseX509(certificate, 'PublicKeyCertificate');
  const chainProblem = !leaf.checkIssued(ca) ? 'its issuer is not the CA' : !leaf.verify(ca.publicKey) ? 'its signature does not verify with the CA key' : undefined;
  if (chainProblem !== undefined) throw validationError(`PublicKeyCertificate is not signed by the certificate authority ${caRecord.keyArn}: ${chainProblem}`);
  const verified: VerifiedPartner = { caText: caRecord.certificate, ca, leaf };
  if (byText === undefined || byText.size >= MAX_PARTNERS) {
    byText = new Map();
    PARTNERS.set(caRecord, byText);
  }
  byText.set(certificate, verified);
  return verified;
}

/**
 * The partner's ECC public key: `PublicKeyCertificate` signed by the imported CA (issuer name and
 * signature), both valid at the request time, an EC key on the curve of the emulator's key.
 * Certificates are public: the message says which check failed.
 * NOTE: the certificate must be signed by the named CA itself (no intermediate path is built
 * here); keyUsage / extendedKeyUsage extensions are not checked (AWS's leniency on certificates,
 * tr34.md §9). The CA is read with node:crypto's X509Certificate: RSA and ECC CAs both work.
 */
export async function partnerPublicKey(ctx: RequestContext, m: EcdhDerivation, agreement: AgreementKey): Promise<KeyObject> {
  const caRecord = await resolveCaRecord(ctx, m.CertificateAuthorityPublicKeyIdentifier!);
  const { ca, leaf } = verifiedPartner(caRecord, m.PublicKeyCertificate!);
  checkX509Validity(ca, ctx, `The certificate authority ${caRecord.keyArn}`);
  checkX509Validity(leaf, ctx, 'PublicKeyCertificate');
  const key = leaf.publicKey;
  if (eccKeyAlgorithm(leaf) !== agreement.key.keyAlgorithm) {
    const held = key.asymmetricKeyType === 'ec' ? key.asymmetricKeyDetails?.namedCurve : key.asymmetricKeyType;
    throw validationError(`PublicKeyCertificate must hold an EC ${agreement.curve} public key (the curve of the agreement key); it holds ${held ?? 'another key type'}`);
  }
  return key;
}

/**
 * The emulator's private key as a node:crypto KeyObject, cached per K3 record while its sealed
 * material is unchanged (NOTE: like operation-key.ts's prepared() cache and an HSM's key cache,
 * this keeps the parsed private key in process memory; material at rest stays sealed). The
 * PKCS#8 copy is wiped once parsed.
 */
const PRIVATE_KEYS = new WeakMap<KeyRecord, { sealed: string; key: KeyObject }>();

function privateKeyOf(ctx: RequestContext, key: KeyRecord): KeyObject {
  const sealed = key.sealed ?? '';
  const hit = PRIVATE_KEYS.get(key);
  if (hit !== undefined && hit.sealed === sealed) return hit.key;
  const pkcs8 = keyMaterial(ctx, key);
  try {
    const privateKey = createPrivateKey({ key: Buffer.from(pkcs8.buffer, pkcs8.byteOffset, pkcs8.byteLength), format: 'der', type: 'pkcs8' });
    PRIVATE_KEYS.set(key, { sealed, key: privateKey });
    return privateKey;
  } finally {
    pkcs8.fill(0);
  }
}

/** ECDH shared secret Z with the emulator's private key (the caller wipes it). */
function sharedSecret(ctx: RequestContext, key: KeyRecord, partner: KeyObject): Uint8Array {
  const privateKey = privateKeyOf(ctx, key);
  try {
    return new Uint8Array(diffieHellman({ privateKey, publicKey: partner }));
  } catch {
    throw validationError('The ECDH key agreement with the key of PublicKeyCertificate failed');
  }
}

/** The KDF choices and the shared information, checked (before the partner certificate). */
function checkDerivation(m: EcdhDerivation, sharedInfoMember: string): void {
  const kdf = m.KeyDerivationFunction;
  const hash = m.KeyDerivationHashAlgorithm;
  if (!isEcdhKdfName(kdf)) throw validationError(`KeyDerivationFunction ${String(kdf)} is not NIST_SP800 or ANSI_X963`);
  if (!isEcdhKdfHash(hash)) throw validationError(`KeyDerivationHashAlgorithm ${String(hash)} is not SHA_256, SHA_384 or SHA_512`);
  const info = m.SharedInformation;
  // NOTE: the model text says SharedInformation "must not contain zero bytes"; the emulator reads
  // that as "not empty" (the model's minimum length) and accepts 00 octets inside it.
  if (info === undefined || info.length === 0 || info.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(info)) {
    throw validationError(`${sharedInfoMember} must be a non-empty even-length hex string`);
  }
}

/**
 * `length` bytes of key agreed with the partner: checks the KDF choices and SharedInformation,
 * the partner certificate (partnerPublicKey), computes Z and runs the KDF. The caller wipes the
 * result. NOTE: a TDES key is the KDF output as is (no parity adjustment; DES ignores parity bits).
 */
export async function deriveEcdhKey(ctx: RequestContext, agreement: AgreementKey, m: EcdhDerivation, length: number, sharedInfoMember = 'SharedInformation'): Promise<Uint8Array> {
  checkDerivation(m, sharedInfoMember);
  const partner = await partnerPublicKey(ctx, m, agreement);
  const z = sharedSecret(ctx, agreement.key, partner);
  try {
    return ecdhKdf(m.KeyDerivationFunction as 'NIST_SP800', m.KeyDerivationHashAlgorithm as 'SHA_256', z, new Uint8Array(Buffer.from(m.SharedInformation!, 'hex')), length);
  } finally {
    z.fill(0);
  }
}

/** The byte length of a symmetric TDES/AES KeyAlgorithm, or undefined for another one. */
export function cipherKeyBytes(algorithm: string | undefined): { family: 'TDES' | 'AES'; keyBytes: number } | undefined {
  const facts = algorithm === undefined ? undefined : KEY_ALGORITHMS[algorithm];
  if (facts === undefined || (facts.family !== 'TDES' && facts.family !== 'AES') || facts.keyBytes === undefined) return undefined;
  return { family: facts.family, keyBytes: facts.keyBytes };
}

export interface DerivedKbpk {
  readonly agreementKey: KeyRecord;
  readonly protector: Tr31Protector;
  /** wipes the derived KBPK */
  readonly wipe: () => void;
}

/**
 * Validates the parameters of a derived KBPK, agrees on Z and derives the KBPK of
 * `DeriveKeyAlgorithm` (the caller calls wipe()). The protector makes both the derived KBPK and
 * the ECC key at least as strong as the protected key (user guide keys-importexport strength
 * table: ECC_NIST_P256 → up to AES_128, etc.).
 */
export async function deriveKbpk(ctx: RequestContext, m: EcdhKbpkParameters): Promise<DerivedKbpk> {
  const agreement = await resolveAgreementKey(ctx, m.PrivateKeyIdentifier!);
  requireKbpkDeriveUsage(agreement.key);
  const algorithm = m.DeriveKeyAlgorithm!;
  const facts = cipherKeyBytes(algorithm);
  if (facts === undefined) {
    // NOTE: the model lists HMAC_* DeriveKeyAlgorithms too, but an HMAC key cannot protect a
    // TR-31 block; the emulator refuses them.
    throw validationError(`DeriveKeyAlgorithm ${algorithm} cannot protect a TR-31 key block; use TDES_2KEY, TDES_3KEY, AES_128, AES_192 or AES_256`);
  }
  const derived = await deriveEcdhKey(
    ctx,
    agreement,
    {
      CertificateAuthorityPublicKeyIdentifier: m.CertificateAuthorityPublicKeyIdentifier,
      PublicKeyCertificate: m.PublicKeyCertificate,
      KeyDerivationFunction: m.KeyDerivationFunction,
      KeyDerivationHashAlgorithm: m.KeyDerivationHashAlgorithm,
      SharedInformation: m.DerivationData?.SharedInformation,
    },
    facts.keyBytes,
    'DerivationData.SharedInformation',
  );
  return {
    agreementKey: agreement.key,
    protector: {
      keyAlgorithm: algorithm,
      family: facts.family,
      name: 'the ECDH-derived key',
      strengthOf: [algorithm, agreement.key.keyAlgorithm],
      clearKey: () => derived.slice(),
    },
    wipe: () => derived.fill(0),
  };
}
