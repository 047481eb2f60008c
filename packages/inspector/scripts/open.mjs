// Opens the built page (dist/index.html) in the system's browser: it is a plain file, no server.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const index = fileURLToPath(new URL('../dist/index.html', import.meta.url));
if (!existsSync(index)) {
  console.error('dist/index.html is missing: run `pnpm --filter @paycrypt/inspector build` first');
  process.exit(1);
}
const url = pathToFileURL(index).href;
const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
console.log(url);
const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
child.on('error', () => console.log(`open ${url} in a browser`));
child.unref();
