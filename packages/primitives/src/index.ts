export { PrimitivesError, type PrimitivesErrorCode } from './errors.js';
export {
  hexToBytes,
  bytesToHex,
  isHex,
  concatBytes,
  xorBytes,
  constantTimeEqual,
  asciiToBytes,
  bytesToAscii,
  wipe,
  randomBytes,
  assertBytes,
  type HexOptions,
  type RandomSource,
} from './bytes.js';
export {
  type BlockCipher,
  encryptBlock,
  decryptBlock,
  ecbEncrypt,
  ecbDecrypt,
  cbcEncrypt,
  cbcDecrypt,
  ctrCrypt,
} from './cipher/block-cipher.js';
export { AesCipher, createAes } from './cipher/aes.js';
export { TdesCipher, createTdes, expandTdesKey } from './cipher/tdes.js';
export { cmac, cmacSubkeys } from './cipher/cmac.js';
export { kcv, kcvWithCipher, defaultKcvMethod, type KcvMethod, type KcvOptions, type KeyAlgorithmFamily } from './kcv.js';
