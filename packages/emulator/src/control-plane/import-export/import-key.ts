import type { ImportKeyInput, ImportKeyOutput } from '@aws-sdk/client-payment-cryptography';
import type { RequestContext } from '../../core/context.js';
import { notImplementedError } from '../../core/errors.js';
import { importRootCertificate, importTrustedCertificate } from './certificates.js';
import { importKeyCryptogram } from './cryptogram.js';
import { importDiffieHellmanTr31 } from './ecdh.js';
import { importTr31 } from './tr31.js';
import { importTr34 } from './tr34.js';

/** ImportKey: one branch per KeyMaterial member (the model validator guarantees exactly one). */
export async function importKey(input: ImportKeyInput, ctx: RequestContext): Promise<ImportKeyOutput> {
  const m = input.KeyMaterial!;
  if (m.Tr31KeyBlock !== undefined) return importTr31(ctx, input, m.Tr31KeyBlock);
  if (m.Tr34KeyBlock !== undefined) return importTr34(ctx, input, m.Tr34KeyBlock);
  if (m.KeyCryptogram !== undefined) return importKeyCryptogram(ctx, input, m.KeyCryptogram);
  if (m.RootCertificatePublicKey !== undefined) return importRootCertificate(ctx, input, m.RootCertificatePublicKey);
  if (m.TrustedCertificatePublicKey !== undefined) return importTrustedCertificate(ctx, input, m.TrustedCertificatePublicKey);
  if (m.DiffieHellmanTr31KeyBlock !== undefined) return importDiffieHellmanTr31(ctx, input, m.DiffieHellmanTr31KeyBlock);
  // NOTE: As2805KeyCryptogram (newest model, AS 2805 key exchange) is not emulated: NotImplementedException (501).
  throw notImplementedError('ImportKey with KeyMaterial As2805KeyCryptogram');
}
