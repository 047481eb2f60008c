import type { ImportKeyInput, ImportKeyOutput, RootCertificatePublicKey, TrustedCertificatePublicKey } from '@aws-sdk/client-payment-cryptography';
import type { RequestContext } from '../../core/context.js';
import { notImplementedError } from '../../core/errors.js';

export async function importRootCertificate(_ctx: RequestContext, _input: ImportKeyInput, _m: RootCertificatePublicKey): Promise<ImportKeyOutput> {
  throw notImplementedError('ImportKey');
}

export async function importTrustedCertificate(_ctx: RequestContext, _input: ImportKeyInput, _m: TrustedCertificatePublicKey): Promise<ImportKeyOutput> {
  throw notImplementedError('ImportKey');
}
