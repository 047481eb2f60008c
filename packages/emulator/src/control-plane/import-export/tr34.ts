import type { ExportTr34KeyBlock, ImportKeyInput, ImportKeyOutput, ImportTr34KeyBlock, WrappedKey } from '@aws-sdk/client-payment-cryptography';
import { awsKeyAttributesFromTr31, parseTr31Header, serializeTr31Header } from '@paycrypt/keyblock';
import { Tr34Error, buildTr34KeyBlock, openTr34KeyBlock, type OpenedTr34 } from '@paycrypt/tr34';
import type { RequestContext } from '../../core/context.js';
import { validationError } from '../../core/errors.js';
import { checkCreateKeyAttributes } from '../../keys/key-attributes.js';
import { createImportedKey } from './imported-key.js';
import { keyView } from '../../keys/key-view.js';
import { ownSide } from './byoca.js';
import { parseCertificate, requireChain, resolveCaCertificate, rsaKeyAlgorithm } from './certificates.js';
import { requireWrappingStrength } from '../../exchange/strength.js';
import { exportTr31Header } from './tr31-headers.js';
import type { ExportPayload } from './types.js';

/**
 * ImportKey / ExportKey with Tr34KeyBlock (KeyBlockFormat X9_TR34_2012), tr34.md §4–§7.
 * The TR-34 engine is @paycrypt/tr34; this file adds the AWS policy: tokens, imported CAs,
 * the wrapping-strength rule, the header ↔ KeyAttributes mapping.
 */

/** Every secret-dependent failure (signature, digest, OAEP, padding, inner block): one message. */
const OPAQUE_FAILURE = 'The TR-34 key block could not be verified or decrypted';

/** Keys TR-34 carries (tr34.md §3.2, §7.3): TDES 2-/3-key and AES-128. */
const TR34_KEY_ALGORITHMS = ['TDES_2KEY', 'TDES_3KEY', 'AES_128'];

function nonceBytes(hex: string | undefined): Uint8Array | undefined {
  return hex === undefined ? undefined : new Uint8Array(Buffer.from(hex, 'hex'));
}

/** Tr34Error → ValidationException; the cryptographic ones all get the same opaque message. */
function tr34Failure(e: unknown): unknown {
  if (!(e instanceof Tr34Error)) return e;
  switch (e.code) {
    case 'CRYPTO_FAILED':
      return validationError(OPAQUE_FAILURE);
    case 'NONCE_MISMATCH':
      return validationError(`RandomNonce does not match the TR-34 key block: ${e.message}`);
    case 'SIGNER_MISMATCH':
      return validationError('The TR-34 key block is not signed by SigningKeyCertificate');
    case 'RECIPIENT_MISMATCH':
      return validationError('The TR-34 key block is not wrapped to the wrapping key certificate (of ImportToken or WrappingKeyCertificate)');
    default:
      return validationError(`Invalid TR-34 key block: ${e.message}`);
  }
}

export async function importTr34(ctx: RequestContext, input: ImportKeyInput, m: ImportTr34KeyBlock): Promise<ImportKeyOutput> {
  const byoca = m as ImportTr34KeyBlock & { WrappingKeyIdentifier?: string; WrappingKeyCertificate?: string };
  const token = await ownSide(ctx, 'import', { token: m.ImportToken, keyIdentifier: byoca.WrappingKeyIdentifier, certificate: byoca.WrappingKeyCertificate }, 'TR34_KEY_BLOCK');
  const ca = await resolveCaCertificate(ctx, m.CertificateAuthorityPublicKeyIdentifier!);
  const kdh = parseCertificate(m.SigningKeyCertificate!, 'SigningKeyCertificate');
  await requireChain(ctx, kdh, ca, 'SigningKeyCertificate');
  let opened: OpenedTr34;
  try {
    const expectedNonce = nonceBytes(m.RandomNonce);
    opened = await openTr34KeyBlock(m.WrappedKeyBlock!, {
      krdPrivateKey: token.privateKey,
      krdCertificate: token.certificate,
      kdhCertificate: kdh,
      trustAnchors: [ca.certificate],
      intermediates: ca.intermediates,
      at: new Date(ctx.now),
      ...(expectedNonce === undefined ? {} : { expectedNonce }),
    });
  } catch (e) {
    throw tr34Failure(e);
  }
  const key = opened.key;
  try {
    const attrs = awsKeyAttributesFromTr31(opened.header, key.length);
    const problem = checkCreateKeyAttributes(attrs);
    if (problem !== undefined) throw validationError(`The TR-34 key block header ${opened.headerString.slice(0, 16)} gives key attributes AWS does not accept: ${problem}`);
    if (!TR34_KEY_ALGORITHMS.includes(attrs.KeyAlgorithm)) throw validationError(`KeyAlgorithm ${attrs.KeyAlgorithm} cannot be imported with TR-34`);
    // tr34.md §5 step 10: an AES-128 key under an RSA-2048 wrapping key is refused
    requireWrappingStrength(token.algorithm, attrs.KeyAlgorithm, 'import');
    // NOTE: exportability from the header: E and S → Exportable true, N → false (TR-31 semantics; aws-api.md §10.4)
    const rec = await createImportedKey(ctx, input, attrs, opened.header.exportability !== 'N', { kind: 'symmetric', key });
    return { Key: keyView(rec) };
  } finally {
    key.fill(0);
  }
}

