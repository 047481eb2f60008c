import { describe, expect, it } from 'vitest';
import * as browser from '../src/browser.js';
import * as node from '../src/index.js';

/** The runtime names each entry exports, pinned (a removal or rename is a breaking change). */
const COMMANDS = [
  'DecryptDataCommand', 'EncryptDataCommand', 'GenerateAs2805KekValidationCommand', 'GenerateAuthRequestCryptogramCommand', 'GenerateCardValidationDataCommand',
  'GenerateMacCommand', 'GenerateMacEmvPinChangeCommand', 'GeneratePinDataCommand', 'ReEncryptDataCommand', 'TranslateKeyMaterialCommand', 'TranslatePinDataCommand',
  'VerifyAuthRequestCryptogramCommand', 'VerifyCardValidationDataCommand', 'VerifyMacCommand', 'VerifyPinDataCommand',
];
const SHARED = [
  ...COMMANDS, 'DataPlaneCommand', 'PaymentCryptographyDataClient', 'PaymentCryptographyData', 'SIGNING_NAME', 'retryErrorType',
  'PaymentCryptographyDataServiceException', 'ValidationException', 'VerificationFailedException', 'ResourceNotFoundException', 'AccessDeniedException', 'ThrottlingException', 'InternalServerException',
  'fetchTransport', 'serializeRequest', 'resolveDataPlaneEndpoint',
  'openExportedKeyBlock', 'openExportedTr34KeyBlock', 'keyCheckValue', 'expectedCardValidationData', 'checkCardValidationData', 'expectedMac', 'checkMac', 'expectedVisaPvv', 'checkVisaPvv',
];
const NODE_ONLY = ['createPaymentCryptography', 'endpointsFromEnv', 'resolveTarget', 'EMULATOR_CREDENTIALS', 'inProcessDataPlaneTransport', 'nodeHttpTransport'];

describe('public names', () => {
  it('browser entry', () => expect(Object.keys(browser).sort()).toEqual([...SHARED].sort()));
  it('node entry', () => expect(Object.keys(node).sort()).toEqual([...SHARED, ...NODE_ONLY].sort()));
  it('the node entry client is the browser client with Node defaults', () => {
    expect(new node.PaymentCryptographyDataClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })).toBeInstanceOf(browser.PaymentCryptographyDataClient);
  });
});
