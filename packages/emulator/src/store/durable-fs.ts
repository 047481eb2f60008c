import { open, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** The file-system steps the data-directory store relies on for durability. */

/** `name` in `dir` replaced atomically by `chunks`: temporary file, fsync, rename, fsync of dir. */
export async function writeAtomic(dir: string, name: string, chunks: Buffer[]): Promise<void> {
  const tmp = join(dir, `.tmp-${process.pid}-${name}`);
  try {
    const fh = await open(tmp, 'w', 0o600);
    try {
      for (let i = 0; i < chunks.length; i += 1024) {
        const buf = Buffer.concat(chunks.slice(i, i + 1024));
        for (let off = 0; off < buf.length; ) off += (await fh.write(buf, off)).bytesWritten;
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, join(dir, name));
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fsyncDir(dir);
}

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}
