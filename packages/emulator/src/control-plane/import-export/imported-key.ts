import type { ImportKeyInput } from '@aws-sdk/client-payment-cryptography';
import type { RequestContext } from '../../core/context.js';
import type { Change } from '../../state/commit.js';
import type { KeyRecord } from '../../state/records.js';
import type { ModeName } from '../../keys/key-attributes.js';
import { createKeyRecord, type NewKeyMaterial } from '../../keys/key-factory.js';
import { checkTags } from '../tags.js';

export interface ImportedKeyAttributes {
  KeyUsage: string;
  KeyClass: string;
  KeyAlgorithm: string;
  KeyModesOfUse?: Partial<Record<ModeName, boolean | undefined>>;
}

/**
 * The key record of an imported key (every ImportKey material type): KeyOrigin EXTERNAL, and
 * Enabled, KeyCheckValueAlgorithm and Tags from the request. `tags` may be passed when the
 * handler checked them before any cryptography. `withRecord` adds the replica records of a
 * multi-Region import (replication.ts newPrimary), committed together with the key.
 */
export function createImportedKey(
  ctx: RequestContext,
  input: ImportKeyInput,
  attrs: ImportedKeyAttributes,
  exportable: boolean,
  material: NewKeyMaterial,
  tags: Map<string, string> | undefined = checkTags(input.Tags),
  withRecord?: (rec: KeyRecord) => Change[],
): Promise<KeyRecord> {
  return createKeyRecord(ctx, ctx.state, {
    keyUsage: attrs.KeyUsage,
    keyClass: attrs.KeyClass,
    keyAlgorithm: attrs.KeyAlgorithm,
    modes: attrs.KeyModesOfUse ?? {},
    exportable,
    enabled: input.Enabled ?? true,
    origin: 'EXTERNAL',
    kcvAlgorithm: input.KeyCheckValueAlgorithm,
    tags,
    material,
    ...(withRecord === undefined ? {} : { withRecord }),
  });
}
