import { wrapTr31 } from '@paycrypt/keyblock';
import { describe, expect, it } from 'vitest';
import { Emulator } from '../src/index.js';
import { AES128_KEY } from './ecdh-sdk-kit.js';
import { LMK, openFaulty, snapshot, tempDataDir } from './reliability-kit.js';
import { clearKeyOf, hex, KEK_MODES, nodeKcv } from './tr31-kit.js';

/**
 * Issue 11: the import/export state (emulator CAs, import/export tokens, the certificates cached
 * by GetPublicKeyCertificate) and a TR-31 import with replication are written through commit():
 * a failed write answers 500 and leaves no visible change — a token that was not stored is not
 * usable, a CA that was not stored issues nothing — and memory equals what a restart loads.
 * Writes fail on demand through the fault-injecting store of reliability-kit.ts.
 */

const DAY = 86_400_000;
const ACCOUNT = '111122223333';
const IMPORT_2048 = { KeyMaterialType: 'KEY_CRYPTOGRAM', WrappingKeyAlgorithm: 'RSA_2048' };
const P256_K3 = {
  Exportable: true,
  KeyAttributes: { KeyUsage: 'TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT', KeyClass: 'ASYMMETRIC_KEY_PAIR', KeyAlgorithm: 'ECC_NIST_P256', KeyModesOfUse: { DeriveKey: true } },
  DeriveKeyUsage: 'TR31_K1_KEY_BLOCK_PROTECTION_KEY',
};
const INTERNAL = { awsName: 'InternalServerException', status: 500 };

/** Keys, aliases and settings (reliability-kit) plus the import/export state: CAs and tokens per region. */
function fullSnapshot(em: Emulator): Record<string, unknown> {
  const ie: Record<string, unknown> = {};
  for (const s of em.services.states.all()) {
    if (s.emulatorCas.size === 0 && s.tokens.size === 0) continue;
    ie[`${s.accountId}/${s.region}`] = {
      cas: Object.fromEntries([...s.emulatorCas].sort(([a], [b]) => (a < b ? -1 : 1)).map(([alg, r]) => [alg, r.certificate])),
      tokens: [...s.tokens.keys()].sort(),
    };
  }
  return { records: snapshot(em), ie };
}

async function open(dataDir: string, clock: () => number) {
  const o = await openFaulty(dataDir, { clock });
  const attempted: string[] = [];
  const save = o.store.saveToken;
  o.store.saveToken = (s, t) => {
    attempted.push(t.token);
    return save(s, t);
  };
  return { ...o, attempted };
}

/** memory = what a restart loads */
async function expectRestartEquals(dataDir: string, clock: () => number, expected: Record<string, unknown>): Promise<void> {
  const reopened = await Emulator.open({ dataDir, lmk: LMK, clock, log: () => undefined });
  try {
    expect(fullSnapshot(reopened)).toEqual(expected);
  } finally {
    await reopened.close();
  }
}

function expectOneLine(lines: string[], op: string, what: RegExp): void {
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`${op} .*could not write ${what.source}.*EROFS`));
  expect(lines[0]).not.toMatch(/G1:|PRIVATE KEY/);
}

