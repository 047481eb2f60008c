import {
  CreateKeyCommand,
  ExportKeyCommand,
  GetParametersForImportCommand,
  GetPublicKeyCertificateCommand,
  ImportKeyCommand,
  type PaymentCryptographyClient,
} from '@aws-sdk/client-payment-cryptography';
import { X509Certificate, createDecipheriv, createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emulator } from '../src/index.js';
import { importRoot } from './ecdh-sdk-kit.js';
import { failure, harness, type Harness } from './helpers.js';
import { LMK, tempDataDir } from './reliability-kit.js';
import { opensslFiles, pem } from './openssl-files.js';
import { createSymmetric, KEK_MODES } from './tr31-kit.js';

/**
 * Issue 11: the certificate of an ECC key is issued by a CA of that key's kind (an ECC CA per
 * curve), so its chain imports as a root of the same algorithm. The flow is AWS's ECDH sample
 * with APC on both sides (aws-samples key-import-export/key_exchange/import_export_ecdh.py and
 * utils/apc.py): each side creates a K3 key (DeriveKeyUsage K1) and calls GetPublicKeyCertificate;
 * the other side imports the KeyCertificateChain as RootCertificatePublicKey with KeyAlgorithm =
 * the CA's curve and passes the KeyCertificate as PublicKeyCertificate of ExportKey / ImportKey
 * DiffieHellmanTr31KeyBlock (NIST_SP800, SHA_256, SharedInformation 0123456789). The two sides
 * are two accounts of one emulator over HTTP. Certificates are checked with node:crypto and the
 * openssl CLI.
 */

const CURVES = [
  { alg: 'ECC_NIST_P256', node: 'prime256v1', sigalg: 'ecdsa-with-SHA256', derive: 'AES_128' },
  { alg: 'ECC_NIST_P384', node: 'secp384r1', sigalg: 'ecdsa-with-SHA384', derive: 'AES_192' },
  { alg: 'ECC_NIST_P521', node: 'secp521r1', sigalg: 'ecdsa-with-SHA512', derive: 'AES_256' },
] as const;
const KRD_ACCOUNT = '111122223333';
const KDH_ACCOUNT = '444455556666';

const x509 = (aws: string): X509Certificate => new X509Certificate(pem(aws));

const openssl = opensslFiles('paycrypt-ecc-ca-');
afterAll(() => openssl.cleanup());

/**
 * The SPKI of the private key inside a `G1:` blob (base64 of iv ‖ ciphertext ‖ tag, AES-256-GCM
 * under the LMK), decrypted with AES-256-CTR from counter block iv ‖ 00000002 (GCM's keystream):
 * shows what is sealed and under which key without the emulator's vault.
 */
function sealedSpki(lmk: Uint8Array, sealed: string): Buffer {
  expect(sealed.startsWith('G1:')).toBe(true);
  const raw = Buffer.from(sealed.slice(3), 'base64');
  const d = createDecipheriv('aes-256-ctr', lmk, Buffer.concat([raw.subarray(0, 12), Buffer.from([0, 0, 0, 2])]));
  const pkcs8 = Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]);
  return createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' });
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? allFiles(join(dir, n)) : [join(dir, n)]));
}

async function agreementKey(client: PaymentCryptographyClient, alg: string): Promise<{ arn: string; kcv: string; certificate: string; chain: string }> {
  const key = (
    await client.send(
      new CreateKeyCommand({
        Exportable: true,
        KeyAttributes: { KeyUsage: 'TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT', KeyClass: 'ASYMMETRIC_KEY_PAIR', KeyAlgorithm: alg as never, KeyModesOfUse: { DeriveKey: true } },
        DeriveKeyUsage: 'TR31_K1_KEY_BLOCK_PROTECTION_KEY',
      }),
    )
  ).Key!;
  const cert = await client.send(new GetPublicKeyCertificateCommand({ KeyIdentifier: key.KeyArn }));
  return { arn: key.KeyArn!, kcv: key.KeyCheckValue!, certificate: cert.KeyCertificate!, chain: cert.KeyCertificateChain! };
}

