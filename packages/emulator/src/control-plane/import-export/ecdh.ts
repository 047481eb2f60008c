import { createPrivateKey, diffieHellman, type KeyObject } from 'node:crypto';
import type {
  ExportDiffieHellmanTr31KeyBlock,
  ImportDiffieHellmanTr31KeyBlock,
  ImportKeyInput,
  ImportKeyOutput,
  WrappedKey,
} from '@aws-sdk/client-payment-cryptography';
import type { RequestContext } from '../../core/context.js';
import { validationError } from '../../core/errors.js';
import { KEY_ALGORITHMS } from '../../keys/key-algorithms.js';
import { keyMaterial, requireUsable, resolveKey } from '../../keys/key-access.js';
import type { KeyRecord } from '../../state/records.js';
import { ecdhKdf, isEcdhKdfHash, isEcdhKdfName } from '../../exchange/ecdh-kdf.js';
import { importTr31Block, wrapTr31Block, type Tr31Protector } from './tr31.js';
import { resolveCaRecord } from './certificates.js';
import { checkX509Validity, eccKeyAlgorithm, parseX509 } from '../../exchange/x509.js';
import type { ExportPayload } from './types.js';

/**
 * ImportKey / ExportKey with `DiffieHellmanTr31KeyBlock` (aws-api.md §10.6, ECDH bullet): the
 * emulator's ECC key pair (`PrivateKeyIdentifier`) and the partner's ECC public key
 * (`PublicKeyCertificate`, which must be signed by the imported CA
 * `CertificateAuthorityPublicKeyIdentifier`) agree on a shared secret Z (ECDH, SP 800-56A
 * ECC CDH: the x-coordinate of the shared point); a KDF (ecdh-kdf.ts) turns Z and
 * `DerivationData.SharedInformation` into a KBPK of `DeriveKeyAlgorithm`; the key then travels in
 * a TR-31 block under that KBPK (tr31.ts): version D under an AES KBPK, B under a TDES one on
 * export (A, B, C / D, E accepted on import, as for Tr31KeyBlock).
 *
 * Sources: the API reference of ImportDiffieHellmanTr31KeyBlock / ExportDiffieHellmanTr31KeyBlock
 * (fields, enums); aws-samples/samples-for-payment-cryptography key-import-export/ecdh (the
 * partner side: CreateKey ECC_NIST_P521, KeyUsage TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT,
 * KeyModesOfUse {DeriveKey}, DeriveKeyUsage TR31_K1_KEY_BLOCK_PROTECTION_KEY; the emulator's public
 * key from GetPublicKeyCertificate; ConcatKDF = NIST_SP800 with SHA_256 and AES_256; a version D
 * TR-31 block); user guide keys-importexport (the strength table: an ECC_NIST_P256 key protects
 * keys up to AES_128, P384 up to AES_192, P521 up to AES_256).
 *
 * The shared secret and the derived KBPK are wiped after use; the private key is read with
 * keyMaterial() and its PKCS#8 bytes wiped once parsed. A wrong KDF choice, SharedInformation or
 * partner key gives a different KBPK, so the block fails with keyblock's single MAC message.
 */

const K3 = 'TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT';

/**
 * `DeriveKeyUsage` values whose derived key may protect a TR-31 block. NOTE: AWS's documentation
 * and samples use TR31_K1_KEY_BLOCK_PROTECTION_KEY for ECDH key exchange (and
 * TR31_P0_PIN_ENCRYPTION_KEY for the data plane's PIN operations); the emulator also accepts K0,
 * like Tr31KeyBlock wrapping keys, and refuses any other value, or none, for ImportKey/ExportKey.
 */
const KBPK_DERIVE_USAGES: readonly string[] = ['TR31_K1_KEY_BLOCK_PROTECTION_KEY', 'TR31_K0_KEY_ENCRYPTION_KEY'];

type EcdhParameters = Omit<ImportDiffieHellmanTr31KeyBlock, 'WrappedKeyBlock'> | Omit<ExportDiffieHellmanTr31KeyBlock, 'KeyBlockHeaders'>;

interface DerivedKbpk {
  readonly agreementKey: KeyRecord;
  readonly protector: Tr31Protector;
  /** wipes the derived KBPK */
  readonly wipe: () => void;
}

