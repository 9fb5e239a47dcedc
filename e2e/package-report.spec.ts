import { rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { filePayload, token, tokens, zipPayload } from './fixtures.ts'
import { count, drop } from './page-actions.ts'

test.beforeEach(async ({ page }) => {
  await page.goto('/')
})

test('row problems are counted per code, in CRLF files too', async ({ page }) => {
  const good = tokens(10)
  const rows = [
    ...good,
    '',
    `  ${token()}`,
    token().toUpperCase(),
    'abc',
    `${token().slice(0, 35)}z`,
    good[0],
    good[1].toUpperCase(),
  ]
  const report = await drop(page, filePayload('mixed.txt', rows.join('\r\n') + '\r\n'))
  await expect(report).toHaveAttribute('data-verdict', 'needs-fixes')
  expect(await count(page, 'rows')).toBe(17)
  expect(await count(page, 'valid')).toBe(10)
  expect(await count(page, 'blank')).toBe(1)
  expect(await count(page, 'whitespace')).toBe(1)
  expect(await count(page, 'uppercase')).toBe(2)
  expect(await count(page, 'length')).toBe(1)
  expect(await count(page, 'charset')).toBe(1)
  expect(await count(page, 'duplicate')).toBe(2)
})

test('a CSV with a header and a second column', async ({ page }) => {
  const body = ['device_token', ...tokens(5).map((value) => `${value},ios`)].join('\n')
  const report = await drop(page, filePayload('tokens.csv', body, 'text/csv'))
  await expect(report).toHaveAttribute('data-verdict', 'needs-fixes')
  await expect(page.getByTestId('problem-csv-columns')).toBeVisible()
  expect(await count(page, 'header')).toBe(1)
  expect(await count(page, 'valid')).toBe(5)
})

test('unreadable packages say why', async ({ page }) => {
  let report = await drop(page, filePayload('broken.zip', 'this is not a zip at all'))
  await expect(report).toHaveAttribute('data-verdict', 'unreadable')
  await expect(page.getByTestId('problem-zip-corrupt')).toBeVisible()

  report = await drop(page, filePayload('empty.txt', ''))
  await expect(report).toHaveAttribute('data-verdict', 'unreadable')
  await expect(page.getByTestId('problem-empty')).toBeVisible()

  report = await drop(page, await zipPayload('two.zip', { 'a.txt': token(), 'b.csv': token() }))
  await expect(report).toHaveAttribute('data-verdict', 'unreadable')
  await expect(page.getByTestId('problem-zip-entries')).toBeVisible()
})

test('file-level problems: name, extension, BOM', async ({ page }) => {
  await drop(page, filePayload(`${'n'.repeat(101)}.txt`, token()))
  await expect(page.getByTestId('problem-name-length')).toBeVisible()

  await drop(page, filePayload('tokens.dat', token()))
  await expect(page.getByTestId('problem-extension')).toBeVisible()

  const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(`${token()}\n`)])
  await drop(page, filePayload('bom.txt', bom))
  await expect(page.getByTestId('problem-encoding-bom')).toBeVisible()
  expect(await count(page, 'valid')).toBe(1)
})

test('switching to an account package re-validates with its rules', async ({ page }) => {
  await drop(
    page,
    filePayload('accounts.txt', ['alice', 'bob@example.com', 'x', 'alice'].join('\n')),
  )
  expect(await count(page, 'length')).toBe(4)
  await page.getByRole('radio', { name: 'Accounts' }).check()
  await expect(page.getByTestId('count-length')).toHaveText('1')
  expect(await count(page, 'duplicate')).toBe(1)
  expect(await count(page, 'valid')).toBe(2)
})

test('the page speaks Chinese when asked, and remembers it', async ({ page }) => {
  await page.getByTestId('language').selectOption('zh')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('TPNS 号码包检查')
  await page.reload()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('TPNS 号码包检查')
  const report = await drop(page, filePayload('tokens.txt', `${token()}\n\n`))
  await expect(report).toHaveAttribute('data-verdict', 'needs-fixes')
  await expect(page.getByText('空行', { exact: true })).toBeVisible()
})

test('large packages keep exact counts, file after file', async ({ page }) => {
  const rows = 1_100_000
  const distinct = Array.from({ length: rows }, (_, row) => row.toString(16).padStart(36, '0'))
  const extra = [distinct[7], distinct[rows - 1], '', distinct[0xabc].toUpperCase()]
  const path = join(tmpdir(), `tpns-large-${process.pid}.txt`)
  try {
    // The second file has one more blank row, so its report is told apart from the first's.
    for (const blanks of [1, 2]) {
      const lines = [...distinct, ...extra, ...Array<string>(blanks - 1).fill('')]
      await writeFile(path, lines.join('\n') + '\n')
      await page.locator('[data-testid=drop-zone] input[type=file]').setInputFiles(path)
      await expect.poll(() => count(page, 'blank'), { timeout: 60_000 }).toBe(blanks)
      await expect(page.getByTestId('report')).toHaveAttribute('data-state', 'done')
      expect(await count(page, 'rows')).toBe(rows + 3 + blanks)
      expect(await count(page, 'valid')).toBe(rows)
      expect(await count(page, 'duplicate')).toBe(3)
      expect(await count(page, 'uppercase')).toBe(1)
    }
  } finally {
    await rm(path, { force: true })
  }
})
