import { readFile } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import { FILE_INPUT, FILE_INPUTS, type DriverPage } from './driver-page.ts'

/**
 * A Playwright page as a DriverPage: what the Chromium runs use, from the Playwright test
 * runner (e2e/flows.spec.ts) and from the engine runner alike. `close` ends whatever holds
 * the page (its context).
 */
export function playwrightPage(page: Page, close: () => Promise<void>): DriverPage {
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`))
  const ready = () => page.waitForSelector(FILE_INPUT, { state: 'attached' })
  return {
    async open(url) {
      await page.goto(url)
      await ready()
    },
    async reload() {
      await page.reload()
      await ready()
    },
    setFile: (path, input = 'drop') => page.setInputFiles(FILE_INPUTS[input], path),
    click: (selector) => page.click(selector),
    fill: (selector, text) => page.fill(selector, text),
    evaluate: (script) => page.evaluate(script),
    async download(selector) {
      const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)])
      return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) }
    },
    errors: async () => [...errors],
    close,
  }
}
