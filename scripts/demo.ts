// `pnpm demo`: TR-31 in one screen. Generate an AES-256 KEK and a TDES CVK, wrap the CVK
// under the KEK (version D), print the block, its parsed header and both KCVs, unwrap it and
// show that the KCV matches.
import { awsKeyAttributesFromTr31, parseTr31, unwrapTr31, wrapTr31 } from '@paycrypt/keyblock';
import { bytesToHex, constantTimeEqual, kcv, randomBytes } from '@paycrypt/primitives';

const kek = randomBytes(32); // AES-256 key block protection key (TR31_K0)
const cvk = randomBytes(16); // double-length TDES card verification key (TR31_C0)

const kekKcv = bytesToHex(kcv(kek, 'AES'));
const cvkKcv = kcv(cvk, 'TDES');
console.log('1. Keys generated (the clear keys are never printed)');
console.log(`   KEK  AES-256   KCV ${kekKcv} (CMAC)`);
console.log(`   CVK  TDES 2key KCV ${bytesToHex(cvkKcv)} (ANSI X9.24)`);

const block = wrapTr31(kek, 'D0000C0TC00E0000', cvk);
console.log('\n2. CVK wrapped under the KEK as a TR-31 / X9.143 version D key block');
console.log(`   ${block}`);

const h = parseTr31(block);
console.log('\n3. Parsed header (no key needed)');
console.log(`   version ${h.version}, length ${block.length}, usage ${h.keyUsage}, algorithm ${h.algorithm}, mode ${h.modeOfUse}`);
console.log(`   key version ${h.keyVersion}, exportability ${h.exportability}, key context ${h.keyContext}`);
console.log(`   optional blocks: ${h.optionalBlocks.map((b) => `${b.id}(${b.data.length})`).join(' ') || 'none'}`);
const aws = awsKeyAttributesFromTr31(h, cvk.length);
const modes = Object.entries(aws.KeyModesOfUse).filter(([, v]) => v).map(([k]) => k).join('+');
console.log(`   as AWS key attributes: ${aws.KeyUsage}, ${aws.KeyAlgorithm}, modes ${modes}`);

const { key } = unwrapTr31(kek, block);
const back = kcv(key, 'TDES');
console.log('\n4. Unwrapped with the KEK');
console.log(`   KCV ${bytesToHex(back)} ${constantTimeEqual(back, cvkKcv) ? 'matches' : 'DOES NOT MATCH'} the original ${bytesToHex(cvkKcv)}`);
if (!constantTimeEqual(back, cvkKcv)) process.exit(1);
