import {
  ExportKeyCommand,
  GetKeyCommand,
  ImportKeyCommand,
  type ImportDiffieHellmanTr31KeyBlock,
  type KeyBlockHeaders,
} from '@aws-sdk/client-payment-cryptography';
import { MAC_FAILURE_MESSAGE, unwrapTr31, wrapTr31 } from '@paycrypt/keyblock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partnerKdf, partnerPki, partnerZ, withBadSignature, type Curve, type KdfHash, type KdfName, type PartnerPki } from './ecdh-kit.js';
import { AES128_KEY, AES256_KEY, createAgreementKey, importRoot, TDES_KEY, type AgreementKey } from './ecdh-sdk-kit.js';
import { ALL_MODES_FALSE, failure, harness, type Harness } from './helpers.js';
import { createSymmetric, hex, KEK_MODES, nodeKcv, toHex } from './tr31-kit.js';

const KEY_BYTES: Record<string, number> = { TDES_2KEY: 16, TDES_3KEY: 24, AES_128: 16, AES_192: 24, AES_256: 32 };
/** A well-formed block under an unrelated KBPK, for requests refused before any unwrapping. */
const NEVER_UNWRAPPED = wrapTr31(new Uint8Array(16).fill(7), 'D0000K0AB00E0000', hex(AES128_KEY));

type DhParams = Omit<ImportDiffieHellmanTr31KeyBlock, 'WrappedKeyBlock'>;

