import { defineConfig, devices } from '@playwright/test'
import { chromiumArgs, findChromium } from './e2e/find-chromium.ts'

const port = Number(process.env.E2E_PORT ?? 4183)

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  // A 2-core machine runs two browsers, the app's server and 100 MB packages at once:
  // waits are generous so that load alone does not fail a test.
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  // No retries: a test that fails once is a bug to find (a retry once hid a hang in the page).
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: { executablePath: findChromium(), args: chromiumArgs },
      },
    },
  ],
  // The production server, as `npm start` runs it once built (`npm run test:e2e` builds first).
  webServer: {
    command: 'node dist-server/start.js',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    env: { HOST: '127.0.0.1', PORT: String(port), TPNS_SANDBOX_DIR: '.sandbox-e2e' },
  },
})
