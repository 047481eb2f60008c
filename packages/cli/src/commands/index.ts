import type { Command } from 'commander';
import { registerComponents } from './components.js';
import { registerCvv } from './cvv.js';
import { registerDemo } from './demo.js';
import { registerDukpt } from './dukpt.js';
import { registerEmulator } from './emulator.js';
import { registerEmv } from './emv.js';
import { registerKcv } from './kcv.js';
import { registerKeys } from './keys.js';
import { registerMac } from './mac.js';
import { registerMigrate } from './migrate.js';
import { registerPin } from './pin.js';
import { registerTr31 } from './tr31.js';
import { registerTr34 } from './tr34.js';

export function registerCommands(program: Command): void {
  registerTr31(program);
  registerTr34(program);
  registerKcv(program);
  registerDukpt(program);
  registerCvv(program);
  registerPin(program);
  registerMac(program);
  registerEmv(program);
  registerComponents(program);
  registerEmulator(program);
  registerMigrate(program);
  registerDemo(program);
  registerKeys(program);
}
