import { ExportKeyCommand, GetKeyCommand, ImportKeyCommand, ListTagsForResourceCommand, StopKeyUsageCommand, type PaymentCryptographyClient } from '@aws-sdk/client-payment-cryptography';
import { MAC_FAILURE_MESSAGE, parseTr31, unwrapTr31, wrapTr31 } from '@paycrypt/keyblock';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emulator } from '../src/index.js';
import { ALL_MODES_FALSE, failure, harness, TRANSPORTS, type Harness } from './helpers.js';
import { clearKeyOf, createSymmetric, hex, KEK_MODES, nodeHmacKcv, nodeKcv, toHex } from './tr31-kit.js';

// Published values: test-vectors/kcv.json (TDES key 0123…3210 → ANSI_X9_24 KCV 08D7B4; AES-128
// key 3F41…F8B8 → CMAC KCV 08793E; AES-256 key BE19…CACC → CMAC KCV 0A00E3).
const TDES_KEY = '0123456789ABCDEFFEDCBA9876543210';
const AES128_KEY = '3F419E1CB7079442AA37474C2EFBF8B8';
const AES256_KEY = 'BE19E6A07A760F10EF8E83A226B63AAD141F463FDDD4F47DB244B4023EC3CACC';

const exportTr31 = (c: PaymentCryptographyClient, key: string, kek: string, KeyBlockHeaders?: object, ExportAttributes?: object) =>
  c.send(new ExportKeyCommand({ ExportKeyIdentifier: key, KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kek, KeyBlockHeaders } }, ExportAttributes }));

const importTr31 = (c: PaymentCryptographyClient, kek: string, block: string, extra: object = {}) =>
  c.send(new ImportKeyCommand({ KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kek, WrappedKeyBlock: block } }, ...extra }));

describe.each(TRANSPORTS)('TR-31 interop with @paycrypt/keyblock (%s)', (transport) => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness(transport);
  });
  afterAll(() => h.close());

  it('an exported block unwraps with the clear KEK to a key with the emulator KCV (AES KEK → D, TDES KEK → B)', async () => {
    const aesKek = await createSymmetric(h.client, 'TR31_K0_KEY_ENCRYPTION_KEY', 'AES_256', KEK_MODES);
    const tdesKek = await createSymmetric(h.client, 'TR31_K1_KEY_BLOCK_PROTECTION_KEY', 'TDES_3KEY', { NoRestrictions: true });
    const cases = [
      { usage: 'TR31_C0_CARD_VERIFICATION_KEY', alg: 'TDES_2KEY', modes: { Generate: true, Verify: true }, header: ['C0', 'T', 'C'] },
      { usage: 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', alg: 'AES_128', modes: { Encrypt: true, Wrap: true }, header: ['D0', 'A', 'E'] },
      { usage: 'TR31_P0_PIN_ENCRYPTION_KEY', alg: 'TDES_3KEY', modes: KEK_MODES, header: ['P0', 'T', 'B'] },
    ];
    for (const c of cases) {
      const key = await createSymmetric(h.client, c.usage, c.alg, c.modes);
      for (const kek of [aesKek, tdesKek]) {
        if (kek === tdesKek && c.alg === 'AES_128') continue; // weaker KEK: see the strength tests
        const out = (await exportTr31(h.client, key.arn, kek.arn)).WrappedKey!;
        expect(out.WrappingKeyArn).toBe(kek.arn);
        expect(out.WrappedKeyMaterialFormat).toBe('TR31_KEY_BLOCK');
        expect(out.KeyCheckValue).toBe(key.kcv);
        const block = out.KeyMaterial!;
        expect(block[0]).toBe(kek === aesKek ? 'D' : 'B');
        const { header, key: clear } = unwrapTr31(clearKeyOf(h.emulator, kek.arn), block);
        expect([header.keyUsage, header.algorithm, header.modeOfUse, header.keyVersion, header.exportability]).toEqual([...c.header, '00', 'E']);
        const family = c.alg.startsWith('AES') ? 'AES' : 'TDES';
        expect(nodeKcv(clear, family, family === 'AES' ? 'CMAC' : 'ANSI_X9_24')).toBe(key.kcv);
      }
    }
  });

  it('a block built by @paycrypt/keyblock imports with the published KCV and the header attributes', async () => {
    const kek = await createSymmetric(h.client, 'TR31_K0_KEY_ENCRYPTION_KEY', 'AES_256', KEK_MODES);
    const block = wrapTr31(clearKeyOf(h.emulator, kek.arn), 'D0000P0TE00E0000', hex(TDES_KEY));
    const out = (await importTr31(h.client, kek.arn, block, { Enabled: false, Tags: [{ Key: 'team', Value: 'pins' }] })).Key!;
    expect(out.KeyCheckValue).toBe('08D7B4');
    expect(out.KeyCheckValueAlgorithm).toBe('ANSI_X9_24');
    expect(out.KeyOrigin).toBe('EXTERNAL');
    expect(out.KeyState).toBe('CREATE_COMPLETE');
    expect(out.Enabled).toBe(false);
    expect(out.Exportable).toBe(true);
    expect(out.KeyAttributes).toEqual({
      KeyUsage: 'TR31_P0_PIN_ENCRYPTION_KEY',
      KeyClass: 'SYMMETRIC_KEY',
      KeyAlgorithm: 'TDES_2KEY',
      KeyModesOfUse: { ...ALL_MODES_FALSE, Encrypt: true, Wrap: true },
    });
    expect((await h.client.send(new ListTagsForResourceCommand({ ResourceArn: out.KeyArn }))).Tags).toEqual([{ Key: 'team', Value: 'pins' }]);
  });
});

