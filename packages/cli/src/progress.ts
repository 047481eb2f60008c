// Loaded with import() by `migrate import` on a terminal only (a chunk of its own): cli-progress,
// CommonJS, imported statically here so esbuild gives it named exports.
export { SingleBar, Presets } from 'cli-progress';
