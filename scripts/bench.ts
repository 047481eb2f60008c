// `pnpm bench`: runs every packages/*/bench/index.ts and prints one Markdown table.
// Usage: pnpm bench [package ...]   (e.g. `pnpm bench keyblock`)
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BenchRow, formatOps } from './bench-lib.js';

const only = process.argv.slice(2);
const rows: BenchRow[] = [];
for (const pkg of readdirSync('packages').sort()) {
  if (only.length > 0 && !only.includes(pkg)) continue;
  const file = resolve(join('packages', pkg, 'bench', 'index.ts'));
  if (!existsSync(file)) continue;
  const mod = (await import(pathToFileURL(file).href)) as { run: () => Promise<BenchRow[]> };
  for (const row of await mod.run()) {
    rows.push(row);
    console.error(`${row.group}: ${row.name}: ${formatOps(row.opsPerSec)} ops/s`);
  }
}
console.log('\n| area | operation | ops/s | target |\n|---|---|---:|---|');
for (const r of rows) console.log(`| ${r.group} | ${r.name} | ${formatOps(r.opsPerSec)} | ${r.target ?? ''} |`);
console.log(`\nnode ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
