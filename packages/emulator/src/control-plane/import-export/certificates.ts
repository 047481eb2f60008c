import type { ImportKeyInput, ImportKeyOutput, KeyAttributes, RootCertificatePublicKey, TrustedCertificatePublicKey } from '@aws-sdk/client-payment-cryptography';
import { Certificate, Tr34Error, verifyCertificateChain } from '@paycrypt/tr34';
import type { X509Certificate } from 'node:crypto';
import type { RequestContext } from '../../core/context.js';
import { validationError } from '../../core/errors.js';
import { requireUsable, resolveKey } from '../../keys/key-access.js';
import type { KeyRecord } from '../../state/records.js';
import { MODE_NAMES, modesText, type ModeName } from '../../keys/key-attributes.js';
import { createImportedKey, type ImportedKeyAttributes } from './imported-key.js';
import { keyView } from '../../keys/key-view.js';
import { checkX509Validity, eccKeyAlgorithm, parseX509, x509ToAwsBase64 } from '../../exchange/x509.js';
import { resolveCaRecord } from '../../exchange/ca-record.js';

export { resolveCaRecord } from '../../exchange/ca-record.js';

/**
 * ImportKey with RootCertificatePublicKey / TrustedCertificatePublicKey (aws-api.md §10.6,
 * tr34.md §9), and the lookup of an imported CA for the TR-34 and key-cryptogram flows.
 *
 * Checks are lenient like AWS (tr34.md §9): signatures, chains and validity dates are checked;
 * key-usage purity is not (a root with every keyUsage bit is accepted).
 * Root certificates may hold RSA or ECC (P-256/384/521) keys: an ECC root is checked with
 * node:crypto's X509Certificate (x509.ts) and serves the ECDH flows (ecdh.ts).
 * NOTE: TrustedCertificatePublicKey and the TR-34 / key-cryptogram chains are RSA-only (the
 * @paycrypt/tr34 certificate parser is RSA-only; TR-34 itself is RSA).
 * NOTE: imported certificates are Exportable false (AWS's example omits the field).
 */

const SIGNATURE_USAGE = 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE';

/**
 * Modes of use a trusted (leaf or intermediate) public key may be imported with, per KeyUsage:
 * the public half of the CreateKey combinations. NOTE: AWS does not publish this table.
 */
const PUBLIC_KEY_MODES: Readonly<Record<string, readonly (readonly ModeName[])[]>> = {
  TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE: [['Verify']],
  TR31_D1_ASYMMETRIC_KEY_FOR_DATA_ENCRYPTION: [['Encrypt', 'Wrap'], ['Encrypt']],
  TR31_K2_TR34_ASYMMETRIC_KEY: [['Encrypt', 'Wrap'], ['Encrypt']],
};

function sameModes(given: KeyAttributes['KeyModesOfUse'], want: readonly ModeName[]): boolean {
  return MODE_NAMES.every((n) => (given?.[n] === true) === want.includes(n));
}

/** An RSA certificate given as AWS's base64 of PEM; a malformed one is a ValidationException naming `field`. */
export function parseCertificate(text: string, field: string): Certificate {
  try {
    return Certificate.parse(text);
  } catch (e) {
    if (e instanceof Tr34Error) throw validationError(`${field} is not a valid RSA X.509 certificate (base64 of PEM): ${e.message}`);
    throw e;
  }
}

/** The AWS KeyAlgorithm of an RSA certificate's key (RSA_2048/3072/4096); other sizes are refused. */
export function rsaKeyAlgorithm(cert: Certificate, field: string): string {
  const name = `RSA_${cert.publicKey.bits}`;
  if (!['RSA_2048', 'RSA_3072', 'RSA_4096'].includes(name)) throw validationError(`${field} has an RSA-${cert.publicKey.bits} key; RSA_2048, RSA_3072 or RSA_4096 is required`);
  return name;
}

function checkDates(cert: Certificate, ctx: RequestContext, field: string): void {
  if (ctx.now < cert.notBefore.getTime()) throw validationError(`${field} is not valid yet (notBefore ${cert.notBefore.toISOString()})`);
  if (ctx.now > cert.notAfter.getTime()) throw validationError(`${field} has expired (notAfter ${cert.notAfter.toISOString()})`);
}

