import { spawn, type ChildProcess } from 'node:child_process';

/** The emulator as its own process (the way it is deployed), so client and server each get a core. */
export function startChild(): Promise<{ child: ChildProcess; endpoint: string }> {
  const bin = new URL('../src/bin/paycrypt-emulator.ts', import.meta.url).pathname;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', bin, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, endpoint: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
}
