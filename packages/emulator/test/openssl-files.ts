import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The API's certificate form is base64 of the PEM text. */
export function pem(aws: string): string {
  return Buffer.from(aws, 'base64').toString('utf8');
}

export interface OpensslFiles {
  /** writes `files` into the work directory, runs `openssl args` there; undefined (with a warning) without the openssl CLI */
  run(args: string[], files: Record<string, string>): string | undefined;
  /** removes the work directory */
  cleanup(): void;
}

/** The openssl CLI over a temporary work directory, made on first use. */
export function opensslFiles(prefix: string): OpensslFiles {
  let dir: string | undefined;
  return {
    run(args, files) {
      try {
        execFileSync('openssl', ['version'], { stdio: 'ignore' });
      } catch {
        console.warn('openssl CLI not found: the OpenSSL cross-checks are skipped');
        return undefined;
      }
      dir ??= mkdtempSync(join(tmpdir(), prefix));
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      return execFileSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    },
    cleanup() {
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    },
  };
}