/** The emulator's ECC key pair: K3, ECC, DeriveKey, a KBPK DeriveKeyUsage. */
async function agreementKey(ctx: RequestContext, identifier: string): Promise<{ key: KeyRecord; curve: string }> {
  const key = await resolveKey(ctx, identifier);
  requireUsable(key);
  const curve = KEY_ALGORITHMS[key.keyAlgorithm]?.curve;
  if (key.keyClass !== 'ASYMMETRIC_KEY_PAIR' || key.keyUsage !== K3 || curve === undefined) {
    throw validationError(`PrivateKeyIdentifier ${key.keyArn} must be an ECC key pair with KeyUsage ${K3}; it is a ${key.keyClass} ${key.keyAlgorithm} key with KeyUsage ${key.keyUsage}`);
  }
  if (key.modes.DeriveKey !== true) throw validationError(`PrivateKeyIdentifier ${key.keyArn} does not allow DeriveKey (KeyModesOfUse)`);
  if (key.deriveKeyUsage === undefined || !KBPK_DERIVE_USAGES.includes(key.deriveKeyUsage)) {
    throw validationError(
      `PrivateKeyIdentifier ${key.keyArn} has DeriveKeyUsage ${key.deriveKeyUsage ?? '(none)'}; a key derived to protect a TR-31 key block needs ${KBPK_DERIVE_USAGES.join(' or ')}`,
    );
  }
  return { key, curve };
}

/**
 * The partner's ECC public key: `PublicKeyCertificate` signed by the imported CA (issuer name and
 * signature), both valid at the request time, an EC key on the curve of the emulator's key.
 * Certificates are public: the message says which check failed.
 * NOTE: the certificate must be signed by the named CA itself (no intermediate path is built
 * here); keyUsage / extendedKeyUsage extensions are not checked (AWS's leniency on certificates,
 * tr34.md §9). The CA is read with node:crypto's X509Certificate: RSA and ECC CAs both work.
 */
async function partnerPublicKey(ctx: RequestContext, m: EcdhParameters, agreement: KeyRecord, curve: string): Promise<KeyObject> {
  const caRecord = await resolveCaRecord(ctx, m.CertificateAuthorityPublicKeyIdentifier!);
  const ca = parseX509(caRecord.certificate, `The certificate of ${caRecord.keyArn}`);
  const leaf = parseX509(m.PublicKeyCertificate!, 'PublicKeyCertificate');
  const chainProblem = !leaf.checkIssued(ca) ? 'its issuer is not the CA' : !leaf.verify(ca.publicKey) ? 'its signature does not verify with the CA key' : undefined;
  if (chainProblem !== undefined) throw validationError(`PublicKeyCertificate is not signed by the certificate authority ${caRecord.keyArn}: ${chainProblem}`);
  checkX509Validity(ca, ctx, `The certificate authority ${caRecord.keyArn}`);
  checkX509Validity(leaf, ctx, 'PublicKeyCertificate');
  const key = leaf.publicKey;
  if (eccKeyAlgorithm(leaf) !== agreement.keyAlgorithm) {
    const held = key.asymmetricKeyType === 'ec' ? key.asymmetricKeyDetails?.namedCurve : key.asymmetricKeyType;
    throw validationError(`PublicKeyCertificate must hold an EC ${curve} public key (the curve of PrivateKeyIdentifier); it holds ${held ?? 'another key type'}`);
  }
  return key;
}

/** ECDH shared secret Z with the emulator's private key; the PKCS#8 copy is wiped. */
function sharedSecret(ctx: RequestContext, key: KeyRecord, partner: KeyObject): Uint8Array {
  const pkcs8 = keyMaterial(ctx, key);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: Buffer.from(pkcs8.buffer, pkcs8.byteOffset, pkcs8.byteLength), format: 'der', type: 'pkcs8' });
  } finally {
    pkcs8.fill(0);
  }
  try {
    return new Uint8Array(diffieHellman({ privateKey, publicKey: partner }));
  } catch {
    throw validationError('The ECDH key agreement with the key of PublicKeyCertificate failed');
  }
}

