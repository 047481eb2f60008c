// Builds the `paycrypt` bin: one ES module bundle (dist/paycrypt.js) that plain `node` runs.
// esbuild compiles the TypeScript of this package and of the workspace packages it imports
// (their `exports` point at .ts sources) and inlines npm dependencies, so the bin needs no
// node_modules at run time. Commands are loaded with dynamic import(): with `splitting` each
// lands in its own chunk and `paycrypt tr31 inspect` does not load the emulator.
// Run by this package's `prepare` script, i.e. on every `pnpm install` at the root.
import { build } from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// --if-stale (the tests): do nothing when dist/paycrypt.js is newer than every source file of
// this package and of the workspace packages it bundles.
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
if (process.argv.includes('--if-stale')) {
  let built = 0;
  try {
    built = statSync(join(here, 'dist', 'paycrypt.js')).mtimeMs;
  } catch {}
  const sources = ['src', '../primitives/src', '../keyblock/src', '../tr34/src', '../emulator/src', '../aws-adapter/src'].map((d) => newest(join(here, d)));
  if (built > Math.max(statSync(join(here, 'build.mjs')).mtimeMs, ...sources)) process.exit(0);
}
rmSync(join(here, 'dist', 'chunks'), { recursive: true, force: true });

// @paycrypt/primitives uses node-forge only for DES/TDES (forge.des, forge.cipher.modes.ecb,
// forge.util). The package's main file loads all of forge (TLS, RSA, PKI ...), a third of the
// start-up time; forge's lib/des.js loads just those three parts into the same forge object.
const fromPrimitives = createRequire(join(here, '..', 'primitives', 'package.json'));
const forgeDes = fromPrimitives.resolve('node-forge/lib/des.js');
const forgeCore = fromPrimitives.resolve('node-forge/lib/forge.js');
const forgeDesOnly = {
  name: 'forge-des-only',
  setup(b) {
    // only for the DES adapter of primitives; any other importer gets the whole of forge
    b.onResolve({ filter: /^node-forge$/ }, (args) =>
      /[\\/]primitives[\\/]src[\\/]cipher[\\/]/.test(args.importer) ? { path: 'forge-des-only', namespace: 'paycrypt' } : undefined,
    );
    b.onLoad({ filter: /^forge-des-only$/, namespace: 'paycrypt' }, () => ({
      // lib/des.js exports forge.des; lib/forge.js is the shared forge object it fills in
      contents: `import ${JSON.stringify(forgeDes)}; import forge from ${JSON.stringify(forgeCore)}; export default forge;`,
      resolveDir: here,
      loader: 'js',
    }));
  },
};

await build({
  plugins: [forgeDesOnly],
  absWorkingDir: here,
  entryPoints: { paycrypt: 'src/main.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  mainFields: ['module', 'main'],
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies (node-forge) call require() for node built-ins; give the ESM bundle one.
  banner: { js: "import { createRequire as __paycryptCreateRequire } from 'node:module'; const require = __paycryptCreateRequire(import.meta.url);" },
});
