import { X509Certificate } from 'node:crypto';
import type {
  GetParametersForExportInput,
  GetParametersForExportOutput,
  GetParametersForImportInput,
  GetParametersForImportOutput,
  GetPublicKeyCertificateInput,
  GetPublicKeyCertificateOutput,
  KeyAlgorithm,
} from '@aws-sdk/client-payment-cryptography';
import type { RsaModulusBits } from '@paycrypt/tr34';
import type { RequestContext } from '../../core/context.js';
import { validationError } from '../../core/errors.js';
import { algorithmFacts } from '../../keys/key-algorithms.js';
import { resolveKey, updateKey, withKey } from '../../keys/key-access.js';
import { cloneKey } from '../../state/commit.js';
import type { KeyRecord } from '../../state/records.js';
import { caAlgorithmFor as caAlgorithmOfKey, emulatorCa, issueTokenCertificate, keyCertificateCa, newRsaKey, type EccEmulatorCa, type EmulatorCa } from './emulator-ca.js';
import { issueKeyCertificate, keyUsageForModes } from './key-certificate.js';
import { TOKEN_VALIDITY_DAYS, newTokenId, rememberToken, reusableToken, type IssuedToken, type TokenKind } from './tokens.js';

/**
 * GetParametersForImport, GetParametersForExport and GetPublicKeyCertificate. The CAs are in
 * emulator-ca.ts, the tokens in tokens.ts (both persisted with --data-dir, private keys sealed
 * under the LMK, through commit() before the answer is sent: a failed write answers 500 and
 * leaves nothing that could be used).
 */

/**
 * Wrapping-key algorithms per KeyMaterialType for GetParametersForImport (tr34.md §7.2, §7.3).
 * NOTE: the API documentation allows only RSA_2048 for TR34_KEY_BLOCK, but RSA_3072 is accepted
 * in practice (needed for AES-128, aws-samples #20/#21) and the current key-strength table lists
 * TR-34 with RSA_4096; the emulator accepts all three for both types.
 */
const IMPORT_ALGORITHMS: Readonly<Record<string, readonly string[]>> = {
  TR34_KEY_BLOCK: ['RSA_2048', 'RSA_3072', 'RSA_4096'],
  KEY_CRYPTOGRAM: ['RSA_2048', 'RSA_3072', 'RSA_4096'],
};

/**
 * Signing-key algorithms for GetParametersForExport: "RSA_2048 is the only signing key
 * algorithm allowed" (API docs). KEY_CRYPTOGRAM is accepted too (the newest aws-samples call it
 * so); NOTE: ExportKey with KeyCryptogram takes no token, so such a token has no use here.
 */
const EXPORT_ALGORITHMS: Readonly<Record<string, readonly string[]>> = {
  TR34_KEY_BLOCK: ['RSA_2048'],
  KEY_CRYPTOGRAM: ['RSA_2048'],
};

/** ReuseLastGeneratedToken is in the newest model only (the 3.882.0 SDK type lacks it, its serializer passes it). */
interface Reuse {
  ReuseLastGeneratedToken?: boolean;
}

async function parameters(
  ctx: RequestContext,
  kind: TokenKind,
  keyMaterialType: string,
  algorithm: string,
  allowed: Readonly<Record<string, readonly string[]>>,
  reuse: boolean,
): Promise<{ token: IssuedToken; chain: string }> {
  const field = kind === 'import' ? 'WrappingKeyAlgorithm' : 'SigningKeyAlgorithm';
  const algorithms = allowed[keyMaterialType];
  if (algorithms === undefined) {
    throw validationError(`KeyMaterialType ${keyMaterialType} is not supported by GetParametersFor${kind === 'import' ? 'Import' : 'Export'}; supported: ${Object.keys(allowed).join(', ')}`);
  }
  if (!algorithms.includes(algorithm)) {
    throw validationError(`${field} ${algorithm} is not supported for KeyMaterialType ${keyMaterialType}; supported: ${algorithms.join(', ')}`);
  }
  const caPromise = emulatorCa(ctx);
  if (reuse) {
    const last = reusableToken(ctx, kind, keyMaterialType, algorithm);
    if (last !== undefined) {
      await caPromise; // the CA must exist (and be saved) before any answer that names it
      return { token: last, chain: last.certificateChain };
    }
  }
  const tokenId = newTokenId(kind);
  const [ca, privateKey] = await Promise.all([caPromise, newRsaKey(algorithmFacts(algorithm).modulusBits as RsaModulusBits)]);
  const certificate = await issueTokenCertificate(ctx, ca, kind, tokenId, privateKey, TOKEN_VALIDITY_DAYS);
  const fresh = {
    token: tokenId,
    kind,
    keyMaterialType,
    algorithm,
    privateKey,
    certificate,
    certificateChain: ca.awsCertificate,
    validUntil: ctx.now + TOKEN_VALIDITY_DAYS * 86_400_000,
  };
  // under the tokens' lock, a reusable token issued meanwhile wins over the fresh one
  const token = await rememberToken(ctx, fresh, reuse);
  return { token, chain: token.certificateChain };
}

