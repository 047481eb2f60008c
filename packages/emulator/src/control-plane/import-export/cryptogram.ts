import type { ExportKeyCryptogram, ImportKeyCryptogram, ImportKeyInput, ImportKeyOutput, WrappedKey } from '@aws-sdk/client-payment-cryptography';
import { Tr34Error, unwrapKeyCryptogram, wrapKeyCryptogram, type KeyCryptogramSpec } from '@paycrypt/tr34';
import type { RequestContext } from '../../core/context.js';
import { validationError } from '../../core/errors.js';
import { KEY_ALGORITHMS } from '../../keys/key-algorithms.js';
import { checkCreateKeyAttributes } from '../../keys/key-attributes.js';
import { createImportedKey, type ImportedKeyAttributes } from './imported-key.js';
import { keyView } from '../../keys/key-view.js';
import { parseCertificate, requireChain, resolveCaCertificate, rsaKeyAlgorithm } from './certificates.js';
import { requireWrappingStrength } from '../../exchange/strength.js';
import { requireToken } from './tokens.js';
import type { ExportPayload } from './types.js';

/**
 * ImportKey / ExportKey with KeyCryptogram (tr34.md §8): RSAES-OAEP of the raw key bytes,
 * `RSA_OAEP_SHA_256` (default, MGF1-SHA-256, empty label) or `RSA_OAEP_SHA_512` (MGF1-SHA-512,
 * inferred), upper-case hex. Import unwraps with the private key of an import token
 * (GetParametersForImport KEY_CRYPTOGRAM); export wraps to a certificate that chains to an
 * imported CA.
 */

/** Keys an RSA wrap carries (aws-api.md §10.6: "TDES and AES-128 keys only"). */
const CRYPTOGRAM_KEY_ALGORITHMS = ['TDES_2KEY', 'TDES_3KEY', 'AES_128'];

/** Every secret-dependent failure (OAEP decoding): one message. */
const OPAQUE_FAILURE = 'The key cryptogram could not be decrypted with the wrapping key of ImportToken';

function spec(s: string | undefined): KeyCryptogramSpec {
  // NOTE: the default when WrappingSpec is absent is inferred (tr34.md §8): RSA_OAEP_SHA_256.
  return (s ?? 'RSA_OAEP_SHA_256') as KeyCryptogramSpec;
}

export async function importKeyCryptogram(ctx: RequestContext, input: ImportKeyInput, m: ImportKeyCryptogram): Promise<ImportKeyOutput> {
  const attrs = m.KeyAttributes!;
  const problem = checkCreateKeyAttributes({ KeyUsage: attrs.KeyUsage!, KeyClass: attrs.KeyClass!, KeyAlgorithm: attrs.KeyAlgorithm!, KeyModesOfUse: attrs.KeyModesOfUse ?? {} });
  if (problem !== undefined) throw validationError(problem);
  if (!CRYPTOGRAM_KEY_ALGORITHMS.includes(attrs.KeyAlgorithm!)) {
    throw validationError(`KeyAlgorithm ${attrs.KeyAlgorithm} cannot be imported as a key cryptogram (TDES_2KEY, TDES_3KEY, AES_128)`);
  }
  const token = requireToken(ctx, 'import', m.ImportToken, 'KEY_CRYPTOGRAM');
  // AES-128 needs an RSA-3072 or RSA-4096 wrapping key (tr34.md §7.3)
  requireWrappingStrength(token.algorithm, attrs.KeyAlgorithm!, 'import');
  let key: Uint8Array;
  try {
    key = await unwrapKeyCryptogram(token.privateKey, m.WrappedKeyCryptogram!, spec(m.WrappingSpec));
  } catch (e) {
    if (e instanceof Tr34Error && e.code === 'CRYPTO_FAILED') throw validationError(OPAQUE_FAILURE);
    if (e instanceof Tr34Error) throw validationError(`Invalid WrappedKeyCryptogram: ${e.message}`);
    throw e;
  }
  try {
    const expected = KEY_ALGORITHMS[attrs.KeyAlgorithm!]!.keyBytes!;
    if (key.length !== expected) {
      // the text AWS answers in this case starts so (aws-samples key_exchange/README.md, tr34.md §8)
      throw validationError(`Actual KeyAlgorithm of the WrappedKey is mismatching with KeyAttributes.KeyAlgorithm ${attrs.KeyAlgorithm}`);
    }
    const rec = await createImportedKey(ctx, input, attrs as ImportedKeyAttributes, m.Exportable!, { kind: 'symmetric', key });
    return { Key: keyView(rec) };
  } finally {
    key.fill(0);
  }
}

export async function exportKeyCryptogram(ctx: RequestContext, p: ExportPayload, m: ExportKeyCryptogram): Promise<WrappedKey> {
  if (!CRYPTOGRAM_KEY_ALGORITHMS.includes(p.keyAlgorithm)) {
    throw validationError(`KeyAlgorithm ${p.keyAlgorithm} cannot be exported as a key cryptogram (TDES_2KEY, TDES_3KEY, AES_128)`);
  }
  const ca = await resolveCaCertificate(ctx, m.CertificateAuthorityPublicKeyIdentifier!);
  const cert = parseCertificate(m.WrappingKeyCertificate!, 'WrappingKeyCertificate');
  await requireChain(ctx, cert, ca, 'WrappingKeyCertificate');
  const rsa = rsaKeyAlgorithm(cert, 'WrappingKeyCertificate');
  requireWrappingStrength(rsa, p.keyAlgorithm);
  const hex = await wrapKeyCryptogram(cert, p.key, { wrappingSpec: spec(m.WrappingSpec) });
  return {
    // NOTE: AWS does not document WrappingKeyArn for an RSA wrap (the wrapping key is a
    // certificate); the emulator answers the ARN of the CA key.
    WrappingKeyArn: ca.record.keyArn,
    WrappedKeyMaterialFormat: 'KEY_CRYPTOGRAM',
    KeyMaterial: hex,
  };
}
