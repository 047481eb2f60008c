import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The browser entry bundles for `platform: 'browser'` with nothing of Node in it. The one import
 * left outside the bundle is `@paycrypt/emulator`, for the generated data-plane route table
 * (DATA_PLANE_MODEL): its index also exports the server, so a browser build needs that table
 * from a model-only subpath of the emulator (not there yet; see README "Browser").
 */
describe('browser bundle of @paycrypt/aws-adapter/browser', () => {
  it('bundles without node: modules; only the emulator model import stays external', async () => {
    const out = await build({
      entryPoints: [fileURLToPath(new URL('../src/browser.ts', import.meta.url))],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      external: ['@paycrypt/emulator'],
      logLevel: 'silent',
    });
    expect(out.errors).toEqual([]);
    const inputs = Object.keys(out.metafile.inputs);
    expect(inputs.some((p) => p.includes('packages/aws-adapter/src/data-plane/client.ts'))).toBe(true);
    expect(inputs.filter((p) => p.startsWith('node:') || p.includes('packages/emulator/') || p.includes('credential-provider'))).toEqual([]);
    const imports = Object.values(out.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
    expect([...new Set(imports)]).toEqual(['@paycrypt/emulator']);
    const bytes = out.outputFiles[0]!.contents.length;
    console.log(`browser bundle: ${(bytes / 1024).toFixed(0)} KiB unminified, ${inputs.length} input files`);
  });
});
