import { CreateKeyCommand, ExportKeyCommand, GetKeyCommand } from '@aws-sdk/client-payment-cryptography';
import { parseTr31, unwrapTr31 } from '@paycrypt/keyblock';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { liveRecords } from './data-dir-kit.js';
import { describe, expect, it } from 'vitest';
import { Emulator } from '../src/index.js';
import { GcmKeyVault, VaultError } from '../src/vault/key-vault.js';
import { createKeyVault } from '../src/vault/vault-factory.js';
import { harness } from './helpers.js';
import { clearKeyOf, createSymmetric, KEK_MODES, nodeHmacKcv, nodeKcv } from './tr31-kit.js';

const LMK = new Uint8Array(Buffer.from('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F', 'hex'));

function sealedOf(em: Emulator, arn: string): string {
  return em.services.states.get(em.services.defaultAccountId, 'us-east-1').keys.get(arn.slice(arn.lastIndexOf('/') + 1))!.sealed!;
}

describe('key vault: TR-31 version D blocks under the LMK', () => {
  it('seals symmetric keys and key-pair private keys as D blocks (storage context) that open with @paycrypt/keyblock and the LMK', async () => {
    const h = await harness('in-process', { lmk: LMK });
    const cases = [
      ['TR31_K0_KEY_ENCRYPTION_KEY', 'AES_256', KEK_MODES, 'K0', 'A', (k: Uint8Array) => nodeKcv(k, 'AES', 'CMAC')],
      ['TR31_C0_CARD_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true, Verify: true }, 'C0', 'T', (k: Uint8Array) => nodeKcv(k, 'TDES', 'ANSI_X9_24')],
      ['TR31_M7_HMAC_KEY', 'HMAC_SHA256', { Generate: true }, 'M7', 'H', (k: Uint8Array) => nodeHmacKcv(k, 'sha256')],
    ] as const;
    for (const [usage, alg, modes, code, letter, kcvOf] of cases) {
      const key = await createSymmetric(h.client, usage, alg, modes, false);
      const sealed = sealedOf(h.emulator, key.arn);
      const header = parseTr31(sealed);
      expect([header.version, header.keyUsage, header.algorithm, header.exportability, header.keyContext]).toEqual(['D', code, letter, 'N', '1']);
      expect(kcvOf(unwrapTr31(LMK, sealed).key)).toBe(key.kcv);
    }
    // a key pair's private key (PKCS#8) is a D block too: usage S0/K3, algorithm R/E; it opens
    // under the LMK to a private key whose public half (node:crypto) is the key's public key
    const pairs = [
      ['TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE', 'RSA_2048', { Sign: true }, 'S0', 'R'],
      ['TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT', 'ECC_NIST_P384', { DeriveKey: true }, 'K3', 'E'],
    ] as const;
    for (const [KeyUsage, KeyAlgorithm, KeyModesOfUse, code, letter] of pairs) {
      const pair = (await h.client.send(new CreateKeyCommand({ Exportable: false, KeyAttributes: { KeyUsage, KeyClass: 'ASYMMETRIC_KEY_PAIR', KeyAlgorithm, KeyModesOfUse } }))).Key!;
      const sealed = sealedOf(h.emulator, pair.KeyArn!);
      const header = parseTr31(sealed);
      expect([header.version, header.keyUsage, header.algorithm, header.exportability, header.keyContext]).toEqual(['D', code, letter, 'N', '1']);
      const pkcs8 = Buffer.from(unwrapTr31(LMK, sealed).key);
      const spki = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' });
      const rec = h.emulator.services.states.get(h.emulator.services.defaultAccountId, 'us-east-1').keys.get(pair.KeyArn!.split('/')[1]!)!;
      expect(spki.toString('base64')).toBe(rec.publicKey);
      // the key size / curve is bound: the same blob does not open as another algorithm
      const binding = { keyUsage: KeyUsage, keyAlgorithm: KeyAlgorithm, keyClass: 'ASYMMETRIC_KEY_PAIR', exportable: false };
      expect(Buffer.from(h.emulator.services.vault.unseal(sealed, binding))).toEqual(pkcs8);
      const other = KeyAlgorithm === 'RSA_2048' ? 'RSA_3072' : 'ECC_NIST_P256';
      expect(() => h.emulator.services.vault.unseal(sealed, { ...binding, keyAlgorithm: other })).toThrow(VaultError);
      expect(() => h.emulator.services.vault.unseal(sealed, { ...binding, exportable: true })).toThrow(VaultError);
    }
    await h.close();
  });

  it('refuses a block re-attached to a key with other attributes, or opened under another LMK', () => {
    const vault = createKeyVault(LMK);
    const key = new Uint8Array(16).fill(0x5a);
    const binding = { keyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', keyAlgorithm: 'TDES_2KEY', keyClass: 'SYMMETRIC_KEY', exportable: true };
    const sealed = vault.seal(key, binding);
    expect(vault.unseal(sealed, binding)).toEqual(key);
    expect(() => vault.unseal(sealed, { ...binding, keyUsage: 'TR31_P0_PIN_ENCRYPTION_KEY' })).toThrow(VaultError);
    expect(() => vault.unseal(sealed, { ...binding, exportable: false })).toThrow(VaultError);
    expect(() => vault.unseal(sealed, { ...binding, keyAlgorithm: 'AES_128' })).toThrow(VaultError);
    expect(() => vault.unseal(sealed, { ...binding, keyAlgorithm: 'TDES_3KEY' })).toThrow(VaultError); // same family, other length
    expect(() => createKeyVault(new Uint8Array(32)).unseal(sealed, binding)).toThrow(VaultError);
  });

  it('keeps its own copy of the LMK: a caller that wipes its Buffer afterwards does not change what keys are sealed under', () => {
    const binding = { keyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', keyAlgorithm: 'TDES_2KEY', keyClass: 'SYMMETRIC_KEY', exportable: true };
    const key = new Uint8Array(16).fill(0x3c);
    for (const make of [createKeyVault, (l: Uint8Array) => new GcmKeyVault(l)]) {
      const buf = Buffer.from(LMK);
      const vault = make(buf);
      buf.fill(0);
      const sealed = vault.seal(key, binding);
      expect(make(LMK).unseal(sealed, binding)).toEqual(key);
    }
  });

  it('a data directory written with the earlier G1: (AES-GCM) blobs stays readable, and exports', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'paycrypt-vault-')), 'data');
    // the earlier vault, put in place of the current one (services is a plain object)
    const old = await Emulator.open({ dataDir, lmk: LMK });
    (old.services as { vault: unknown }).vault = new GcmKeyVault(LMK);
    const h1 = await harness('in-process', {}, old);
    const kek = await createSymmetric(h1.client, 'TR31_K0_KEY_ENCRYPTION_KEY', 'AES_256', KEK_MODES);
    const cvk = await createSymmetric(h1.client, 'TR31_C0_CARD_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true, Verify: true });
    const kekClear = clearKeyOf(h1.emulator, kek.arn);
    await h1.close();
    // both key records hold G1: blobs
    expect([...liveRecords(dataDir, 'key').values()].map((v) => String(v.sealed).slice(0, 3))).toEqual(['G1:', 'G1:']);

    const h2 = await harness('in-process', {}, await Emulator.open({ dataDir, lmk: LMK }));
    expect(h2.emulator.services.vault.format).toBe('tr31-d');
    expect((await h2.client.send(new GetKeyCommand({ KeyIdentifier: cvk.arn }))).Key!.KeyCheckValue).toBe(cvk.kcv);
    const block = (await h2.client.send(new ExportKeyCommand({ ExportKeyIdentifier: cvk.arn, KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kek.arn } } })))
      .WrappedKey!.KeyMaterial!;
    expect(nodeKcv(unwrapTr31(kekClear, block).key, 'TDES', 'ANSI_X9_24')).toBe(cvk.kcv);
    // new keys in the same store are TR-31 blocks
    const fresh = await createSymmetric(h2.client, 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', 'AES_128', KEK_MODES);
    expect(sealedOf(h2.emulator, fresh.arn)[0]).toBe('D');
    await h2.close();
  });
});
