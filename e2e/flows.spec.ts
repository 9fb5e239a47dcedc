import { test } from '@playwright/test'
import {
  startProxyWithoutIsolation,
  type ProxyWithoutIsolation,
} from '../src/testing/node/without-isolation.ts'
import { playwrightPage } from './engines/playwright-page.ts'
import { runFlow } from './flows/flow.ts'
import { createFlowFiles } from './flows/flow-files.ts'
import { FLOWS } from './flows/flow-list.ts'

// The flows Firefox and WebKit run too (e2e/engines/run-engines.ts), here in Chromium under
// the Playwright test runner: each test a fresh context, so storage of its own.

let proxy: ProxyWithoutIsolation

test.beforeAll(async ({ baseURL }) => {
  proxy = await startProxyWithoutIsolation(baseURL ?? '')
})

test.afterAll(async () => {
  await proxy.close()
})

for (const flow of FLOWS) {
  test(flow.name, async ({ page, baseURL }, testInfo) => {
    const files = await createFlowFiles()
    try {
      await runFlow(flow, {
        engine: 'chromium',
        page: playwrightPage(page, () => page.close()),
        url: baseURL ?? '',
        urlWithoutIsolation: proxy.url,
        file: files.file,
        note: (line) => testInfo.annotations.push({ type: 'note', description: line }),
      })
    } finally {
      await files.remove()
    }
  })
}