/** The leaf is the key's, signed by the chain, a self-signed CA on the same curve, all with the curve's ECDSA hash. */
function expectCertifiedByEccCa(k: { kcv: string; certificate: string; chain: string }, c: (typeof CURVES)[number]): void {
  const ca = x509(k.chain);
  const leaf = x509(k.certificate);
  expect(ca.ca).toBe(true);
  expect(ca.checkIssued(ca) && ca.verify(ca.publicKey)).toBe(true);
  expect(ca.publicKey.asymmetricKeyType).toBe('ec');
  expect(ca.publicKey.asymmetricKeyDetails?.namedCurve).toBe(c.node);
  expect(leaf.publicKey.asymmetricKeyDetails?.namedCurve).toBe(c.node);
  expect(leaf.checkIssued(ca)).toBe(true);
  expect(leaf.verify(ca.publicKey)).toBe(true);
  // the certified key is the key pair's (the emulator's ECC KCV: SHA-1 of the SPKI DER, NOTE in key-material.ts)
  expect(createHash('sha1').update(leaf.publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 8).toUpperCase()).toBe(k.kcv);
  const files = { 'ca.pem': pem(k.chain), 'leaf.pem': pem(k.certificate) };
  const verified = openssl.run(['verify', '-x509_strict', '-CAfile', 'ca.pem', 'leaf.pem'], files);
  if (verified !== undefined) expect(verified.trim()).toBe('leaf.pem: OK');
  for (const f of ['ca.pem', 'leaf.pem']) {
    const text = openssl.run(['x509', '-in', f, '-noout', '-text'], {});
    if (text !== undefined) expect(text).toContain(`Signature Algorithm: ${c.sigalg}`);
  }
}

