import type { DataOperationTable } from '../core/registry.js';
import { as2805Operations } from './as2805.js';
import { authCryptogramOperations } from './auth-cryptogram.js';
import { cardValidationOperations } from './card-validation.js';
import { encryptionOperations } from './encryption.js';
import { keyMaterialOperations } from './key-material.js';
import { macOperations } from './mac.js';
import { pinChangeOperations } from './pin-change.js';
import { pinOperations } from './pin.js';

/**
 * The data-plane registry: every operation of the newest data-plane model, keyed by name. The
 * type (DataOperationTable) makes a missing operation a compile error.
 */
export const DATA_PLANE: DataOperationTable = {
  ...cardValidationOperations,
  ...pinOperations,
  ...macOperations,
  ...encryptionOperations,
  ...authCryptogramOperations,
  ...pinChangeOperations,
  ...keyMaterialOperations,
  ...as2805Operations,
};
