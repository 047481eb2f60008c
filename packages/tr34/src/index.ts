export { Tr34Error, CRYPTO_FAILED_MESSAGE, type Tr34ErrorCode } from './errors.js';
export {
  RsaPublicKey,
  RsaPrivateKey,
  generateRsaKeyPair,
  RSA_MODULUS_SIZES,
  type RsaKeyPair,
  type RsaHash,
  type RsaModulusBits,
} from './pki/rsa-keys.js';
export {
  EcPrivateKey,
  generateEcKeyPair,
  ecdsaRawToDer,
  EC_CURVES,
  ECDSA_SIGNATURE_OIDS,
  type EcCurve,
  type EcdsaHash,
} from './pki/ec-keys.js';
export {
  Certificate,
  CERTIFICATE_SIGNATURE_ALGORITHMS,
  KEY_USAGE_BITS,
  type CertificateExtension,
  type CertificateInput,
  type KeyUsageName,
} from './pki/certificate.js';
export { verifyCertificateChain, type VerifyChainOptions } from './pki/chain.js';
export {
  issueCertificate,
  issueCertificateDer,
  createCaCertificate,
  createEcCaCertificateDer,
  CERTIFICATE_PROFILES,
  type CertificateProfile,
  type CreateCaOptions,
  type CreateEcCaOptions,
  type EcIssuer,
  type DistinguishedName,
  type IssueCertificateOptions,
  type IssueCertificateDerOptions,
} from './pki/issue.js';
export { derToPem, pemToDer, pemBlocks, derToAwsCertificate, awsCertificateToDer, awsCertificateToDerList } from './pki/pem.js';
export {
  wrapKeyCryptogram,
  unwrapKeyCryptogram,
  KEY_CRYPTOGRAM_SPECS,
  type KeyCryptogramSpec,
  type WrapKeyCryptogramOptions,
} from './cryptogram/key-cryptogram.js';
export { buildTr34KeyBlock, type BuildTr34Options, type BuiltTr34 } from './tr34/build.js';
export { openTr34KeyBlock, type OpenTr34Options, type OpenedTr34 } from './tr34/open.js';
export { inspectTr34KeyBlock, type Tr34TokenInfo } from './tr34/token.js';
export { CONTENT_ENCRYPTION, type ContentEncryption } from './tr34/content-encryption.js';
export { OAEP_SHA256_ALGORITHM_IDENTIFIER, type Tr34Layout } from './tr34/envelope.js';
export { decodeRsaesPkcs1v15 } from './cryptogram/rsa-pkcs1.js';
