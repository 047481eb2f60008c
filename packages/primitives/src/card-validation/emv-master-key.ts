/**
 * EMV ICC master key derivation moved to emv/icc-master-key.ts (with Option B and the
 * derivation-mode table). These names stay here so that existing imports keep working.
 */
export { deriveIccMasterKeyOptionA, adjustOddParity } from '../emv/icc-master-key.js';
