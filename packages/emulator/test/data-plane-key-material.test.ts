import { unwrapTr31, wrapTr31, MAC_FAILURE_MESSAGE } from '@paycrypt/keyblock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAwsError } from '../src/index.js';
import { handleRequest } from '../src/protocol/router.js';
import { boto3Calls, dataPlaneHarness, hasBoto3, kekByValue, type DataPlaneHarness } from './data-plane-kit.js';
import { ecdhSetup, publishedKcv, type EcdhSetup } from './data-plane-key-material-kit.js';
import { withBadSignature, type Curve, type KdfHash, type KdfName } from './ecdh-kit.js';
import { AES128_KEY, AES256_KEY, TDES_KEY } from './ecdh-sdk-kit.js';
import { clearKeyOf, createSymmetric, hex, KEK_MODES, nodeKcv, toHex } from './tr31-kit.js';

/**
 * TranslateKeyMaterial through boto3 (the foreign client): the partner wraps a key in a TR-31
 * block (@paycrypt/keyblock) under the KBPK it derives itself (node:crypto ECDH + the test's own
 * KDF, data-plane-key-material-kit.ts); the emulator re-wraps it under a stored KEK; the test opens
 * the outgoing block with the KEK's clear value and compares the key with the one sent and its
 * KCV with the published one (test-vectors/kcv.json) and node:crypto's.
 */

const INFO = toHex(new Uint8Array(Buffer.from('partner|emulator|translate')));

