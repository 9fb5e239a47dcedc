import AxeBuilder from '@axe-core/playwright'
import { expect, test } from '@playwright/test'
import { filePayload, messyExport, token, tokens, zipPayload } from './fixtures.ts'
import { count, download as downloadText, drop } from './page-actions.ts'

const good = tokens(6)
const messy = messyExport(good)

test.beforeEach(async ({ page }) => {
  await page.goto('/')
})

test('each one-click fix removes its problem and says how many rows it changes', async ({
  page,
}) => {
  await drop(page, filePayload('messy.csv', messy, 'text/csv'))
  await expect(page.getByTestId('fix-whitespace')).toContainText('1 row')
  for (const code of ['whitespace', 'uppercase', 'blank', 'duplicate', 'header']) {
    expect(await count(page, code)).toBe(1)
    await page.getByTestId(`fix-${code}`).click()
    await expect(page.getByTestId(`count-${code}`)).toHaveCount(0)
    await expect(page.getByTestId(`fix-${code}`)).toHaveCount(0)
  }
  await expect(page.getByTestId('problem-csv-columns')).toBeVisible()
  await page.getByTestId('fix-csv-columns').click()
  await expect(page.getByTestId('problem-csv-columns')).toHaveCount(0)
  expect(await count(page, 'rows')).toBe(6)
  expect(await count(page, 'valid')).toBe(5)
  await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'needs-fixes')
})

test('fix-all loses no valid token; fix-invalid asks first, then the package is ready', async ({
  page,
}) => {
  await drop(page, filePayload('messy.csv', messy, 'text/csv'))
  // Before fix-all, fix-invalid would also drop the two tokens only spaces and case spoil.
  await page.getByTestId('fix-invalid').click()
  await expect(page.getByTestId('confirm-invalid-savable')).toContainText('2 of them')
  await page.getByTestId('confirm-invalid').getByRole('button', { name: 'Cancel' }).click()

  await page.getByTestId('fix-all').click()
  expect(await count(page, 'valid')).toBe(5)
  expect(await count(page, 'rows')).toBe(6)
  await page.getByTestId('fix-invalid').click()
  await expect(page.getByTestId('confirm-invalid-savable')).toHaveCount(0)
  const dialog = page.getByTestId('confirm-invalid')
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText('Remove 1 invalid rows?')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  expect(await count(page, 'rows')).toBe(6)
  await page.getByTestId('fix-invalid').click()
  await page.getByTestId('confirm-invalid-ok').click()
  await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'ready')
  expect(await count(page, 'rows')).toBe(5)
})

test('undo and redo, with buttons and with the keyboard', async ({ page }) => {
  await drop(page, filePayload('t.txt', [good[0], good[0], '', good[1]].join('\n')))
  await page.getByTestId('fix-duplicate').click()
  await expect(page.getByTestId('count-duplicate')).toHaveCount(0)
  await page.getByTestId('fix-blank').click()
  await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'ready')

  await page.getByTestId('undo').click()
  await expect(page.getByTestId('count-blank')).toHaveText('1')
  await page.keyboard.press('Control+z')
  await expect(page.getByTestId('count-duplicate')).toHaveText('1')
  await expect(page.getByTestId('undo')).toBeDisabled()
  await page.keyboard.press('Control+Shift+z')
  await expect(page.getByTestId('count-duplicate')).toHaveCount(0)
  await page.getByTestId('redo').click()
  await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'ready')
  await expect(page.getByTestId('redo')).toBeDisabled()
})

test('package fixes: BOM, Mac metadata and folder, long name', async ({ page }) => {
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${token()}\n`)])
  await drop(page, filePayload(`${'x'.repeat(120)}.txt`, bom))
  await page.getByTestId('fix-encoding-bom').click()
  await expect(page.getByTestId('problem-encoding-bom')).toHaveCount(0)
  await page.getByTestId('fix-name-length').click()
  await expect(page.getByTestId('problem-name-length')).toHaveCount(0)
  await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'ready')
  const clean = await downloadText(page, 'download-clean')
  expect([...clean.name]).toHaveLength(100)
  expect(clean.bytes[0]).not.toBe(0xef)

  await drop(
    page,
    await zipPayload('mac.zip', {
      'out/tokens.txt': good.join('\n'),
      '__MACOSX/out/._tokens.txt': 'x',
      '.DS_Store': 'x',
    }),
  )
  await page.getByTestId('fix-all').click()
  await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'ready')
})

test('no accessibility violations when empty, needing fixes, and ready', async ({ page }) => {
  const check = async () => {
    const results = await new AxeBuilder({ page }).analyze()
    expect(results.violations.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([])
  }
  await check()
  await drop(page, filePayload('messy.csv', messy, 'text/csv'))
  await check()
  await page.getByTestId('fix-all').click()
  await page.getByTestId('fix-invalid').click()
  await page.getByTestId('confirm-invalid-ok').click()
  await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'ready')
  await check()
})
