import type { ImportKeyInput, ImportKeyOutput } from '@aws-sdk/client-payment-cryptography';
import type { RequestContext } from '../../core/context.js';
import { validationError } from '../../core/errors.js';
import { importAs2805KeyCryptogram, type ImportAs2805KeyCryptogram } from './as2805.js';
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
  // As2805KeyCryptogram is in the newest model only (the SDK 3.882 types lack it)
  const as2805 = (m as { As2805KeyCryptogram?: ImportAs2805KeyCryptogram }).As2805KeyCryptogram;
  if (as2805 !== undefined) return importAs2805KeyCryptogram(ctx, input, as2805);
  throw validationError('KeyMaterial must have exactly one member');
}
