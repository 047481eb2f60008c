import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { parseTr31 } from '@paycrypt/keyblock';
import { describe, expect, it } from 'vitest';
import { Emulator } from '../src/index.js';
import { sealBinding } from '../src/keys/key-access.js';
import { KEY_ARN_BLOCK_ID } from '../src/vault/tr31-vault.js';
import { entryLine, liveRecords, rewriteJournal } from './data-dir-kit.js';
import { LMK, tempDataDir } from './reliability-kit.js';

/**
 * Issue 11 item 5: the seal binds the key's ARN, and the KCV of what is unsealed is checked
 * against the record: a sealed block copied into another key's file is refused, never served.
 */
const CVK = {
  Exportable: true,
  KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } },
};
const CVV2 = (KeyIdentifier: string) => ({ KeyIdentifier, PrimaryAccountNumber: '4111111111111111', GenerationAttributes: { CardVerificationValue2: { CardExpiryDate: '1228' } } });

describe('reliability: a substituted key block is refused (issue 11 item 5)', () => {
  it('new seals carry the ARN; a block copied into another key of the same attributes does not open, with a logged ValidationException', async () => {
    const dataDir = tempDataDir('subst');
    const em = await Emulator.open({ dataDir, lmk: LMK, log: () => undefined });
    const a = (await em.call('CreateKey', CVK)).Key!;
    const b = (await em.call('CreateKey', CVK)).Key!;
    const cvvB = (await em.call('GenerateCardValidationData', CVV2(b.KeyArn!))).ValidationData;
    await em.close();
    const id = (arn: string) => arn.split('/')[1]!;
    const recA = liveRecords(dataDir, 'key').get(id(a.KeyArn!))! as { sealed: string };
    expect(parseTr31(recA.sealed).optionalBlocks.find((x) => x.id === KEY_ARN_BLOCK_ID)?.data).toBe(a.KeyArn);
    // B's record with A's sealed block (a well-formed entry: its checksum is right)
    rewriteJournal(dataDir, (lines, live) => lines.map((l, i) => (live[i]!.id === id(b.KeyArn!) ? entryLine({ ...live[i]!, v: { ...live[i]!.v, sealed: recA.sealed } }) : l)));

    const lines: string[] = [];
    const again = await Emulator.open({ dataDir, lmk: LMK, log: (l) => lines.push(l) });
    try {
      expect((await again.call('GetKey', { KeyIdentifier: b.KeyArn })).Key!.KeyCheckValue).toBe(b.KeyCheckValue);
      const e = await again.call('GenerateCardValidationData', CVV2(b.KeyArn!)).catch((x: unknown) => x);
      expect(e).toMatchObject({ awsName: 'ValidationException', message: expect.stringMatching(/integrity check/) });
      await expect(again.call('ExportKey', { ExportKeyIdentifier: b.KeyArn, KeyMaterial: { KeyCryptogram: { CertificateAuthorityPublicKeyIdentifier: a.KeyArn, WrappingKeyCertificate: 'x' } } })).rejects.toBeDefined();
      expect(lines.filter((l) => l.includes(`refused key ${b.KeyArn}`)).length).toBeGreaterThan(0);
      expect(lines.filter((l) => l.includes('quarantined'))).toEqual([]);
      for (const l of lines) expect(l).not.toContain(recA.sealed);
      // key A is untouched
      expect((await again.call('GenerateCardValidationData', CVV2(a.KeyArn!))).ValidationData).toMatch(/^\d{3}$/);
    } finally {
      await again.close();
    }
    expect(cvvB).toMatch(/^\d{3}$/);
  });

  it('a block sealed before the ARN was bound (no ARN block, like data-dir-v1) is checked by its KCV', async () => {
    const em = Emulator.inMemory({ log: () => undefined });
    const b = (await em.call('CreateKey', CVK)).Key!;
    const state = em.services.states.get('111122223333', 'us-east-1');
    const rec = state.keys.get(b.KeyArn!.split('/')[1]!)!;
    const { keyArn: _arn, ...legacy } = sealBinding(rec);
    // another key's material, sealed the old way (attributes only): opens, but its KCV is not B's
    state.keys.set(rec.keyId, { ...rec, sealed: em.services.vault.seal(new Uint8Array(16).fill(0x2c), legacy) });
    await expect(em.call('GenerateCardValidationData', CVV2(b.KeyArn!))).rejects.toMatchObject({ awsName: 'ValidationException' });
    // B's own material sealed the old way still works
    const own = (await em.call('CreateKey', CVK)).Key!;
    const ownRec = state.keys.get(own.KeyArn!.split('/')[1]!)!;
    const cvv = (await em.call('GenerateCardValidationData', CVV2(own.KeyArn!))).ValidationData;
    await em.close();
    expect(cvv).toMatch(/^\d{3}$/);
    expect(ownRec.sealed).toBeDefined();
  });

  it('the data-dir-v1 fixture (blocks without the ARN) still loads and its keys still work', async () => {
    const lmk = new Uint8Array(Buffer.from('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F', 'hex'));
    const dataDir = tempDataDir('v1');
    cpSync(new URL('./fixtures/data-dir-v1', import.meta.url).pathname, dataDir, { recursive: true });
    const lines: string[] = [];
    const em = await Emulator.open({ dataDir, lmk, log: (l) => lines.push(l) });
    try {
      const key = (await em.call('CreateKey', CVK)).Key!;
      const exported = await em.call('ExportKey', { ExportKeyIdentifier: key.KeyArn, KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: 'alias/fixture-kek' } } });
      expect(exported.WrappedKey!.KeyMaterial).toMatch(/^D/);
      const csr = await em.call('GetCertificateSigningRequest', {
        KeyIdentifier: 'arn:aws:payment-cryptography:us-east-1:111122223333:key/6yf6s6g2uby6egcm',
        SigningAlgorithm: 'SHA256',
        CertificateSubject: { CommonName: 'fixture' },
      }).catch((e: unknown) => e);
      // a K3 key-agreement key may not sign a CSR; what matters is that it is not refused as substituted
      expect(String((csr as Error).message ?? '')).not.toMatch(/integrity check/);
      // the only line: the migration to format 2 (the fixture is a format-1 directory)
      expect(lines).toEqual([expect.stringMatching(/migrated to data directory format 2; the format-1 files are kept in migrated-format-1\//)]);
    } finally {
      await em.close();
    }
  });
});
