import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { readFile } from 'node:fs/promises'
import { filePayload, tokens } from './fixtures.ts'

// The default server (no TPNS configuration): uploads go to the built-in sandbox.

/** Drops a fresh clean package, uploads it to the sandbox and returns its uploadId. */
async function uploadPackage(
  page: Page,
  name = 'tokens.txt',
  rows = 30,
  accessId = '1500000001',
): Promise<string> {
  await page
    .locator('[data-testid=drop-zone] input[type=file]')
    .setInputFiles(filePayload(name, tokens(rows).join('\n') + '\n'))
  await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'ready')
  await expect(page.getByTestId('region')).toHaveValue('sandbox')
  await page.getByTestId('access-id').fill(accessId)
  await page.getByTestId('secret-key').fill('sandbox-secret')
  await page.getByTestId('upload').click()
  const result = page.getByTestId('upload-result')
  await expect(result).toHaveAttribute('data-upload-id', /^[1-9]\d*$/)
  return (await result.getAttribute('data-upload-id')) ?? ''
}

function entry(page: Page, uploadId: string) {
  return page.locator(`[data-testid=history-entry][data-upload-id="${uploadId}"]`)
}

test('another open tab sees a new entry at once', async ({ context }) => {
  const first = await context.newPage()
  const second = await context.newPage()
  await first.goto('/')
  await second.goto('/')
  await expect(second.getByTestId('history-empty')).toBeVisible()

  const uploadId = await uploadPackage(first)
  await expect(entry(second, uploadId)).toBeVisible()

  // Deleting in the second tab removes it from the first one too.
  await entry(second, uploadId).getByTestId('history-delete').click()
  await entry(second, uploadId).getByTestId('history-delete-confirm').click()
  await expect(entry(second, uploadId)).toHaveCount(0)
  await expect(entry(first, uploadId)).toHaveCount(0)
})

test('search, filter, copy, push body, export and delete', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  await page.goto('/')
  // AccessIDs without digits, so that searching an uploadId finds that entry alone.
  const older = await uploadPackage(page, 'older.txt', 10, 'app-one')
  const newer = await uploadPackage(page, 'newer.txt', 12, 'app-two')
  const entries = page.getByTestId('history-entry')
  await expect(entries).toHaveCount(2)
  // Newest first.
  await expect(entries.first()).toHaveAttribute('data-upload-id', newer)

  await page.getByTestId('history-search').fill('OLDER')
  await expect(entries).toHaveCount(1)
  await expect(entries.first()).toHaveAttribute('data-upload-id', older)
  await page.getByTestId('history-search').fill('app-two')
  await expect(entries).toHaveCount(1)
  await expect(entries.first()).toHaveAttribute('data-upload-id', newer)
  await page.getByTestId('history-search').fill(newer)
  await expect(entries).toHaveCount(1)
  await expect(entries.first()).toHaveAttribute('data-upload-id', newer)
  await page.getByTestId('history-search').fill('')
  await page.getByTestId('history-region').selectOption('guangzhou')
  await expect(entries).toHaveCount(0)
  await page.getByTestId('history-region').selectOption('sandbox')
  await expect(entries).toHaveCount(2)
  await page.getByTestId('history-kind').selectOption('account')
  await expect(entries).toHaveCount(0)
  await page.getByTestId('history-kind').selectOption('all')
  await page.getByTestId('history-region').selectOption('all')

  await entry(page, older).getByTestId('history-copy').click()
  await expect(page.getByTestId('history-status')).toContainText(older)
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(older)

  await entry(page, older).getByTestId('history-push').click()
  const body = entry(page, older).getByTestId('history-push-body')
  await expect(body).toContainText('environment')
  const json: unknown = JSON.parse(await body.locator('pre').innerText())
  expect(json).toEqual({
    audience_type: 'package_token_push',
    upload_id: Number(older),
    message_type: 'notify',
    message: { title: expect.any(String), content: expect.any(String) },
  })
  await body.getByTestId('history-push-copy').click()
  expect(JSON.parse(await page.evaluate(() => navigator.clipboard.readText()))).toEqual(json)

  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('history-export-csv').click(),
  ])
  expect(csv.suggestedFilename()).toMatch(/\.csv$/)
  const csvText = await readFile((await csv.path()) ?? '', 'utf8')
  expect(csvText.split('\r\n')[0]).toContain('uploadId,region,accessId,fileName')
  expect(csvText).toContain(`${older},sandbox,app-one,older.txt,10,`)
  expect(csvText).toContain(`${newer},sandbox,app-two,newer.txt,12,`)

  const [jsonDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('history-export-json').click(),
  ])
  expect(jsonDownload.suggestedFilename()).toMatch(/\.json$/)
  const exported: unknown = JSON.parse(await readFile((await jsonDownload.path()) ?? '', 'utf8'))
  expect(exported).toEqual([
    expect.objectContaining({ uploadId: Number(newer), fileName: 'newer.txt', rows: 12 }),
    expect.objectContaining({ uploadId: Number(older), fileName: 'older.txt', rows: 10 }),
  ])
  expect(JSON.stringify(exported)).not.toContain('sandbox-secret')

  await entry(page, older).getByTestId('history-delete').click()
  await entry(page, older).getByTestId('history-delete-confirm').click()
  await expect(entries).toHaveCount(1)
  await page.reload()
  await expect(page.getByTestId('history-entry')).toHaveCount(1)
  await expect(entry(page, newer)).toBeVisible()
})

test('a corrupt record is skipped and reported, never fatal', async ({ page }) => {
  await page.goto('/')
  const uploadId = await uploadPackage(page)
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('tpns-history')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const tx = open.result.transaction('entries', 'readwrite')
          tx.objectStore('entries').put({ uploadId: 'not a number', region: 'mars' }, 'broken')
          tx.objectStore('entries').put('just a string', 'also-broken')
          tx.oncomplete = () => resolve()
          tx.onerror = () => reject(tx.error)
        }
      }),
  )
  await page.reload()
  await expect(page.getByTestId('history-skipped')).toContainText('2')
  await expect(entry(page, uploadId)).toBeVisible()
  await page.getByTestId('history-skipped').getByRole('button').click()
  await expect(page.getByTestId('history-skipped')).toHaveCount(0)
  await expect(entry(page, uploadId)).toBeVisible()
})

test('without IndexedDB the history is kept in memory, and says so', async ({ page }) => {
  // What a private window or disabled storage looks like to the page: opening fails.
  await page.addInitScript(() => {
    IDBFactory.prototype.open = () => {
      throw new DOMException('IndexedDB is disabled', 'InvalidStateError')
    }
  })
  await page.goto('/')
  const uploadId = await uploadPackage(page)
  await expect(entry(page, uploadId)).toBeVisible()
  await expect(page.getByTestId('history-memory')).toBeVisible()
})

test('the history panel has no axe violations, with entries and a push body open', async ({
  page,
}) => {
  test.slow() // axe on a loaded machine
  await page.goto('/')
  const axe = () => new AxeBuilder({ page }).include('[data-testid=history-panel]').analyze()
  expect((await axe()).violations).toEqual([])
  const uploadId = await uploadPackage(page)
  await entry(page, uploadId).getByTestId('history-push').click()
  await entry(page, uploadId).getByTestId('history-delete').click()
  expect((await axe()).violations).toEqual([])
})
