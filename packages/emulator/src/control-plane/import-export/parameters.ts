import type {
  GetParametersForExportInput,
  GetParametersForExportOutput,
  GetParametersForImportInput,
  GetParametersForImportOutput,
  GetPublicKeyCertificateInput,
  GetPublicKeyCertificateOutput,
} from '@aws-sdk/client-payment-cryptography';
import type { RequestContext } from '../../core/context.js';
import { notImplementedError } from '../../core/errors.js';

export async function getParametersForImport(_input: GetParametersForImportInput, _ctx: RequestContext): Promise<GetParametersForImportOutput> {
  throw notImplementedError('GetParametersForImport');
}

export async function getParametersForExport(_input: GetParametersForExportInput, _ctx: RequestContext): Promise<GetParametersForExportOutput> {
  throw notImplementedError('GetParametersForExport');
}

export async function getPublicKeyCertificate(_input: GetPublicKeyCertificateInput, _ctx: RequestContext): Promise<GetPublicKeyCertificateOutput> {
  throw notImplementedError('GetPublicKeyCertificate');
}
