import type { Command } from 'commander';

type Register = (program: Command) => void;

/** Every top-level command, in the order `paycrypt --help` lists them, each module loaded on demand. */
const COMMANDS: readonly (readonly [name: string, load: () => Promise<Register>])[] = [
  ['tr31', async () => (await import('./tr31.js')).registerTr31],
  ['tr34', async () => (await import('./tr34.js')).registerTr34],
  ['kcv', async () => (await import('./kcv.js')).registerKcv],
  ['dukpt', async () => (await import('./dukpt.js')).registerDukpt],
  ['cvv', async () => (await import('./cvv.js')).registerCvv],
  ['pin', async () => (await import('./pin.js')).registerPin],
  ['mac', async () => (await import('./mac.js')).registerMac],
  ['emv', async () => (await import('./emv.js')).registerEmv],
  ['components', async () => (await import('./components.js')).registerComponents],
  ['emulator', async () => (await import('./emulator.js')).registerEmulator],
  ['migrate', async () => (await import('./migrate.js')).registerMigrate],
  ['demo', async () => (await import('./demo.js')).registerDemo],
  ['keys', async () => (await import('./keys.js')).registerKeys],
];

/**
 * Registers the command `args` name, loading only its module (`paycrypt migrate import` loads
 * neither the engine nor the emulator; `paycrypt tr31 inspect` no AWS SDK), or every command when
 * the args name none of them (`--help`, `help`, a typo, which commander then answers as usual).
 * The only program-wide option, --json, takes no value, so the first other word is the command.
 */
export async function registerCommands(program: Command, args: readonly string[]): Promise<void> {
  const first = args.find((a) => !a.startsWith('-'));
  const named = COMMANDS.find(([name]) => name === first);
  const chosen = named !== undefined ? [named] : COMMANDS;
  for (const register of await Promise.all(chosen.map(([, load]) => load()))) register(program);
}
