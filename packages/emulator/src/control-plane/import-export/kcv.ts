import type { KeyCheckValueAlgorithm } from '@aws-sdk/client-payment-cryptography';
import { symmetricKcv } from '../../keys/key-material.js';
import { kcvAlgorithmFor } from '../../keys/key-factory.js';
import type { ExportPayload } from './types.js';

/**
 * The `KeyCheckValue` / `KeyCheckValueAlgorithm` of an ExportKey answer: the KCV of the key that
 * was exported (the key itself, or the IPEK/IK of an ExportDukptInitialKey), computed with
 * `ExportAttributes.KeyCheckValueAlgorithm` when the caller gives one, otherwise with the key's
 * own KeyCheckValueAlgorithm (so a plain export answers the KCV GetKey shows), or for a derived
 * initial key the default method of its algorithm (ANSI_X9_24 for TDES, CMAC for AES).
 * A method the algorithm does not support is a ValidationException (key-factory.ts rule).
 */
export function exportedKcv(payload: ExportPayload, requested: string | undefined): { KeyCheckValue: string; KeyCheckValueAlgorithm: KeyCheckValueAlgorithm } {
  const fallback = payload.dukptInitialKey === true ? undefined : payload.source.kcvAlgorithm;
  const method = kcvAlgorithmFor(payload.keyAlgorithm, requested ?? fallback);
  return { KeyCheckValue: symmetricKcv(payload.keyAlgorithm, payload.key, method), KeyCheckValueAlgorithm: method as KeyCheckValueAlgorithm };
}
