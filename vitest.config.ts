import { defineConfig } from 'vitest/config';

// Under CI (CI=true) the run also writes a JSON report that .ci/run turns into the
// plain "N passed, N failed" line.
const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ci ? ['default', 'json'] : ['default'],
    outputFile: ci ? { json: '.vitest-report.json' } : {},
  },
});