describe('emulator CAs and cached key certificates: a failed write changes nothing', () => {
  it('the ECC CA write fails: 500, no CA, no certificate; after healing the stored CA is the one served', async () => {
    const dataDir = tempDataDir('ie-ca');
    const now = Date.parse('2026-06-01T00:00:00Z');
    const { em, store, lines } = await open(dataDir, () => now);
    try {
      const arn = (await em.call('CreateKey', P256_K3)).Key!.KeyArn!;
      const before = fullSnapshot(em);
      store.failAfter(0);
      await expect(em.call('GetPublicKeyCertificate', { KeyIdentifier: arn })).rejects.toMatchObject(INTERNAL);
      expect(fullSnapshot(em)).toEqual(before);
      expect(em.services.states.get(ACCOUNT, 'us-east-1').emulatorCas.size).toBe(0);
      expectOneLine(lines, 'GetPublicKeyCertificate', /emulator CA ECC_NIST_P256 /);
      await expectRestartEquals(dataDir, () => now, before);

      store.heal();
      const out = await em.call('GetPublicKeyCertificate', { KeyIdentifier: arn });
      expect(out.KeyCertificateChain).toBe(em.services.states.get(ACCOUNT, 'us-east-1').emulatorCas.get('ECC_NIST_P256')!.certificate);
      await expectRestartEquals(dataDir, () => now, fullSnapshot(em));
    } finally {
      await em.close();
    }
  });

  it('the key-certificate write fails after the CA was stored: the key keeps no certificate; the stored CA is reused', async () => {
    const dataDir = tempDataDir('ie-keycert');
    const now = Date.parse('2026-06-01T00:00:00Z');
    const { em, store, lines } = await open(dataDir, () => now);
    try {
      const arn = (await em.call('CreateKey', P256_K3)).Key!.KeyArn!;
      store.failAfter(1, true); // write 0 = the CA (its own commit), write 1 = the key's certificate
      await expect(em.call('GetPublicKeyCertificate', { KeyIdentifier: arn })).rejects.toMatchObject(INTERNAL);
      expectOneLine(lines, 'GetPublicKeyCertificate', /key arn:/);
      const state = em.services.states.get(ACCOUNT, 'us-east-1');
      const key = state.keys.get(arn.split('/')[1]!)!;
      expect(key.certificate).toBeUndefined();
      expect(key.certificateChain).toBeUndefined();
      const ca = state.emulatorCas.get('ECC_NIST_P256')!.certificate;
      await expectRestartEquals(dataDir, () => now, fullSnapshot(em));

      const out = await em.call('GetPublicKeyCertificate', { KeyIdentifier: arn });
      expect(out.KeyCertificateChain).toBe(ca);
      expect(state.keys.get(key.keyId)!.certificate).toBe(out.KeyCertificate);
      await expectRestartEquals(dataDir, () => now, fullSnapshot(em));
    } finally {
      await em.close();
    }
  });
});

describe('import/export tokens: a failed write changes nothing', () => {
  it('the token write fails: 500; the token that was not stored is unknown, and ReuseLastGeneratedToken never answers it', async () => {
    const dataDir = tempDataDir('ie-token');
    const now = Date.parse('2026-06-01T00:00:00Z');
    const { em, store, lines, attempted } = await open(dataDir, () => now);
    try {
      const first = await em.call('GetParametersForImport', IMPORT_2048);
      const before = fullSnapshot(em);
      store.failAfter(0);
      await expect(em.call('GetParametersForImport', IMPORT_2048)).rejects.toMatchObject(INTERNAL);
      expect(fullSnapshot(em)).toEqual(before);
      const ghost = attempted.at(-1)!;
      expect(ghost).not.toBe(first.ImportToken);
      expectOneLine(lines, 'GetParametersForImport', new RegExp(`token ${ghost}`));
      await expectRestartEquals(dataDir, () => now, before);

      store.heal();
      const use = await em
        .call('ImportKey', {
          KeyMaterial: {
            KeyCryptogram: {
              KeyAttributes: { KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: KEK_MODES },
              Exportable: true,
              WrappedKeyCryptogram: '00'.repeat(256),
              ImportToken: ghost,
            },
          },
        })
        .then(() => undefined, (e: unknown) => e);
      expect(use).toMatchObject({ awsName: 'ResourceNotFoundException' });
      const reused = await em.call('GetParametersForImport', { ...IMPORT_2048, ReuseLastGeneratedToken: true });
      expect(reused.ImportToken).toBe(first.ImportToken);
    } finally {
      await em.close();
    }
  });

  it.each([
    { name: 'the prune of an expired token fails: the new token is taken back', failFrom: 1, once: true },
    { name: 'the prune fails and so does taking the new token back: memory still equals what a restart loads', failFrom: 1, once: false },
  ])('$name', async ({ failFrom, once }) => {
    const dataDir = tempDataDir('ie-prune');
    let now = Date.parse('2026-06-01T00:00:00Z');
    const clock = (): number => now;
    const { em, store, lines } = await open(dataDir, clock);
    try {
      const old = (await em.call('GetParametersForImport', IMPORT_2048)).ImportToken!;
      now += 31 * DAY; // `old` has expired: the next token prunes it
      const before = fullSnapshot(em);
      store.failAfter(failFrom, once); // write 0 = the new token, write 1 = the deletion of `old`
      await expect(em.call('GetParametersForImport', IMPORT_2048)).rejects.toMatchObject(INTERNAL);
      expectOneLine(lines, 'GetParametersForImport', new RegExp(`expired token ${old}`));
      const state = em.services.states.get(ACCOUNT, 'us-east-1');
      if (once) expect(fullSnapshot(em)).toEqual(before);
      expect(state.tokens.has(old)).toBe(true);
      await expectRestartEquals(dataDir, clock, fullSnapshot(em));

      store.heal();
      const fresh = (await em.call('GetParametersForImport', IMPORT_2048)).ImportToken!;
      expect(state.tokens.has(old)).toBe(false);
      expect(state.tokens.has(fresh)).toBe(true);
      await expectRestartEquals(dataDir, clock, fullSnapshot(em));
    } finally {
      await em.close();
    }
  });

  it('concurrent ReuseLastGeneratedToken requests answer one token (issued under the tokens lock)', async () => {
    const em = Emulator.inMemory();
    try {
      await em.call('GetParametersForExport', { KeyMaterialType: 'TR34_KEY_BLOCK', SigningKeyAlgorithm: 'RSA_2048' }); // the CA exists
      const out = await Promise.all([1, 2, 3, 4].map(() => em.call('GetParametersForImport', { ...IMPORT_2048, ReuseLastGeneratedToken: true })));
      expect(new Set(out.map((o) => o.ImportToken)).size).toBe(1);
      expect(new Set(out.map((o) => o.WrappingKeyCertificate)).size).toBe(1);
      const imports = [...em.services.states.get(ACCOUNT, 'us-east-1').tokens.values()].filter((t) => t.kind === 'import');
      expect(imports.map((t) => t.token)).toEqual([out[0]!.ImportToken]);
    } finally {
      await em.close();
    }
  });
});

