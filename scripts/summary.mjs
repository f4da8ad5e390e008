// Prints one closing line for the whole test command: `N passed, N failed, N skipped`.
import { existsSync, readFileSync } from 'node:fs';

const read = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null);
let passed = 0;
let failed = 0;
let skipped = 0;

for (const [file, what] of [
  ['test-results/vitest.json', 'vitest'],
  ['test-results/smoke.json', 'the start smoke test'],
]) {
  const results = read(file);
  if (results) {
    passed += results.numPassedTests;
    failed += results.numFailedTests;
    skipped += results.numPendingTests + (results.numTodoTests ?? 0);
  } else {
    console.log(`${what} wrote no results: counted as one failure`);
    failed += 1;
  }
}

const playwright = read('test-results/playwright.json');
if (playwright) {
  passed += playwright.stats.expected + playwright.stats.flaky;
  failed += playwright.stats.unexpected;
  skipped += playwright.stats.skipped;
} else {
  console.log('playwright wrote no results: counted as one failure');
  failed += 1;
}

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
