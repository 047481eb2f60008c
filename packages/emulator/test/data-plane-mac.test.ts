import { StopKeyUsageCommand } from '@aws-sdk/client-payment-cryptography';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emulator } from '../src/index.js';
import { boto3Calls, dataPlaneHarness, hasBoto3, importByValue, type Boto3Call, type DataPlaneHarness } from './data-plane-kit.js';
import { message, nodeAlg1, nodeAlg3, nodeCmac, nodeHmac } from './data-plane-mac-oracle.js';
import { clearKeyOf, createSymmetric } from './tr31-kit.js';

/**
 * GenerateMac / VerifyMac, `MacAttributes.Algorithm` members, through boto3 over HTTP with keys
 * imported by value (or created, then read test-side, for AES-256 and HMAC keys).
 * Expected values: test-vectors/data-plane-mac.json — NIST SP 800-38B TDES CMAC examples,
 * RFC 4493 AES-CMAC examples, psec's ISO 9797-1 alg 1 / alg 3 (padding 1) values — and node:crypto
 * computations (data-plane-mac-oracle.ts) for every algorithm, key length and message length.
 */
interface Vec {
  family: string;
  description: string;
  inputs: { keyAlgorithm?: string; algorithm?: string; key: string; message: string };
  expected: { mac: string };
}
const VECTORS = (JSON.parse(readFileSync(new URL('../../../test-vectors/data-plane-mac.json', import.meta.url), 'utf8')) as { vectors: Vec[] }).vectors;

const GEN_VER = { Generate: true, Verify: true };
const gen = (KeyIdentifier: string, Algorithm: string, MessageData: string, MacLength?: number): Boto3Call => ({
  op: 'generate_mac',
  params: { KeyIdentifier, MessageData, GenerationAttributes: { Algorithm }, ...(MacLength === undefined ? {} : { MacLength }) },
});
const ver = (KeyIdentifier: string, Algorithm: string, MessageData: string, Mac: string, MacLength?: number): Boto3Call => ({
  op: 'verify_mac',
  params: { KeyIdentifier, MessageData, Mac, VerificationAttributes: { Algorithm }, ...(MacLength === undefined ? {} : { MacLength }) },
});
const flip = (hex: string): string => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

