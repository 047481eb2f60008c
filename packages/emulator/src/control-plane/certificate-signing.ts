import { algorithmFacts } from '../keys/key-algorithms.js';
import { buildCsr } from '../crypto/csr.js';
import { validationError } from '../core/errors.js';
import { handler, type PartialOperationTable } from '../core/registry.js';
import { keyMaterial, requireUsable, resolveKey } from '../keys/key-access.js';

/**
 * GetCertificateSigningRequest (2025-09): a real PKCS#10 CSR for an RSA or ECC key pair created
 * in the emulator, signed with its private key; answered as base64 of the PEM text (like every
 * certificate field of this API).
 * NOTE: AWS does not document which key usages may get a CSR; the emulator accepts any enabled
 * ASYMMETRIC_KEY_PAIR and refuses other keys with ValidationException.
 */
export const certificateSigningOperations: PartialOperationTable<'GetCertificateSigningRequest'> = {
  GetCertificateSigningRequest: handler<'GetCertificateSigningRequest'>(async (input, ctx) => {
    const key = await resolveKey(ctx, input.KeyIdentifier);
    if (key.keyClass !== 'ASYMMETRIC_KEY_PAIR' || key.publicKey === undefined) {
      throw validationError(`Key ${key.keyArn} is not an asymmetric key pair`);
    }
    requireUsable(key);
    const family = algorithmFacts(key.keyAlgorithm).family;
    if (family !== 'RSA' && family !== 'ECC') throw validationError(`Key ${key.keyArn} is not an RSA or ECC key pair`);
    const privateKeyPkcs8 = keyMaterial(ctx, key);
    try {
      const pem = buildCsr({
        family,
        privateKeyPkcs8,
        publicKeySpki: new Uint8Array(Buffer.from(key.publicKey, 'base64')),
        subject: input.CertificateSubject,
        signingAlgorithm: input.SigningAlgorithm,
      });
      return { CertificateSigningRequest: Buffer.from(pem, 'utf8').toString('base64') };
    } finally {
      privateKeyPkcs8.fill(0);
    }
  }),
};
