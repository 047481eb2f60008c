import { asciiToBytes, bytesToHex, randomBytes, type RandomSource } from '@paycrypt/primitives';
import { derContext, derOctetString, derOid, derSequence, derSet, derSmallInteger, derTlv, derUtcTime } from '../der/der-writer.js';
import { OID } from '../der/oids.js';
import { rsaOaepEncrypt } from '../cryptogram/rsa-oaep.js';
import { toCertificate, type CertificateInput } from '../pki/certificate.js';
import type { RsaPrivateKey } from '../pki/rsa-keys.js';
import { sha256 } from '../webcrypto.js';
import { CONTENT_ENCRYPTION, encryptContent, type ContentEncryption } from './content-encryption.js';
import { encodeEnvelope } from './envelope.js';
import { contentEncryptionForHeader, headerForBuild } from './header.js';
import type { Tr31Header, Tr31ParseOptions } from '@paycrypt/keyblock';
import { encodeKeyBlock } from './key-block.js';

export interface BuildTr34Options {
  /** The sender's (KDH) signing certificate and private key. */
  kdhCertificate: CertificateInput;
  kdhPrivateKey: RsaPrivateKey;
  /** The receiver's (KRD) key-transport certificate (AWS: `WrappingKeyCertificate`). */
  krdCertificate: CertificateInput;
  /** The clear key: TDES 16 or 24 bytes, or AES-128 16 bytes. */
  key: Uint8Array;
  /**
   * The key-block header (TR-31 style: 16 characters plus optional blocks), as a string (kept
   * byte for byte) or a `Tr31Header` from @paycrypt/keyblock (serialised with its own length).
   */
  header: string | Tr31Header;
  /** Leniency for the header values (default: the X9.143 tables, strict). */
  headerOptions?: Tr31ParseOptions;
  /** Two-pass: the KRD's nonce, 8–16 bytes (AWS `RandomNonce`). Omit for one-pass. */
  nonce?: Uint8Array;
  /** One-pass: the signingTime attribute (default now). Ignored for two-pass. */
  signingTime?: Date;
  /** Default from the header's algorithm: 'A' → aes128-cbc, otherwise des-ede3-cbc. */
  contentEncryption?: ContentEncryption;
  /** Default `X9_TR34_2012` (what AWS builds and accepts). */
  layout?: 'X9_TR34_2012' | 'TR34_2019_CMS';
  /** Fixed values for reproducible tokens (tests, vectors). Each one is optional. */
  fixed?: { ephemeralKey?: Uint8Array; iv?: Uint8Array; oaepSeed?: Uint8Array };
  /** Random source for the ephemeral key, IV and OAEP seed (default WebCrypto). */
  random?: RandomSource;
}

export interface BuiltTr34 {
  /** The token DER (ContentInfo). */
  der: Uint8Array;
  /** Upper-case hex, as the AWS API takes it (`WrappedKeyBlock`) and returns it (`KeyMaterial`). */
  hex: string;
}

/** Allowed clear-key lengths per content encryption (tr34.md §7.3: AES-128 only; TDES 2- and 3-key). */
const KEY_LENGTHS: Readonly<Record<ContentEncryption, readonly number[]>> = {
  'des-ede3-cbc': [16, 24],
  'aes128-cbc': [16],
};

/**
 * Builds a TR-34 key token as the key distribution host (tr34.md §4): the key block
 * SEQUENCE{1, idKDH, key, header} under a fresh ephemeral key (CBC, PKCS#7), the ephemeral key
 * under RSAES-OAEP(SHA-256, MGF1-SHA-256, empty label) to the KRD, the signed attributes in
 * AWS order (contentType, randomNonce | signingTime, header, messageDigest) signed with
 * RSASSA-PKCS1-v1_5 SHA-256, no certificates, no CRLs.
 */
