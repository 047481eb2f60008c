// Set-up for the migrate bench: the built bin, an emulator served by it in a child process, a KEK
// whose clear value this process knows (imported by RSA-OAEP key cryptogram, node:crypto here), and
// TR-31 blocks wrapped under it with the expected KCV of each computed with node:crypto.
import {
  ListKeysCommand,
  PaymentCryptographyClient,
  type KeySummary,
} from '@aws-sdk/client-payment-cryptography';
import { prepareKbpk, tr31HeaderFieldsFromAws, wrapTr31 } from '@paycrypt/keyblock';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServerProcess } from '../../../scripts/bench-lib.js';

export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(PACKAGE_DIR, 'dist', 'paycrypt.js');
export const SOURCE_TAG = 'paycrypt:source-sha256';
export const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

/** Rebuilds dist/paycrypt.js when a source is newer (the lock keeps parallel test runs from racing). */
export function buildBin(): void {
  mkdirSync(join(PACKAGE_DIR, 'dist'), { recursive: true });
  execFileSync('flock', [join(PACKAGE_DIR, 'dist', '.build.lock'), process.execPath, join(PACKAGE_DIR, 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
}

/** `paycrypt emulator serve --port 0` in its own process: server and clients each get a core. */
export function startEmulator(): Promise<{ child: ChildProcess; endpoint: string }> {
  return startServerProcess([BIN, 'emulator', 'serve', '--port', '0']);
}

export function client(endpoint: string, region: string): PaymentCryptographyClient {
  return new PaymentCryptographyClient({ region, endpoint, credentials: CREDENTIALS, maxAttempts: 1 });
}

/** The KEK every bench block is wrapped under (test/oracles/kek.ts). */
export { importKek } from '../test/oracles/kek.js';

/** ANSI X9.24 KCV of a TDES key with node:crypto (never the engine): first 3 bytes of E(0⁸). */
export function tdesKcv(key: Uint8Array): string {
  const k = Buffer.from(key);
  const c = createCipheriv('des-ede3-ecb', k.length === 16 ? Buffer.concat([k, k.subarray(0, 8)]) : k, null).setAutoPadding(false);
  return Buffer.concat([c.update(Buffer.alloc(8)), c.final()]).subarray(0, 3).toString('hex').toUpperCase();
}

export interface Block {
  block: string;
  /** the expected KCV (node:crypto, from the clear key generated here) */
  kcv: string;
  /** SHA-256 of the block, the value of the source tag */
  source: string;
}

const FIELDS = tr31HeaderFieldsFromAws({ KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } as never }, 'E');

/** n TR-31 version D blocks of random TDES-2KEY CVKs under the KEK. */
export function makeBlocks(kek: Uint8Array, n: number): Block[] {
  const kbpk = prepareKbpk(kek);
  const out: Block[] = [];
  for (let i = 0; i < n; i++) {
    const key = new Uint8Array(randomBytes(16));
    const block = wrapTr31(kbpk, { version: 'D', keyVersion: '00', keyContext: '0', optionalBlocks: [], ...FIELDS }, key);
    out.push({ block, kcv: tdesKcv(key), source: createHash('sha256').update(block).digest('hex') });
  }
  return out;
}

export async function listKeys(c: PaymentCryptographyClient): Promise<KeySummary[]> {
  const keys: KeySummary[] = [];
  let token: string | undefined;
  do {
    const page = await c.send(new ListKeysCommand({ MaxResults: 100, NextToken: token }));
    keys.push(...(page.Keys ?? []));
    token = page.NextToken;
  } while (token !== undefined);
  return keys;
}