describe('TR-31 import with replication: all or nothing', () => {
  const CASES = [
    { name: 'the primary write fails', failFrom: 0, once: false },
    { name: 'the first replica write fails after the primary was written', failFrom: 1, once: true },
    { name: 'the second replica write fails', failFrom: 2, once: true },
    { name: 'a replica write fails and so do the undos', failFrom: 1, once: false },
  ];

  async function setup(em: Emulator): Promise<object> {
    const kek = (
      await em.call('CreateKey', { Exportable: true, KeyAttributes: { KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_256', KeyModesOfUse: KEK_MODES } })
    ).Key!;
    const block = wrapTr31(clearKeyOf(em, kek.KeyArn!), 'D0000D0AB00E0000', hex(AES128_KEY));
    return { KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kek.KeyArn!, WrappedKeyBlock: block } }, ReplicationRegions: ['eu-west-1', 'eu-north-1'] };
  }

  // when the undo works nothing is left; when it fails too, what is on disk is in memory (state/commit.ts)
  it.each(CASES)('$name: 500, memory equals what a restart loads; then the import succeeds everywhere', async ({ failFrom, once }) => {
    const dataDir = tempDataDir('ie-tr31-repl');
    const now = Date.parse('2026-06-01T00:00:00Z');
    const { em, store, lines } = await open(dataDir, () => now);
    try {
      const input = await setup(em);
      const before = fullSnapshot(em);
      store.failAfter(failFrom, once);
      await expect(em.call('ImportKey', input)).rejects.toMatchObject(INTERNAL);
      expectOneLine(lines, 'ImportKey', /key arn:/);
      if (once || failFrom === 0) expect(fullSnapshot(em)).toEqual(before);
      await expectRestartEquals(dataDir, () => now, fullSnapshot(em));

      store.heal();
      const key = (await em.call('ImportKey', input)).Key!;
      expect(key.KeyCheckValue).toBe(nodeKcv(hex(AES128_KEY), 'AES', 'CMAC'));
      expect(key.KeyCheckValue).toBe('08793E');
      const keyId = key.KeyArn!.split('/')[1]!;
      for (const region of ['eu-west-1', 'eu-north-1']) {
        const replica = em.services.states.get(ACCOUNT, region).keys.get(keyId)!;
        expect([replica.multiRegionKeyType, replica.primaryRegion, replica.kcv]).toEqual(['REPLICA', 'us-east-1', '08793E']);
      }
      expect(em.services.states.get(ACCOUNT, 'us-east-1').keys.get(keyId)!.replicationRegions).toEqual(['eu-west-1', 'eu-north-1']);
      await expectRestartEquals(dataDir, () => now, fullSnapshot(em));
    } finally {
      await em.close();
    }
  });
});