/** Validates the parameters, agrees on Z and derives the KBPK (the caller calls wipe()). */
async function deriveKbpk(ctx: RequestContext, m: EcdhParameters): Promise<DerivedKbpk> {
  const { key, curve } = await agreementKey(ctx, m.PrivateKeyIdentifier!);
  const algorithm = m.DeriveKeyAlgorithm!;
  const facts = KEY_ALGORITHMS[algorithm];
  if (facts === undefined || (facts.family !== 'TDES' && facts.family !== 'AES') || facts.keyBytes === undefined) {
    // NOTE: the model lists HMAC_* DeriveKeyAlgorithms too, but an HMAC key cannot protect a
    // TR-31 block; the emulator refuses them for ImportKey/ExportKey.
    throw validationError(`DeriveKeyAlgorithm ${algorithm} cannot protect a TR-31 key block; use TDES_2KEY, TDES_3KEY, AES_128, AES_192 or AES_256`);
  }
  const kdf = m.KeyDerivationFunction;
  const hash = m.KeyDerivationHashAlgorithm;
  if (!isEcdhKdfName(kdf)) throw validationError(`KeyDerivationFunction ${String(kdf)} is not NIST_SP800 or ANSI_X963`);
  if (!isEcdhKdfHash(hash)) throw validationError(`KeyDerivationHashAlgorithm ${String(hash)} is not SHA_256, SHA_384 or SHA_512`);
  const info = m.DerivationData?.SharedInformation;
  // NOTE: the model text says SharedInformation "must not contain zero bytes"; the emulator reads
  // that as "not empty" (the model's minimum length) and accepts 00 octets inside it.
  if (info === undefined || info.length === 0 || info.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(info)) {
    throw validationError('DerivationData.SharedInformation must be a non-empty even-length hex string');
  }
  const partner = await partnerPublicKey(ctx, m, key, curve);
  const z = sharedSecret(ctx, key, partner);
  let kbpk: Uint8Array;
  try {
    // NOTE: a TDES KBPK is the KDF output as is (no parity adjustment; DES ignores parity bits).
    kbpk = ecdhKdf(kdf, hash, z, new Uint8Array(Buffer.from(info, 'hex')), facts.keyBytes);
  } finally {
    z.fill(0);
  }
  const derived = kbpk;
  return {
    agreementKey: key,
    protector: {
      keyAlgorithm: algorithm,
      family: facts.family,
      name: 'the ECDH-derived key',
      // both the derived KBPK and the ECC key must be at least as strong as the protected key
      // (user guide keys-importexport strength table: ECC_NIST_P256 → up to AES_128, etc.)
      strengthOf: [algorithm, key.keyAlgorithm],
      clearKey: () => derived.slice(),
    },
    wipe: () => derived.fill(0),
  };
}

/** ImportKey with `DiffieHellmanTr31KeyBlock`: the TR-31 import of tr31.ts under the derived KBPK. */
export async function importDiffieHellmanTr31(ctx: RequestContext, input: ImportKeyInput, m: ImportDiffieHellmanTr31KeyBlock): Promise<ImportKeyOutput> {
  const d = await deriveKbpk(ctx, m);
  try {
    return await importTr31Block(ctx, input, m.WrappedKeyBlock!, d.protector);
  } finally {
    d.wipe();
  }
}

/**
 * ExportKey with `DiffieHellmanTr31KeyBlock`: the TR-31 export of tr31.ts (KeyBlockHeaders,
 * strength rule) under the derived KBPK. The KCV is added by export-key.ts.
 * NOTE: AWS does not document WrappingKeyArn for an ECDH export; the emulator answers the ARN of
 * the ECC key pair (PrivateKeyIdentifier).
 */
export async function exportDiffieHellmanTr31(ctx: RequestContext, p: ExportPayload, m: ExportDiffieHellmanTr31KeyBlock): Promise<WrappedKey> {
  const d = await deriveKbpk(ctx, m);
  let block: string;
  try {
    block = wrapTr31Block(p, m.KeyBlockHeaders, d.protector);
  } finally {
    d.wipe();
  }
  return { WrappingKeyArn: d.agreementKey.keyArn, WrappedKeyMaterialFormat: 'TR31_KEY_BLOCK', KeyMaterial: block };
}
