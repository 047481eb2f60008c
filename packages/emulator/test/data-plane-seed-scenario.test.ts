import { unwrapTr31 } from '@paycrypt/keyblock';
import { spawn } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPlaneHarness, hasBoto3, type DataPlaneHarness } from './data-plane-kit.js';
import { clearKeyOf, nodeKcv } from './tr31-kit.js';

/**
 * The seed scenario in pure boto3 (scripts/seed-scenario.py, both planes) against the HTTP
 * emulator: KEK + CVK, CVV2, TR-31 export, import back, CVV2 again. The CVV2 is checked against an
 * independent computation: the exported block is opened test-side under the KEK's clear value
 * (@paycrypt/keyblock) and the Visa CVV method is run with node:crypto DES.
 */

const SCRIPT = fileURLToPath(new URL('../scripts/seed-scenario.py', import.meta.url));

function runScript(endpoint: string): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [SCRIPT, endpoint], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Record<string, string>) : reject(new Error(`seed-scenario.py failed (${code}): ${err}`))));
  });
}

const ecb = (key: Buffer, block: Buffer): Buffer => {
  const c = createCipheriv('des-ede3-ecb', key, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()]);
};

/** Visa CVV2 with node:crypto: service code 000, DES_KA(B1) ⊕ B2, TDES(KA,KB), Visa decimalisation. */
function nodeCvv2(cvk: Uint8Array, pan: string, expiry: string): string {
  const digits = (pan + expiry + '000').padEnd(32, '0');
  const b1 = Buffer.from(digits.slice(0, 16), 'hex');
  const b2 = Buffer.from(digits.slice(16), 'hex');
  const ka = Buffer.from(cvk.subarray(0, 8));
  const kb = Buffer.from(cvk.subarray(8, 16));
  const step1 = ecb(Buffer.concat([ka, ka, ka]), b1); // single DES as des-ede3 with K‖K‖K
  for (let i = 0; i < 8; i++) step1[i]! ^= b2[i]!;
  const r = ecb(Buffer.concat([ka, kb, ka]), step1).toString('hex').toUpperCase();
  const dec = [...r].filter((c) => c <= '9').join('') + [...r].filter((c) => c > '9').map((c) => String(c.charCodeAt(0) - 65)).join('');
  return dec.slice(0, 3);
}

describe('seed scenario in boto3, both planes', () => {
  let h: DataPlaneHarness;
  beforeAll(async () => {
    h = await dataPlaneHarness();
  });
  afterAll(async () => h.close());

  it('the node:crypto CVV2 reproduces the published Visa CVV2 example (self-check of the test)', () => {
    const cvk = new Uint8Array(Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex'));
    expect(nodeCvv2(cvk, '4123456789012345', '0225')).toBe('221'); // test-vectors/cvv.json
  });

  it.runIf(hasBoto3())('KEK + CVK → CVV2 → TR-31 export → import → same CVV2, equal to an independent computation', async () => {
    const s = await runScript(h.endpoint);
    expect(s.cvv2).toMatch(/^\d{3}$/);
    expect(s.cvv2Imported).toBe(s.cvv2);
    expect(s.importedKcv).toBe(s.cvkKcv);
    expect(s.exportedKcv).toBe(s.cvkKcv);
    expect(s.cvv2Kcv).toBe(s.cvkKcv);
    expect(s.cvv2ImportedKcv).toBe(s.cvkKcv);
    expect(s.importedArn).not.toBe(s.cvkArn);
    expect(s.exportedBlock!.startsWith('D')).toBe(true);
    expect(s.exportedBlock!.slice(5, 8)).toBe('C0T');

    const kekClear = clearKeyOf(h.emulator, s.kekArn!);
    expect(kekClear).toHaveLength(32);
    const { key } = unwrapTr31(kekClear, s.exportedBlock!);
    expect(key).toHaveLength(16);
    expect(nodeKcv(key, 'TDES', 'ANSI_X9_24')).toBe(s.cvkKcv);
    expect(nodeCvv2(key, s.pan!, s.expiry!)).toBe(s.cvv2);
  });
});
