import { rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { filePayload, token, tokens, zipPayload } from './fixtures.ts'
import { count, drop } from './page-actions.ts'

test.beforeEach(async ({ page }) => {
  await page.goto('/')
})

test('a clean .txt package is ready, with exact counts', async ({ page }) => {
  const report = await drop(page, filePayload('tokens.txt', tokens(500).join('\n') + '\n'))
  await expect(report).toHaveAttribute('data-verdict', 'ready')
  expect(await count(page, 'rows')).toBe(500)
  expect(await count(page, 'valid')).toBe(500)
  expect(await count(page, 'duplicate')).toBe(0)
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

test('without cross-origin isolation the checking worker reads the file itself', async ({
  page,
}) => {
  // Served without COOP/COEP (as behind a proxy that drops them), the page has no shared
  // memory, so no reader worker: the package worker reads and checks in turn.
  await page.route('**/*', async (route) => {
    const response = await route.fetch()
    const headers = { ...response.headers() }
    delete headers['cross-origin-opener-policy']
    delete headers['cross-origin-embedder-policy']
    await route.fulfill({ response, headers })
  })
  await page.goto('/')
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false)
  const good = tokens(20)
  const rows = [...good, good[3], `\t${token()}`, token().toUpperCase()]
  const report = await drop(page, filePayload('plain.txt', rows.join('\n') + '\n'))
  await expect(report).toHaveAttribute('data-verdict', 'needs-fixes')
  expect(await count(page, 'rows')).toBe(23)
  expect(await count(page, 'valid')).toBe(20)
  expect(await count(page, 'duplicate')).toBe(1)
  expect(await count(page, 'whitespace')).toBe(1)
  expect(await count(page, 'uppercase')).toBe(1)
  // This document's own fetches: the page before it (beforeEach) started its workers too.
  const scripts = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((entry) => entry.name),
  )
  expect(scripts.some((url) => url.includes('package.worker'))).toBe(true)
  expect(scripts.some((url) => url.includes('file-reader.worker'))).toBe(false)
  // Once idle, the page starts the next file's workers: their fetches may still be in the route.
  await page.unrouteAll({ behavior: 'ignoreErrors' })
})

test('a CSV with a header and a second column', async ({ page }) => {
  const body = ['device_token', ...tokens(5).map((value) => `${value},ios`)].join('\n')
  const report = await drop(page, filePayload('tokens.csv', body, 'text/csv'))
  await expect(report).toHaveAttribute('data-verdict', 'needs-fixes')
  await expect(page.getByTestId('problem-csv-columns')).toBeVisible()
  expect(await count(page, 'header')).toBe(1)
  expect(await count(page, 'valid')).toBe(5)
})

test('a zip made on a Mac: hidden files and a folder, rows still read', async ({ page }) => {
  const payload = await zipPayload('tokens.zip', {
    'export/tokens.txt': tokens(20).join('\n'),
    '__MACOSX/export/._tokens.txt': 'mac metadata',
  })
  const report = await drop(page, payload)
  await expect(report).toHaveAttribute('data-verdict', 'needs-fixes')
  await expect(page.getByTestId('problem-zip-hidden')).toBeVisible()
  await expect(page.getByTestId('problem-zip-folder')).toBeVisible()
  expect(await count(page, 'valid')).toBe(20)
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

test('file-level problems: name, extension, BOM, UTF-16', async ({ page }) => {
  await drop(page, filePayload(`${'n'.repeat(101)}.txt`, token()))
  await expect(page.getByTestId('problem-name-length')).toBeVisible()

  await drop(page, filePayload('tokens.dat', token()))
  await expect(page.getByTestId('problem-extension')).toBeVisible()

  const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(`${token()}\n`)])
  await drop(page, filePayload('bom.txt', bom))
  await expect(page.getByTestId('problem-encoding-bom')).toBeVisible()
  expect(await count(page, 'valid')).toBe(1)

  const utf16 = Buffer.concat([
    Buffer.from([0xff, 0xfe]),
    Buffer.from(`${token()}\r\n${token()}\r\n`, 'utf16le'),
  ])
  await drop(page, filePayload('utf16.txt', utf16))
  await expect(page.getByTestId('problem-encoding-utf16')).toBeVisible()
  expect(await count(page, 'valid')).toBe(2)
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

test('the page records the package-validate measure', async ({ page }) => {
  await drop(page, filePayload('tokens.txt', tokens(100).join('\n')))
  const measures = await page.evaluate(() =>
    performance.getEntriesByName('package-validate', 'measure').map((entry) => entry.duration),
  )
  expect(measures).toHaveLength(1)
  expect(measures[0]).toBeGreaterThan(0)
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

test('reading a large file can be cancelled, and the next file is read as usual', async ({
  page,
}) => {
  // 200 MB (over the limit, still read): long enough to cancel while it is being read.
  const path = join(tmpdir(), `tpns-cancel-${process.pid}.txt`)
  const row = Buffer.from(`${token()}\n`)
  await writeFile(path, Buffer.alloc(row.length * 5_500_000, row))
  try {
    await page.locator('[data-testid=drop-zone] input[type=file]').setInputFiles(path)
    await expect(page.getByTestId('report')).toHaveAttribute('data-state', 'reading')
    await page.getByRole('button', { name: 'Cancel' }).click()
    await expect(page.getByText('Reading was cancelled.')).toBeVisible()
    await expect(page.getByTestId('report')).toHaveCount(0)
  } finally {
    await rm(path, { force: true })
  }
  const report = await drop(page, filePayload('tokens.txt', tokens(3).join('\n')))
  await expect(report).toHaveAttribute('data-verdict', 'ready')
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
