import type { OperationTable } from '../core/registry.js';
import { aliasOperations } from './aliases.js';
import { certificateSigningOperations } from './certificate-signing.js';
import { importExportOperations } from './import-export/index.js';
import { keyOperations } from './keys.js';
import { lifecycleOperations } from './lifecycle.js';
import { mpaOperations } from './mpa.js';
import { replicationOperations } from './replication.js';
import { resourcePolicyOperations } from './resource-policies.js';
import { tagOperations } from './tags.js';

/**
 * The control-plane registry: every operation of the newest model, keyed by name. The type
 * (OperationTable) makes a missing operation a compile error; test/registry.test.ts checks it
 * against the model at run time too.
 */
export const CONTROL_PLANE: OperationTable = {
  ...keyOperations,
  ...lifecycleOperations,
  ...aliasOperations,
  ...tagOperations,
  ...replicationOperations,
  ...importExportOperations,
  ...certificateSigningOperations,
  ...resourcePolicyOperations,
  ...mpaOperations,
};
