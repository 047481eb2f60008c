// Test-only: assembles a correctly signed AWS-layout token whose *inner* key block is chosen
// by the test (a different header or idKDH than the signed ones), to exercise the checks that
// run after decryption. Uses the package's DER writer; the layout follows tr34.md §4.1.
import { asciiToBytes } from '@paycrypt/primitives';
import { derContext, derOctetString, derOid, derSequence, derSet, derSmallInteger, derTlv } from '../src/der/der-writer.js';
import { OID } from '../src/der/oids.js';
import { rsaOaepEncrypt } from '../src/cryptogram/rsa-oaep.js';
import { encryptContent } from '../src/tr34/content-encryption.js';
import { encodeEnvelope } from '../src/tr34/envelope.js';
import { encodeKeyBlock } from '../src/tr34/key-block.js';
import { sha256 } from '../src/webcrypto.js';
import type { Certificate, RsaPrivateKey } from '../src/index.js';

export interface AssembleOptions {
  kdh: { certificate: Certificate; privateKey: RsaPrivateKey };
  krd: Certificate;
  key: Uint8Array;
  signedHeader: string;
  innerHeader: string;
  innerIdKdh: Uint8Array;
  nonce: Uint8Array;
  /** Raw plaintext to encrypt instead of the key block (for malformed-plaintext tests). */
  plaintext?: Uint8Array;
}

export async function assembleToken(o: AssembleOptions): Promise<Uint8Array> {
  const ek = crypto.getRandomValues(new Uint8Array(24));
  const iv = crypto.getRandomValues(new Uint8Array(8));
  const kb = o.plaintext ?? encodeKeyBlock(o.innerIdKdh, o.key, asciiToBytes(o.innerHeader));
  const env = encodeEnvelope(
    {
      rid: o.krd.issuerAndSerialNumber,
      encryptedKey: await rsaOaepEncrypt(o.krd.publicKey, 'SHA-256', ek),
      contentEncryption: 'des-ede3-cbc',
      iv,
      ciphertext: encryptContent('des-ede3-cbc', ek, iv, kb),
    },
    'X9_TR34_2012',
  );
  const attrs = [
    derSequence(derOid(OID.contentType), derSet(derOid(OID.envelopedData))),
    derSequence(derOid(OID.randomNonce), derSet(derOctetString(o.nonce))),
    derSequence(derOid(OID.data), derSet(derOctetString(asciiToBytes(o.signedHeader)))),
    derSequence(derOid(OID.messageDigest), derSet(derOctetString(await sha256(env)))),
  ];
  const sig = await o.kdh.privateKey.sign('SHA-256', derSet(...attrs));
  const alg = derSequence(derOid(OID.sha256));
  const si = derSequence(derSmallInteger(1), o.kdh.certificate.issuerAndSerialNumber, alg, derTlv(0xa0, ...attrs), derSequence(derOid(OID.rsaEncryption), Uint8Array.of(5, 0)), derOctetString(sig));
  const sd = derSequence(derSmallInteger(1), derSet(alg), derSequence(derOid(OID.envelopedData), derContext(0, derOctetString(env))), derSet(si));
  return derSequence(derOid(OID.signedData), derContext(0, sd));
}
