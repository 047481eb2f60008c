import { notImplemented, type PartialOperationTable } from '../core/registry.js';

export const authCryptogramOperations: PartialOperationTable<'VerifyAuthRequestCryptogram' | 'GenerateAuthRequestCryptogram'> = {
  VerifyAuthRequestCryptogram: notImplemented(),
  GenerateAuthRequestCryptogram: notImplemented(),
};