function checkAlgorithm(attrs: KeyAttributes, cert: Certificate, field: string): void {
  const actual = `RSA_${cert.publicKey.bits}`;
  if (attrs.KeyAlgorithm !== actual) throw validationError(`KeyAlgorithm ${attrs.KeyAlgorithm} does not match the key of ${field} (${actual})`);
}

function checkPublicKeyClass(attrs: KeyAttributes): void {
  if (attrs.KeyClass !== 'PUBLIC_KEY') throw validationError(`KeyClass must be PUBLIC_KEY for an imported certificate, got ${attrs.KeyClass}`);
}

async function importPublicKey(ctx: RequestContext, input: ImportKeyInput, attrs: KeyAttributes, cert: Certificate, chain?: string): Promise<ImportKeyOutput> {
  const rec = await createImportedKey(ctx, input, { ...(attrs as ImportedKeyAttributes), KeyClass: 'PUBLIC_KEY' }, false, {
    kind: 'public',
    publicKeySpki: cert.publicKey.spki,
    certificate: cert.toAwsBase64(),
    ...(chain === undefined ? {} : { certificateChain: chain }),
  });
  return { Key: keyView(rec) };
}

export async function importRootCertificate(ctx: RequestContext, input: ImportKeyInput, m: RootCertificatePublicKey): Promise<ImportKeyOutput> {
  const attrs = m.KeyAttributes!;
  const field = 'PublicKeyCertificate';
  checkPublicKeyClass(attrs);
  if (attrs.KeyUsage !== SIGNATURE_USAGE) throw validationError(`KeyUsage must be ${SIGNATURE_USAGE} for a root certificate, got ${attrs.KeyUsage}`);
  if (!sameModes(attrs.KeyModesOfUse, ['Verify'])) {
    throw validationError(`KeyModesOfUse must be {Verify} for a root certificate, got ${modesText(attrs.KeyModesOfUse ?? {})}`);
  }
  const x509 = parseX509(m.PublicKeyCertificate!, field);
  if (x509.publicKey.asymmetricKeyType === 'ec') return importEccRoot(ctx, input, attrs, x509);
  const cert = parseCertificate(m.PublicKeyCertificate!, field);
  checkAlgorithm(attrs, cert, field);
  if (!cert.isSelfIssued || !(await cert.isSignedBy(cert))) throw validationError(`${field} is not a self-signed root certificate`);
  if (cert.isCa === false) throw validationError(`${field} is not a CA certificate (basicConstraints cA is false)`);
  checkDates(cert, ctx, field);
  return importPublicKey(ctx, input, attrs, cert);
}

/** An ECC root: self-issued, self-signed, a CA, valid now, on the curve KeyAlgorithm names. */
async function importEccRoot(ctx: RequestContext, input: ImportKeyInput, attrs: KeyAttributes, cert: X509Certificate): Promise<ImportKeyOutput> {
  const field = 'PublicKeyCertificate';
  const actual = eccKeyAlgorithm(cert);
  if (actual === undefined) throw validationError(`${field} holds an EC key on a curve AWS does not support (P-256, P-384, P-521)`);
  if (attrs.KeyAlgorithm !== actual) throw validationError(`KeyAlgorithm ${attrs.KeyAlgorithm} does not match the key of ${field} (${actual})`);
  if (!cert.checkIssued(cert) || !cert.verify(cert.publicKey)) throw validationError(`${field} is not a self-signed root certificate`);
  if (!cert.ca) throw validationError(`${field} is not a CA certificate (basicConstraints cA is not true)`);
  checkX509Validity(cert, ctx, field);
  const rec = await createImportedKey(ctx, input, { ...(attrs as ImportedKeyAttributes), KeyClass: 'PUBLIC_KEY', KeyAlgorithm: actual }, false, {
    kind: 'public',
    publicKeySpki: new Uint8Array(cert.publicKey.export({ type: 'spki', format: 'der' })),
    certificate: x509ToAwsBase64(cert),
  });
  return { Key: keyView(rec) };
}

