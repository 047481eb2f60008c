import type { ImportKeyInput, ImportKeyOutput, ImportTr31KeyBlock } from '@aws-sdk/client-payment-cryptography';
import type { RequestContext } from '../../core/context.js';
import { notImplementedError } from '../../core/errors.js';

export async function importTr31(_ctx: RequestContext, _input: ImportKeyInput, _m: ImportTr31KeyBlock): Promise<ImportKeyOutput> {
  throw notImplementedError('ImportKey');
}
