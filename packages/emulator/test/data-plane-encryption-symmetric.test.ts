import { StopKeyUsageCommand } from '@aws-sdk/client-payment-cryptography';
import { createCipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boto3Calls, dataPlaneHarness, hasBoto3, importByValue, kekByValue, tr31Block, type Boto3Call, type DataPlaneHarness } from './data-plane-kit.js';
import { clearKeyOf, createSymmetric, toHex } from './tr31-kit.js';

/**
 * EncryptData / DecryptData with `Symmetric` (D0 keys) through boto3 over HTTP. Expected values:
 * NIST SP 800-38A (test-vectors/cipher-modes.json: CFB1, CFB8, CFB128, OFB; test-vectors/
 * data-plane-encryption.json: ECB, CBC), NIST SP 800-67 (3-key TDEA ECB), and node:crypto
 * (OpenSSL) as the independent oracle for every mode × key type, including PKCS#7 padding.
 * AES CFB64 (a 64-bit segment, which OpenSSL does not name) is computed test-side from
 * node:crypto's AES-ECB per SP 800-38A §6.3.
 */

interface Vector {
  id: string;
  mode: string;
  algorithm: string;
  key: string;
  iv?: string;
  plaintext: string;
  ciphertext: string;
}
const read = (name: string): Vector[] => JSON.parse(readFileSync(new URL(`../../../test-vectors/${name}`, import.meta.url), 'utf8')) as Vector[];
const VECTORS = [...read('cipher-modes.json'), ...read('data-plane-encryption.json')];

const D0 = 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY';
const ALL4 = { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true };
const MODES = ['ECB', 'CBC', 'CFB', 'CFB1', 'CFB8', 'CFB64', 'CFB128', 'OFB'] as const;

const enc = (KeyIdentifier: string, PlainText: string, Symmetric: Record<string, unknown>, WrappedKey?: unknown): Boto3Call => ({
  op: 'encrypt_data',
  params: { KeyIdentifier, PlainText, EncryptionAttributes: { Symmetric }, ...(WrappedKey === undefined ? {} : { WrappedKey }) },
});
const dec = (KeyIdentifier: string, CipherText: string, Symmetric: Record<string, unknown>, WrappedKey?: unknown): Boto3Call => ({
  op: 'decrypt_data',
  params: { KeyIdentifier, CipherText, DecryptionAttributes: { Symmetric }, ...(WrappedKey === undefined ? {} : { WrappedKey }) },
});

/** node:crypto cipher name for an AWS mode, or undefined where the oracle is computed by hand. */
function nodeName(family: 'TDES' | 'AES', keyBytes: number, mode: string): string | undefined {
  const base = family === 'TDES' ? 'des-ede3' : `aes-${keyBytes * 8}`;
  const suffix: Record<string, string | undefined> = {
    ECB: 'ecb',
    CBC: 'cbc',
    CFB: 'cfb',
    CFB1: 'cfb1',
    CFB8: 'cfb8',
    CFB64: family === 'TDES' ? 'cfb' : undefined,
    CFB128: family === 'AES' ? 'cfb' : undefined,
    OFB: 'ofb',
  };
  return suffix[mode] === undefined ? undefined : `${base}-${suffix[mode]}`;
}

const tdes24 = (k: Buffer): Buffer => (k.length === 16 ? Buffer.concat([k, k.subarray(0, 8)]) : k);

