import { ExportKeyCommand, ImportKeyCommand, type PaymentCryptographyClient } from '@aws-sdk/client-payment-cryptography';
import { parseTr31, unwrapTr31, wrapTr31 } from '@paycrypt/keyblock';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, harness, type Harness } from './helpers.js';
import { clearKeyOf, createSymmetric, hex, KEK_MODES, toHex } from './tr31-kit.js';

/**
 * ExportDukptInitialKey against published DUKPT vectors (test-vectors/dukpt.json; KCVs of the
 * initial keys from test-vectors/kcv.json).
 *
 * The KEK the test knows: it is created through the SDK and its clear value is read from the
 * emulator's internals (tr31-kit.ts clearKeyOf: state + vault). The published BDK is then wrapped
 * by @paycrypt/keyblock under that KEK as a B0 block and imported with ImportKey; the exported
 * B1 block is unwrapped with @paycrypt/keyblock and compared with the published IPEK / IK.
 */
interface Vector {
  description: string;
  inputs: Record<string, string>;
  expected: Record<string, string>;
}
const vectors = JSON.parse(readFileSync(new URL('../../../test-vectors/dukpt.json', import.meta.url), 'utf8')) as Vector[];
const kcvs = JSON.parse(readFileSync(new URL('../../../test-vectors/kcv.json', import.meta.url), 'utf8')) as Vector[];

function vector(description: string, ksnField = 'ksn'): Vector {
  const v = vectors.find((x) => x.description.startsWith(description) && x.inputs[ksnField] !== undefined);
  if (v === undefined) throw new Error(`no vector "${description}"`);
  return v;
}
function publishedKcv(key: string): string {
  const v = kcvs.find((x) => x.inputs.key === key);
  if (v === undefined) throw new Error(`no KCV vector for ${key}`);
  return v.expected.kcv!;
}

const TDES = vector('TDES DUKPT IPEK (IK) from BDK + initial KSN');
const TDES_COUNTER = vectors.find((x) => x.description.startsWith('TDES DUKPT IPEK is independent of the 21-bit counter') && x.inputs.ksn === 'FFFF9876543210E00008')!;
const AES128 = vector('AWS ExportDukptInitialKey with AES BDK', 'ksn_a');
const AES256 = vectors.find((x) => x.description === 'AES DUKPT Initial Key from AES256 BDK + Initial Key ID')!;

const exportIpek = (c: PaymentCryptographyClient, bdk: string, kek: string, KeySerialNumber: string) =>
  c.send(
    new ExportKeyCommand({
      ExportKeyIdentifier: bdk,
      KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kek } },
      ExportAttributes: { ExportDukptInitialKey: { KeySerialNumber } },
    }),
  );

