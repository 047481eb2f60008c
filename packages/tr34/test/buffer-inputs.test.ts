import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '@paycrypt/primitives';
import { Certificate, RsaPrivateKey, RsaPublicKey, buildTr34KeyBlock, inspectTr34KeyBlock, openTr34KeyBlock, pemToDer } from '../src/index.js';
import { ASC, ASC_VALID_AT, TR34, party } from './fixtures.js';

/**
 * Node Buffers are Uint8Arrays whose slice() is a view, not a copy. Inputs given as Buffers must
 * be copied: a caller that wipes or reuses its buffer afterwards must not change a parsed key or
 * certificate, and the package must not wipe a caller's buffer.
 */
describe('Node Buffer inputs are copied, never aliased or wiped', () => {
  it('RsaPrivateKey.fromPkcs8(Buffer): the key still signs after the caller wipes its buffer (node:crypto verifies)', async () => {
    const pem = ASC.keys.kdh_1.private_key_pem;
    const buf = Buffer.from(pemToDer(pem, 'PRIVATE KEY'));
    const key = RsaPrivateKey.fromPkcs8(buf);
    buf.fill(0);
    const data = new TextEncoder().encode('paycrypt');
    const sig = await key.sign('SHA-256', data);
    const pub = createPublicKey({ key: Buffer.from(key.publicKey.spki), format: 'der', type: 'spki' });
    expect(verify('sha256', data, pub, Buffer.from(sig))).toBe(true);
    expect(bytesToHex(key.exportPkcs8())).toBe(bytesToHex(pemToDer(pem, 'PRIVATE KEY')));
  });

  it('Certificate.parse(Buffer) and RsaPublicKey.fromSpki(Buffer) keep their own bytes', () => {
    const der = Certificate.parse(ASC.keys.krd_1.cert_pem).der;
    const buf = Buffer.from(der);
    const cert = Certificate.parse(buf);
    const spkiBuf = Buffer.from(cert.publicKey.spki);
    const pub = RsaPublicKey.fromSpki(spkiBuf);
    buf.fill(0);
    spkiBuf.fill(0);
    expect(bytesToHex(cert.der)).toBe(bytesToHex(der));
    expect(cert.subject).toBe(ASC.keys.krd_1.subject);
    expect(bytesToHex(cert.issuerAndSerialNumber)).toBe(ASC.items.ias_krd_1!.der_hex);
    expect(pub.equals(cert.publicKey)).toBe(true);
    expect(pub.bits).toBe(2048);
  });

  it('build with Buffer fixed randomness reproduces the vector and leaves the caller’s ephemeral key intact', async () => {
    const v = TR34.aws_tr34_2012_vectors.vectors[0]!;
    const kdh = party(v.kdh_signing_key_ref);
    const krd = party(v.krd_wrapping_key_ref);
    const given = { ephemeralKey: v.inputs.ephemeral_key, iv: v.inputs.iv, oaepSeed: v.inputs.oaep_seed, key: v.inputs.clear_key, nonce: v.inputs.random_nonce! };
    const b = Object.fromEntries(Object.entries(given).map(([k, hex]) => [k, Buffer.from(hex, 'hex')])) as Record<keyof typeof given, Buffer>;
    const built = await buildTr34KeyBlock({
      kdhCertificate: kdh.certificate,
      kdhPrivateKey: kdh.privateKey,
      krdCertificate: krd.certificate,
      key: b.key,
      header: v.inputs.header_ascii,
      nonce: b.nonce,
      fixed: { ephemeralKey: b.ephemeralKey, iv: b.iv, oaepSeed: b.oaepSeed },
    });
    expect(built.hex).toBe(v.expected.wrapped_key_block_hex);
    for (const [k, hex] of Object.entries(given)) expect(b[k as keyof typeof given].toString('hex').toUpperCase(), k).toBe(hex);
  });

  it('open / inspect of a Buffer token: the returned nonce and identities are copies', async () => {
    const v = TR34.aws_tr34_2012_vectors.vectors[0]!;
    const kdh = party(v.kdh_signing_key_ref);
    const krd = party(v.krd_wrapping_key_ref);
    const token = Buffer.from(v.expected.wrapped_key_block_hex, 'hex');
    const info = inspectTr34KeyBlock(token);
    const opened = await openTr34KeyBlock(token, {
      krdPrivateKey: krd.privateKey,
      krdCertificate: krd.certificate,
      kdhCertificate: kdh.certificate,
      trustAnchors: [Certificate.parse(ASC.keys.root.cert_pem)],
      intermediates: [Certificate.parse(ASC.keys.ca_kdh.cert_pem)],
      expectedNonce: hexToBytes(v.inputs.random_nonce!),
      at: ASC_VALID_AT,
    });
    token.fill(0);
    expect(bytesToHex(opened.nonce!)).toBe(v.inputs.random_nonce);
    expect(bytesToHex(info.nonce!)).toBe(v.inputs.random_nonce);
    expect(bytesToHex(info.kdhIssuerAndSerialNumber)).toBe(v.expected.kdh_issuer_and_serial);
    expect(bytesToHex(opened.key)).toBe(v.inputs.clear_key);
  });
});
