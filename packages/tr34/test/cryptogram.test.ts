import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, kcv } from '@paycrypt/primitives';
import { Tr34Error, generateRsaKeyPair, unwrapKeyCryptogram, wrapKeyCryptogram, type RsaKeyPair } from '../src/index.js';
import { TR34, party } from './fixtures.js';
import { HAS_OPENSSL, openssl } from './openssl.js';

const VECTORS = TR34.rsa_wrap_vectors.vectors;

describe('RSA key cryptograms: research vectors (built by the research scripts with fixed OAEP seeds, checked there with python, openssl and Node; not produced by AWS)', () => {
  for (const v of VECTORS) {
    it(`${v.id}: unwraps to the clear key (KCV ${v.expected.kcv})`, async () => {
      const krd = party(v.wrapping_key_ref);
      const key = await unwrapKeyCryptogram(krd.privateKey, v.expected.wrapped_key_cryptogram_hex, v.wrapping_spec);
      expect(bytesToHex(key)).toBe(v.inputs.clear_key);
      const family = v.id.includes('aes') ? 'AES' : 'TDES';
      expect(bytesToHex(kcv(key, family))).toBe(v.expected.kcv);
    });

    it(`${v.id}: wrapping with the recorded OAEP seed reproduces the cryptogram byte for byte`, async () => {
      const krd = party(v.wrapping_key_ref);
      const hex = await wrapKeyCryptogram(krd.certificate, hexToBytes(v.inputs.clear_key), {
        wrappingSpec: v.wrapping_spec,
        oaepSeed: hexToBytes(v.inputs.oaep_seed),
      });
      expect(hex).toBe(v.expected.wrapped_key_cryptogram_hex);
    });
  }

  it('a wrong spec, a wrong key, a flipped bit and a wrong length are rejected', async () => {
    const v = VECTORS[0]!;
    const krd = party(v.wrapping_key_ref);
    const other = party('generated_test_keys.krd_rsa3072');
    const code = async (p: Promise<unknown>): Promise<string> => ((await p.then(() => undefined, (e: unknown) => e)) as Tr34Error).code;
    expect(await code(unwrapKeyCryptogram(krd.privateKey, v.expected.wrapped_key_cryptogram_hex, 'RSA_OAEP_SHA_512'))).toBe('CRYPTO_FAILED');
    const ct = hexToBytes(v.expected.wrapped_key_cryptogram_hex);
    ct[100]! ^= 0x01;
    expect(await code(unwrapKeyCryptogram(krd.privateKey, ct))).toBe('CRYPTO_FAILED');
    expect(await code(unwrapKeyCryptogram(other.privateKey, v.expected.wrapped_key_cryptogram_hex))).toBe('MALFORMED'); // 256 bytes for RSA-3072
    expect(await code(unwrapKeyCryptogram(krd.privateKey, 'ZZ'))).toBe('MALFORMED');
    const e = await unwrapKeyCryptogram(krd.privateKey, ct).catch((x: unknown) => x as Error);
    expect((e as Error).message).toBe('TR-34 verification or decryption failed');
  });
});

describe('RSA key cryptograms: round trips', () => {
  const pairs = new Map<number, Promise<RsaKeyPair>>();
  const pair = (bits: 2048 | 3072 | 4096): Promise<RsaKeyPair> => {
    if (!pairs.has(bits)) pairs.set(bits, generateRsaKeyPair(bits));
    return pairs.get(bits)!;
  };
  for (const bits of [2048, 3072, 4096] as const) {
    for (const spec of ['RSA_OAEP_SHA_256', 'RSA_OAEP_SHA_512'] as const) {
      it(`RSA-${bits} ${spec}: wrap∘unwrap is the identity for 16/24/32-byte keys, native and seeded encodings both unwrap`, async () => {
        const { privateKey, publicKey } = await pair(bits);
        for (const len of [16, 24, 32]) {
          const key = crypto.getRandomValues(new Uint8Array(len));
          const native = await wrapKeyCryptogram(publicKey, key, { wrappingSpec: spec });
          expect(native).toMatch(/^[0-9A-F]+$/);
          expect(native).toHaveLength(bits / 4);
          expect(await unwrapKeyCryptogram(privateKey, native, spec)).toEqual(key);
          const seed = crypto.getRandomValues(new Uint8Array(spec === 'RSA_OAEP_SHA_256' ? 32 : 64));
          const seeded = await wrapKeyCryptogram(publicKey, key, { wrappingSpec: spec, oaepSeed: seed });
          expect(await unwrapKeyCryptogram(privateKey, seeded.toLowerCase(), spec)).toEqual(key);
        }
      });
    }
  }

  it('rejects keys of other lengths and unknown specs (programmer errors)', async () => {
    const { publicKey } = await pair(2048);
    await expect(wrapKeyCryptogram(publicKey, new Uint8Array(8))).rejects.toThrow(RangeError);
    await expect(wrapKeyCryptogram(publicKey, new Uint8Array(16), { wrappingSpec: 'RSA_OAEP_SHA_1' as never })).rejects.toThrow(RangeError);
  });
});

describe.skipIf(!HAS_OPENSSL)('RSA key cryptograms: OpenSSL CLI decrypts ours', () => {
  for (const spec of ['RSA_OAEP_SHA_256', 'RSA_OAEP_SHA_512'] as const) {
    it(`openssl pkeyutl -decrypt (oaep, ${spec}) recovers the key`, async () => {
      const krd = party('asc.keys.krd_1');
      const key = hexToBytes('00112233445566778899AABBCCDDEEFF0123456789ABCDEF');
      const hex = await wrapKeyCryptogram(krd.certificate, key, { wrappingSpec: spec });
      const md = spec === 'RSA_OAEP_SHA_256' ? 'sha256' : 'sha512';
      const { out } = openssl(
        ['pkeyutl', '-decrypt', '-inkey', '{dir}/k.pem', '-in', '{dir}/ct.bin', '-out', '{dir}/pt.bin', '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', `rsa_oaep_md:${md}`, '-pkeyopt', `rsa_mgf1_md:${md}`],
        { 'k.pem': keyPem(), 'ct.bin': hexToBytes(hex) },
        ['pt.bin'],
      );
      expect(bytesToHex(out['pt.bin']!)).toBe(bytesToHex(key));
    });
  }
});

function keyPem(): string {
  return TR34.asc_x9_tr34_2019_annex_b.keys.krd_1.private_key_pem;
}
