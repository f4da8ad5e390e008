import { defineConfig } from '@playwright/test';
import { e2eServer } from './support/server-config.js';

export default defineConfig({
  testDir: './tests',
  outputDir: '../test-results/playwright-artifacts',
  fullyParallel: false,
  workers: 1,
  // Journeys change the data they walk through: a retry would not start from the same state.
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: '../test-results/playwright.json' }]],
  globalSetup: './support/global-setup.ts',
  use: {
    baseURL: e2eServer.url,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Playwright cannot download its browser here; Debian's Chromium is installed instead.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-gpu',
      ],
    },
  },
  projects: [
    { name: 'first-run', testMatch: /first-run\.spec\.ts/ },
    { name: 'journeys', testIgnore: /(first-run|google-workspace|pages-a11y|alerts|phone-journeys)\.spec\.ts/, dependencies: ['first-run'] },
    // Sets GoToMeeting up and deletes it again (L-7): after the journeys that expect it untouched.
    { name: 'alerts', testMatch: /alerts\.spec\.ts/, dependencies: ['journeys'] },
    // Switches the directory to Google: after every journey that uses the built-in one.
    { name: 'google', testMatch: /google-workspace\.spec\.ts/, dependencies: ['alerts'] },
    // Every page at two sizes, last: by then the journeys have filled them (runs, reports, events).
    { name: 'pages', testMatch: /pages-a11y\.spec\.ts/, dependencies: ['google'] },
    // The 1440 px journeys again at 390×844, on what every project before left (nothing is saved).
    { name: 'phone', testMatch: /phone-journeys\.spec\.ts/, dependencies: ['pages'] },
  ],
});