export async function buildTr34KeyBlock(opts: BuildTr34Options): Promise<BuiltTr34> {
  const kdh = toCertificate(opts.kdhCertificate);
  const krd = toCertificate(opts.krdCertificate);
  if (!opts.kdhPrivateKey.publicKey.equals(kdh.publicKey)) throw new TypeError('"kdhPrivateKey" does not match "kdhCertificate"');
  const header = headerForBuild(opts.header, opts.headerOptions);
  const alg: ContentEncryption = opts.contentEncryption ?? contentEncryptionForHeader(header.header);
  const spec = CONTENT_ENCRYPTION[alg];
  if (spec === undefined) throw new RangeError(`"contentEncryption" expected des-ede3-cbc or aes128-cbc, got ${String(alg)}`);
  if (!(opts.key instanceof Uint8Array) || !KEY_LENGTHS[alg].includes(opts.key.length)) {
    throw new RangeError(`"key" expected ${KEY_LENGTHS[alg].join(' or ')} bytes for ${alg}, got ${opts.key instanceof Uint8Array ? opts.key.length : typeof opts.key}`);
  }
  if (opts.nonce !== undefined && (!(opts.nonce instanceof Uint8Array) || opts.nonce.length < 8 || opts.nonce.length > 16)) {
    throw new RangeError(`"nonce" expected 8 to 16 bytes, got ${opts.nonce instanceof Uint8Array ? opts.nonce.length : typeof opts.nonce}`);
  }
  const random = opts.random ?? randomBytes;
  // a copy (wiped below): a Node Buffer's slice() would be a view of the caller's bytes
  const ephemeralKey = opts.fixed?.ephemeralKey !== undefined ? new Uint8Array(opts.fixed.ephemeralKey) : random(spec.keyLength);
  const iv = opts.fixed?.iv ?? random(spec.ivLength);
  const oaepSeed = opts.fixed?.oaepSeed ?? (opts.random !== undefined ? opts.random(32) : undefined);
  const headerBytes = asciiToBytes(header.text);
  const keyBlock = encodeKeyBlock(kdh.issuerAndSerialNumber, opts.key, headerBytes);
  try {
    const ciphertext = encryptContent(alg, ephemeralKey, iv, keyBlock);
    const encryptedKey = await rsaOaepEncrypt(krd.publicKey, 'SHA-256', ephemeralKey, oaepSeed);
    const envelope = encodeEnvelope(
      { rid: krd.issuerAndSerialNumber, encryptedKey, contentEncryption: alg, iv, ciphertext },
      opts.layout ?? 'X9_TR34_2012',
    );
    const attrs = [
      derSequence(derOid(OID.contentType), derSet(derOid(OID.envelopedData))),
      opts.nonce !== undefined
        ? derSequence(derOid(OID.randomNonce), derSet(derOctetString(opts.nonce)))
        : derSequence(derOid(OID.signingTime), derSet(derUtcTime(opts.signingTime ?? new Date()))),
      derSequence(derOid(OID.data), derSet(derOctetString(headerBytes))),
      derSequence(derOid(OID.messageDigest), derSet(derOctetString(await sha256(envelope)))),
    ];
    // RFC 5652 §5.4: the signature covers the attributes as a SET, in the order sent (not re-sorted)
    const signature = await opts.kdhPrivateKey.sign('SHA-256', derSet(...attrs));
    const sha256AlgId = derSequence(derOid(OID.sha256));
    const signerInfo = derSequence(
      derSmallInteger(1),
      kdh.issuerAndSerialNumber,
      sha256AlgId,
      derTlv(0xa0, ...attrs),
      derSequence(derOid(OID.rsaEncryption), Uint8Array.of(0x05, 0x00)),
      derOctetString(signature),
    );
    const signedData = derSequence(
      derSmallInteger(1),
      derSet(sha256AlgId),
      derSequence(derOid(OID.envelopedData), derContext(0, derOctetString(envelope))),
      derSet(signerInfo),
    );
    const der = derSequence(derOid(OID.signedData), derContext(0, signedData));
    return { der, hex: bytesToHex(der) };
  } finally {
    keyBlock.fill(0);
    ephemeralKey.fill(0);
  }
}
