// A small project lint, run by `pnpm check` after the type check:
// - no `export *` (explicit named exports only, see DESIGN.md conventions);
// - engine packages (primitives, keyblock, tr34) import no node: modules and no AWS SDK.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const problems = [];
function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}
for (const pkg of readdirSync('packages')) {
  let files;
  try {
    files = walk(join('packages', pkg, 'src'));
  } catch {
    continue;
  }
  const engine = ['primitives', 'keyblock', 'tr34'].includes(pkg);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    text.split('\n').forEach((line, i) => {
      if (/^\s*export \*/.test(line)) problems.push(`${f}:${i + 1}: export * (use named exports)`);
      if (engine && /from ['"](node:|@aws-sdk\/)/.test(line)) problems.push(`${f}:${i + 1}: engine package imports ${line.trim()}`);
    });
  }
}
for (const p of problems) console.error(p);
if (problems.length > 0) process.exit(1);
console.log('lint: ok');
