import { bench, type BenchRow } from '../../../scripts/bench-lib.js';
import { AesCipher, TdesCipher, bytesToHex, hexToBytes, kcv, kcvWithCipher } from '../src/index.js';

export async function run(): Promise<BenchRow[]> {
  const tdesKey = hexToBytes('0123456789ABCDEFFEDCBA9876543210');
  const aesKey = hexToBytes('00112233445566778899AABBCCDDEEFF');
  // check before timing (kcv.json)
  if (bytesToHex(kcv(tdesKey, 'TDES')) !== '08D7B4') throw new Error('TDES KCV wrong');
  if (bytesToHex(kcv(aesKey, 'AES')) !== '53E107') throw new Error('AES KCV wrong');
  const tdes = new TdesCipher(tdesKey);
  const aes = new AesCipher(aesKey);
  return [
    bench('primitives', 'KCV TDES (ANSI X9.24), fresh key', () => kcv(tdesKey, 'TDES')),
    bench('primitives', 'KCV AES (CMAC), fresh key', () => kcv(aesKey, 'AES')),
    bench('primitives', 'KCV TDES, key schedule reused', () => kcvWithCipher(tdes, 'ANSI_X9_24')),
    bench('primitives', 'KCV AES, key schedule reused', () => kcvWithCipher(aes, 'CMAC')),
  ];
}
