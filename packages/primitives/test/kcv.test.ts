import { describe, expect, it } from 'vitest';
import { AesCipher, bytesToHex, cmac, hexToBytes, kcv } from '../src/index.js';
import { loadVectors } from './vectors.js';

interface KcvVector {
  description: string;
  source: unknown;
  inputs: Record<string, string | number>;
  expected: Record<string, string>;
  published?: boolean;
}

const vectors = loadVectors<KcvVector[]>('kcv.json');
const label = (v: KcvVector) => (v.published === false ? `[regression value, not published] ${v.description}` : v.description);

describe('kcv.json', () => {
  it('has the 23 entries of the shared file', () => {
    expect(vectors).toHaveLength(23);
  });

  for (const v of vectors) {
    it(label(v), () => {
      const i = v.inputs;
      if (typeof i.aws_kcv_algorithm === 'string') {
        const alg = i.algorithm as 'TDES' | 'AES';
        const got = kcv(hexToBytes(i.key as string), alg, { method: i.aws_kcv_algorithm as 'CMAC', length: i.kcv_bytes as number });
        expect(bytesToHex(got)).toBe(v.expected.kcv);
      } else if (v.description.startsWith('AES KCV by AES-ECB of zero block')) {
        // contrast case: the wrong method gives a different value
        const got = kcv(hexToBytes(i.key as string), 'AES', { method: 'ANSI_X9_24' });
        expect(bytesToHex(got)).toBe(v.expected.kcv);
        expect(bytesToHex(kcv(hexToBytes(i.key as string), 'AES'))).not.toBe(v.expected.kcv);
      } else if (v.description.startsWith('AES-CMAC over the EMPTY message')) {
        const got = cmac(new AesCipher(hexToBytes(i.key as string)), new Uint8Array(0)).slice(0, 3);
        expect(bytesToHex(got)).toBe(v.expected.kcv);
      } else if (v.expected.L !== undefined) {
        const c = new AesCipher(hexToBytes(i.key as string));
        const l = new Uint8Array(16);
        c.encryptBlockInto(l, 0, l, 0);
        expect(bytesToHex(l)).toBe(v.expected.L);
      } else if (v.expected.cmac !== undefined) {
        const got = cmac(new AesCipher(hexToBytes(i.key as string)), hexToBytes(i.message as string));
        expect(bytesToHex(got)).toBe(v.expected.cmac);
      } else if (i.aes_bdk !== undefined) {
        expect(bytesToHex(kcv(hexToBytes(i.aes_bdk as string), 'AES'))).toBe(v.expected.aes_bdk_kcv);
        expect(bytesToHex(kcv(hexToBytes(i.tdes_bdk as string), 'TDES'))).toBe(v.expected.tdes_bdk_kcv);
      } else if (v.description.includes('(ANSI_X9_24)')) {
        expect(bytesToHex(kcv(hexToBytes(i.key as string), 'TDES'))).toBe(v.expected.kcv);
      } else if (v.description.includes('(CMAC)')) {
        expect(bytesToHex(kcv(hexToBytes(i.key as string), 'AES'))).toBe(v.expected.kcv);
      } else {
        throw new Error(`unhandled vector: ${v.description}`);
      }
    });
  }
});
