import { expectChildren, expectTag, readTlv, readSmallInteger, tlvRaw, tlvValue } from '../der/der-reader.js';
import { derOctetString, derOid, derSequence, derSet, derSmallInteger, oidToString } from '../der/der-writer.js';
import { OID } from '../der/oids.js';

/**
 * The inner TR-34 key block, the plaintext under the ephemeral key (tr34.md §3.2):
 * SEQUENCE { INTEGER 1, idKDH IssuerAndSerialNumber, OCTET STRING clearKey,
 *            SEQUENCE { id-data, SET { OCTET STRING header } } }.
 * The TR-34 text says version v1(0); every sample and AWS write 1 (clover note), so we write 1.
 */
export function encodeKeyBlock(idKdh: Uint8Array, key: Uint8Array, header: Uint8Array): Uint8Array {
  return derSequence(derSmallInteger(1), idKdh, derOctetString(key), derSequence(derOid(OID.data), derSet(derOctetString(header))));
}

export interface InnerKeyBlock {
  version: number;
  idKdh: Uint8Array;
  key: Uint8Array;
  header: Uint8Array;
}

/**
 * Parses the decrypted plaintext: the key block is taken by its own DER length and what
 * follows (padding) must be shorter than one cipher block. Throws on anything else; the
 * caller turns that into the opaque error (this is decrypted data).
 */
export function parseKeyBlock(plaintext: Uint8Array, blockSize: number): InnerKeyBlock {
  const top = readTlv(plaintext, 0, plaintext.length, 'key block');
  if (plaintext.length - top.end > blockSize) throw new Error('key block: trailing data');
  const f = expectChildren(top, 0x30, 'key block');
  if (f.length !== 4) throw new Error('key block: element count');
  const version = readSmallInteger(f[0], 'key block version');
  const idKdh = tlvRaw(expectTag(f[1], 0x30, 'key block idKDH'));
  const key = tlvValue(expectTag(f[2], 0x04, 'key block clearKey'));
  const hdr = expectChildren(f[3], 0x30, 'key block header attribute');
  if (oidToString(tlvValue(expectTag(hdr[0], 0x06, 'key block header OID'))) !== OID.data) throw new Error('key block: header OID');
  const values = expectChildren(hdr[1], 0x31, 'key block header values');
  if (values.length !== 1) throw new Error('key block: header values');
  const header = tlvValue(expectTag(values[0], 0x04, 'key block header'));
  return { version, idKdh, key, header };
}
