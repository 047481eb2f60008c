import type { RequestContext } from '../core/context.js';
import { validationError } from '../core/errors.js';
import { requireUsable, resolveKey } from '../keys/key-access.js';
import type { KeyRecord } from '../state/records.js';

const SIGNATURE_USAGE = 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE';

/**
 * The record checks of `CertificateAuthorityPublicKeyIdentifier` (any key type: the ECDH flow
 * reads ECC CAs with node:crypto): an imported S0 certificate, usable.
 */
export async function resolveCaRecord(ctx: RequestContext, identifier: string): Promise<KeyRecord & { certificate: string }> {
  const record = await resolveKey(ctx, identifier);
  if (record.keyClass !== 'PUBLIC_KEY' || record.certificate === undefined || record.keyUsage !== SIGNATURE_USAGE) {
    throw validationError(
      `CertificateAuthorityPublicKeyIdentifier ${record.keyArn} is not an imported ${SIGNATURE_USAGE} certificate (KeyClass ${record.keyClass}, KeyUsage ${record.keyUsage})`,
    );
  }
  requireUsable(record);
  return record as KeyRecord & { certificate: string };
}
