import type { ExportKeyInput, ExportKeyOutput, WrappedKey } from '@aws-sdk/client-payment-cryptography';
import { tr31HeaderFieldsFromAws } from '@paycrypt/keyblock';
import { awsExportDukptInitialKey, type AwsDukptBdkAlgorithm, ownEntry } from '@paycrypt/primitives';
import type { RequestContext } from '../../core/context.js';
import { validationError } from '../../core/errors.js';
import { keyMaterial, requireUsable, resolveKey } from '../../keys/key-access.js';
import type { KeyRecord } from '../../state/records.js';
import { exportAs2805KeyCryptogram, type ExportAs2805KeyCryptogram } from './as2805.js';
import { exportKeyCryptogram } from './cryptogram.js';
import { exportDiffieHellmanTr31 } from './ecdh.js';
import { exportTr31 } from './tr31.js';
import { exportTr34 } from './tr34.js';
import { exportedKcv } from './kcv.js';
import type { ExportPayload } from './types.js';

/**
 * ExportKey: resolve the key, refuse what may not leave, build the ExportPayload (types.ts),
 * then one branch per KeyMaterial member. The clear key is zeroed once the answer is built.
 * The KCV of the exported key (kcv.ts, ExportAttributes.KeyCheckValueAlgorithm) is set here for
 * every format, after the format's branch: a branch need not compute it.
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
    const kcv = exportedKcv(payload, input.ExportAttributes?.KeyCheckValueAlgorithm);
    const m = input.KeyMaterial!;
    let wrapped: WrappedKey;
    if (m.Tr31KeyBlock !== undefined) wrapped = await exportTr31(ctx, payload, m.Tr31KeyBlock);
    else if (m.Tr34KeyBlock !== undefined) wrapped = await exportTr34(ctx, payload, m.Tr34KeyBlock);
    else if (m.KeyCryptogram !== undefined) wrapped = await exportKeyCryptogram(ctx, payload, m.KeyCryptogram);
    else if (m.DiffieHellmanTr31KeyBlock !== undefined) wrapped = await exportDiffieHellmanTr31(ctx, payload, m.DiffieHellmanTr31KeyBlock);
    else {
      // As2805KeyCryptogram is in the newest model only (the SDK 3.882 types lack it)
      const as2805 = (m as { As2805KeyCryptogram?: ExportAs2805KeyCryptogram }).As2805KeyCryptogram;
      if (as2805 === undefined) throw validationError('KeyMaterial must have exactly one member');
      wrapped = await exportAs2805KeyCryptogram(ctx, payload, as2805);
    }
    return { WrappedKey: { ...wrapped, ...kcv } };
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

/** What each BDK algorithm gives (primitives' awsExportDukptInitialKey; aws-api.md §10.6). */
const DUKPT_BDKS: Readonly<Record<string, { ksnHex: number; initialKeyAlgorithm: string; algorithm: 'T' | 'A' }>> = {
  TDES_2KEY: { ksnHex: 20, initialKeyAlgorithm: 'TDES_2KEY', algorithm: 'T' },
  AES_128: { ksnHex: 24, initialKeyAlgorithm: 'AES_128', algorithm: 'A' },
  AES_192: { ksnHex: 24, initialKeyAlgorithm: 'AES_192', algorithm: 'A' },
  AES_256: { ksnHex: 24, initialKeyAlgorithm: 'AES_256', algorithm: 'A' },
};

/**
 * ExportDukptInitialKey: the IPEK (TDES BDK, X9.24-1:2009) or initial key (AES BDK,
 * X9.24-3:2017) for the KSN, described as a B1 key with mode X and exportability S — the header
 * of AWS's documented IPEK export `B0096B1TX00S0000` (algorithm A for an AES initial key, which
 * has the BDK's length). The counter part of the KSN is ignored. The IPEK is not stored.
 */
function dukptInitialKeyPayload(ctx: RequestContext, bdk: KeyRecord, ksn: string): ExportPayload {
  if (bdk.keyUsage !== 'TR31_B0_BASE_DERIVATION_KEY') {
    throw validationError(`ExportDukptInitialKey needs a TR31_B0_BASE_DERIVATION_KEY; key ${bdk.keyArn} has KeyUsage ${bdk.keyUsage}`);
  }
  const facts = ownEntry(DUKPT_BDKS, bdk.keyAlgorithm);
  if (facts === undefined) {
    // NOTE: AWS documents DUKPT with TDES_2KEY and AES BDKs; a TDES_3KEY BDK is refused here.
    throw validationError(`ExportDukptInitialKey is not supported for a ${bdk.keyAlgorithm} BDK (TDES_2KEY, AES_128, AES_192, AES_256)`);
  }
  if (ksn.length !== facts.ksnHex) {
    throw validationError(`KeySerialNumber must be ${facts.ksnHex} hex characters for a ${bdk.keyAlgorithm} BDK, got ${ksn.length}`);
  }
  const clear = keyMaterial(ctx, bdk);
  let key: Uint8Array;
  try {
    key = awsExportDukptInitialKey(clear, bdk.keyAlgorithm as AwsDukptBdkAlgorithm, ksn);
  } finally {
    clear.fill(0);
  }
  return {
    key,
    source: bdk,
    keyAlgorithm: facts.initialKeyAlgorithm,
    header: { keyUsage: 'B1', algorithm: facts.algorithm, modeOfUse: 'X', keyVersion: '00', exportability: 'S' },
    dukptInitialKey: true,
  };
}
