/**
 * paycrypt: the command-line face of the paycrypt engine.
 * Exit codes: 0 ok, 1 verification failed / mismatch, 2 usage error, 3 service error.
 */
import { Command, CommanderError } from 'commander';
import { refuseSecretsInArgv } from './argv-guard.js';
import { CliError, EXIT, type ExitCode } from './errors.js';
import { jsonMode, report } from './output.js';
import { registerCommands } from './commands/index.js';

export const VERSION = '0.1.0';

const EXIT_HELP = `
Exit codes: 0 ok, 1 verification failed or mismatch, 2 usage error, 3 service error.
Key material is never taken from the command line: use --<name>-file PATH ("-" = stdin) or
--<name>-env NAME. With --json every run prints one JSON object; a failure is
{"ok":false,"error":{"code":"...","message":"..."}} with a stable code.`;

async function program(args: readonly string[]): Promise<Command> {
  const p = new Command('paycrypt')
    .description('Payment key exchange from the shell: TR-31 key blocks, KCVs, DUKPT, CVV, PIN, MAC, EMV, key ceremonies, the emulator')
    .version(VERSION)
    .option('--json', 'machine-readable output: one JSON object per run')
    .showHelpAfterError(false)
    .addHelpText('after', EXIT_HELP);
  await registerCommands(p, args);
  return p;
}

/** Applies the program-wide behaviour to every (sub)command: usage errors throw instead of exiting. */
function configure(cmd: Command): void {
  cmd.exitOverride();
  cmd.configureOutput({
    writeErr: (s) => {
      if (!jsonMode.on) process.stderr.write(s);
    },
  });
  for (const c of cmd.commands) configure(c);
}

function toCliError(e: unknown): CliError {
  if (e instanceof CliError) return e;
  // engine errors carry no key material (their packages' rule), but keep the message generic for
  // anything unexpected
  const code = (e as { code?: unknown })?.code;
  return new CliError('INTERNAL', `unexpected failure${typeof code === 'string' ? ` (${code})` : ''}: ${e instanceof Error ? e.message : 'unknown error'}`);
}

export async function main(argv: readonly string[]): Promise<ExitCode> {
  const args = argv.slice(2);
  jsonMode.on = args.includes('--json');
  const p = await program(args);
  configure(p);
  try {
    refuseSecretsInArgv(args);
    await p.parseAsync(argv as string[]);
    return (process.exitCode as ExitCode | undefined) ?? EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      if (jsonMode.on) report(new CliError('USAGE', e.message.replace(/^error: /, '')));
      return EXIT.usage;
    }
    const ce = toCliError(e);
    report(ce);
    return ce.exitCode;
  }
}

// `paycrypt ... | head`: a reader that goes away is not an error of ours
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
    throw e;
  });
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`paycrypt: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = EXIT.service;
  },
);
