import { notImplemented, type PartialOperationTable } from '../core/registry.js';

export const encryptionOperations: PartialOperationTable<'EncryptData' | 'DecryptData' | 'ReEncryptData'> = {
  EncryptData: notImplemented(),
  DecryptData: notImplemented(),
  ReEncryptData: notImplemented(),
};