describe('ExportKey with ExportDukptInitialKey (B1 blocks)', () => {
  let h: Harness;
  let aesKek: { arn: string; clear: Uint8Array };
  let tdesKek: { arn: string; clear: Uint8Array };
  const importBdk = async (kek: { arn: string; clear: Uint8Array }, header: string, bdk: string): Promise<string> => {
    const block = wrapTr31(kek.clear, header, hex(bdk));
    const key = (await h.client.send(new ImportKeyCommand({ KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kek.arn, WrappedKeyBlock: block } } }))).Key!;
    expect(key.KeyAttributes!.KeyUsage).toBe('TR31_B0_BASE_DERIVATION_KEY');
    return key.KeyArn!;
  };

  beforeAll(async () => {
    h = await harness('in-process');
    const a = await createSymmetric(h.client, 'TR31_K0_KEY_ENCRYPTION_KEY', 'AES_256', KEK_MODES);
    const t = await createSymmetric(h.client, 'TR31_K0_KEY_ENCRYPTION_KEY', 'TDES_2KEY', KEK_MODES);
    aesKek = { arn: a.arn, clear: clearKeyOf(h.emulator, a.arn) };
    tdesKek = { arn: t.arn, clear: clearKeyOf(h.emulator, t.arn) };
  });
  afterAll(() => h.close());

  it('TDES BDK: the IPEK of X9.24-1 A.4, as B1 T X S, under a TDES KEK exactly the documented B0096B1TX00S0000 header', async () => {
    const bdk = await importBdk(tdesKek, 'B0000B0TX00E0000', TDES.inputs.bdk!);
    const out = (await exportIpek(h.client, bdk, tdesKek.arn, TDES.inputs.ksn!)).WrappedKey!;
    expect(out.KeyMaterial!.slice(0, 16)).toBe('B0096B1TX00S0000');
    const { key } = unwrapTr31(tdesKek.clear, out.KeyMaterial!);
    expect(toHex(key)).toBe(TDES.expected.ipek);
    expect([out.KeyCheckValue, out.KeyCheckValueAlgorithm]).toEqual([publishedKcv(TDES.expected.ipek!), 'ANSI_X9_24']);

    // under an AES KEK: version D, same IPEK; the counter part of the KSN is ignored
    const d = (await exportIpek(h.client, bdk, aesKek.arn, TDES_COUNTER.inputs.ksn!)).WrappedKey!;
    const parsed = parseTr31(d.KeyMaterial!);
    expect([parsed.version, parsed.keyUsage, parsed.algorithm, parsed.modeOfUse, parsed.exportability]).toEqual(['D', 'B1', 'T', 'X', 'S']);
    expect(toHex(unwrapTr31(aesKek.clear, d.KeyMaterial!).key)).toBe(TDES_COUNTER.expected.ipek);
  });

  it('AES-128 and AES-256 BDKs: the X9.24-3 initial key (same length as the BDK), as B1 A X S', async () => {
    const bdk128 = await importBdk(aesKek, 'D0000B0AX00E0000', AES128.inputs.bdk!);
    const out = (await exportIpek(h.client, bdk128, aesKek.arn, AES128.inputs.ksn_a!)).WrappedKey!;
    expect(out.KeyMaterial!.slice(5, 16)).toBe('B1AX00S0000');
    expect(toHex(unwrapTr31(aesKek.clear, out.KeyMaterial!).key)).toBe(AES128.expected.initial_key);
    expect([out.KeyCheckValue, out.KeyCheckValueAlgorithm]).toEqual([publishedKcv(AES128.expected.initial_key!), 'CMAC']);
    const other = (await exportIpek(h.client, bdk128, aesKek.arn, AES128.inputs.ksn_b!)).WrappedKey!;
    expect(toHex(unwrapTr31(aesKek.clear, other.KeyMaterial!).key)).toBe(AES128.expected.initial_key);

    // AWS's 24-hex KSN = 16-hex initial key ID ‖ 8-hex counter (counter zero here)
    const bdk256 = await importBdk(aesKek, 'D0000B0AX00E0000', AES256.inputs.bdk!);
    const ksn = `${AES256.inputs.initial_key_id!}00000000`;
    const ik = (await exportIpek(h.client, bdk256, aesKek.arn, ksn)).WrappedKey!;
    expect(toHex(unwrapTr31(aesKek.clear, ik.KeyMaterial!).key)).toBe(AES256.expected.initial_key);

    // an AES-256 initial key is stronger than an AES-128 KEK
    const kek128 = await createSymmetric(h.client, 'TR31_K0_KEY_ENCRYPTION_KEY', 'AES_128', KEK_MODES);
    const e = await failure(() => exportIpek(h.client, bdk256, kek128.arn, ksn));
    expect([e.name, e.message]).toEqual(['ValidationException', expect.stringMatching(/weaker than the key to export \(AES_256\)/)]);
  });

  it('refuses a wrong KSN length and a key that is not a BDK', async () => {
    const tdesBdk = await importBdk(tdesKek, 'B0000B0TX00E0000', TDES.inputs.bdk!);
    const aesBdk = await importBdk(aesKek, 'D0000B0AX00E0000', AES128.inputs.bdk!);
    const cvk = await createSymmetric(h.client, 'TR31_C0_CARD_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true, Verify: true });
    const cases: [string, string, RegExp][] = [
      [tdesBdk, AES128.inputs.ksn_a!, /20 hex characters for a TDES_2KEY BDK, got 24/],
      [aesBdk, TDES.inputs.ksn!, /24 hex characters for a AES_128 BDK, got 20/],
      [cvk.arn, TDES.inputs.ksn!, /needs a TR31_B0_BASE_DERIVATION_KEY/],
    ];
    for (const [key, ksn, message] of cases) {
      const e = await failure(() => exportIpek(h.client, key, aesKek.arn, ksn));
      expect([e.name, e.message]).toEqual(['ValidationException', expect.stringMatching(message)]);
    }
  });
});