/**
 * The header of an exported key: usage and algorithm from the key, mode of use, exportability,
 * key version and optional blocks after KeyBlockHeaders (tr31-headers.ts, shared with TR-31).
 * NOTE: what AWS writes in a TR-34 header's version and length fields is not known
 * (tr34.md §13); the emulator writes `B` for TDES and `D` for AES keys (its TR-31 export
 * choice) and the header's own length.
 */
function exportHeader(p: ExportPayload, m: ExportTr34KeyBlock): string {
  const header = exportTr31Header(p, m.KeyBlockHeaders, p.header.algorithm === 'A' ? 'D' : 'B');
  const text = serializeTr31Header(header);
  parseTr31Header(text); // KeyBlockError (→ ValidationException) for an optional block the tables refuse
  return text;
}

export async function exportTr34(ctx: RequestContext, p: ExportPayload, m: ExportTr34KeyBlock): Promise<WrappedKey> {
  if (!TR34_KEY_ALGORITHMS.includes(p.keyAlgorithm)) {
    throw validationError(`KeyAlgorithm ${p.keyAlgorithm} cannot be exported with TR-34 (TDES_2KEY, TDES_3KEY, AES_128)`);
  }
  const byoca = m as ExportTr34KeyBlock & { SigningKeyIdentifier?: string; SigningKeyCertificate?: string };
  const token = await ownSide(ctx, 'export', { token: m.ExportToken, keyIdentifier: byoca.SigningKeyIdentifier, certificate: byoca.SigningKeyCertificate }, 'TR34_KEY_BLOCK');
  const ca = await resolveCaCertificate(ctx, m.CertificateAuthorityPublicKeyIdentifier!);
  const krd = parseCertificate(m.WrappingKeyCertificate!, 'WrappingKeyCertificate');
  await requireChain(ctx, krd, ca, 'WrappingKeyCertificate');
  // tr34.md §7.3: TDES under RSA 2048/3072/4096, AES-128 only under RSA ≥ 3072
  requireWrappingStrength(rsaKeyAlgorithm(krd, 'WrappingKeyCertificate'), p.keyAlgorithm);
  const header = exportHeader(p, m);
  const nonce = nonceBytes(m.RandomNonce);
  let hex: string;
  try {
    const built = await buildTr34KeyBlock({
      kdhCertificate: token.certificate,
      kdhPrivateKey: token.privateKey,
      krdCertificate: krd,
      key: p.key,
      header,
      ...(nonce === undefined ? { signingTime: new Date(ctx.now) } : { nonce }),
    });
    hex = built.hex;
  } catch (e) {
    throw tr34Failure(e);
  }
  return {
    // NOTE: AWS does not document what WrappingKeyArn holds for a TR-34 export (the wrapping key
    // is a certificate, not a key); the emulator answers the ARN of the CA key.
    WrappingKeyArn: ca.record.keyArn,
    WrappedKeyMaterialFormat: 'TR34_KEY_BLOCK',
    KeyMaterial: hex,
  };
}