/** The oracle: node:crypto encryption without padding (AES CFB64 by hand from AES-ECB). */
function nodeEncrypt(family: 'TDES' | 'AES', key: Buffer, mode: string, iv: Buffer, data: Buffer): Buffer {
  const k = family === 'TDES' ? tdes24(key) : key;
  const name = nodeName(family, key.length, mode);
  if (name === undefined) {
    // SP 800-38A §6.3 CFB with s = 64 over a 128-bit block: O = E(I); C = P ⊕ MSB64(O); I = LSB64(I) ‖ C
    const ecb = createCipheriv(`aes-${key.length * 8}-ecb`, key, null).setAutoPadding(false);
    let reg = Buffer.from(iv);
    const out = Buffer.alloc(data.length);
    for (let o = 0; o < data.length; o += 8) {
      const block = ecb.update(reg);
      for (let i = 0; i < 8; i++) out[o + i] = data[o + i]! ^ block[i]!;
      reg = Buffer.concat([reg.subarray(8), out.subarray(o, o + 8)]);
    }
    return out;
  }
  const c = createCipheriv(name, k, mode === 'ECB' ? null : iv).setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

describe.runIf(hasBoto3())('EncryptData / DecryptData — Symmetric, through boto3', () => {
  let h: DataPlaneHarness;
  const keys: Record<string, { arn: string; kcv: string; clear: Buffer; family: 'TDES' | 'AES' }> = {};

  beforeAll(async () => {
    h = await dataPlaneHarness();
    for (const [name, alg, bytes] of [['tdes2', 'TDES_2KEY', 16], ['tdes3', 'TDES_3KEY', 24], ['aes128', 'AES_128', 16]] as const) {
      const clear = randomBytes(bytes);
      const k = await importByValue(h.client, clear.toString('hex'), D0, alg, ALL4);
      keys[name] = { ...k, clear, family: alg.startsWith('AES') ? 'AES' : 'TDES' };
    }
    for (const [name, alg] of [['aes192', 'AES_192'], ['aes256', 'AES_256']] as const) {
      const k = await createSymmetric(h.client, D0, alg, ALL4);
      keys[name] = { ...k, clear: Buffer.from(clearKeyOf(h.emulator, k.arn)), family: 'AES' };
    }
  }, 60_000);
  afterAll(async () => h?.close());

  it('published vectors (SP 800-38A, SP 800-67): encrypt and decrypt; AES-192/256 keys as dynamic TR-31 keys', async () => {
    const kek = await kekByValue(h.client);
    const calls: Boto3Call[] = [];
    const expected: { id: string; ct: string; pt: string }[] = [];
    for (const v of VECTORS) {
      const block = await tr31Block(h.client, v.key, D0, v.algorithm, ALL4);
      const wrapped = { WrappedKeyMaterial: { Tr31KeyBlock: block } };
      const bs = v.algorithm.startsWith('AES') ? 16 : 8;
      // CFB1/CFB8 vectors are shorter than whole blocks: a stream mode's output prefix does not
      // depend on what follows, so the vector is the prefix of a block-aligned call
      const len = Math.ceil(v.plaintext.length / 2 / bs) * bs;
      const pt = v.plaintext.padEnd(len * 2, '0');
      const attrs = { Mode: v.mode, ...(v.iv === undefined ? {} : { InitializationVector: v.iv }) };
      calls.push(enc(kek.arn, pt, attrs, wrapped));
      expected.push({ id: v.id, ct: v.ciphertext, pt });
      if (pt === v.plaintext) {
        calls.push(dec(kek.arn, v.ciphertext, attrs, wrapped));
        expected.push({ id: `${v.id} (decrypt)`, ct: '', pt: v.plaintext });
      }
    }
    const results = await boto3Calls(h.endpoint, calls);
    results.forEach((r, i) => {
      const e = expected[i]!;
      expect(r.error, e.id).toBeUndefined();
      expect(r.ok!.KeyArn, e.id).toBe(kek.arn);
      if (e.ct !== '') expect(String(r.ok!.CipherText).slice(0, e.ct.length), e.id).toBe(e.ct);
      else expect(r.ok!.PlainText, e.id).toBe(e.pt);
    });
  });

  it('every mode × TDES 2/3-key, AES-128/192/256 matches node:crypto, with and without IV; decrypt inverts', async () => {
    const calls: Boto3Call[] = [];
    const expected: { name: string; out: string; field: 'CipherText' | 'PlainText'; kcv: string }[] = [];
    for (const [name, k] of Object.entries(keys)) {
      const bs = k.family === 'AES' ? 16 : 8;
      for (const mode of MODES) {
        if (k.family === 'TDES' && mode === 'CFB128') continue; // refused, tested below
        const pt = randomBytes(3 * bs);
        const iv = randomBytes(bs);
        const ct = nodeEncrypt(k.family, k.clear, mode, iv, pt);
        calls.push(enc(k.arn, toHex(pt), { Mode: mode, InitializationVector: toHex(iv) }));
        expected.push({ name: `${name} ${mode} encrypt`, out: toHex(ct), field: 'CipherText', kcv: k.kcv });
        calls.push(dec(k.arn, toHex(ct), { Mode: mode, InitializationVector: toHex(iv).toLowerCase() }));
        expected.push({ name: `${name} ${mode} decrypt`, out: toHex(pt), field: 'PlainText', kcv: k.kcv });
        const zeroIv = nodeEncrypt(k.family, k.clear, mode, Buffer.alloc(bs), pt);
        calls.push(enc(k.arn, toHex(pt), { Mode: mode }));
        expected.push({ name: `${name} ${mode} default IV`, out: toHex(zeroIv), field: 'CipherText', kcv: k.kcv });
      }
    }
    const results = await boto3Calls(h.endpoint, calls);
    results.forEach((r, i) => {
      const e = expected[i]!;
      expect(r.error, e.name).toBeUndefined();
      expect(r.ok![e.field], e.name).toBe(e.out);
      expect(r.ok!.KeyCheckValue, e.name).toBe(e.kcv);
    });
  });

  it('PaddingType PKCS1 with a symmetric key is PKCS#7 padding (node:crypto auto padding), any length', async () => {
    const calls: Boto3Call[] = [];
    const expected: string[] = [];
    for (const k of [keys.tdes2!, keys.aes128!]) {
      for (const len of [1, 7, 8, 16, 21]) {
        const pt = randomBytes(len);
        const bs = k.family === 'AES' ? 16 : 8;
        const iv = randomBytes(bs);
        const c = createCipheriv(k.family === 'AES' ? 'aes-128-cbc' : 'des-ede3-cbc', k.family === 'AES' ? k.clear : tdes24(k.clear), iv);
        const ct = toHex(Buffer.concat([c.update(pt), c.final()]));
        calls.push(enc(k.arn, toHex(pt), { Mode: 'CBC', InitializationVector: toHex(iv), PaddingType: 'PKCS1' }));
        expected.push(ct);
        calls.push(dec(k.arn, ct, { Mode: 'CBC', InitializationVector: toHex(iv), PaddingType: 'PKCS1' }));
        expected.push(toHex(pt));
      }
    }
    const results = await boto3Calls(h.endpoint, calls);
    results.forEach((r, i) => expect(r.ok?.CipherText ?? r.ok?.PlainText, JSON.stringify(r)).toBe(expected[i]));
  });

  it('refusals: lengths, IV, TDES CFB128, OAEP with a symmetric key, bad padding (opaque), wrong key, disabled key', async () => {
    const t = keys.tdes2!;
    const a = keys.aes128!;
    const k0 = await importByValue(h.client, randomBytes(16).toString('hex'), 'TR31_K0_KEY_ENCRYPTION_KEY', 'AES_128', ALL4);
    const encOnly = await importByValue(h.client, randomBytes(16).toString('hex'), D0, 'TDES_2KEY', { Encrypt: true, Wrap: true });
    const stopped = await importByValue(h.client, randomBytes(16).toString('hex'), D0, 'AES_128', ALL4);
    await h.client.send(new StopKeyUsageCommand({ KeyIdentifier: stopped.arn }));
    // a ciphertext whose last block decrypts to bytes that are not PKCS#7 padding
    const badPad = nodeEncrypt('AES', a.clear, 'CBC', Buffer.alloc(16), Buffer.alloc(16, 0x41));
    const badPad2 = nodeEncrypt('AES', a.clear, 'CBC', Buffer.alloc(16), Buffer.concat([Buffer.alloc(15, 0x41), Buffer.from([0x11])]));
    const cases: [string, Boto3Call, string, RegExp][] = [
      ['TDES data not a multiple of 8', enc(t.arn, '00112233445566', { Mode: 'CBC' }), 'ValidationException', /multiple of 8 bytes/],
      ['AES data not a multiple of 16 (OFB too)', enc(a.arn, '00'.repeat(24), { Mode: 'OFB' }), 'ValidationException', /multiple of 16 bytes/],
      ['AES ciphertext not a multiple of 16', dec(a.arn, '00'.repeat(8), { Mode: 'ECB' }), 'ValidationException', /multiple of 16 bytes/],
      ['AES key with a 16-hex IV', enc(a.arn, '00'.repeat(16), { Mode: 'CBC', InitializationVector: '00'.repeat(8) }), 'ValidationException', /32 hex characters/],
      ['TDES key with a 32-hex IV', enc(t.arn, '00'.repeat(8), { Mode: 'CBC', InitializationVector: '00'.repeat(16) }), 'ValidationException', /16 hex characters/],
      ['TDES CFB128', enc(t.arn, '00'.repeat(16), { Mode: 'CFB128' }), 'ValidationException', /CFB128/],
      ['OAEP with a symmetric key', enc(a.arn, '00'.repeat(16), { Mode: 'CBC', PaddingType: 'OAEP_SHA256' }), 'ValidationException', /RSA padding/],
      ['bad padding', dec(a.arn, toHex(badPad), { Mode: 'CBC', PaddingType: 'PKCS1' }), 'ValidationException', /^CipherText could not be decrypted with the given key and attributes\.$/],
      ['bad padding (2)', dec(a.arn, toHex(badPad2), { Mode: 'CBC', PaddingType: 'PKCS1' }), 'ValidationException', /^CipherText could not be decrypted with the given key and attributes\.$/],
      ['K0 key', enc(k0.arn, '00'.repeat(16), { Mode: 'CBC' }), 'ValidationException', /KeyUsage TR31_K0_KEY_ENCRYPTION_KEY is not allowed/],
      ['decrypt with an Encrypt-only key', dec(encOnly.arn, '00'.repeat(8), { Mode: 'CBC' }), 'ValidationException', /KeyModesOfUse/],
      ['disabled key', enc(stopped.arn, '00'.repeat(16), { Mode: 'CBC' }), 'ValidationException', /./],
      ['unknown key', enc(`${a.arn.slice(0, -4)}zzzz`, '00'.repeat(16), { Mode: 'CBC' }), 'ResourceNotFoundException', /not found/],
      ['unknown mode (model enum)', enc(a.arn, '00'.repeat(16), { Mode: 'CTR' }), 'ValidationException', /./],
    ];
    const results = await boto3Calls(h.endpoint, cases.map((c) => c[1]));
    results.forEach((r, i) => {
      const [name, , code, msg] = cases[i]!;
      if (r.clientValidation !== undefined) return; // boto3 refused it before sending (model enum)
      expect(r.error?.code, name).toBe(code);
      expect(r.error?.status, name).toBe(code === 'ResourceNotFoundException' ? 404 : 400);
      expect(r.error?.message, name).toMatch(msg);
    });
  });

  it('dynamic TR-31 WrappedKey: TDES D0 under the KEK matches node:crypto; KCV is the dynamic key’s; a K0 block is refused', async () => {
    const kek = await kekByValue(h.client);
    const clear = randomBytes(16);
    const block = await tr31Block(h.client, clear.toString('hex'), D0, 'TDES_2KEY', ALL4);
    const wrongBlock = await tr31Block(h.client, clear.toString('hex'), 'TR31_K0_KEY_ENCRYPTION_KEY', 'TDES_2KEY', ALL4);
    const stored = await importByValue(h.client, clear.toString('hex'), D0, 'TDES_2KEY', ALL4);
    const pt = randomBytes(16);
    const iv = randomBytes(8);
    const [r1, r2, r3] = await boto3Calls(h.endpoint, [
      enc(kek.arn, toHex(pt), { Mode: 'CFB8', InitializationVector: toHex(iv) }, { WrappedKeyMaterial: { Tr31KeyBlock: block } }),
      dec(kek.arn, toHex(nodeEncrypt('TDES', clear, 'CBC', iv, pt)), { Mode: 'CBC', InitializationVector: toHex(iv) }, { WrappedKeyMaterial: { Tr31KeyBlock: block }, KeyCheckValueAlgorithm: 'ANSI_X9_24' }),
      enc(kek.arn, toHex(pt), { Mode: 'CBC' }, { WrappedKeyMaterial: { Tr31KeyBlock: wrongBlock } }),
    ]);
    expect(r1!.ok?.CipherText).toBe(toHex(nodeEncrypt('TDES', clear, 'CFB8', iv, pt)));
    expect(r1!.ok?.KeyArn).toBe(kek.arn);
    expect(r1!.ok?.KeyCheckValue).toBe(stored.kcv);
    expect(r2!.ok?.PlainText).toBe(toHex(pt));
    expect(r3!.error?.code).toBe('ValidationException');
  });
});

describe('EncryptData / DecryptData — Symmetric, in process', () => {
  it('emulator.call round trip against node:crypto', async () => {
    const h = await dataPlaneHarness();
    try {
      const clear = randomBytes(16);
      const k = await importByValue(h.client, clear.toString('hex'), D0, 'AES_128', ALL4);
      const pt = randomBytes(32);
      const out = (await h.emulator.call('EncryptData', { KeyIdentifier: k.arn, PlainText: toHex(pt), EncryptionAttributes: { Symmetric: { Mode: 'OFB' } } })) as { CipherText: string };
      expect(out.CipherText).toBe(toHex(nodeEncrypt('AES', clear, 'OFB', Buffer.alloc(16), pt)));
      const back = (await h.emulator.call('DecryptData', { KeyIdentifier: k.arn, CipherText: out.CipherText, DecryptionAttributes: { Symmetric: { Mode: 'OFB' } } })) as { PlainText: string };
      expect(back.PlainText).toBe(toHex(pt));
    } finally {
      await h.close();
    }
  });
});
