import type { ChildProcess } from 'node:child_process';
import { startServerProcess } from '../../../scripts/bench-lib.js';

/** The emulator as its own process (the way it is deployed), so client and server each get a core. */
export function startChild(): Promise<{ child: ChildProcess; endpoint: string }> {
  return startServerProcess(['--import', 'tsx', new URL('../src/bin/paycrypt-emulator.ts', import.meta.url).pathname, '--port', '0']);
}
