// Independent TR-34 pieces for the CLI tests, never the engine under test: a PKI made by the OpenSSL
// command line, OpenSSL's own CMS verification and printing, and an opener of the envelope built
// from asn1js (a DER parser foreign to the engine) and node:crypto (RSA-OAEP, DES-EDE3/AES-CBC).
import * as asn1js from 'asn1js';
import { constants, createDecipheriv, privateDecrypt } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HAS_OPENSSL = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;
if (!HAS_OPENSSL) console.warn('[cli tr34 tests] openssl not found on PATH: the tests that need it are SKIPPED');

const dir = HAS_OPENSSL ? mkdtempSync(join(tmpdir(), 'paycrypt-cli-tr34-')) : '';

function openssl(args: string[], input?: Buffer): string {
  return execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...(input === undefined ? {} : { input }) });
}

const EXTENSIONS = `[ca]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
[signing]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
[keyTransport]
basicConstraints=critical,CA:FALSE
keyUsage=critical,keyEncipherment
`;

export interface Party {
  /** paths of the PEM certificate and PKCS#8 PEM private key */
  cert: string;
  key: string;
  /** `openssl x509 -subject -nameopt RFC2253` / `-serial` of the certificate */
  subject: string;
  issuer: string;
  serial: string;
}

function describe(cert: string, key: string): Party {
  const text = openssl(['x509', '-in', cert, '-noout', '-subject', '-issuer', '-serial', '-nameopt', 'RFC2253']);
  const field = (name: string): string => new RegExp(`^${name}=(.*)$`, 'm').exec(text)![1]!.trim();
  return { cert: join(dir, cert), key: join(dir, key), subject: field('subject'), issuer: field('issuer'), serial: field('serial').toUpperCase() };
}

