import { bytesToHex, hexToBytes } from '@paycrypt/primitives';
import { bench, type BenchRow } from '../../../scripts/bench-lib.js';
import { prepareKbpk, unwrapTr31, wrapTr31 } from '../src/index.js';
import { nodeUnwrapD } from './node-baseline.js';

// Published blocks (test-vectors/tr31.json) used to check each operation before timing it.
const B = { // tr31-005, TR-31:2018 A.7.2.2 (2-key TDES KBPK)
  kbpk: 'DD7515F2BFC17F85CE48F3CA25CB21F6',
  key: '3F419E1CB7079442AA37474C2EFBF8B8',
  block: 'B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E',
};
const D128 = { // tr31-059, chhil test128AESKeyBlockTypeD (AES-128 KBPK)
  kbpk: 'F45185EADC5B799819DC8F4C3B58EC73',
  key: '3F419E1CB7079442AA37474C2EFBF8B8',
  block: 'D0112P0TE00E000013B674A99811C18AB8BCFB26D347F8449E68FC074858D85DC452E43910CDC2A5E9BFE75DC94415EC0A82072217D04E35',
};
const D256 = { // tr31-008, TR-31:2018 A.7.4 (AES-256 KBPK)
  kbpk: '88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6',
  key: '3F419E1CB7079442AA37474C2EFBF8B8',
  block: 'D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34',
};

function check(name: string, cond: boolean): void {
  if (!cond) throw new Error(`keyblock bench: ${name} check failed`);
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const cases: [string, typeof B, string, string | undefined][] = [
    ['B, 2-key TDES KBPK', B, 'B0000P0TE00E0000', '>= 50,000'],
    ['D, AES-128 KBPK', D128, 'D0000P0AE00E0000', '>= 150,000'],
    ['D, AES-256 KBPK', D256, 'D0000P0AE00E0000', '>= 150,000'],
  ];
  for (const [label, v, header, target] of cases) {
    const kbpk = hexToBytes(v.kbpk);
    const key = hexToBytes(v.key);
    const prepared = prepareKbpk(kbpk, header[0] as 'B' | 'D');
    // checks first: the published block unwraps to the published key, and wrap round-trips
    check(`${label} unwrap`, bytesToHex(unwrapTr31(prepared, v.block).key) === v.key);
    check(`${label} unwrap (raw KBPK)`, bytesToHex(unwrapTr31(kbpk, v.block).key) === v.key);
    const wrapped = wrapTr31(prepared, header, key);
    check(`${label} wrap`, bytesToHex(unwrapTr31(kbpk.slice(), wrapped).key) === v.key);

    rows.push(bench('keyblock', `TR-31 ${label}: unwrap, KBPK reused (prepareKbpk)`, () => unwrapTr31(prepared, v.block), target ? { target } : {}));
    rows.push(bench('keyblock', `TR-31 ${label}: unwrap, KBPK reused (same Uint8Array)`, () => unwrapTr31(kbpk, v.block)));
    rows.push(bench('keyblock', `TR-31 ${label}: unwrap, fresh KBPK per call`, () => unwrapTr31(kbpk.slice(), v.block)));
    if (header[0] === 'D') {
      // the same unwrap written directly on node:crypto (cipher objects per call), same run
      const raw = Buffer.from(kbpk);
      check(`${label} node:crypto baseline`, nodeUnwrapD(raw, v.block).toString('hex').toUpperCase() === v.key);
      rows.push(bench('keyblock', `TR-31 ${label}: unwrap, direct node:crypto baseline (not the library)`, () => nodeUnwrapD(raw, v.block)));
    }
    rows.push(bench('keyblock', `TR-31 ${label}: wrap, KBPK reused (prepareKbpk)`, () => wrapTr31(prepared, header, key)));
    rows.push(bench('keyblock', `TR-31 ${label}: wrap, fresh KBPK per call`, () => wrapTr31(kbpk.slice(), header, key)));
  }
  return rows;
}
