import { CliError } from './errors.js';

/**
 * Flags that would carry key material (or a PIN) in argv, where `ps`, shell history and CI logs
 * see it. They are refused before parsing, whatever command they come with; the message names
 * the flag and the safe alternatives, never the value.
 */
const SECRET_ROLES = [
  'kbpk',
  'kek',
  'key',
  'bdk',
  'ipek',
  'cvk',
  'pvk',
  'imk',
  'lmk',
  'pin',
  'pin-block',
  'component',
  'clear-key',
  'secret',
  'session-key',
  'mak',
  'pek',
  'zmk',
  'zpk',
  'password',
  'private-key',
  'kdh-private-key',
  'krd-private-key',
] as const;

const refused = new RegExp(`^--(${SECRET_ROLES.join('|')})(-hex)?(=.*)?$`);

/** Throws SECRET_IN_ARGV for the first refused flag (argv without node and script). */
export function refuseSecretsInArgv(args: readonly string[]): void {
  for (const a of args) {
    if (a === '--') return;
    const m = refused.exec(a);
    if (m === null) continue;
    const role = m[1]!;
    throw new CliError(
      'SECRET_IN_ARGV',
      `--${role}${m[2] ?? ''} is refused: key material on the command line is visible to other users (ps), ` +
        `shell history and CI logs. Use --${role}-file PATH (PATH "-" reads stdin) or --${role}-env NAME instead.`,
      { details: { flag: `--${role}${m[2] ?? ''}` } },
    );
  }
}