describe('ECC CAs: the AWS ECDH sample between two accounts (SDK over HTTP)', () => {
  let h: Harness;
  let krd: PaymentCryptographyClient;
  let kdh: PaymentCryptographyClient;
  beforeAll(async () => {
    h = await harness('http');
    krd = h.clientFor('us-east-1', KRD_ACCOUNT);
    kdh = h.clientFor('us-east-1', KDH_ACCOUNT);
  });
  afterAll(() => h.close());

  it.each(CURVES)('$alg: chain verifies with node:crypto and openssl, imports as an $alg root, ECDH export → import agrees', async (c) => {
    const krdKey = await agreementKey(krd, c.alg);
    expectCertifiedByEccCa(krdKey, c);
    const kdhKey = await agreementKey(kdh, c.alg);
    expectCertifiedByEccCa(kdhKey, c);
    expect(kdhKey.chain).not.toBe(krdKey.chain); // one CA per account × region × curve

    // KDH side: trust the KRD chain as a root of the CA's curve, derive, export the transport key
    const krdRoot = await importRoot(kdh, krdKey.chain, c.alg);
    const transport = await createSymmetric(kdh, 'TR31_K1_KEY_BLOCK_PROTECTION_KEY', c.derive, KEK_MODES);
    const derivation = { DeriveKeyAlgorithm: c.derive, KeyDerivationFunction: 'NIST_SP800', KeyDerivationHashAlgorithm: 'SHA_256', DerivationData: { SharedInformation: '0123456789' } } as const;
    const exported = await kdh.send(
      new ExportKeyCommand({
        ExportKeyIdentifier: transport.arn,
        KeyMaterial: { DiffieHellmanTr31KeyBlock: { PrivateKeyIdentifier: kdhKey.arn, CertificateAuthorityPublicKeyIdentifier: krdRoot, PublicKeyCertificate: krdKey.certificate, ...derivation } },
      }),
    );
    // KRD side: trust the KDH chain, derive the same KBPK, import
    const kdhRoot = await importRoot(krd, kdhKey.chain, c.alg);
    const imported = await krd.send(
      new ImportKeyCommand({
        Enabled: true,
        KeyCheckValueAlgorithm: 'CMAC',
        KeyMaterial: {
          DiffieHellmanTr31KeyBlock: {
            PrivateKeyIdentifier: krdKey.arn,
            CertificateAuthorityPublicKeyIdentifier: kdhRoot,
            PublicKeyCertificate: kdhKey.certificate,
            WrappedKeyBlock: exported.WrappedKey!.KeyMaterial!,
            ...derivation,
          },
        },
      }),
    );
    expect(imported.Key!.KeyArn).toMatch(new RegExp(`:${KRD_ACCOUNT}:key/`));
    expect(imported.Key!.KeyCheckValue).toBe(transport.kcv);
    expect(imported.Key!.KeyAttributes!.KeyAlgorithm).toBe(c.derive);

    // a partner certificate of another account's CA does not pass as this root's
    const stranger = await agreementKey(h.clientFor('us-east-1', '777788889999'), c.alg);
    const e = await failure(() =>
      krd.send(
        new ImportKeyCommand({
          KeyMaterial: {
            DiffieHellmanTr31KeyBlock: {
              PrivateKeyIdentifier: krdKey.arn,
              CertificateAuthorityPublicKeyIdentifier: kdhRoot,
              PublicKeyCertificate: stranger.certificate,
              WrappedKeyBlock: exported.WrappedKey!.KeyMaterial!,
              ...derivation,
            },
          },
        }),
      ),
    );
    expect(e.name).toBe('ValidationException');
    expect(e.message).toMatch(/not signed by the certificate authority/);
  });

  it('an ECC chain does not import as a root of another curve; RSA keys keep the RSA-4096 CA of the tokens', async () => {
    const p256 = await agreementKey(krd, 'ECC_NIST_P256');
    const e = await failure(() => importRoot(krd, p256.chain, 'ECC_NIST_P384'));
    expect(e.name).toBe('ValidationException');
    expect(e.message).toMatch(/does not match the key of PublicKeyCertificate \(ECC_NIST_P256\)/);

    const rsa = (
      await krd.send(
        new CreateKeyCommand({
          Exportable: false,
          KeyAttributes: { KeyUsage: 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE', KeyClass: 'ASYMMETRIC_KEY_PAIR', KeyAlgorithm: 'RSA_3072', KeyModesOfUse: { Sign: true } },
        }),
      )
    ).Key!;
    const cert = await krd.send(new GetPublicKeyCertificateCommand({ KeyIdentifier: rsa.KeyArn }));
    const params = await krd.send(new GetParametersForImportCommand({ KeyMaterialType: 'KEY_CRYPTOGRAM', WrappingKeyAlgorithm: 'RSA_2048' }));
    expect(cert.KeyCertificateChain).toBe(params.WrappingKeyCertificateChain);
    const ca = x509(cert.KeyCertificateChain!);
    expect(ca.publicKey.asymmetricKeyDetails?.modulusLength).toBe(4096);
    expect(x509(cert.KeyCertificate!).verify(ca.publicKey)).toBe(true);
    const text = openssl.run(['x509', '-in', 'rsa.pem', '-noout', '-text'], { 'rsa.pem': pem(cert.KeyCertificate!) });
    if (text !== undefined) expect(text).toContain('Signature Algorithm: sha512WithRSAEncryption');
    expect(await importRoot(krd, cert.KeyCertificateChain!, 'RSA_4096')).toMatch(/:key\//);
  });

  it('concurrent first requests of one curve share one CA, and one key gets one certificate', async () => {
    const client = h.clientFor('us-east-1', '123412341234');
    const keys = await Promise.all([1, 2, 3].map(() => client.send(
      new CreateKeyCommand({
        Exportable: true,
        KeyAttributes: { KeyUsage: 'TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT', KeyClass: 'ASYMMETRIC_KEY_PAIR', KeyAlgorithm: 'ECC_NIST_P384', KeyModesOfUse: { DeriveKey: true } },
      }),
    )));
    const arns = keys.map((k) => k.Key!.KeyArn!);
    const out = await Promise.all([...arns, arns[0]!, arns[0]!].map((arn) => client.send(new GetPublicKeyCertificateCommand({ KeyIdentifier: arn }))));
    expect(new Set(out.map((o) => o.KeyCertificateChain)).size).toBe(1);
    expect(new Set(out.slice(3).map((o) => o.KeyCertificate)).size).toBe(1);
    expect(out[3]!.KeyCertificate).toBe(out[0]!.KeyCertificate);
    const cas = h.emulator.services.states.get('123412341234', 'us-east-1').emulatorCas;
    expect([...cas.keys()]).toEqual(['ECC_NIST_P384']);
    expect(cas.get('ECC_NIST_P384')!.certificate).toBe(out[0]!.KeyCertificateChain);
  });
});

describe('ECC CAs with --data-dir', () => {
  it('after a restart the same ECC CA certificate is served (cached and new certificates), from its sealed record', async () => {
    const dataDir = tempDataDir('ecc-ca');
    const em = await Emulator.open({ dataDir, lmk: LMK });
    const create = (e: Emulator, alg: string) =>
      e.call('CreateKey', {
        Exportable: true,
        KeyAttributes: { KeyUsage: 'TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT', KeyClass: 'ASYMMETRIC_KEY_PAIR', KeyAlgorithm: alg, KeyModesOfUse: { DeriveKey: true } },
      });
    const before: Record<string, { arn: string; certificate: string; chain: string }> = {};
    for (const { alg } of CURVES) {
      const arn = (await create(em, alg)).Key!.KeyArn!;
      const out = await em.call('GetPublicKeyCertificate', { KeyIdentifier: arn });
      before[alg] = { arn, certificate: out.KeyCertificate!, chain: out.KeyCertificateChain! };
    }
    await em.close();
    for (const f of allFiles(dataDir)) expect(readFileSync(f, 'utf8'), f).not.toMatch(/PRIVATE KEY/);

    const again = await Emulator.open({ dataDir, lmk: LMK });
    try {
      const state = again.services.states.get(KRD_ACCOUNT, 'us-east-1');
      expect([...state.emulatorCas.keys()].sort()).toEqual(CURVES.map((c) => c.alg).sort());
      for (const c of CURVES) {
        const record = state.emulatorCas.get(c.alg)!;
        expect(record.certificate).toBe(before[c.alg]!.chain);
        // loaded from disk: the CA's private key, sealed under the LMK, is the key of its certificate
        expect(sealedSpki(LMK, record.sealedPrivateKey)).toEqual(x509(record.certificate).publicKey.export({ type: 'spki', format: 'der' }));
        expect(() => sealedSpki(new Uint8Array(32), record.sealedPrivateKey)).toThrow();
        const cached = await again.call('GetPublicKeyCertificate', { KeyIdentifier: before[c.alg]!.arn });
        expect(cached).toEqual({ KeyCertificate: before[c.alg]!.certificate, KeyCertificateChain: before[c.alg]!.chain });
        // a key made after the restart is certified by the reloaded CA (its private key unsealed)
        const fresh = (await create(again, c.alg)).Key!;
        const out = await again.call('GetPublicKeyCertificate', { KeyIdentifier: fresh.KeyArn! });
        expect(out.KeyCertificateChain).toBe(before[c.alg]!.chain);
        expectCertifiedByEccCa({ kcv: fresh.KeyCheckValue!, certificate: out.KeyCertificate!, chain: out.KeyCertificateChain! }, c);
      }
    } finally {
      await again.close();
    }
  });

  it('a sealed CA private key opens only in its own record (account, region, algorithm, certificate)', async () => {
    const dataDir = tempDataDir('ecc-ca-bind');
    const em = await Emulator.open({ dataDir, lmk: LMK });
    for (const alg of ['ECC_NIST_P256', 'ECC_NIST_P384']) {
      const arn = (await em.call('CreateKey', { Exportable: true, KeyAttributes: { KeyUsage: 'TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT', KeyClass: 'ASYMMETRIC_KEY_PAIR', KeyAlgorithm: alg, KeyModesOfUse: { DeriveKey: true } } })).Key!.KeyArn!;
      await em.call('GetPublicKeyCertificate', { KeyIdentifier: arn });
    }
    const keys = [...em.services.states.get(KRD_ACCOUNT, 'us-east-1').keys.values()];
    await em.close();

    const swapped = await Emulator.open({ dataDir, lmk: LMK, log: () => undefined });
    try {
      const cas = swapped.services.states.get(KRD_ACCOUNT, 'us-east-1').emulatorCas;
      const p256 = cas.get('ECC_NIST_P256')!;
      const p384 = cas.get('ECC_NIST_P384')!;
      // the P-384 CA's blob in the P-256 record (the P-256 CA not opened yet after the restart)
      cas.set('ECC_NIST_P256', { ...p256, sealedPrivateKey: p384.sealedPrivateKey });
      const p256Key = keys.find((k) => k.keyAlgorithm === 'ECC_NIST_P256')!;
      // a new certificate is needed: the cached one is dropped from the key record
      const state = swapped.services.states.get(KRD_ACCOUNT, 'us-east-1');
      state.keys.set(p256Key.keyId, { ...state.keys.get(p256Key.keyId)!, certificate: undefined, certificateChain: undefined });
      await expect(swapped.call('GetPublicKeyCertificate', { KeyIdentifier: p256Key.keyArn })).rejects.toMatchObject({ status: 500 });
      expect(state.keys.get(p256Key.keyId)!.certificate).toBeUndefined(); // nothing was issued with it
      // the P-384 CA still opens in its own record
      const p384Key = keys.find((k) => k.keyAlgorithm === 'ECC_NIST_P384')!;
      expect((await swapped.call('GetPublicKeyCertificate', { KeyIdentifier: p384Key.keyArn })).KeyCertificateChain).toBe(p384.certificate);
    } finally {
      await swapped.close();
    }
  });
});
