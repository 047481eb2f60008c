import { awsKeyAttributesFromTr31, type Tr31Header } from '@paycrypt/keyblock';
import type { RequestContext } from '../core/context.js';
import { validationError } from '../core/errors.js';
import { handler, type PartialOperationTable } from '../core/registry.js';
import { deriveKbpk } from '../exchange/ecdh.js';
import { requireWrappingStrength } from '../exchange/strength.js';
import { kekProtector, outgoingTr31Version, tr31VersionFor, unwrapTr31Under, wrapTr31Under } from '../exchange/tr31.js';
import { KEY_ALGORITHMS } from '../keys/key-algorithms.js';
import { checkCreateKeyAttributes } from '../keys/key-attributes.js';
import { kcvAlgorithmFor } from '../keys/key-factory.js';
import { symmetricKcv } from '../keys/key-material.js';
import type { TranslateKeyMaterialInput, TranslateKeyMaterialOutput } from '../model/data-plane.types.generated.js';
import { storedKey } from './operation-key.js';

/**
 * TranslateKeyMaterial (data-plane.md §10, aws-api.md §3): the incoming TR-31 block is unwrapped
 * under a KBPK derived by ECDH (`IncomingKeyMaterial.DiffieHellmanTr31KeyBlock`: the emulator's
 * K3 key, the partner's certificate signed by the imported CA, KDF, hash, SharedInformation —
 * exchange/ecdh.ts, the same derivation as ImportKey DiffieHellmanTr31KeyBlock) and re-wrapped under
 * the stored KEK `OutgoingKeyMaterial.Tr31KeyBlock.WrappingKeyIdentifier` (a K0/K1 key allowing
 * Wrap: KEY_RULES.KEK_WRAP), version B under a TDES KEK and D under an AES one. The key is never
 * stored; its clear value is wiped before returning.
 *
 * The outgoing header keeps the incoming key usage, algorithm, mode of use, key version, key
 * context and optional blocks (a new PB padding block is made for the new version).
 * NOTE (AWS does not document these; the emulator's choices):
 * - a block with exportability N (non-exportable) is refused: re-wrapping it under another KEK
 *   would export it;
 * - the block's attributes must be a combination CreateKey accepts (keys-validattributes), as for
 *   ImportKey Tr31KeyBlock;
 * - the derived KBPK and the ECC key must be at least as strong as the key (as for ImportKey
 *   DiffieHellmanTr31KeyBlock), and so must the outgoing KEK ("the wrapping key must be at least
 *   as strong", exchange/strength.ts);
 * - `KeyCheckValue` is the translated key's KCV, with `KeyCheckValueAlgorithm` or the default of
 *   its algorithm (ANSI_X9_24 for TDES, CMAC for AES).
 */

const OUT_MEMBER = 'OutgoingKeyMaterial.Tr31KeyBlock.WrappingKeyIdentifier';

async function translateKeyMaterial(input: TranslateKeyMaterialInput, ctx: RequestContext): Promise<TranslateKeyMaterialOutput> {
  const incoming = input.IncomingKeyMaterial.DiffieHellmanTr31KeyBlock;
  if (incoming === undefined) throw validationError('IncomingKeyMaterial: DiffieHellmanTr31KeyBlock must be set');
  const outgoing = input.OutgoingKeyMaterial.Tr31KeyBlock;
  if (outgoing === undefined) throw validationError('OutgoingKeyMaterial: Tr31KeyBlock must be set');

  const kek = await storedKey(ctx, outgoing.WrappingKeyIdentifier, 'KEK_WRAP', OUT_MEMBER);
  const family = KEY_ALGORITHMS[kek.keyAlgorithm]?.family;
  if (family !== 'TDES' && family !== 'AES') throw validationError(`${OUT_MEMBER} ${kek.arn} (${kek.keyAlgorithm}) cannot protect a TR-31 key block`);
  const outProtector = kekProtector(ctx, kek.record!, family);

  const d = await deriveKbpk(ctx, incoming);
  let header: Tr31Header;
  let key: Uint8Array;
  try {
    const version = tr31VersionFor(d.protector, incoming.WrappedKeyBlock);
    ({ header, key } = unwrapTr31Under(d.protector, incoming.WrappedKeyBlock, version));
  } finally {
    d.wipe();
  }
  try {
    const attrs = awsKeyAttributesFromTr31(header, key.length);
    const problem = checkCreateKeyAttributes(attrs);
    if (problem !== undefined) throw validationError(`WrappedKeyBlock header not accepted: ${problem}`);
    if (header.exportability === 'N') {
      throw validationError('WrappedKeyBlock has exportability N (non-exportable): the key cannot be re-wrapped under another key');
    }
    for (const a of d.protector.strengthOf) requireWrappingStrength(a, attrs.KeyAlgorithm, 'import');
    requireWrappingStrength(kek.keyAlgorithm, attrs.KeyAlgorithm, 'translate');
    const kcv = symmetricKcv(attrs.KeyAlgorithm, key, kcvAlgorithmFor(attrs.KeyAlgorithm, input.KeyCheckValueAlgorithm));
    const outHeader: Tr31Header = { ...header, version: outgoingTr31Version(outProtector), optionalBlocks: header.optionalBlocks.filter((b) => b.id !== 'PB') };
    const block = wrapTr31Under(outProtector, outHeader, key);
    return { WrappedKey: { WrappedKeyMaterial: block, KeyCheckValue: kcv, WrappedKeyMaterialFormat: 'TR31_KEY_BLOCK' } };
  } finally {
    key.fill(0);
  }
}

export const keyMaterialOperations: PartialOperationTable<'TranslateKeyMaterial'> = {
  TranslateKeyMaterial: handler(translateKeyMaterial),
};
