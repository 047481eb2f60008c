import { constantTimeEqual } from '@paycrypt/primitives';
import { Tr34Error, cryptoFailed } from '../errors.js';
import { rsaOaepDecrypt } from '../cryptogram/rsa-oaep.js';
import { sameBytes, toCertificate, type CertificateInput } from '../pki/certificate.js';
import { verifyCertificateChain } from '../pki/chain.js';
import type { RsaPrivateKey } from '../pki/rsa-keys.js';
import { CONTENT_ENCRYPTION, decryptContent, type ContentEncryption } from './content-encryption.js';
import type { Tr34Layout } from './envelope.js';
import { parseKeyBlock } from './key-block.js';
import { verifySignerInfo } from './signed-data.js';
import { parseTr34Token } from './token.js';
import type { Tr31Header, Tr31ParseOptions } from '@paycrypt/keyblock';

export interface OpenTr34Options {
  /** Our (KRD) private key, the one behind `krdCertificate`. */
  krdPrivateKey: RsaPrivateKey;
  /** Our (KRD) wrapping certificate: the token's recipient must be it. */
  krdCertificate: CertificateInput;
  /** The sender's (KDH) signing certificate (AWS: `SigningKeyCertificate`). */
  kdhCertificate: CertificateInput;
  /** The CA certificates the KDH certificate must chain to (AWS: the CA key). */
  trustAnchors: readonly CertificateInput[];
  /** Intermediate CA certificates that may complete the KDH chain. */
  intermediates?: readonly CertificateInput[];
  /**
   * Two-pass: the nonce we (the KRD) issued, 8–16 bytes (AWS `RandomNonce`). Omit for one-pass.
   * A token with a nonce is refused when none is expected, and vice versa.
   */
  expectedNonce?: Uint8Array;
  /** Time for the certificate validity checks (default now; `null` skips them). */
  at?: Date | null;
  /** Leniency for the signed header's values (default: the X9.143 tables, strict). */
  headerOptions?: Tr31ParseOptions;
}

export interface OpenedTr34 {
  /** The clear key. */
  key: Uint8Array;
  /** The key-block header (TR-31 style), signed and inside the encryption (checked equal), parsed. */
  header: Tr31Header & { lengthField: number };
  /** The same header as its exact characters. */
  headerString: string;
  layout: Tr34Layout;
  mode: 'one-pass' | 'two-pass';
  nonce: Uint8Array | undefined;
  signingTime: Date | undefined;
  contentEncryption: ContentEncryption;
}

/**
 * Opens a TR-34 key token as the key receiving device (tr34.md §5), in this order:
 * 1. parse (MALFORMED / UNSUPPORTED name the part);
 * 2. the signer is the KDH certificate (SIGNER_MISMATCH), the recipient is our certificate
 *    (RECIPIENT_MISMATCH);
 * 3. the KDH certificate chains to the trust anchors (CERTIFICATE_INVALID);
 * 4. messageDigest and signature over the signed attributes as received (CRYPTO_FAILED);
 * 5. the nonce equals the expected one (NONCE_MISMATCH);
 * 6. only then RSA-OAEP and CBC decryption, and the inner key block: version 1, idKDH equal to
 *    the signer, header equal to the signed header (all CRYPTO_FAILED, one fixed message).
 */
export async function openTr34KeyBlock(token: Uint8Array | string, options: OpenTr34Options): Promise<OpenedTr34> {
  const t = parseTr34Token(token, options.headerOptions);
  const kdh = toCertificate(options.kdhCertificate);
  const krd = toCertificate(options.krdCertificate);
  if (!options.krdPrivateKey.publicKey.equals(krd.publicKey)) throw new TypeError('"krdPrivateKey" does not match "krdCertificate"');
  if (options.expectedNonce !== undefined && (!(options.expectedNonce instanceof Uint8Array) || options.expectedNonce.length < 8 || options.expectedNonce.length > 16)) {
    throw new RangeError(`"expectedNonce" expected 8 to 16 bytes, got ${options.expectedNonce instanceof Uint8Array ? options.expectedNonce.length : typeof options.expectedNonce}`);
  }
  if (!sameBytes(t.kdhIssuerAndSerialNumber, kdh.issuerAndSerialNumber)) {
    throw new Tr34Error('SIGNER_MISMATCH', 'the token is not signed by the given KDH certificate (SignerInfo sid differs)');
  }
  if (!sameBytes(t.krdIssuerAndSerialNumber, krd.issuerAndSerialNumber)) {
    throw new Tr34Error('RECIPIENT_MISMATCH', 'the token is not addressed to the given KRD certificate (KeyTransRecipientInfo rid differs)');
  }
  const chainOptions = { trustAnchors: options.trustAnchors, at: options.at === undefined ? new Date() : options.at };
  await verifyCertificateChain(kdh, options.intermediates === undefined ? chainOptions : { ...chainOptions, intermediates: options.intermediates });
  await verifySignerInfo(t.signedData, t.signerInfo, kdh);
  if (options.expectedNonce === undefined) {
    if (t.nonce !== undefined) throw new Tr34Error('NONCE_MISMATCH', 'the token is two-pass (signed randomNonce) but no nonce was expected');
  } else if (t.nonce === undefined) {
    throw new Tr34Error('NONCE_MISMATCH', 'a nonce was expected but the token is one-pass (no randomNonce)');
  } else if (!constantTimeEqual(t.nonce, options.expectedNonce)) {
    throw new Tr34Error('NONCE_MISMATCH', 'the signed randomNonce differs from the expected nonce');
  }

  const ephemeralKey = await rsaOaepDecrypt(options.krdPrivateKey, 'SHA-256', t.envelope.encryptedKey);
  let plaintext: Uint8Array | undefined;
  try {
    plaintext = decryptContent(t.contentEncryption, ephemeralKey, t.envelope.iv, t.envelope.ciphertext);
    let inner;
    try {
      inner = parseKeyBlock(plaintext, CONTENT_ENCRYPTION[t.contentEncryption].blockSize);
    } catch {
      throw cryptoFailed();
    }
    const signedHeader = new TextEncoder().encode(t.headerString);
    if (inner.version !== 1 || !sameBytes(inner.idKdh, t.kdhIssuerAndSerialNumber) || !constantTimeEqual(inner.header, signedHeader)) {
      throw cryptoFailed();
    }
    return {
      key: inner.key.slice(),
      header: t.header,
      headerString: t.headerString,
      layout: t.layout,
      mode: t.mode,
      nonce: t.nonce?.slice(),
      signingTime: t.signingTime,
      contentEncryption: t.contentEncryption,
    };
  } finally {
    ephemeralKey.fill(0);
    plaintext?.fill(0);
  }
}
