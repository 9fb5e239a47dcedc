import { readFile } from 'node:fs/promises'
import { expect, type Locator, type Page } from '@playwright/test'
import type { filePayload } from './fixtures.ts'

export type Payload = ReturnType<typeof filePayload>

/** Gives the drop zone a file and waits for its report. */
export async function drop(page: Page, payload: Payload | string): Promise<Locator> {
  await page.locator('[data-testid=drop-zone] input[type=file]').setInputFiles(payload)
  const report = page.getByTestId('report')
  await expect(report).toHaveAttribute('data-state', 'done')
  return report
}

/** A count the report shows; a count it does not show is 0 (CONTRACT.md). */
export async function count(page: Page, code: string): Promise<number> {
  const element = page.getByTestId(`count-${code}`)
  if ((await element.count()) === 0) return 0
  return Number((await element.innerText()).replace(/[^\d]/g, ''))
}

/** Clicks a download button and returns the file's name and bytes. */
export async function download(
  page: Page,
  testId: string,
): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId(testId).click(),
  ])
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) }
}
