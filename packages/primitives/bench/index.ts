import { bench, type BenchRow } from '../../../scripts/bench-lib.js';
import {
  AesCipher,
  AesDukptBdk,
  AesDukptDeriver,
  CardVerificationKey,
  TdesCipher,
  TdesDukptBdk,
  aesDukptWorkingKey,
  bytesToHex,
  encipherIso4PinBlock,
  encryptWithMode,
  generateCvv2,
  generateMac,
  hexToBytes,
  kcv,
  kcvWithCipher,
  popcount32,
  tdesDukptTransactionKey,
} from '../src/index.js';
import { emvBenchRows } from './emv.js';

function check(got: string, want: string, what: string): void {
  if (got !== want) throw new Error(`${what}: got ${got}, expected ${want}`);
}

export async function run(): Promise<BenchRow[]> {
  const tdesKey = hexToBytes('0123456789ABCDEFFEDCBA9876543210');
  const aesKey = hexToBytes('00112233445566778899AABBCCDDEEFF');
  // check before timing (kcv.json)
  check(bytesToHex(kcv(tdesKey, 'TDES')), '08D7B4', 'TDES KCV');
  check(bytesToHex(kcv(aesKey, 'AES')), '53E107', 'AES KCV');
  const tdes = new TdesCipher(tdesKey);
  const aes = new AesCipher(aesKey);

  // dukpt.json: X9.24-1:2009 A.4 (counter 8, and a 10-bit rollover counter)
  const tdesBdk = new TdesDukptBdk(tdesKey);
  check(bytesToHex(tdesDukptTransactionKey(tdesBdk, 'FFFF9876543210E00008')), '27F66D5244FF62E1AA6F6120EDEB4280', 'TDES DUKPT');
  check(bytesToHex(tdesDukptTransactionKey(tdesBdk, 'FFFF9876543210EFF800')), 'F9CDFEBF4F5B1D9EB3EC12454527E176', 'TDES DUKPT rollover');
  // dukpt.json: X9.24-3:2017 supplement (counter 8) and openemv (counter 0x845FED, 14 one-bits)
  const aesBdk = new AesDukptBdk(hexToBytes('FEDCBA9876543210F1F1F1F1F1F1F1F1'));
  check(bytesToHex(aesDukptWorkingKey(aesBdk, '123456789012345600000008', { usage: 'PIN_ENCRYPTION' })), '4D9DF3FBEE3448FC3E676D04320A90F5', 'AES DUKPT, counter 8');
  check(bytesToHex(aesDukptWorkingKey(aesBdk, '123456789012345600845FED', { usage: 'PIN_ENCRYPTION' })), 'D1DDA386AA4A556AF0119FDCB5D132C6', 'AES DUKPT, counter 845FED');
  // the deriver must give the same published keys (dukpt.json), and keeps its path between calls
  const deriver = AesDukptDeriver.fromBdk(aesBdk, '1234567890123456');
  check(bytesToHex(deriver.workingKey('123456789012345600845FED', { usage: 'PIN_ENCRYPTION' })), 'D1DDA386AA4A556AF0119FDCB5D132C6', 'deriver, counter 845FED');
  check(bytesToHex(deriver.workingKey('123456789012345600000008', { usage: 'PIN_ENCRYPTION' })), '4D9DF3FBEE3448FC3E676D04320A90F5', 'deriver, counter 8');
  // a terminal's walk: the next 4,096 valid counters from 0x845FED (≤ 16 one-bits), in order
  const seq: string[] = [];
  for (let c = 0x845fed; seq.length < 4096; c++) if (popcount32(c) <= 16) seq.push(`12345678901234560${c.toString(16).toUpperCase().padStart(7, '0')}`);
  for (let i = 0; i < 64; i++) {
    const a = bytesToHex(deriver.workingKey(seq[i]!, { usage: 'PIN_ENCRYPTION' }));
    check(a, bytesToHex(aesDukptWorkingKey(aesBdk, seq[i]!, { usage: 'PIN_ENCRYPTION' })), `deriver vs stateless, ${seq[i]}`);
  }
  let seqIndex = 0;
  // cvv.json: CyberChef CVV2 221
  const cvk = new CardVerificationKey(tdesKey);
  check(generateCvv2(cvk, { pan: '4123456789012345', expiry: '0225' }), '221', 'CVV2');
  // pin.json: psec ISO-4 encipher with random bytes FF…FF
  const pinKey = new AesCipher(aesKey);
  const ff = (n: number) => new Uint8Array(n).fill(0xff);
  check(bytesToHex(encipherIso4PinBlock(pinKey, '1234', '1234567890123456789', { random: ff })), '28B41FDDD29B743E93124BD8E32D921E', 'ISO-4');
  // mac.json: RFC 4231 test case 2, HMAC-SHA-256
  const jefe = new TextEncoder().encode('Jefe');
  const wdyw = new TextEncoder().encode('what do ya want for nothing?');
  check(bytesToHex(generateMac('HMAC_SHA256', jefe, wdyw)), '5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843', 'HMAC');
  // cipher-modes.json: SP 800-38A F.3.7 CFB8-AES128 and F.4.1 OFB-AES128
  const f3 = new AesCipher(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'));
  const f3iv = hexToBytes('000102030405060708090A0B0C0D0E0F');
  const f3pt = hexToBytes('6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E5130C81C46A35CE411E5FBC1191A0A52EFF69F2445DF4F9B17AD2B417BE66C3710');
  check(bytesToHex(encryptWithMode(f3, 'CFB8', f3iv, f3pt.subarray(0, 18))), '3B79424C9C0DD436BACE9E0ED4586A4F32B9', 'CFB8');
  check(bytesToHex(encryptWithMode(f3, 'OFB', f3iv, f3pt)).slice(0, 32), '3B3FD92EB72DAD20333449F8E83CFB4A', 'OFB');

  const rows = [
    bench('primitives', 'KCV TDES (ANSI X9.24), fresh key', () => kcv(tdesKey, 'TDES')),
    bench('primitives', 'KCV AES (CMAC), fresh key', () => kcv(aesKey, 'AES')),
    bench('primitives', 'KCV TDES, key schedule reused', () => kcvWithCipher(tdes, 'ANSI_X9_24')),
    bench('primitives', 'KCV AES, key schedule reused', () => kcvWithCipher(aes, 'CMAC')),
    bench('primitives', 'TDES DUKPT transaction key, counter 8 (1 one-bit), BDK reused', () => tdesDukptTransactionKey(tdesBdk, 'FFFF9876543210E00008')),
    bench('primitives', 'TDES DUKPT transaction key, counter 1FF800 (10 one-bits), BDK reused', () => tdesDukptTransactionKey(tdesBdk, 'FFFF9876543210EFF800')),
    bench('primitives', 'AES DUKPT working key (PIN, AES-128), counter 8, BDK reused', () => aesDukptWorkingKey(aesBdk, '123456789012345600000008', { usage: 'PIN_ENCRYPTION' }), {
      target: '>= 100,000',
    }),
    bench('primitives', 'AES DUKPT working key (PIN, AES-128), counter 845FED (14 one-bits), BDK reused, fresh per call', () =>
      aesDukptWorkingKey(aesBdk, '123456789012345600845FED', { usage: 'PIN_ENCRYPTION' }),
      { target: '>= 100,000' },
    ),
    bench('primitives', 'AES DUKPT working key, counter 845FED, AesDukptDeriver reused (same counter: 1 step)', () =>
      deriver.workingKey('123456789012345600845FED', { usage: 'PIN_ENCRYPTION' }),
    ),
    bench('primitives', 'AES DUKPT working key, counters 845FED.. in sequence, AesDukptDeriver reused', () => {
      const k = deriver.workingKey(seq[seqIndex]!, { usage: 'PIN_ENCRYPTION' });
      seqIndex = (seqIndex + 1) & 4095;
      return k;
    }),
    bench('primitives', 'AES DUKPT working key, counters 845FED.. in sequence, fresh per call', () => {
      const k = aesDukptWorkingKey(aesBdk, seq[seqIndex]!, { usage: 'PIN_ENCRYPTION' });
      seqIndex = (seqIndex + 1) & 4095;
      return k;
    }),
    bench('primitives', 'CVV2 generation, CVK reused', () => generateCvv2(cvk, { pan: '4123456789012345', expiry: '0225' }), { target: '>= 100,000' }),
    bench('primitives', 'CVV2 generation, fresh CVK bytes', () => generateCvv2(tdesKey, { pan: '4123456789012345', expiry: '0225' })),
    bench('primitives', 'ISO-4 PIN block encryption, AES key reused', () => encipherIso4PinBlock(pinKey, '1234', '1234567890123456789')),
    bench('primitives', 'HMAC-SHA-256, 28-byte message', () => generateMac('HMAC_SHA256', jefe, wdyw)),
    bench('primitives', 'AES-128 CFB8 encrypt, 64 bytes, key schedule reused', () => encryptWithMode(f3, 'CFB8', f3iv, f3pt)),
    bench('primitives', 'AES-128 OFB encrypt, 64 bytes, key schedule reused', () => encryptWithMode(f3, 'OFB', f3iv, f3pt)),
    bench('primitives', 'TDES CFB8 encrypt, 64 bytes, key schedule reused', () => encryptWithMode(tdes, 'CFB8', undefined, f3pt)),
  ];
  deriver.dispose();
  return [...rows, ...emvBenchRows()];
}
