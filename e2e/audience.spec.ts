import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { filePayload, tokens } from './fixtures.ts'
import { count, download } from './page-actions.ts'

// Two segment lists and an opt-out list, as marketers combine them.
const [t1, t2, t3, t4, t5] = tokens(5)
const october = filePayload('october.txt', [t1, t2, t3].join('\n') + '\n')
const week = filePayload('week.csv', ['device_token', t3, t4, t5].join('\r\n') + '\r\n', 'text/csv')
// Another tool's export: a header, a semicolon dialect, uppercase and quotes.
const optOut = filePayload(
  'optout.csv',
  ['Token;Reason', `"${t2.toUpperCase()}";unsubscribed`, `${t5};bounced`].join('\n') + '\n',
  'text/csv',
)

test.beforeEach(async ({ page }) => {
  await page.goto('/')
})

/** Waits until the package holds `files` files and no list is being read. */
async function settled(page: Page, files: number) {
  await expect(page.getByTestId('source')).toHaveCount(files)
  await expect(page.locator('section.sources')).toHaveAttribute('aria-busy', 'false')
}

test('two lists and an exclusion list make one clean package, uploaded with its sources', async ({
  page,
}) => {
  await page.locator('[data-testid=drop-zone] input[type=file]').setInputFiles([october, week])
  await settled(page, 2)
  const sources = page.getByTestId('source')
  await expect(sources.nth(0)).toHaveAttribute('data-rows', '3')
  await expect(sources.nth(1)).toHaveAttribute('data-rows', '4')
  expect(await count(page, 'rows')).toBe(7)
  expect(await count(page, 'duplicate')).toBe(1)
  expect(await count(page, 'header')).toBe(1)

  await page.locator('[data-testid=exclude-zone] input[type=file]').setInputFiles(optOut)
  await expect(page.getByTestId('exclusion')).toHaveAttribute('data-rows', '3')
  await expect.poll(() => count(page, 'excluded')).toBe(2)
  expect(await count(page, 'valid')).toBe(3)
  // The exclusion list is not the package's: its header and dialect are no problems here.
  await expect(page.getByTestId('problem-csv-columns')).toHaveCount(0)

  // Taking the list away and undoing that brings the exclusion back.
  await page.getByRole('button', { name: 'Stop excluding optout.csv' }).click()
  await expect(page.getByTestId('count-excluded')).toHaveCount(0)
  await page.getByTestId('undo').click()
  await expect.poll(() => count(page, 'excluded')).toBe(2)

  await page.getByTestId('fix-all').click()
  await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'ready')
  const clean = await download(page, 'download-clean')
  expect(clean.name).toBe('october.txt')
  expect(clean.bytes.toString('utf8')).toBe([t1, t3, t4].join('\n') + '\n')

  const report = (await download(page, 'download-report')).bytes.toString('utf8').split('\n')
  expect(report).toContain(`2,${t2},,removed,,,october.txt,optout.csv`)
  // t3 is in october.txt too: a duplicate in week.csv, which the report says.
  expect(report).toContain(`2,${t3},duplicate,removed,,,week.csv,`)
  expect(report).toContain(`4,${t5},,removed,,,week.csv,optout.csv`)

  await page.getByTestId('access-id').fill('sandbox-id')
  await page.getByTestId('secret-key').fill('sandbox-key')
  await page.getByTestId('upload').click()
  await expect(page.getByTestId('upload-result')).toHaveAttribute('data-upload-id', /^[1-9]\d*$/)
  await page.reload()
  const entry = page.getByTestId('history-entry').first()
  await expect(entry.getByTestId('history-sources')).toHaveText(
    'october.txt (3 rows), week.csv (4 rows)',
  )
  await expect(entry.getByTestId('history-exclusions')).toHaveText('optout.csv (3 rows)')
})

test('a file is removed from the package, and undo brings it back', async ({ page }) => {
  await page.locator('[data-testid=drop-zone] input[type=file]').setInputFiles(october)
  await settled(page, 1)
  await page.getByTestId('add-source').locator('..').locator('input[type=file]').setInputFiles(week)
  await settled(page, 2)
  expect(await count(page, 'rows')).toBe(7)

  await page.getByRole('button', { name: 'Remove october.txt' }).click()
  await settled(page, 1)
  expect(await count(page, 'rows')).toBe(4)
  // t3 was a duplicate of october's; now it is the first of its value.
  expect(await count(page, 'duplicate')).toBe(0)
  await page.getByTestId('undo').click()
  await settled(page, 2)
  expect(await count(page, 'duplicate')).toBe(1)
})

test('several files dropped on the page at once make one package', async ({ page }) => {
  await page.evaluate(
    ([a, b]) => {
      const transfer = new DataTransfer()
      transfer.items.add(new File([a], 'first.txt', { type: 'text/plain' }))
      transfer.items.add(new File([b], 'second.txt', { type: 'text/plain' }))
      for (const type of ['dragenter', 'dragover', 'drop'])
        window.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, cancelable: true }))
    },
    [`${t1}\n${t2}\n`, `${t3}\n`],
  )
  await settled(page, 2)
  expect(await count(page, 'rows')).toBe(3)
  await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'ready')
})

test('the lists read in Chinese, with no accessibility violations', async ({ page }) => {
  await page.getByTestId('language').selectOption('zh')
  await page.locator('[data-testid=drop-zone] input[type=file]').setInputFiles([october, week])
  await settled(page, 2)
  await page.locator('[data-testid=exclude-zone] input[type=file]').setInputFiles(optOut)
  await expect(page.getByTestId('exclusion')).toBeVisible()
  await expect(page.locator('section.sources')).toContainText('本包中的名单')
  await expect(page.getByTestId('exclude-zone')).toContainText('添加排除名单')
  await expect(page.getByTestId('report')).toContainText('在排除名单中')
  const results = await new AxeBuilder({ page }).analyze()
  const serious = results.violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  )
  expect(serious.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([])
})
