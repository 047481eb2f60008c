import type { Command } from 'commander';
import { registerTr31 } from './tr31.js';

export function registerCommands(program: Command): void {
  registerTr31(program);
}
