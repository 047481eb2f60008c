import { RsaPrivateKey, RsaPublicKey, type Certificate } from '@paycrypt/tr34';
import type { RequestContext } from '../../core/context.js';
import { validationError } from '../../core/errors.js';
import { keyMaterial, requireUsable, resolveKey } from '../../keys/key-access.js';
import { parseCertificate } from './certificates.js';
import { requireToken, type TokenKind } from './tokens.js';

/**
 * The emulator's side of a TR-34 exchange: the key pair and certificate of an import token
 * (KRD) or export token (KDH), or — "Bring Your Own CA" (newest model; not in SDK 3.882.0,
 * whose serializer passes the members through) — a key pair made with CreateKey, named by
 * `WrappingKeyIdentifier` / `SigningKeyIdentifier`, with its certificate issued by the user's
 * own CA (`WrappingKeyCertificate` / `SigningKeyCertificate`, e.g. from a
 * GetCertificateSigningRequest CSR).
 *
 * The BYOCA key must be an enabled RSA key pair whose public key is the certificate's ("the
 * most common error is that the key … and … certificate do not match", BYOCA user guide).
 * NOTE: AWS does not document which key usages it accepts for BYOCA: the emulator takes a
 * TR31_S0 key with Sign for signing (the guide's example), and a TR31_K2 or TR31_D1 key with
 * Decrypt or Unwrap for wrapping; the certificate's validity and chain are not checked (the
 * other party checks them).
 */
export interface OwnSide {
  readonly privateKey: RsaPrivateKey;
  readonly certificate: Certificate;
  /** RSA_2048 | RSA_3072 | RSA_4096 */
  readonly algorithm: string;
}

const WRAPPING_USAGES = ['TR31_K2_TR34_ASYMMETRIC_KEY', 'TR31_D1_ASYMMETRIC_KEY_FOR_DATA_ENCRYPTION'];

export async function ownSide(
  ctx: RequestContext,
  kind: TokenKind,
  m: { token: string | undefined; keyIdentifier: string | undefined; certificate: string | undefined },
  keyMaterialType: string,
): Promise<OwnSide> {
  const names =
    kind === 'import'
      ? { token: 'ImportToken', key: 'WrappingKeyIdentifier', cert: 'WrappingKeyCertificate' }
      : { token: 'ExportToken', key: 'SigningKeyIdentifier', cert: 'SigningKeyCertificate' };
  const hasToken = m.token !== undefined && m.token !== '';
  if (m.keyIdentifier === undefined) {
    if (m.certificate !== undefined) throw validationError(`${names.cert} requires ${names.key}`);
    return requireToken(ctx, kind, m.token, keyMaterialType);
  }
  if (hasToken) throw validationError(`Give either ${names.token} or ${names.key} with ${names.cert}, not both`);
  if (m.certificate === undefined) throw validationError(`${names.key} requires ${names.cert}`);
  const key = await resolveKey(ctx, m.keyIdentifier);
  requireUsable(key);
  if (key.keyClass !== 'ASYMMETRIC_KEY_PAIR' || !key.keyAlgorithm.startsWith('RSA_') || key.publicKey === undefined) {
    throw validationError(`${names.key} ${key.keyArn} is not an RSA key pair`);
  }
  const usable =
    kind === 'import'
      ? WRAPPING_USAGES.includes(key.keyUsage) && (key.modes.Decrypt || key.modes.Unwrap)
      : key.keyUsage === 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE' && key.modes.Sign;
  if (!usable) {
    throw validationError(
      kind === 'import'
        ? `${names.key} ${key.keyArn} must be a TR31_K2 or TR31_D1 key that can Decrypt or Unwrap`
        : `${names.key} ${key.keyArn} must be a TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE key that can Sign`,
    );
  }
  const certificate = parseCertificate(m.certificate, names.cert);
  if (!certificate.publicKey.equals(RsaPublicKey.fromSpki(new Uint8Array(Buffer.from(key.publicKey, 'base64'))))) {
    throw validationError(`The key of ${names.key} and ${names.cert} do not match`);
  }
  const pkcs8 = keyMaterial(ctx, key);
  try {
    return { privateKey: RsaPrivateKey.fromPkcs8(pkcs8), certificate, algorithm: key.keyAlgorithm };
  } finally {
    pkcs8.fill(0);
  }
}
