import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The browser entry bundles for `platform: 'browser'` with nothing of Node in it. The generated
 * data-plane route table (DATA_PLANE_MODEL) comes from the emulator's model-only subpath
 * `@paycrypt/emulator/model`: of the emulator, only src/model/ files may be in the bundle.
 */
describe('browser bundle of @paycrypt/aws-adapter/browser', () => {
  it('bundles without node: modules; of the emulator only its generated model is included', async () => {
    const out = await build({
      entryPoints: [fileURLToPath(new URL('../src/browser.ts', import.meta.url))],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    expect(out.errors).toEqual([]);
    const inputs = Object.keys(out.metafile.inputs);
    expect(inputs.some((p) => p.includes('packages/aws-adapter/src/data-plane/client.ts'))).toBe(true);
    expect(inputs.filter((p) => p.startsWith('node:') || (p.includes('packages/emulator/') && !p.includes('packages/emulator/src/model/')) || p.includes('credential-provider'))).toEqual([]);
    expect(inputs.some((p) => p.includes('packages/emulator/src/model/data-plane.generated.ts'))).toBe(true);
    const imports = Object.values(out.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
    expect(imports).toEqual([]);
    const bytes = out.outputFiles[0]!.contents.length;
    console.log(`browser bundle: ${(bytes / 1024).toFixed(0)} KiB unminified, ${inputs.length} input files`);
  });
});