describe.runIf(hasBoto3())('GenerateMac / VerifyMac Algorithm members through boto3', () => {
  let h: DataPlaneHarness;
  const k: Record<string, { arn: string; kcv: string; clear: string }> = {};
  const imported = async (name: string, clear: string, usage: string, alg: string, modes: Record<string, boolean> = GEN_VER) => {
    k[name] = { ...(await importByValue(h.client, clear, usage, alg, modes as never)), clear };
  };
  const created = async (name: string, usage: string, alg: string) => {
    const c = await createSymmetric(h.client, usage, alg, GEN_VER as never);
    k[name] = { ...c, clear: hex(clearKeyOf(h.emulator, c.arn)) };
  };

  beforeAll(async () => {
    h = await dataPlaneHarness();
    for (const v of VECTORS) {
      const usage = v.family === 'cmac' ? 'TR31_M6_ISO_9797_5_CMAC_KEY' : v.inputs.algorithm === 'ISO9797_ALGORITHM1' ? 'TR31_M1_ISO_9797_1_MAC_KEY' : 'TR31_M3_ISO_9797_3_MAC_KEY';
      if (k[v.inputs.key] === undefined) await imported(v.inputs.key, v.inputs.key, usage, v.inputs.keyAlgorithm ?? 'TDES_2KEY');
    }
    await imported('m1-3key', '0123456789ABCDEFFEDCBA987654321089ABCDEF01234567', 'TR31_M1_ISO_9797_1_MAC_KEY', 'TDES_3KEY');
    await imported('m3-3key', '89ABCDEF0123456701234567FEDCBA98FEDCBA9876543210', 'TR31_M3_ISO_9797_3_MAC_KEY', 'TDES_3KEY');
    await imported('m0', '0123456789ABCDEFFEDCBA9876543210', 'TR31_M0_ISO_16609_MAC_KEY', 'TDES_2KEY');
    await imported('m6-gen-only', '0123456789ABCDEFFEDCBA9876543210', 'TR31_M6_ISO_9797_5_CMAC_KEY', 'AES_128', { Generate: true });
    await imported('m6-ver-only', '0123456789ABCDEFFEDCBA9876543210', 'TR31_M6_ISO_9797_5_CMAC_KEY', 'AES_128', { Verify: true });
    await imported('m6-stopped', '0123456789ABCDEFFEDCBA9876543210', 'TR31_M6_ISO_9797_5_CMAC_KEY', 'AES_128');
    await h.client.send(new StopKeyUsageCommand({ KeyIdentifier: k['m6-stopped']!.arn }));
    await created('m6-aes256', 'TR31_M6_ISO_9797_5_CMAC_KEY', 'AES_256');
    await created('m6-aes192', 'TR31_M6_ISO_9797_5_CMAC_KEY', 'AES_192');
    for (const s of ['224', '256', '384', '512']) await created(`hmac${s}`, 'TR31_M7_HMAC_KEY', `HMAC_SHA${s}`);
  }, 60_000);
  afterAll(async () => h?.close());

  it('published vectors: NIST SP 800-38B / RFC 4493 CMAC, psec ISO 9797-1 alg 1 and 3 (generate, then verify)', async () => {
    const calls: Boto3Call[] = [];
    for (const v of VECTORS) {
      const alg = v.family === 'cmac' ? 'CMAC' : v.inputs.algorithm!;
      const full = v.expected.mac.length / 2;
      const arn = k[v.inputs.key]!.arn;
      calls.push(gen(arn, alg, v.inputs.message, full), ver(arn, alg, v.inputs.message, v.expected.mac), ver(arn, alg, v.inputs.message, v.expected.mac.slice(0, 8), 4));
    }
    const res = await boto3Calls(h.endpoint, calls);
    VECTORS.forEach((v, i) => {
      const [g, v1, v2] = res.slice(i * 3, i * 3 + 3);
      expect(g!.ok?.Mac, v.description).toBe(v.expected.mac);
      expect(g!.ok?.KeyCheckValue, v.description).toBe(k[v.inputs.key]!.kcv);
      expect(v1!.ok?.KeyArn, v.description).toBe(k[v.inputs.key]!.arn);
      expect(v2!.ok, v.description).toBeDefined();
    });
  });

  it('default MacLength: ISO 9797 alg 1/3 and AS2805_4_1 4 bytes; CMAC and HMAC the full MAC (NOTE)', async () => {
    const iso1 = VECTORS.find((v) => v.inputs.algorithm === 'ISO9797_ALGORITHM1')!;
    const iso3 = VECTORS.find((v) => v.inputs.algorithm === 'ISO9797_ALGORITHM3')!;
    const aes = VECTORS.find((v) => v.inputs.keyAlgorithm === 'AES_128')!;
    const m = message(21);
    const res = await boto3Calls(h.endpoint, [
      gen(k[iso1.inputs.key]!.arn, 'ISO9797_ALGORITHM1', iso1.inputs.message),
      gen(k[iso3.inputs.key]!.arn, 'ISO9797_ALGORITHM3', iso3.inputs.message),
      gen(k[aes.inputs.key]!.arn, 'CMAC', aes.inputs.message),
      gen(k.hmac512!.arn, 'HMAC', m),
      gen(k.m0!.arn, 'AS2805_4_1', m),
    ]);
    expect(res[0]!.ok?.Mac).toBe(iso1.expected.mac.slice(0, 8));
    expect(res[1]!.ok?.Mac).toBe(iso3.expected.mac.slice(0, 8));
    expect(res[2]!.ok?.Mac).toBe(aes.expected.mac);
    expect(res[3]!.ok?.Mac).toBe(nodeHmac('sha512', k.hmac512!.clear, m));
    // NOTE: AS2805.4.1 as the aws-samples reading (alg 3, padding 1, first 4 bytes) — unverified
    expect(res[4]!.ok?.Mac).toBe(nodeAlg3(k.m0!.clear, m).slice(0, 8));
  });

  it('node:crypto differential: every algorithm, key length and message length 1–33 bytes, generate and verify', async () => {
    const lengths = [1, 7, 8, 9, 16, 17, 33];
    type Row = { name: string; key: string; alg: string; expect: (msg: string) => string };
    const rows: Row[] = [
      { name: 'alg1 2key', key: VECTORS.find((v) => v.inputs.algorithm === 'ISO9797_ALGORITHM1')!.inputs.key, alg: 'ISO9797_ALGORITHM1', expect: (m) => nodeAlg1(VECTORS.find((v) => v.inputs.algorithm === 'ISO9797_ALGORITHM1')!.inputs.key, m) },
      { name: 'alg1 3key', key: 'm1-3key', alg: 'ISO9797_ALGORITHM1', expect: (m) => nodeAlg1(k['m1-3key']!.clear, m) },
      { name: 'alg3 2key', key: VECTORS.find((v) => v.inputs.algorithm === 'ISO9797_ALGORITHM3')!.inputs.key, alg: 'ISO9797_ALGORITHM3', expect: (m) => nodeAlg3('41414141414141414242424242424242', m) },
      { name: 'alg3 3key', key: 'm3-3key', alg: 'ISO9797_ALGORITHM3', expect: (m) => nodeAlg3(k['m3-3key']!.clear, m) },
      { name: 'AS2805_4_1', key: 'm0', alg: 'AS2805_4_1', expect: (m) => nodeAlg3(k.m0!.clear, m) },
      { name: 'CMAC TDES 2key', key: '4CF15134A2850DD58A3D10BA80570D38', alg: 'CMAC', expect: (m) => nodeCmac('4CF15134A2850DD58A3D10BA80570D38', m, false) },
      { name: 'CMAC TDES 3key', key: '8AA83BF8CBDA10620BC1BF19FBB6CD58BC313D4A371CA8B5', alg: 'CMAC', expect: (m) => nodeCmac('8AA83BF8CBDA10620BC1BF19FBB6CD58BC313D4A371CA8B5', m, false) },
      { name: 'CMAC AES-128', key: '2B7E151628AED2A6ABF7158809CF4F3C', alg: 'CMAC', expect: (m) => nodeCmac('2B7E151628AED2A6ABF7158809CF4F3C', m, true) },
      { name: 'CMAC AES-192', key: 'm6-aes192', alg: 'CMAC', expect: (m) => nodeCmac(k['m6-aes192']!.clear, m, true) },
      { name: 'CMAC AES-256', key: 'm6-aes256', alg: 'CMAC', expect: (m) => nodeCmac(k['m6-aes256']!.clear, m, true) },
      ...(['224', '256', '384', '512'] as const).flatMap((s): Row[] => [
        { name: `HMAC_SHA${s}`, key: `hmac${s}`, alg: `HMAC_SHA${s}`, expect: (m) => nodeHmac(`sha${s}`, k[`hmac${s}`]!.clear, m) },
        { name: `HMAC with an HMAC_SHA${s} key`, key: `hmac${s}`, alg: 'HMAC', expect: (m) => nodeHmac(`sha${s}`, k[`hmac${s}`]!.clear, m) },
      ]),
    ];
    const calls: Boto3Call[] = [];
    const expected: { name: string; mac: string }[] = [];
    for (const r of rows) {
      for (const len of lengths) {
        const m = message(len, len);
        const full = r.expect(m);
        const macLength = Math.min(full.length / 2, 32);
        const mac = full.slice(0, macLength * 2);
        calls.push(gen(k[r.key]!.arn, r.alg, m, macLength), ver(k[r.key]!.arn, r.alg, m, mac));
        expected.push({ name: `${r.name} ${len} bytes`, mac });
      }
    }
    const res = await boto3Calls(h.endpoint, calls);
    expected.forEach((e, i) => {
      expect(res[2 * i]!.ok?.Mac, e.name).toBe(e.mac);
      expect(res[2 * i + 1]!.ok, `${e.name} verify`).toBeDefined();
    });
  });

  it('MacLength truncates to the leftmost bytes (CMAC AES 4–16, HMAC-SHA-512 up to 32)', async () => {
    const m = message(40);
    const cm = nodeCmac(k['m6-aes256']!.clear, m, true);
    const hm = nodeHmac('sha512', k.hmac512!.clear, m);
    const lens = [4, 5, 8, 12, 16];
    const res = await boto3Calls(h.endpoint, [...lens.map((l) => gen(k['m6-aes256']!.arn, 'CMAC', m, l)), gen(k.hmac512!.arn, 'HMAC_SHA512', m, 32), ver(k.hmac512!.arn, 'HMAC_SHA512', m, hm)]);
    lens.forEach((l, i) => expect(res[i]!.ok?.Mac).toBe(cm.slice(0, 2 * l)));
    expect(res[5]!.ok?.Mac).toBe(hm.slice(0, 64));
    expect(res[6]!.ok, 'the full 64-byte HMAC-SHA-512 verifies').toBeDefined();
  });

  it('mismatches → VerificationFailedException INVALID_MAC (400); impossible lengths and wrong keys → ValidationException', async () => {
    const aes = VECTORS.find((v) => v.inputs.keyAlgorithm === 'AES_128')!;
    const a = k[aes.inputs.key]!.arn;
    const iso1 = VECTORS.find((v) => v.inputs.algorithm === 'ISO9797_ALGORITHM1')!;
    const i1 = k[iso1.inputs.key]!.arn;
    const res = await boto3Calls(h.endpoint, [
      ver(a, 'CMAC', aes.inputs.message, flip(aes.expected.mac)), // 0 mismatch
      ver(a, 'CMAC', aes.inputs.message, aes.expected.mac.slice(0, 8), 4), // 1 ok (truncated)
      ver(a, 'CMAC', flip(aes.inputs.message), aes.expected.mac), // 2 other message
      ver(i1, 'ISO9797_ALGORITHM1', iso1.inputs.message, flip(iso1.expected.mac.slice(0, 8))), // 3 mismatch
      gen(i1, 'ISO9797_ALGORITHM1', iso1.inputs.message, 9), // 4 longer than alg 1 can give
      gen(a, 'CMAC', aes.inputs.message, 17), // 5 longer than AES CMAC
      ver(a, 'CMAC', aes.inputs.message, aes.expected.mac.slice(0, 6)), // 6 3-byte Mac
      ver(i1, 'ISO9797_ALGORITHM1', iso1.inputs.message, `${iso1.expected.mac}00`), // 7 9-byte Mac
      ver(a, 'CMAC', aes.inputs.message, aes.expected.mac.slice(0, 8), 8), // 8 MacLength ≠ Mac
      gen(i1, 'CMAC', aes.inputs.message), // 9 M1 key for CMAC
      gen(a, 'ISO9797_ALGORITHM3', aes.inputs.message), // 10 M6 key for alg 3
      gen(k.hmac256!.arn, 'HMAC_SHA512', aes.inputs.message), // 11 hash ≠ key's
      gen(k['m6-ver-only']!.arn, 'CMAC', aes.inputs.message), // 12 verify-only key generates
      ver(k['m6-gen-only']!.arn, 'CMAC', aes.inputs.message, aes.expected.mac), // 13 generate-only key verifies
      gen(k['m6-stopped']!.arn, 'CMAC', aes.inputs.message), // 14 disabled key
      gen('arn:aws:payment-cryptography:us-east-1:111122223333:key/abcdefghijklmnop', 'CMAC', aes.inputs.message), // 15 unknown key
      gen(k.m0!.arn, 'CMAC', aes.inputs.message), // 16 M0 key for CMAC
    ]);
    for (const i of [0, 2, 3]) {
      expect(res[i]!.error?.code, `case ${i}`).toBe('VerificationFailedException');
      expect(res[i]!.error?.status).toBe(400);
      expect(res[i]!.error?.fields.Reason).toBe('INVALID_MAC');
      expect(res[i]!.error?.message).toBe('MAC verification failed.');
    }
    expect(res[1]!.ok).toBeDefined();
    for (const i of [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16]) {
      expect(res[i]!.error?.code, `case ${i}: ${JSON.stringify(res[i])}`).toBe('ValidationException');
      expect(res[i]!.error?.status).toBe(400);
    }
    expect(res[15]!.error?.code).toBe('ResourceNotFoundException');
    // no key material in any message
    for (const r of res) for (const v of Object.values(k)) if (r.error) expect(r.error.message).not.toContain(v.clear);
  });

  it('in-process: emulator.call GenerateMac / VerifyMac', async () => {
    const v = VECTORS.find((x) => x.inputs.keyAlgorithm === 'TDES_3KEY')!;
    const arn = k[v.inputs.key]!.arn;
    const out = await h.emulator.call('GenerateMac', { KeyIdentifier: arn, MessageData: v.inputs.message, GenerationAttributes: { Algorithm: 'CMAC' } });
    expect(out.Mac).toBe(v.expected.mac);
    await expect(h.emulator.call('VerifyMac', { KeyIdentifier: arn, MessageData: v.inputs.message, Mac: v.expected.mac, VerificationAttributes: { Algorithm: 'CMAC' } })).resolves.toMatchObject({ KeyArn: arn });
    await expect(
      h.emulator.call('VerifyMac', { KeyIdentifier: arn, MessageData: v.inputs.message, Mac: flip(v.expected.mac), VerificationAttributes: { Algorithm: 'CMAC' } }),
    ).rejects.toMatchObject({ awsName: 'VerificationFailedException', members: { Reason: 'INVALID_MAC' } });
  });

  it('strictAlgorithms refuses the unverified AS2805_4_1 reading with a ValidationException', async () => {
    const strict = Emulator.inMemory({ strictAlgorithms: true });
    try {
      await expect(
        strict.call('GenerateMac', { KeyIdentifier: 'alias/any', MessageData: '00112233', GenerationAttributes: { Algorithm: 'AS2805_4_1' } }),
      ).rejects.toMatchObject({ awsName: 'ValidationException', message: expect.stringContaining('AS2805_4_1') });
    } finally {
      await strict.close();
    }
  });
});
