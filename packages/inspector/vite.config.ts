import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { viteSingleFile } from 'vite-plugin-singlefile';
import { contentSecurityPolicy } from './build/csp-plugin.js';

// One self-contained index.html: Chromium refuses module scripts loaded from file:// (origin
// "null"), so the script and the stylesheet are inlined (vite-plugin-singlefile) and the
// Content-Security-Policy allows exactly those inline texts by their SHA-256 (our plugin).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
  },
  plugins: [viteSingleFile({ removeViteModuleLoader: true }), contentSecurityPolicy()],
});
