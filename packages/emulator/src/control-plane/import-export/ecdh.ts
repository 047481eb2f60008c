import type { ExportDiffieHellmanTr31KeyBlock, ImportDiffieHellmanTr31KeyBlock, ImportKeyInput, ImportKeyOutput, WrappedKey } from '@aws-sdk/client-payment-cryptography';
import type { RequestContext } from '../../core/context.js';
import { deriveKbpk } from '../../exchange/ecdh.js';
import { importTr31Block, wrapTr31Block } from './tr31.js';
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
 * The key agreement and the KBPK derivation (with the certificate checks) are in
 * exchange/ecdh.ts, shared with the data plane's TranslateKeyMaterial; sources are named there.
 * The derived KBPK is wiped after use. A wrong KDF choice, SharedInformation or partner key gives
 * a different KBPK, so the block fails with keyblock's single MAC message.
 */

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