let n = 0;
/** A self-signed CA made by `openssl req -x509`. */
export function opensslCa(cn: string, bits = 2048): Party {
  const name = `ca${n++}`;
  writeFileSync(join(dir, 'ext.cnf'), EXTENSIONS);
  openssl(['req', '-x509', '-newkey', `rsa:${bits}`, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-subj', `/CN=${cn}/O=paycrypt cli tests`, '-days', '30', '-extensions', 'ca', '-config', 'ext.cnf']);
  return describe(`${name}.pem`, `${name}.key`);
}

/** A leaf issued by `ca` with `openssl x509 -req`, for signing (KDH) or key transport (KRD). */
export function opensslLeaf(ca: Party, cn: string, profile: 'signing' | 'keyTransport', bits = 2048): Party {
  const name = `leaf${n++}`;
  openssl(['req', '-newkey', `rsa:${bits}`, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}/O=paycrypt cli tests`, '-config', 'ext.cnf']);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', `${name}.pem`, '-days', '10', '-extfile', 'ext.cnf', '-extensions', profile]);
  return describe(`${name}.pem`, `${name}.key`);
}

/**
 * `openssl cms -verify`: the signature over the signed attributes and the messageDigest of the
 * eContent, the signer certificate chained to `caFile`. Returns the eContent (the envelope).
 */
export function opensslCmsVerify(der: Uint8Array, signerCert: string, caFile: string): Buffer {
  const name = `t${n++}`;
  writeFileSync(join(dir, `${name}.der`), der);
  openssl(['cms', '-verify', '-inform', 'DER', '-in', `${name}.der`, '-certfile', signerCert, '-CAfile', caFile, '-binary', '-out', `${name}.content`]);
  return readFileSync(join(dir, `${name}.content`));
}

/** `openssl cms -cmsout -print`: the signed attribute OIDs in order and the signer's serial. */
export function opensslCmsPrint(der: Uint8Array): { attributeOids: string[]; signerSerial: string; text: string } {
  const name = `p${n++}`;
  writeFileSync(join(dir, `${name}.der`), der);
  const text = openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', `${name}.der`]);
  const attrs = text.slice(text.indexOf('signedAttrs:'));
  const attributeOids = [...attrs.matchAll(/object: [^\n]*\(([\d.]+)\)/g)].map((m) => m[1]!);
  const serial = /serialNumber: (?:0x)?([0-9A-Fa-f]+)/.exec(text.slice(text.indexOf('signerInfos:')))![1]!.toUpperCase();
  return { attributeOids, signerSerial: serial, text };
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.of(n);
  const bytes: number[] = [];
  for (let x = n; x > 0; x >>= 8) bytes.unshift(x & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function parse(der: Uint8Array): asn1js.AsnType {
  const r = asn1js.fromBER(new Uint8Array(der));
  if (r.offset === -1) throw new Error(`asn1js: ${r.result.error}`);
  return r.result;
}

const kids = (x: asn1js.AsnType): asn1js.AsnType[] => (x as asn1js.Sequence).valueBlock.value;
const octets = (x: asn1js.AsnType): Buffer => Buffer.from((x as asn1js.OctetString).valueBlock.valueHexView);
const oid = (x: asn1js.AsnType): string => (x as asn1js.ObjectIdentifier).valueBlock.toString();

/** The serial of an IssuerAndSerialNumber, upper-case hex without a leading sign byte. */
function serialOf(ias: asn1js.AsnType): string {
  return Buffer.from((kids(ias)[1] as asn1js.Integer).valueBlock.valueHexView).toString('hex').toUpperCase().replace(/^00(?=[89A-F])/, '');
}

export interface OpenedEnvelope {
  keyEncryptionOid: string;
  contentEncryptionOid: string;
  /** serial numbers (hex) of the recipient (rid) and, inside the key block, of the KDH (idKDH) */
  ridSerial: string;
  idKdhSerial: string;
  version: number;
  key: Buffer;
  header: string;
}

/**
 * Opens the EnvelopedData a TR-34 token carries (the eContent `opensslCmsVerify` returns): the
 * AWS X9_TR34_2012 form (EnvelopedData content octets without their SEQUENCE header, the [0]
 * ciphertext inside the content-encryption AlgorithmIdentifier) or a standard CMS EnvelopedData.
 */
export function openEnvelope(eContent: Buffer, krdKeyPem: string): OpenedEnvelope {
  const wrapped = eContent[0] === 0x30 ? eContent : Buffer.concat([Buffer.of(0x30), derLength(eContent.length), eContent]);
  const [, recipients, eci] = kids(parse(wrapped));
  const [, ridTlv, keyEncAlg, encryptedKey] = kids(kids(recipients!)[0]!);
  const eciParts = kids(eci!);
  const alg = kids(eciParts[1]!);
  const iv = octets(alg[1]!);
  const ctTlv = alg[2] ?? eciParts[2]!; // [0] inside the AlgorithmIdentifier (2012 layout) or after it (CMS)
  const ciphertext = Buffer.from((ctTlv as asn1js.Primitive).valueBlock.valueHexView);
  const contentEncryptionOid = oid(alg[0]!);
  const ephemeral = privateDecrypt({ key: readFileSync(krdKeyPem), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, octets(encryptedKey!));
  const cipher = contentEncryptionOid === '1.2.840.113549.3.7' ? 'des-ede3-cbc' : contentEncryptionOid === '2.16.840.1.101.3.4.1.2' ? 'aes-128-cbc' : undefined;
  if (cipher === undefined) throw new Error(`unexpected content encryption ${contentEncryptionOid}`);
  const d = createDecipheriv(cipher, ephemeral, iv);
  const plain = Buffer.concat([d.update(ciphertext), d.final()]); // PKCS#7 padding checked by node:crypto
  const [version, idKdh, key, hdr] = kids(parse(plain));
  return {
    keyEncryptionOid: oid(kids(keyEncAlg!)[0]!),
    contentEncryptionOid,
    ridSerial: serialOf(ridTlv!),
    idKdhSerial: serialOf(idKdh!),
    version: (version as asn1js.Integer).valueBlock.valueDec,
    key: octets(key!),
    header: octets(kids(kids(hdr!)[1]!)[0]!).toString('latin1'),
  };
}