export async function getParametersForImport(input: GetParametersForImportInput, ctx: RequestContext): Promise<GetParametersForImportOutput> {
  const { token, chain } = await parameters(
    ctx,
    'import',
    input.KeyMaterialType!,
    input.WrappingKeyAlgorithm!,
    IMPORT_ALGORITHMS,
    (input as Reuse).ReuseLastGeneratedToken === true,
  );
  return {
    WrappingKeyCertificate: token.awsCertificate,
    WrappingKeyCertificateChain: chain,
    WrappingKeyAlgorithm: token.algorithm as KeyAlgorithm,
    ImportToken: token.token,
    ParametersValidUntilTimestamp: new Date(token.validUntil),
  };
}

export async function getParametersForExport(input: GetParametersForExportInput, ctx: RequestContext): Promise<GetParametersForExportOutput> {
  const { token, chain } = await parameters(
    ctx,
    'export',
    input.KeyMaterialType!,
    input.SigningKeyAlgorithm!,
    EXPORT_ALGORITHMS,
    (input as Reuse).ReuseLastGeneratedToken === true,
  );
  return {
    SigningKeyCertificate: token.awsCertificate,
    SigningKeyCertificateChain: chain,
    SigningKeyAlgorithm: token.algorithm as KeyAlgorithm,
    ExportToken: token.token,
    ParametersValidUntilTimestamp: new Date(token.validUntil),
  };
}

/** GetPublicKeyCertificate: 90-day certificate, cached while at least 30 days remain (aws-api.md §10.6). */
const KEY_CERTIFICATE_DAYS = 90;
const KEY_CERTIFICATE_MIN_REMAINING_MS = 30 * 86_400_000;

/**
 * The public key of an RSA or ECC key pair made with CreateKey, certified by the emulator CA of
 * its kind: RSA keys by the RSA-4096 CA, ECC keys by the CA of their curve (ECDSA; emulator-ca.ts),
 * so the chain imports as a RootCertificatePublicKey of the key's own algorithm.
 * The certificate is cached on the key record (`certificate`, `certificateChain`, written under
 * the key's lock through commit()) and reused while it has ≥ 30 days left and was issued by that CA.
 * NOTE: a disabled key still gets its certificate (the public key is not secret; AWS does not
 * document this case); imported public keys (KeyClass PUBLIC_KEY) and symmetric keys are refused
 * with ValidationException.
 */
export async function getPublicKeyCertificate(input: GetPublicKeyCertificateInput, ctx: RequestContext): Promise<GetPublicKeyCertificateOutput> {
  const key = await resolveKey(ctx, input.KeyIdentifier!);
  requireCertifiable(key);
  const cached = cachedCertificate(ctx, key, undefined);
  if (cached !== undefined) return cached;
  // the CA before the key's lock: a first RSA-4096 CA takes a second or two to generate
  const ca = await keyCertificateCa(ctx, key.keyAlgorithm);
  return withKey(ctx, key.keyArn, async (current) => {
    requireCertifiable(current);
    const again = cachedCertificate(ctx, current, ca);
    if (again !== undefined) return again;
    const next = cloneKey(current);
    next.certificate = await issueKeyCertificate({
      ca,
      publicKeySpki: new Uint8Array(Buffer.from(current.publicKey!, 'base64')),
      commonName: current.keyId,
      keyUsage: keyUsageForModes(current.modes),
      notBefore: new Date(ctx.now),
      validityDays: KEY_CERTIFICATE_DAYS,
    });
    next.certificateChain = ca.awsCertificate;
    // disk before memory: a failed write answers 500 and the key keeps its old certificate
    await updateKey(ctx, ctx.state, current, next);
    return { KeyCertificate: next.certificate, KeyCertificateChain: next.certificateChain };
  });
}

function requireCertifiable(key: KeyRecord): void {
  if (key.keyClass !== 'ASYMMETRIC_KEY_PAIR' || key.publicKey === undefined) {
    throw validationError(`Key ${key.keyArn} is not an asymmetric key pair (KeyClass ${key.keyClass})`);
  }
  if (key.state !== 'CREATE_COMPLETE') throw validationError(`Key ${key.keyArn} is in state ${key.state} and cannot be used`);
  const family = algorithmFacts(key.keyAlgorithm).family;
  if (family !== 'RSA' && family !== 'ECC') throw validationError(`Key ${key.keyArn} is not an RSA or ECC key pair`);
}

/**
 * The key's cached certificate while it has ≥ 30 days left and was issued by the region's
 * current CA of the key's kind (`ca`, or the one in the store's records when not yet opened; a
 * certificate of an ECC key issued by the RSA CA before ECC CAs existed is replaced).
 */
function cachedCertificate(ctx: RequestContext, key: KeyRecord, ca: EmulatorCa | EccEmulatorCa | undefined): GetPublicKeyCertificateOutput | undefined {
  if (key.certificate === undefined || key.certificateChain === undefined) return undefined;
  const chain = ca?.awsCertificate ?? ctx.state.emulatorCas.get(caAlgorithmOfKey(key.keyAlgorithm))?.certificate;
  if (chain === undefined || key.certificateChain !== chain) return undefined;
  const notAfter = Date.parse(new X509Certificate(Buffer.from(key.certificate, 'base64').toString('utf8')).validTo);
  if (notAfter - ctx.now < KEY_CERTIFICATE_MIN_REMAINING_MS) return undefined;
  return { KeyCertificate: key.certificate, KeyCertificateChain: key.certificateChain };
}
