import { randomBytes } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { CliError } from './errors.js';

/**
 * The emulator's local master key, found the way `paycrypt-emulator` finds it (first match wins):
 * the PAYCRYPT_EMULATOR_LMK variable (64 hex digits); --lmk-file FILE; with --data-dir DIR and no
 * file, DIR.lmk beside the directory; else a random key for the life of the process. A named file
 * that does not exist is created (mode 0600, written atomically); a file inside the data
 * directory is refused.
 *
 * NOTE: @paycrypt/emulator keeps its own `loadLmk` internal (not in its index), so this is a
 * second copy of the same rules; exporting it from the emulator would remove this file.
 */
export const LMK_ENV = 'PAYCRYPT_EMULATOR_LMK';

function parse(text: string, where: string): Uint8Array {
  const h = text.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(h)) throw new CliError('INVALID_KEY', `${where}: expected 64 hex digits (an AES-256 key)`);
  return new Uint8Array(Buffer.from(h, 'hex'));
}

export async function loadEmulatorLmk(lmkFile: string | undefined, dataDirIn: string | undefined): Promise<{ lmk: Uint8Array; source: string }> {
  const env = process.env[LMK_ENV];
  if (env !== undefined && env !== '') return { lmk: parse(env, LMK_ENV), source: `environment ${LMK_ENV}` };
  const dataDir = dataDirIn === undefined ? undefined : resolve(dataDirIn);
  const file = lmkFile !== undefined ? resolve(lmkFile) : dataDir !== undefined ? `${dataDir}.lmk` : undefined;
  if (file === undefined) return { lmk: new Uint8Array(randomBytes(32)), source: 'random (not persisted)' };
  if (dataDir !== undefined) {
    const r = relative(dataDir, file);
    if (r === '' || (!r.startsWith('..') && !isAbsolute(r))) throw new CliError('USAGE', `the LMK file ${file} must not be inside the data directory ${dataDir}`);
  }
  try {
    return { lmk: parse(await readFile(file, 'utf8'), file), source: `file ${file}` };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      if (e instanceof CliError) throw e;
      throw new CliError('SERVICE_ERROR', `cannot read the LMK file ${file} (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
  }
  const lmk = new Uint8Array(randomBytes(32));
  const tmp = join(dirname(file), `.lmk-tmp-${process.pid}`);
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(`${Buffer.from(lmk).toString('hex').toUpperCase()}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
  return { lmk, source: `file ${file} (generated)` };
}