export async function importTrustedCertificate(ctx: RequestContext, input: ImportKeyInput, m: TrustedCertificatePublicKey): Promise<ImportKeyOutput> {
  const attrs = m.KeyAttributes!;
  const field = 'PublicKeyCertificate';
  checkPublicKeyClass(attrs);
  const modes = PUBLIC_KEY_MODES[attrs.KeyUsage!];
  if (modes === undefined) throw validationError(`KeyUsage ${attrs.KeyUsage} cannot be used for an imported public key; valid: ${Object.keys(PUBLIC_KEY_MODES).join(', ')}`);
  if (!modes.some((set) => sameModes(attrs.KeyModesOfUse, set))) {
    throw validationError(
      `KeyModesOfUse ${modesText(attrs.KeyModesOfUse ?? {})} is not valid for a ${attrs.KeyUsage} public key; valid: ${modes.map((s) => `{${s.join(', ')}}`).join(' or ')}`,
    );
  }
  const ca = await resolveCaCertificate(ctx, m.CertificateAuthorityPublicKeyIdentifier!);
  const cert = parseCertificate(m.PublicKeyCertificate!, field);
  checkAlgorithm(attrs, cert, field);
  await requireChain(ctx, cert, ca, field);
  return importPublicKey(ctx, input, attrs, cert, ca.record.certificate);
}

// ---- imported CAs, for TR-34 and key cryptograms --------------------------------------------

export interface ImportedCa {
  readonly record: KeyRecord;
  readonly certificate: Certificate;
  /**
   * CA certificates imported as TrustedCertificatePublicKey under this CA (directly or through
   * another one): they may complete the path of a leaf signed by an intermediate CA.
   */
  readonly intermediates: readonly Certificate[];
}

/** Parsed certificates of imported CA keys (Certificate objects cache verified signatures). */
const parsed = new WeakMap<KeyRecord, { text: string; certificate: Certificate }>();

function parsedCertificate(record: KeyRecord & { certificate: string }): Certificate {
  let p = parsed.get(record);
  if (p === undefined || p.text !== record.certificate) {
    if (record.keyAlgorithm.startsWith('ECC_')) {
      throw validationError(`The certificate authority ${record.keyArn} holds an ECC key; this flow needs an RSA certificate authority`);
    }
    p = { text: record.certificate, certificate: Certificate.parse(record.certificate) };
    parsed.set(record, p);
  }
  return p.certificate;
}

const MAX_INTERMEDIATE_DEPTH = 4;

/** Usable CA certificates imported under `root` (TrustedCertificatePublicKey records whose chain is it). */
function importedIntermediates(ctx: RequestContext, root: KeyRecord & { certificate: string }): Certificate[] {
  const out: Certificate[] = [];
  let level = new Set([root.certificate]);
  for (let depth = 0; depth < MAX_INTERMEDIATE_DEPTH && level.size > 0; depth++) {
    const next = new Set<string>();
    for (const k of ctx.state.keys.values()) {
      if (k.keyClass !== 'PUBLIC_KEY' || k.certificate === undefined || k.certificateChain === undefined || !level.has(k.certificateChain)) continue;
      if (k.state !== 'CREATE_COMPLETE' || !k.enabled || k.keyUsage !== SIGNATURE_USAGE) continue;
      const cert = parsedCertificate(k as KeyRecord & { certificate: string });
      if (cert.isCa !== true) continue;
      out.push(cert);
      next.add(k.certificate);
    }
    level = next;
  }
  return out;
}

/**
 * `CertificateAuthorityPublicKeyIdentifier` → the imported CA certificate: a key imported as
 * RootCertificatePublicKey (or a TrustedCertificatePublicKey used as an intermediate CA),
 * KeyClass PUBLIC_KEY, KeyUsage S0, enabled. Its certificate is the trust anchor of the chain
 * check (it was verified against its own root when it was imported); CA certificates imported
 * as trusted under it are offered as intermediates.
 */
export async function resolveCaCertificate(ctx: RequestContext, identifier: string): Promise<ImportedCa> {
  const withCertificate = await resolveCaRecord(ctx, identifier);
  return { record: withCertificate, certificate: parsedCertificate(withCertificate), intermediates: importedIntermediates(ctx, withCertificate) };
}

/**
 * `cert` must chain to the imported CA (signature, validity at the request time, issuer is a
 * CA). Certificates are public: the message says which check failed.
 */
export async function requireChain(ctx: RequestContext, cert: Certificate, ca: ImportedCa, field: string): Promise<void> {
  try {
    await verifyCertificateChain(cert, { trustAnchors: [ca.certificate], intermediates: ca.intermediates, at: new Date(ctx.now) });
  } catch (e) {
    if (e instanceof Tr34Error) throw validationError(`${field} does not chain to the certificate authority ${ca.record.keyArn}: ${e.message}`);
    throw e;
  }
}
