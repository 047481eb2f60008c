// Reads vitest's JSON report and prints one plain line "N passed, N failed".
// Exits non-zero when a test failed, a suite failed to load, or nothing ran.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.vitest-report.json';
if (!existsSync(file)) {
  console.log('0 passed, 0 failed');
  console.error(`no test report at ${file}: the test run did not complete`);
  process.exit(1);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const passed = r.numPassedTests ?? 0;
const failedTests = r.numFailedTests ?? 0;
const failedSuites = r.numFailedTestSuites ?? 0;
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
// A suite that fails to load has no failed tests of its own: count it as one failure.
const failed = failedTests + (failedTests === 0 ? failedSuites : 0);
if (skipped > 0) console.log(`(${skipped} skipped)`);
// the last line, exactly as CI reads it
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