describe('TR-31 import and export (in-process)', () => {
  let h: Harness;
  let aesKek: { arn: string; kcv: string };
  let kekClear: Uint8Array;
  beforeAll(async () => {
    h = await harness('in-process');
    aesKek = await createSymmetric(h.client, 'TR31_K0_KEY_ENCRYPTION_KEY', 'AES_256', KEK_MODES);
    kekClear = clearKeyOf(h.emulator, aesKek.arn);
  });
  afterAll(() => h.close());

  it('imports versions A, B and C under a TDES KEK and D and E under an AES KEK', async () => {
    const tdesKek = await createSymmetric(h.client, 'TR31_K0_KEY_ENCRYPTION_KEY', 'TDES_2KEY', KEK_MODES);
    const tdesClear = clearKeyOf(h.emulator, tdesKek.arn);
    for (const v of ['A', 'B', 'C']) {
      const key = (await importTr31(h.client, tdesKek.arn, wrapTr31(tdesClear, `${v}0000C0TC00E0000`, hex(TDES_KEY)))).Key!;
      expect([v, key.KeyCheckValue, key.KeyAttributes!.KeyUsage]).toEqual([v, '08D7B4', 'TR31_C0_CARD_VERIFICATION_KEY']);
    }
    for (const v of ['D', 'E']) {
      const key = (await importTr31(h.client, aesKek.arn, wrapTr31(kekClear, `${v}0000D0AB00S0000`, hex(AES256_KEY)))).Key!;
      expect([v, key.KeyCheckValue, key.KeyAttributes!.KeyAlgorithm, key.Exportable]).toEqual([v, '0A00E3', 'AES_256', true]);
    }
    // a B block given to an AES KEK (and a D block to a TDES KEK) is refused before any unwrap
    const e1 = await failure(() => importTr31(h.client, aesKek.arn, wrapTr31(tdesClear, 'B0000C0TC00E0000', hex(TDES_KEY))));
    expect([e1.name, e1.message]).toEqual(['ValidationException', expect.stringMatching(/version B key block needs a TDES wrapping key/)]);
    const e2 = await failure(() => importTr31(h.client, tdesKek.arn, wrapTr31(kekClear, 'D0000C0TC00E0000', hex(TDES_KEY))));
    expect(e2.message).toMatch(/version D key block needs a AES wrapping key/);
  });

  it('exportability comes from the header: N → not exportable (and ExportKey refuses it), S → exportable', async () => {
    const n = (await importTr31(h.client, aesKek.arn, wrapTr31(kekClear, 'D0000C0TC00N0000', hex(TDES_KEY)))).Key!;
    expect(n.Exportable).toBe(false);
    const e = await failure(() => exportTr31(h.client, n.KeyArn!, aesKek.arn));
    expect([e.name, e.message]).toEqual(['ValidationException', expect.stringMatching(/not exportable/)]);
    const s = (await importTr31(h.client, aesKek.arn, wrapTr31(kekClear, 'D0000C0TC00S0000', hex(TDES_KEY)))).Key!;
    expect(s.Exportable).toBe(true);
  });

  it('KeyCheckValueAlgorithm is honoured on import and on export (CMAC KCV of a TDES key)', async () => {
    const block = wrapTr31(kekClear, 'D0000C0TC00E0000', hex(TDES_KEY));
    const key = (await importTr31(h.client, aesKek.arn, block, { KeyCheckValueAlgorithm: 'CMAC' })).Key!;
    const tdesCmac = nodeKcv(hex(TDES_KEY), 'TDES', 'CMAC');
    expect([key.KeyCheckValueAlgorithm, key.KeyCheckValue]).toEqual(['CMAC', tdesCmac]);
    const out = (await exportTr31(h.client, key.KeyArn!, aesKek.arn, undefined, { KeyCheckValueAlgorithm: 'ANSI_X9_24' })).WrappedKey!;
    expect([out.KeyCheckValueAlgorithm, out.KeyCheckValue]).toEqual(['ANSI_X9_24', '08D7B4']);
    const dflt = (await exportTr31(h.client, key.KeyArn!, aesKek.arn)).WrappedKey!;
    expect([dflt.KeyCheckValueAlgorithm, dflt.KeyCheckValue]).toEqual(['CMAC', tdesCmac]);
    const bad = await failure(() => exportTr31(h.client, key.KeyArn!, aesKek.arn, undefined, { KeyCheckValueAlgorithm: 'HMAC' }));
    expect(bad.name).toBe('ValidationException');
  });

  it('HMAC keys: export writes the HM block; the block imports back as the same HMAC key', async () => {
    const mac = await createSymmetric(h.client, 'TR31_M7_HMAC_KEY', 'HMAC_SHA384', { Generate: true, Verify: true });
    const block = (await exportTr31(h.client, mac.arn, aesKek.arn)).WrappedKey!.KeyMaterial!;
    const { header, key } = unwrapTr31(kekClear, block);
    expect(header.optionalBlocks.map((b) => [b.id, b.data])).toContainEqual(['HM', '22']); // X9.143 table 13: 22 = SHA-384
    expect(nodeHmacKcv(key, 'sha384')).toBe(mac.kcv);
    const back = (await importTr31(h.client, aesKek.arn, block)).Key!;
    expect([back.KeyAttributes!.KeyAlgorithm, back.KeyCheckValue]).toEqual(['HMAC_SHA384', mac.kcv]);
  });

  it('KeyBlockHeaders: narrowing modes and exportability, key version and optional blocks', async () => {
    const cvk = await createSymmetric(h.client, 'TR31_C0_CARD_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true, Verify: true });
    const headers = { KeyModesOfUse: { Verify: true }, KeyExportability: 'NON_EXPORTABLE', KeyVersion: '12', OptionalBlocks: { LB: 'CVKISSUER7', TS: '20261130223000Z' } };
    const block = (await exportTr31(h.client, cvk.arn, aesKek.arn, headers)).WrappedKey!.KeyMaterial!;
    expect(block.slice(5, 16)).toBe('C0TV12N0300'); // usage, algorithm, mode V, version 12, N, 3 blocks (LB, TS, PB), context 0
    expect(block).toContain('LB0ECVKISSUER7'); // 4 + 10 characters = 0x0E
    expect(block).toContain('TS1320261130223000Z');
    const parsed = parseTr31(block);
    expect(parsed.optionalBlocks.map((b) => b.id)).toEqual(['LB', 'TS', 'PB']);
    const back = (await importTr31(h.client, aesKek.arn, block)).Key!;
    expect([back.KeyAttributes!.KeyModesOfUse, back.Exportable, back.KeyCheckValue]).toEqual([{ ...ALL_MODES_FALSE, Verify: true }, false, cvk.kcv]);

    // a key with NoRestrictions may be narrowed to a mode its usage allows
    const free = await createSymmetric(h.client, 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', 'AES_128', { NoRestrictions: true });
    const d = (await exportTr31(h.client, free.arn, aesKek.arn, { KeyModesOfUse: { Decrypt: true, Unwrap: true } })).WrappedKey!.KeyMaterial!;
    expect(d.slice(5, 9)).toBe('D0AD');
  });

  it('KeyBlockHeaders: widening and malformed requests are refused', async () => {
    const cvk = await createSymmetric(h.client, 'TR31_C0_CARD_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true });
    const refused = [
      [{ KeyModesOfUse: { Generate: true, Verify: true } }, /not a restriction/],
      [{ KeyModesOfUse: { NoRestrictions: true } }, /not a restriction/],
      [{ KeyModesOfUse: { Encrypt: true, Decrypt: true } }, /not a single TR-31 mode/],
      [{ KeyExportability: 'SENSITIVE' }, /widen/],
      [{ OptionalBlocks: { LB: 'X'.repeat(60), '0A': 'Y'.repeat(50) } }, /118 characters/],
      [{ OptionalBlocks: { KV: 'TOOLONG1' } }, /optional block KV \(Key block values\): must be 4/],
    ] as const;
    for (const [headers, message] of refused) {
      const e = await failure(() => exportTr31(h.client, cvk.arn, aesKek.arn, headers));
      expect([e.name, e.message], JSON.stringify(headers)).toEqual(['ValidationException', expect.stringMatching(message)]);
    }
  });

  it('the wrapping key must be at least as strong as the key (export and import)', async () => {
    const tdes2Kek = await createSymmetric(h.client, 'TR31_K0_KEY_ENCRYPTION_KEY', 'TDES_2KEY', KEK_MODES);
    const aes128Kek = await createSymmetric(h.client, 'TR31_K0_KEY_ENCRYPTION_KEY', 'AES_128', KEK_MODES);
    const aes256 = await createSymmetric(h.client, 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', 'AES_256', KEK_MODES);
    const tdes3 = await createSymmetric(h.client, 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', 'TDES_3KEY', KEK_MODES);
    for (const [key, kek] of [
      [aes256, tdes2Kek],
      [tdes3, tdes2Kek],
      [aes256, aes128Kek],
    ] as const) {
      const e = await failure(() => exportTr31(h.client, key.arn, kek.arn));
      expect([e.name, e.message]).toEqual(['ValidationException', expect.stringMatching(/weaker than the key to export/)]);
    }
    const weakBlocks = [
      [tdes2Kek, wrapTr31(clearKeyOf(h.emulator, tdes2Kek.arn), 'B0000D0TB00E0000', hex(TDES_KEY + '89ABCDEF01234567'))],
      [aes128Kek, wrapTr31(clearKeyOf(h.emulator, aes128Kek.arn), 'D0000D0AB00E0000', hex(AES256_KEY))],
    ] as const;
    for (const [kek, block] of weakBlocks) {
      const e = await failure(() => importTr31(h.client, kek.arn, block));
      expect([e.name, e.message]).toEqual(['ValidationException', expect.stringMatching(/weaker than the key to import/)]);
    }
  });

  it('the wrapping key must be a K0/K1 key allowing Wrap (export) or Unwrap (import), usable, and not the key itself', async () => {
    const dataKey = await createSymmetric(h.client, 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', 'AES_256', KEK_MODES);
    const wrapOnly = await createSymmetric(h.client, 'TR31_K0_KEY_ENCRYPTION_KEY', 'AES_256', { Encrypt: true, Wrap: true });
    const unwrapOnly = await createSymmetric(h.client, 'TR31_K1_KEY_BLOCK_PROTECTION_KEY', 'AES_256', { Decrypt: true, Unwrap: true });
    const cvk = await createSymmetric(h.client, 'TR31_C0_CARD_VERIFICATION_KEY', 'TDES_2KEY', { Generate: true, Verify: true });
    const block = wrapTr31(clearKeyOf(h.emulator, wrapOnly.arn), 'D0000C0TC00E0000', hex(TDES_KEY));
    const cases: [() => Promise<unknown>, RegExp][] = [
      [() => exportTr31(h.client, cvk.arn, dataKey.arn), /KeyUsage TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY/],
      [() => importTr31(h.client, dataKey.arn, block), /KeyUsage TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY/],
      [() => exportTr31(h.client, cvk.arn, unwrapOnly.arn), /does not allow Wrap/],
      [() => importTr31(h.client, wrapOnly.arn, block), /does not allow Unwrap/],
      [() => exportTr31(h.client, aesKek.arn, aesKek.arn), /under itself/],
    ];
    for (const [call, message] of cases) {
      const e = await failure(call);
      expect([e.name, e.message]).toEqual(['ValidationException', expect.stringMatching(message)]);
    }
    // the K1 Unwrap-only key does import, the K0 Wrap-only key does export
    expect((await importTr31(h.client, unwrapOnly.arn, wrapTr31(clearKeyOf(h.emulator, unwrapOnly.arn), 'D0000C0TC00E0000', hex(TDES_KEY)))).Key!.KeyCheckValue).toBe('08D7B4');
    expect((await exportTr31(h.client, cvk.arn, wrapOnly.arn)).WrappedKey!.KeyMaterial![0]).toBe('D');
    const missing = await failure(() => exportTr31(h.client, cvk.arn, 'alias/no-such-kek'));
    expect(missing.name).toBe('ResourceNotFoundException');
    await h.client.send(new StopKeyUsageCommand({ KeyIdentifier: unwrapOnly.arn }));
    const disabled = await failure(() => importTr31(h.client, unwrapOnly.arn, block));
    expect([disabled.name, disabled.message]).toEqual(['ValidationException', expect.stringMatching(/is disabled/)]);
  });

  it('a tampered block or a wrong KEK is one opaque ValidationException; nothing secret in the message', async () => {
    const otherKek = await createSymmetric(h.client, 'TR31_K0_KEY_ENCRYPTION_KEY', 'AES_256', KEK_MODES);
    const block = wrapTr31(kekClear, 'D0000C0TC00E0000', hex(TDES_KEY));
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === '0' ? '1' : '0') + s.slice(i + 1);
    const attempts = [
      importTr31(h.client, aesKek.arn, flip(block, block.length - 1)), // authenticator
      importTr31(h.client, aesKek.arn, flip(block, 20)), // encrypted payload
      importTr31(h.client, aesKek.arn, block.slice(0, 8) + 'V' + block.slice(9)), // mode of use C → V (header is authenticated)
      importTr31(h.client, otherKek.arn, block), // wrong KEK
    ];
    for (const attempt of attempts) {
      const e = await failure(() => attempt);
      expect([e.name, e.message]).toEqual(['ValidationException', MAC_FAILURE_MESSAGE]);
      expect(JSON.stringify(e)).not.toContain(TDES_KEY);
      expect(JSON.stringify(e).toUpperCase()).not.toContain(toHex(kekClear));
    }
    // structural problems name the field
    expect(block.slice(0, 5)).toBe('D0112');
    const e = await failure(() => importTr31(h.client, aesKek.arn, 'D0128C0TC00E0000' + block.slice(16)));
    expect([e.name, e.message]).toEqual(['ValidationException', expect.stringMatching(/length/)]);
  });

  it('headers AWS cannot represent or CreateKey would refuse are ValidationException', async () => {
    for (const header of ['D0000B1TX00E0000', 'D0000K0TC00E0000', 'D0000M7TC00E0000']) {
      const e = await failure(() => importTr31(h.client, aesKek.arn, wrapTr31(kekClear, header, hex(TDES_KEY))));
      expect(e.name, header).toBe('ValidationException');
    }
  });

  it('keeps an imported key, with its KCV, across a restart of a --data-dir emulator', async () => {
    // Emulator.open({ dataDir, lmk }) is what `paycrypt-emulator --data-dir` runs (src/bin).
    const dataDir = join(mkdtempSync(join(tmpdir(), 'paycrypt-tr31-')), 'data');
    const lmk = new Uint8Array(32).fill(7);
    const h1 = await harness('in-process', { dataDir, lmk });
    const kek = await createSymmetric(h1.client, 'TR31_K0_KEY_ENCRYPTION_KEY', 'AES_128', KEK_MODES);
    const imported = (await importTr31(h1.client, kek.arn, wrapTr31(clearKeyOf(h1.emulator, kek.arn), 'D0000M6AG00E0000', hex(AES128_KEY)))).Key!;
    expect(imported.KeyCheckValue).toBe('08793E');
    await h1.close();
    const h2 = await harness('in-process', {}, await Emulator.open({ dataDir, lmk }));
    const again = (await h2.client.send(new GetKeyCommand({ KeyIdentifier: imported.KeyArn }))).Key!;
    expect([again.KeyCheckValue, again.KeyOrigin, again.KeyAttributes!.KeyUsage]).toEqual(['08793E', 'EXTERNAL', 'TR31_M6_ISO_9797_5_CMAC_KEY']);
    const out = (await exportTr31(h2.client, imported.KeyArn!, kek.arn)).WrappedKey!;
    expect(toHex(unwrapTr31(clearKeyOf(h2.emulator, kek.arn), out.KeyMaterial!).key)).toBe(AES128_KEY);
    await h2.close();
  });
});
