import { defineConfig, devices } from '@playwright/test'
import { chromiumArgs, findChromium } from './e2e/find-chromium.ts'

const port = Number(process.env.E2E_PORT ?? 4183)

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  // A 2-core machine runs two browsers, a preview server and 100 MB packages at once:
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
  webServer: {
    command: `npx vite preview --port ${port} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: false,
    env: { TPNS_SANDBOX_DIR: '.sandbox-e2e' },
  },
})
