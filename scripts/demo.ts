// Placeholder demo until TR-31 lands: KCVs of a generated AES-256 key and a TDES key.
import { bytesToHex, kcv, randomBytes } from '@paycrypt/primitives';

const kek = randomBytes(32);
const cvk = randomBytes(16);
console.log('AES-256 KEK KCV (CMAC):     ', bytesToHex(kcv(kek, 'AES')));
console.log('TDES CVK KCV (ANSI X9.24):  ', bytesToHex(kcv(cvk, 'TDES')));
