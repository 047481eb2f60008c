import type { ExportKeyCryptogram, ImportKeyCryptogram, ImportKeyInput, ImportKeyOutput, WrappedKey } from '@aws-sdk/client-payment-cryptography';
import type { RequestContext } from '../../core/context.js';
import { notImplementedError } from '../../core/errors.js';
import type { ExportPayload } from './types.js';

export async function importKeyCryptogram(_ctx: RequestContext, _input: ImportKeyInput, _m: ImportKeyCryptogram): Promise<ImportKeyOutput> {
  throw notImplementedError('ImportKey');
}

export async function exportKeyCryptogram(_ctx: RequestContext, _p: ExportPayload, _m: ExportKeyCryptogram): Promise<WrappedKey> {
  throw notImplementedError('ExportKey');
}
