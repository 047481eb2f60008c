import type { ExportTr31KeyBlock, ImportKeyInput, ImportKeyOutput, ImportTr31KeyBlock, WrappedKey } from '@aws-sdk/client-payment-cryptography';
import type { RequestContext } from '../../core/context.js';
import { notImplementedError } from '../../core/errors.js';
import type { ExportPayload } from './types.js';

export async function importTr31(_ctx: RequestContext, _input: ImportKeyInput, _m: ImportTr31KeyBlock): Promise<ImportKeyOutput> {
  throw notImplementedError('ImportKey');
}

export async function exportTr31(_ctx: RequestContext, _p: ExportPayload, _m: ExportTr31KeyBlock): Promise<WrappedKey> {
  throw notImplementedError('ExportKey');
}
