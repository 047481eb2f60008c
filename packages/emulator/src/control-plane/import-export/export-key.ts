import type { ExportKeyInput, ExportKeyOutput } from '@aws-sdk/client-payment-cryptography';
import type { RequestContext } from '../../core/context.js';
import { notImplementedError } from '../../core/errors.js';

/** ExportKey: resolves the key, builds the ExportPayload (types.ts), one branch per KeyMaterial member. */
export async function exportKey(_input: ExportKeyInput, _ctx: RequestContext): Promise<ExportKeyOutput> {
  throw notImplementedError('ExportKey');
}
