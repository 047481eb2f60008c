import type { ExportKeyInput, ExportKeyOutput, WrappedKey } from '@aws-sdk/client-payment-cryptography';
import { tr31HeaderFieldsFromAws } from '@paycrypt/keyblock';
import type { RequestContext } from '../../core/context.js';
import { notImplementedError, validationError } from '../../core/errors.js';
import { keyMaterial, requireUsable, resolveKey } from '../../state/keys.js';
import type { KeyRecord } from '../../state/records.js';
import { exportKeyCryptogram } from './cryptogram.js';
import { exportTr31 } from './tr31.js';
import { exportTr34 } from './tr34.js';
import type { ExportPayload } from './types.js';

/**
 * ExportKey: resolve the key, refuse what may not leave, build the ExportPayload (types.ts),
 * then one branch per KeyMaterial member. The clear key is zeroed once the answer is built.
 */
export async function exportKey(input: ExportKeyInput, ctx: RequestContext): Promise<ExportKeyOutput> {
  const source = await resolveKey(ctx, input.ExportKeyIdentifier!);
  requireUsable(source);
  if (!source.exportable) throw validationError(`Key ${source.keyArn} is not exportable`);
  if (source.keyClass !== 'SYMMETRIC_KEY') {
    throw validationError(`Key ${source.keyArn} is of class ${source.keyClass}; only symmetric keys can be exported`);
  }
  const payload = exportPayload(ctx, source, input);
  try {
    const m = input.KeyMaterial!;
    let wrapped: WrappedKey;
    if (m.Tr31KeyBlock !== undefined) wrapped = await exportTr31(ctx, payload, m.Tr31KeyBlock);
    else if (m.Tr34KeyBlock !== undefined) wrapped = await exportTr34(ctx, payload, m.Tr34KeyBlock);
    else if (m.KeyCryptogram !== undefined) wrapped = await exportKeyCryptogram(ctx, payload, m.KeyCryptogram);
    else throw notImplementedError('ExportKey'); // NOTE: DiffieHellmanTr31KeyBlock (ECDH) export is not emulated.
    return { WrappedKey: wrapped };
  } finally {
    payload.key.fill(0);
  }
}

/** The clear key and its TR-31 description: the key itself, or the IPEK/IK of a BDK (ExportDukptInitialKey). */
function exportPayload(ctx: RequestContext, source: KeyRecord, input: ExportKeyInput): ExportPayload {
  const dukpt = input.ExportAttributes?.ExportDukptInitialKey;
  if (dukpt !== undefined) return dukptInitialKeyPayload(ctx, source, dukpt.KeySerialNumber!);
  const fields = tr31HeaderFieldsFromAws(
    { KeyUsage: source.keyUsage, KeyAlgorithm: source.keyAlgorithm, KeyModesOfUse: source.modes },
    'E',
  );
  return {
    key: keyMaterial(ctx, source),
    source,
    keyAlgorithm: source.keyAlgorithm,
    header: { ...fields, keyVersion: '00' },
  };
}

/** ExportDukptInitialKey: the IPEK (TDES BDK) or initial key (AES BDK) as a B1 key. */
function dukptInitialKeyPayload(_ctx: RequestContext, _bdk: KeyRecord, _ksn: string): ExportPayload {
  throw notImplementedError('ExportKey'); // filled in by the TR-31 / DUKPT work
}
