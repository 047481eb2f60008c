import { randomBytes } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import { dirname, relative, resolve, isAbsolute, join } from 'node:path';

/**
 * The local master key (LMK): 32 bytes (AES-256) that seal every key's material.
 *
 * Where it comes from, first match wins:
 * 1. the environment variable PAYCRYPT_EMULATOR_LMK (64 hex digits);
 * 2. `--lmk-file FILE` (64 hex digits, surrounding whitespace ignored);
 * 3. with `--data-dir DIR` and no file given: `DIR.lmk` next to (not inside) the directory;
 * 4. nothing persisted: a random LMK for the life of the process.
 * A file named by 2 or 3 that does not exist is generated on first start (mode 0600, written
 * atomically). The LMK is never written into the data directory: a file inside it is refused.
 */
export const LMK_ENV = 'PAYCRYPT_EMULATOR_LMK';

export interface LmkOptions {
  lmkFile?: string;
  dataDir?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

export interface LoadedLmk {
  lmk: Uint8Array;
  /** where it came from, for the start-up line (never the key itself) */
  source: string;
  generated: boolean;
}

function parseLmk(text: string, where: string): Uint8Array {
  const hex = text.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error(`${where}: expected 64 hex digits (an AES-256 key)`);
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

function isInside(child: string, parent: string): boolean {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

async function writeNewLmk(path: string, lmk: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.lmk-tmp-${process.pid}`);
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(`${Buffer.from(lmk).toString('hex').toUpperCase()}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  const d = await open(dirname(path), 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

export async function loadLmk(options: LmkOptions = {}): Promise<LoadedLmk> {
  const env = options.env ?? process.env;
  const fromEnv = env[LMK_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return { lmk: parseLmk(fromEnv, LMK_ENV), source: `environment ${LMK_ENV}`, generated: false };
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  const file = options.lmkFile !== undefined ? resolve(options.lmkFile) : dataDir !== undefined ? `${dataDir}.lmk` : undefined;
  if (file === undefined) return { lmk: new Uint8Array(randomBytes(32)), source: 'random (not persisted)', generated: true };
  if (dataDir !== undefined && isInside(file, dataDir)) throw new Error(`the LMK file ${file} must not be inside the data directory ${dataDir}`);
  try {
    return { lmk: parseLmk(await readFile(file, 'utf8'), file), source: `file ${file}`, generated: false };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const lmk = new Uint8Array(randomBytes(32));
  await writeNewLmk(file, lmk);
  return { lmk, source: `file ${file} (generated)`, generated: true };
}