describe('TranslateKeyMaterial (ECDH-derived KBPK → stored KEK)', () => {
  let h: DataPlaneHarness;
  let s: EcdhSetup;
  let aes128Kek: { arn: string; clear: Uint8Array };
  let tdesKek: { arn: string; clear: Uint8Array };
  let aes256Kek: { arn: string; clear: Uint8Array };

  beforeAll(async () => {
    h = await dataPlaneHarness();
    s = await ecdhSetup(h, {
      'kbpk-P-256': ['P-256', 'TR31_K1_KEY_BLOCK_PROTECTION_KEY'],
      'kbpk-P-384': ['P-384', 'TR31_K0_KEY_ENCRYPTION_KEY'],
      'kbpk-P-521': ['P-521', 'TR31_K1_KEY_BLOCK_PROTECTION_KEY'],
      'pek-P-256': ['P-256', 'TR31_P0_PIN_ENCRYPTION_KEY'],
    });
    aes128Kek = await kekByValue(h.client);
    const tdes = await createSymmetric(h.client, 'TR31_K0_KEY_ENCRYPTION_KEY', 'TDES_3KEY', KEK_MODES);
    tdesKek = { arn: tdes.arn, clear: clearKeyOf(h.emulator, tdes.arn) };
    const a256 = await createSymmetric(h.client, 'TR31_K1_KEY_BLOCK_PROTECTION_KEY', 'AES_256', KEK_MODES);
    aes256Kek = { arn: a256.arn, clear: clearKeyOf(h.emulator, a256.arn) };
  }, 60_000);
  afterAll(() => h.close());

  interface Dh {
    name?: string;
    curve: Curve;
    kdf: KdfName;
    hash: KdfHash;
    alg: string;
    info?: string;
  }
  /** The incoming member for a block the partner wrapped with `header` and `key` under its KBPK. */
  const incoming = (d: Dh, header: string, key: string, over: Record<string, unknown> = {}) => {
    const name = d.name ?? `kbpk-${d.curve}`;
    const info = d.info ?? INFO;
    const kbpk = s.partnerKey(name, d.curve, d.kdf, d.hash, d.alg, info);
    return {
      PrivateKeyIdentifier: s.keys[name]!.arn,
      CertificateAuthorityPublicKeyIdentifier: s.rootArn,
      PublicKeyCertificate: s.pki.leaves[d.curve].certificate,
      DeriveKeyAlgorithm: d.alg,
      KeyDerivationFunction: d.kdf,
      KeyDerivationHashAlgorithm: d.hash,
      DerivationData: { SharedInformation: info },
      WrappedKeyBlock: wrapTr31(kbpk, header, hex(key)),
      ...over,
    };
  };
  const translate = (inc: Record<string, unknown>, kekArn: string, extra: Record<string, unknown> = {}) => ({
    op: 'translate_key_material',
    params: { IncomingKeyMaterial: { DiffieHellmanTr31KeyBlock: inc }, OutgoingKeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kekArn } }, ...extra },
  });

  it.runIf(hasBoto3())('re-wraps the partner key under the KEK: header kept, version D under AES / B under TDES, published KCVs (both KDFs, SHA-256/384/512)', async () => {
    const cases = [
      { dh: { curve: 'P-256', kdf: 'NIST_SP800', hash: 'SHA_256', alg: 'AES_128' }, header: 'D0000P0TB00E0000', key: TDES_KEY, kek: aes128Kek, version: 'D', fields: ['P0', 'T', 'B', '00', 'E'], kcv: publishedKcv(TDES_KEY, 'ANSI_X9_24'), extra: {} },
      { dh: { curve: 'P-384', kdf: 'ANSI_X963', hash: 'SHA_512', alg: 'TDES_3KEY' }, header: 'B0000D0TD07S0000', key: TDES_KEY, kek: tdesKek, version: 'B', fields: ['D0', 'T', 'D', '07', 'S'], kcv: nodeKcv(hex(TDES_KEY), 'TDES', 'CMAC'), extra: { KeyCheckValueAlgorithm: 'CMAC' } },
      { dh: { curve: 'P-521', kdf: 'NIST_SP800', hash: 'SHA_384', alg: 'AES_256' }, header: 'D0000K0AB00E0000', key: AES256_KEY, kek: aes256Kek, version: 'D', fields: ['K0', 'A', 'B', '00', 'E'], kcv: publishedKcv(AES256_KEY, 'CMAC'), extra: {} },
      { dh: { curve: 'P-521', kdf: 'ANSI_X963', hash: 'SHA_256', alg: 'AES_192' }, header: 'D0000M6AC00E0000', key: AES128_KEY, kek: aes128Kek, version: 'D', fields: ['M6', 'A', 'C', '00', 'E'], kcv: publishedKcv(AES128_KEY, 'CMAC'), extra: {} },
    ] as const;
    const res = await boto3Calls(h.endpoint, cases.map((c) => translate(incoming(c.dh as Dh, c.header, c.key), c.kek.arn, c.extra)));
    cases.forEach((c, i) => {
      const out = res[i]!.ok?.WrappedKey as Record<string, string> | undefined;
      expect(out, JSON.stringify(res[i])).toBeDefined();
      expect(out!.WrappedKeyMaterialFormat).toBe('TR31_KEY_BLOCK');
      expect(out!.KeyCheckValue).toBe(c.kcv);
      expect(out!.WrappedKeyMaterial![0]).toBe(c.version);
      const { header, key } = unwrapTr31(c.kek.clear, out!.WrappedKeyMaterial!);
      expect([header.keyUsage, header.algorithm, header.modeOfUse, header.keyVersion, header.exportability]).toEqual(c.fields);
      expect(toHex(key)).toBe(c.key);
      const family = c.fields[1] === 'T' ? 'TDES' : 'AES';
      expect(nodeKcv(key, family, family === 'TDES' ? 'ANSI_X9_24' : 'CMAC')).toBe(family === 'TDES' ? publishedKcv(c.key, 'ANSI_X9_24') : publishedKcv(c.key, 'CMAC'));
    });
  });

  it.runIf(hasBoto3())('refuses: N exportability, weak KEK, wrong CA, bad or foreign certificate, wrong usages, wrong shared information', async () => {
    const p256: Dh = { curve: 'P-256', kdf: 'NIST_SP800', hash: 'SHA_256', alg: 'AES_128' };
    const good = () => incoming(p256, 'D0000P0TB00E0000', TDES_KEY);
    const d0 = await createSymmetric(h.client, 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', 'AES_128', KEK_MODES);
    const unwrapOnly = await createSymmetric(h.client, 'TR31_K0_KEY_ENCRYPTION_KEY', 'AES_128', { Decrypt: true, Unwrap: true });
    const otherRoot = (await ecdhSetup(h, {})).rootArn;
    const cases: [string, ReturnType<typeof translate>, RegExp][] = [
      ['N exportability', translate(incoming(p256, 'D0000P0TB00N0000', TDES_KEY), aes128Kek.arn), /exportability N/],
      ['KEK weaker than the key', translate(incoming({ curve: 'P-521', kdf: 'NIST_SP800', hash: 'SHA_512', alg: 'AES_256' }, 'D0000D0AB00E0000', AES256_KEY), aes128Kek.arn), /weaker/],
      ['derived KBPK weaker than the key', translate(incoming({ curve: 'P-521', kdf: 'NIST_SP800', hash: 'SHA_512', alg: 'AES_128' }, 'D0000D0AB00E0000', AES256_KEY), aes256Kek.arn), /weaker/],
      ['P-256 agreement key weaker than AES-256', translate(incoming({ curve: 'P-256', kdf: 'NIST_SP800', hash: 'SHA_512', alg: 'AES_256' }, 'D0000D0AB00E0000', AES256_KEY), aes256Kek.arn), /weaker/],
      ['CA that did not sign the certificate', translate({ ...good(), CertificateAuthorityPublicKeyIdentifier: otherRoot }, aes128Kek.arn), /not signed by the certificate authority/],
      ['certificate of another PKI', translate({ ...good(), PublicKeyCertificate: s.pki.stranger.certificate }, aes128Kek.arn), /not signed by the certificate authority/],
      ['bad certificate signature', translate({ ...good(), PublicKeyCertificate: withBadSignature(s.pki.leaves['P-256'].certificate) }, aes128Kek.arn), /signature does not verify/],
      ['expired certificate', translate({ ...good(), PublicKeyCertificate: s.pki.expired.certificate }, aes128Kek.arn), /expired/],
      ['not a certificate', translate({ ...good(), PublicKeyCertificate: Buffer.from('not a certificate').toString('base64') }, aes128Kek.arn), /PublicKeyCertificate/],
      ['certificate on another curve', translate({ ...good(), PublicKeyCertificate: s.pki.leaves['P-384'].certificate }, aes128Kek.arn), /P-256/],
      ['outgoing key is a D0 key', translate(good(), d0.arn), /KeyUsage TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY is not allowed/],
      ['outgoing KEK without Wrap', translate(good(), unwrapOnly.arn), /KeyModesOfUse/],
      ['K3 key derives PEKs, not KBPKs', translate({ ...good(), PrivateKeyIdentifier: s.keys['pek-P-256']!.arn }, aes128Kek.arn), /DeriveKeyUsage TR31_P0_PIN_ENCRYPTION_KEY/],
      ['PrivateKeyIdentifier is not a K3 key', translate({ ...good(), PrivateKeyIdentifier: aes128Kek.arn }, aes128Kek.arn), /TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT/],
      ['HMAC DeriveKeyAlgorithm', translate({ ...good(), DeriveKeyAlgorithm: 'HMAC_SHA256' }, aes128Kek.arn), /cannot protect a TR-31 key block/],
      ['partner used other shared information', translate({ ...good(), DerivationData: { SharedInformation: 'ABCD' } }, aes128Kek.arn), new RegExp(MAC_FAILURE_MESSAGE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))],
      ['partner used the other KDF', translate({ ...good(), KeyDerivationFunction: 'ANSI_X963' }, aes128Kek.arn), /MAC/],
      ['version B block under an AES KBPK', translate({ ...good(), WrappedKeyBlock: wrapTr31(new Uint8Array(16), 'B0000P0TB00E0000', hex(TDES_KEY)) }, aes128Kek.arn), /needs a TDES wrapping key/],
      ['HMAC KCV for a TDES key', translate(good(), aes128Kek.arn, { KeyCheckValueAlgorithm: 'HMAC' }), /KeyCheckValueAlgorithm HMAC/],
      ['unknown KEK', translate(good(), 'arn:aws:payment-cryptography:us-east-1:111122223333:key/abcdefabcdefabcd'), /./],
    ];
    const res = await boto3Calls(h.endpoint, cases.map((c) => c[1]));
    cases.forEach(([what, , message], i) => {
      const r = res[i]!;
      expect(r.error, `${what}: ${JSON.stringify(r)}`).toBeDefined();
      const expected = what === 'unknown KEK' ? 'ResourceNotFoundException' : 'ValidationException';
      expect([r.error!.code, r.error!.status], what).toEqual([expected, expected === 'ValidationException' ? 400 : 404]);
      expect(r.error!.message, what).toMatch(message);
      expect(r.error!.message, what).not.toContain(TDES_KEY);
    });
  });

  it.runIf(hasBoto3())('shared information: boto3 refuses an empty one client-side; the emulator refuses it too; 00 octets inside are accepted (NOTE)', async () => {
    const p: Dh = { curve: 'P-256', kdf: 'ANSI_X963', hash: 'SHA_384', alg: 'AES_128', info: '00FF0000' };
    const [empty, zeros] = await boto3Calls(h.endpoint, [
      translate({ ...incoming(p, 'D0000P0TB00E0000', TDES_KEY), DerivationData: { SharedInformation: '' } }, aes128Kek.arn),
      translate(incoming(p, 'D0000P0TB00E0000', TDES_KEY), aes128Kek.arn),
    ]);
    expect(empty!.clientValidation).toMatch(/SharedInformation/);
    expect((zeros!.ok?.WrappedKey as Record<string, string>).KeyCheckValue).toBe(publishedKcv(TDES_KEY, 'ANSI_X9_24'));
    const err = await h.emulator
      .call('TranslateKeyMaterial', {
        IncomingKeyMaterial: { DiffieHellmanTr31KeyBlock: { ...incoming(p, 'D0000P0TB00E0000', TDES_KEY), DerivationData: { SharedInformation: '' } } },
        OutgoingKeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: aes128Kek.arn } },
      })
      .catch((e: unknown) => e);
    expect(isAwsError(err) && err.name).toBe('ValidationException');
  });

  it('through the core (emulator.call) and the raw restJson route POST /keymaterial/translate', async () => {
    const dh: Dh = { curve: 'P-384', kdf: 'NIST_SP800', hash: 'SHA_256', alg: 'AES_192' };
    const out = await h.emulator.call('TranslateKeyMaterial', {
      IncomingKeyMaterial: { DiffieHellmanTr31KeyBlock: incoming(dh, 'D0000P0AE00E0000', AES128_KEY) },
      OutgoingKeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: aes256Kek.arn } },
    });
    expect(out.WrappedKey.KeyCheckValue).toBe(publishedKcv(AES128_KEY, 'CMAC'));
    const { header, key } = unwrapTr31(aes256Kek.clear, out.WrappedKey.WrappedKeyMaterial);
    expect([header.keyUsage, header.modeOfUse, toHex(key)]).toEqual(['P0', 'E', AES128_KEY]);

    const res = await handleRequest(h.emulator, {
      method: 'POST',
      path: '/keymaterial/translate',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        IncomingKeyMaterial: { DiffieHellmanTr31KeyBlock: incoming(dh, 'D0000K1TB00E0000', TDES_KEY) },
        OutgoingKeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: tdesKek.arn } },
        KeyCheckValueAlgorithm: 'ANSI_X9_24',
      }),
    });
    expect(res.status, res.body).toBe(200);
    const body = JSON.parse(res.body) as { WrappedKey: { WrappedKeyMaterial: string; KeyCheckValue: string; WrappedKeyMaterialFormat: string } };
    expect(body.WrappedKey.KeyCheckValue).toBe(publishedKcv(TDES_KEY, 'ANSI_X9_24'));
    expect(body.WrappedKey.WrappedKeyMaterial[0]).toBe('B');
    expect(toHex(unwrapTr31(tdesKek.clear, body.WrappedKey.WrappedKeyMaterial).key)).toBe(TDES_KEY);

    const bad = await handleRequest(h.emulator, {
      method: 'POST',
      path: '/keymaterial/translate',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ IncomingKeyMaterial: { DiffieHellmanTr31KeyBlock: incoming(dh, 'D0000K1TB00N0000', TDES_KEY) }, OutgoingKeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: tdesKek.arn } } }),
    });
    expect(bad.status).toBe(400);
    expect(bad.headers['x-amzn-errortype']).toBe('ValidationException');
  });
});
