import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** True when the OpenSSL command line is on PATH. */
export const HAS_OPENSSL = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;
export const OPENSSL_VERSION = HAS_OPENSSL ? spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout.trim() : 'absent';

if (!HAS_OPENSSL) console.warn('[tr34 tests] openssl not found on PATH: the independent OpenSSL checks are SKIPPED');

/**
 * Runs openssl in a fresh temp directory holding `files`; `{dir}` in args is replaced by it.
 * Returns stdout and the named output files.
 */
export function openssl(args: string[], files: Record<string, string | Uint8Array>, outputs: string[] = []): { stdout: string; out: Record<string, Buffer> } {
  const dir = mkdtempSync(join(tmpdir(), 'tr34-openssl-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const stdout = execFileSync('openssl', args.map((a) => a.replaceAll('{dir}', dir)), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Record<string, Buffer> = {};
    for (const name of outputs) out[name] = readFileSync(join(dir, name));
    return { stdout, out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
