import type { ExportTr34KeyBlock, ImportKeyInput, ImportKeyOutput, ImportTr34KeyBlock, WrappedKey } from '@aws-sdk/client-payment-cryptography';
import type { RequestContext } from '../../core/context.js';
import { notImplementedError } from '../../core/errors.js';
import type { ExportPayload } from './types.js';

export async function importTr34(_ctx: RequestContext, _input: ImportKeyInput, _m: ImportTr34KeyBlock): Promise<ImportKeyOutput> {
  throw notImplementedError('ImportKey');
}

export async function exportTr34(_ctx: RequestContext, _p: ExportPayload, _m: ExportTr34KeyBlock): Promise<WrappedKey> {
  throw notImplementedError('ExportKey');
}
