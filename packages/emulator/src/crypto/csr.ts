import { sign } from 'node:crypto';
import { bitString, contextConstructed, ia5String, nullValue, oid, printableString, sequence, set, smallInteger, toPem, utf8String } from './der.js';

/**
 * PKCS#10 certification request (RFC 2986 §4) for a key pair, signed with its private key:
 * RSA PKCS#1 v1.5 (RFC 8017) or ECDSA (RFC 5758 §3.2), with SHA-224/256/384/512.
 */
export interface CsrSubject {
  CommonName: string;
  OrganizationUnit?: string;
  Organization?: string;
  City?: string;
  Country?: string;
  StateOrProvince?: string;
  EmailAddress?: string;
}

const HASH = { SHA224: 'sha224', SHA256: 'sha256', SHA384: 'sha384', SHA512: 'sha512' } as const;
export type CsrSigningAlgorithm = keyof typeof HASH;

/** Signature AlgorithmIdentifier OIDs (RFC 8017 App. C / RFC 5758 §3.2). */
const SIGNATURE_OIDS: Record<'RSA' | 'ECC', Record<CsrSigningAlgorithm, string>> = {
  RSA: { SHA224: '1.2.840.113549.1.1.14', SHA256: '1.2.840.113549.1.1.11', SHA384: '1.2.840.113549.1.1.12', SHA512: '1.2.840.113549.1.1.13' },
  ECC: { SHA224: '1.2.840.10045.4.3.1', SHA256: '1.2.840.10045.4.3.2', SHA384: '1.2.840.10045.4.3.3', SHA512: '1.2.840.10045.4.3.4' },
};

/** X.520 attribute types (RFC 5280 App. A), in the order they are written (most general first). */
const NAME_ATTRIBUTES: Array<[keyof CsrSubject, string, (s: string) => Uint8Array]> = [
  ['Country', '2.5.4.6', (s) => printableString(s.toUpperCase())],
  ['StateOrProvince', '2.5.4.8', utf8String],
  ['City', '2.5.4.7', utf8String],
  ['Organization', '2.5.4.10', utf8String],
  ['OrganizationUnit', '2.5.4.11', utf8String],
  ['CommonName', '2.5.4.3', utf8String],
  ['EmailAddress', '1.2.840.113549.1.9.1', ia5String],
];

function name(subject: CsrSubject): Uint8Array {
  const rdns: Uint8Array[] = [];
  for (const [field, type, encode] of NAME_ATTRIBUTES) {
    const v = subject[field];
    if (v !== undefined) rdns.push(set(sequence(oid(type), encode(v))));
  }
  return sequence(...rdns);
}

export function buildCsr(options: {
  family: 'RSA' | 'ECC';
  privateKeyPkcs8: Uint8Array;
  publicKeySpki: Uint8Array;
  subject: CsrSubject;
  signingAlgorithm: CsrSigningAlgorithm;
}): string {
  const info = sequence(smallInteger(0), name(options.subject), options.publicKeySpki, contextConstructed(0));
  const sigOid = oid(SIGNATURE_OIDS[options.family][options.signingAlgorithm]);
  const algorithm = options.family === 'RSA' ? sequence(sigOid, nullValue()) : sequence(sigOid);
  const signature = sign(HASH[options.signingAlgorithm], info, { key: Buffer.from(options.privateKeyPkcs8), format: 'der', type: 'pkcs8' });
  return toPem('CERTIFICATE REQUEST', sequence(info, algorithm, bitString(new Uint8Array(signature))));
}