describe('DiffieHellmanTr31KeyBlock ImportKey / ExportKey through the SDK', () => {
  let h: Harness;
  let pki: PartnerPki;
  let rootArn: string;
  const keys = {} as Record<Curve, AgreementKey>;

  beforeAll(async () => {
    [h, pki] = await Promise.all([harness('in-process'), partnerPki()]);
    rootArn = await importRoot(h.client, pki.root.toAwsBase64());
    keys['P-256'] = await createAgreementKey(h.client, 'P-256', 'TR31_K1_KEY_BLOCK_PROTECTION_KEY');
    keys['P-384'] = await createAgreementKey(h.client, 'P-384', 'TR31_K0_KEY_ENCRYPTION_KEY');
    keys['P-521'] = await createAgreementKey(h.client, 'P-521', 'TR31_K1_KEY_BLOCK_PROTECTION_KEY');
  });
  afterAll(() => h.close());

  /** The ECDH parameters of the partner holding the `curve` leaf, with the emulator key of that curve. */
  const params = (curve: Curve, kdf: KdfName, hash: KdfHash, alg: string, info: string, over: Partial<DhParams> = {}): DhParams => ({
    PrivateKeyIdentifier: keys[curve].arn,
    CertificateAuthorityPublicKeyIdentifier: rootArn,
    PublicKeyCertificate: pki.leaves[curve].certificate,
    DeriveKeyAlgorithm: alg as never,
    KeyDerivationFunction: kdf,
    KeyDerivationHashAlgorithm: hash,
    DerivationData: { SharedInformation: info },
    ...over,
  });
  /** The KBPK as the partner derives it (node:crypto ECDH + the test's own KDF). */
  const partnerKbpk = (curve: Curve, kdf: KdfName, hash: KdfHash, alg: string, info: string): Buffer =>
    partnerKdf(kdf, hash, partnerZ(pki.leaves[curve].privateKey, keys[curve].publicKey), hex(info), KEY_BYTES[alg]!);

  const importDh = (p: DhParams, block: string, extra: object = {}) =>
    h.client.send(new ImportKeyCommand({ KeyMaterial: { DiffieHellmanTr31KeyBlock: { ...p, WrappedKeyBlock: block } }, ...extra }));
  const exportDh = (key: string, p: DhParams, KeyBlockHeaders?: KeyBlockHeaders) =>
    h.client.send(new ExportKeyCommand({ ExportKeyIdentifier: key, KeyMaterial: { DiffieHellmanTr31KeyBlock: { ...p, KeyBlockHeaders } } }));

  it('imports a block wrapped by @paycrypt/keyblock under the partner-derived KBPK (both KDFs, SHA-256/384/512, AES and TDES KBPKs)', async () => {
    const cases = [
      { curve: 'P-256', kdf: 'NIST_SP800', hash: 'SHA_256', alg: 'AES_256', header: 'D0000K1AB00E0000', key: AES128_KEY, kcv: '08793E', usage: 'TR31_K1_KEY_BLOCK_PROTECTION_KEY', keyAlg: 'AES_128', modes: KEK_MODES, exportable: true },
      { curve: 'P-384', kdf: 'ANSI_X963', hash: 'SHA_512', alg: 'TDES_3KEY', header: 'B0000P0TB00N0000', key: TDES_KEY, kcv: '08D7B4', usage: 'TR31_P0_PIN_ENCRYPTION_KEY', keyAlg: 'TDES_2KEY', modes: KEK_MODES, exportable: false },
      { curve: 'P-521', kdf: 'NIST_SP800', hash: 'SHA_384', alg: 'AES_256', header: 'D0000D0AD00S0000', key: AES256_KEY, kcv: '0A00E3', usage: 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', keyAlg: 'AES_256', modes: { Decrypt: true, Unwrap: true }, exportable: true },
    ] as const;
    for (const c of cases) {
      const info = toHex(new Uint8Array(Buffer.from(`partner|emulator|${c.curve}`)));
      const block = wrapTr31(partnerKbpk(c.curve, c.kdf, c.hash, c.alg, info), c.header, hex(c.key));
      const key = (await importDh(params(c.curve, c.kdf, c.hash, c.alg, info), block)).Key!;
      expect(key.KeyCheckValue).toBe(c.kcv);
      expect(key.KeyAttributes).toEqual({ KeyUsage: c.usage, KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: c.keyAlg, KeyModesOfUse: { ...ALL_MODES_FALSE, ...c.modes } });
      expect(key.KeyOrigin).toBe('EXTERNAL');
      expect(key.Exportable).toBe(c.exportable);
      expect(key.KeyState).toBe('CREATE_COMPLETE');
    }
  });

  it('exports a block that unwraps under the independently derived KBPK (AES KBPK → D, TDES KBPK → B, KeyBlockHeaders applied)', async () => {
    const aes = await createSymmetric(h.client, 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', 'AES_128', KEK_MODES);
    const info = 'A1B2C3D4E5F60718';
    const out = (await exportDh(aes.arn, params('P-256', 'ANSI_X963', 'SHA_256', 'AES_128', info))).WrappedKey!;
    expect(out.WrappedKeyMaterialFormat).toBe('TR31_KEY_BLOCK');
    expect(out.WrappingKeyArn).toBe(keys['P-256'].arn);
    expect(out.KeyCheckValue).toBe(aes.kcv);
    expect(out.KeyMaterial![0]).toBe('D');
    const a = unwrapTr31(partnerKbpk('P-256', 'ANSI_X963', 'SHA_256', 'AES_128', info), out.KeyMaterial!);
    expect([a.header.keyUsage, a.header.algorithm, a.header.modeOfUse, a.header.exportability]).toEqual(['D0', 'A', 'B', 'E']);
    expect(nodeKcv(a.key, 'AES', 'CMAC')).toBe(aes.kcv);

    const tdes = await createSymmetric(h.client, 'TR31_C0_CARD_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true, Verify: true });
    const out2 = (await exportDh(tdes.arn, params('P-384', 'NIST_SP800', 'SHA_384', 'TDES_2KEY', info), { KeyExportability: 'NON_EXPORTABLE', KeyVersion: '07' })).WrappedKey!;
    expect(out2.KeyMaterial![0]).toBe('B');
    const t = unwrapTr31(partnerKbpk('P-384', 'NIST_SP800', 'SHA_384', 'TDES_2KEY', info), out2.KeyMaterial!);
    expect([t.header.keyUsage, t.header.algorithm, t.header.modeOfUse, t.header.keyVersion, t.header.exportability]).toEqual(['C0', 'T', 'C', '07', 'N']);
    expect(nodeKcv(t.key, 'TDES', 'ANSI_X9_24')).toBe(tdes.kcv);
  });

  it('an ECDH export imports back through ECDH with the same parameters (same KBPK on both sides)', async () => {
    const k = await createSymmetric(h.client, 'TR31_K1_KEY_BLOCK_PROTECTION_KEY', 'AES_256', KEK_MODES);
    const p = params('P-521', 'ANSI_X963', 'SHA_512', 'AES_256', '00FF00FF');
    const block = (await exportDh(k.arn, p)).WrappedKey!.KeyMaterial!;
    const back = (await importDh(p, block)).Key!;
    expect(back.KeyArn).not.toBe(k.arn);
    expect(back.KeyCheckValue).toBe(k.kcv);
    const got = (await h.client.send(new GetKeyCommand({ KeyIdentifier: back.KeyArn! }))).Key!;
    expect(got.KeyAttributes!.KeyUsage).toBe('TR31_K1_KEY_BLOCK_PROTECTION_KEY');
  });

  it('ExportDukptInitialKey over ECDH: a BDK imported by ECDH exports the published IPEK as B1', async () => {
    // ANSI X9.24-1:2009 A.4 (test-vectors/dukpt.json): BDK 0123…3210, KSN FFFF9876543210E00000
    const info = '1234';
    const p = params('P-384', 'ANSI_X963', 'SHA_384', 'AES_192', info);
    const kbpk = partnerKbpk('P-384', 'ANSI_X963', 'SHA_384', 'AES_192', info);
    const bdk = (await importDh(p, wrapTr31(kbpk, 'D0000B0TX00E0000', hex(TDES_KEY)))).Key!;
    expect(bdk.KeyAttributes!.KeyUsage).toBe('TR31_B0_BASE_DERIVATION_KEY');
    const out = await h.client.send(
      new ExportKeyCommand({
        ExportKeyIdentifier: bdk.KeyArn!,
        KeyMaterial: { DiffieHellmanTr31KeyBlock: p },
        ExportAttributes: { ExportDukptInitialKey: { KeySerialNumber: 'FFFF9876543210E00000' } },
      }),
    );
    const { header, key } = unwrapTr31(kbpk, out.WrappedKey!.KeyMaterial!);
    expect([header.version, header.keyUsage, header.algorithm, header.modeOfUse, header.exportability]).toEqual(['D', 'B1', 'T', 'X', 'S']);
    expect(toHex(key)).toBe('6AC292FAA1315B4D858AB3A3D7D5933A');
    expect(out.WrappedKey!.KeyCheckValue).toBe(nodeKcv(key, 'TDES', 'ANSI_X9_24'));
  });

  it('a tampered block, a different SharedInformation or KDF all fail with the one opaque MAC message', async () => {
    const info = '0102030405060708';
    const block = wrapTr31(partnerKbpk('P-256', 'NIST_SP800', 'SHA_256', 'AES_128', info), 'D0000K0AB00E0000', hex(AES128_KEY));
    const flip = block.slice(0, -5) + (block.at(-5) === '0' ? '1' : '0') + block.slice(-4);
    const attempts = [
      importDh(params('P-256', 'NIST_SP800', 'SHA_256', 'AES_128', info), flip),
      importDh(params('P-256', 'NIST_SP800', 'SHA_256', 'AES_128', '0102030405060709'), block),
      importDh(params('P-256', 'ANSI_X963', 'SHA_256', 'AES_128', info), block),
      importDh(params('P-256', 'NIST_SP800', 'SHA_512', 'AES_128', info), block),
    ];
    for (const a of attempts) {
      const e = await failure(() => a);
      expect(e.name).toBe('ValidationException');
      expect(e.message).toBe(MAC_FAILURE_MESSAGE);
    }
    // and the genuine block still imports
    expect((await importDh(params('P-256', 'NIST_SP800', 'SHA_256', 'AES_128', info), block)).Key!.KeyCheckValue).toBe('08793E');
  });

  it('refuses a PrivateKeyIdentifier that is not a K3 ECC key with a KBPK DeriveKeyUsage', async () => {
    const block = NEVER_UNWRAPPED;
    const kek = await createSymmetric(h.client, 'TR31_K1_KEY_BLOCK_PROTECTION_KEY', 'AES_256', KEK_MODES);
    const pin = await createAgreementKey(h.client, 'P-256', 'TR31_P0_PIN_ENCRYPTION_KEY');
    const none = await createAgreementKey(h.client, 'P-256');
    const base = params('P-256', 'NIST_SP800', 'SHA_256', 'AES_128', '01');
    const e1 = await failure(() => importDh({ ...base, PrivateKeyIdentifier: kek.arn }, block));
    expect(e1.name).toBe('ValidationException');
    expect(e1.message).toMatch(/must be an ECC key pair with KeyUsage TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT/);
    const e2 = await failure(() => importDh({ ...base, PrivateKeyIdentifier: pin.arn }, block));
    expect(e2.message).toMatch(/DeriveKeyUsage TR31_P0_PIN_ENCRYPTION_KEY/);
    const e3 = await failure(() => exportDh(kek.arn, { ...base, PrivateKeyIdentifier: none.arn }));
    expect(e3.message).toMatch(/DeriveKeyUsage \(none\)/);
    const e4 = await failure(() => importDh({ ...base, DeriveKeyAlgorithm: 'HMAC_SHA256' }, block));
    expect(e4.message).toMatch(/DeriveKeyAlgorithm HMAC_SHA256 cannot protect/);
    const e5 = await failure(() => importDh({ ...base, CertificateAuthorityPublicKeyIdentifier: keys['P-256'].arn }, block));
    expect(e5.message).toMatch(/not an imported TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE certificate/);
    for (const e of [e2, e3, e4, e5]) expect(e.name).toBe('ValidationException');
  });

  it('refuses a partner certificate not signed by the CA, expired, on another curve, or malformed', async () => {
    const base = params('P-256', 'NIST_SP800', 'SHA_256', 'AES_128', '01');
    const block = NEVER_UNWRAPPED;
    const e1 = await failure(() => importDh({ ...base, PublicKeyCertificate: pki.stranger.certificate }, block));
    expect(e1.name).toBe('ValidationException');
    expect(e1.message).toMatch(/not signed by the certificate authority .*: its issuer is not the CA/);
    // same issuer name and authority key identifier, signature changed
    const e1b = await failure(() => importDh({ ...base, PublicKeyCertificate: withBadSignature(pki.leaves['P-256'].certificate) }, block));
    expect(e1b.message).toMatch(/its signature does not verify with the CA key/);
    const e2 = await failure(() => importDh({ ...base, PublicKeyCertificate: pki.expired.certificate }, block));
    expect(e2.message).toMatch(/PublicKeyCertificate has expired/);
    const e3 = await failure(() => importDh({ ...base, PublicKeyCertificate: pki.leaves['P-384'].certificate }, block));
    expect(e3.message).toMatch(/must hold an EC P-256 public key/);
    // the emulator's own certificate is signed by the emulator CA, not by the imported root
    const e4 = await failure(() => importDh({ ...base, PublicKeyCertificate: keys['P-256'].certificate }, block));
    expect(e4.message).toMatch(/not signed by the certificate authority/);
    const e5 = await failure(() => importDh({ ...base, PublicKeyCertificate: Buffer.from('not a certificate').toString('base64') }, block));
    expect(e5.message).toMatch(/PublicKeyCertificate is not a base64-encoded PEM certificate/);
    for (const e of [e1b, e2, e3, e4, e5]) expect(e.name).toBe('ValidationException');
  });

  it('applies the documented strength table: the ECC key and the derived KBPK must be at least as strong as the key', async () => {
    const aes256 = await createSymmetric(h.client, 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', 'AES_256', KEK_MODES);
    // ECC_NIST_P256 protects up to AES_128 (user guide keys-importexport table)
    const e1 = await failure(() => exportDh(aes256.arn, params('P-256', 'NIST_SP800', 'SHA_256', 'AES_256', '01')));
    expect(e1.name).toBe('ValidationException');
    expect(e1.message).toMatch(/\(ECC_NIST_P256\) is weaker than the key to export \(AES_256\)/);
    const e2 = await failure(() => exportDh(aes256.arn, params('P-521', 'NIST_SP800', 'SHA_256', 'AES_128', '01')));
    expect(e2.message).toMatch(/\(AES_128\) is weaker than the key to export \(AES_256\)/);
    // ECC_NIST_P384 protects AES_192, P521 AES_256
    const aes192 = await createSymmetric(h.client, 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', 'AES_192', KEK_MODES);
    expect((await exportDh(aes192.arn, params('P-384', 'NIST_SP800', 'SHA_256', 'AES_256', '01'))).WrappedKey!.KeyCheckValue).toBe(aes192.kcv);
    expect((await exportDh(aes256.arn, params('P-521', 'NIST_SP800', 'SHA_256', 'AES_256', '01'))).WrappedKey!.KeyCheckValue).toBe(aes256.kcv);
  });
});

describe('DiffieHellmanTr31KeyBlock over HTTP', () => {
  it('imports a partner-wrapped key through the HTTP transport', async () => {
    const [h, pki] = await Promise.all([harness('http'), partnerPki()]);
    try {
      const rootArn = await importRoot(h.client, pki.root.toAwsBase64());
      const k = await createAgreementKey(h.client, 'P-256', 'TR31_K1_KEY_BLOCK_PROTECTION_KEY');
      const info = 'C0FFEE';
      const kbpk = partnerKdf('ANSI_X963', 'SHA_384', partnerZ(pki.leaves['P-256'].privateKey, k.publicKey), hex(info), 16);
      const block = wrapTr31(kbpk, 'D0000K0AB00E0000', hex(AES128_KEY));
      const out = await h.client.send(
        new ImportKeyCommand({
          KeyMaterial: {
            DiffieHellmanTr31KeyBlock: {
              PrivateKeyIdentifier: k.arn,
              CertificateAuthorityPublicKeyIdentifier: rootArn,
              PublicKeyCertificate: pki.leaves['P-256'].certificate,
              DeriveKeyAlgorithm: 'AES_128',
              KeyDerivationFunction: 'ANSI_X963',
              KeyDerivationHashAlgorithm: 'SHA_384',
              DerivationData: { SharedInformation: info },
              WrappedKeyBlock: block,
            },
          },
        }),
      );
      expect(out.Key!.KeyCheckValue).toBe('08793E');
    } finally {
      await h.close();
    }
  });
});
