import { expect, test, type Page } from '@playwright/test'
import JSZip from 'jszip'
import { writeFile } from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import { deflatedZeros, rawZip, utf16le, utf8, type RawEntry } from '../src/core/test-fixtures.ts'
import { filePayload, tokens } from './fixtures.ts'
import { count, type Payload } from './page-actions.ts'

// Hostile packages, made by the core's own generators, dropped into the built page: each
// gets its verdict within seconds, the page keeps answering meanwhile, and nothing in a
// package ever runs.

const LONGEST_GAP_MS = 1_000

function stored(name: string, content: string): RawEntry {
  const data = utf8(content)
  return { name, data, method: 0, declaredSize: data.length }
}

/** Everything the page says that it should not: dialogs, errors, CSP violations. */
function watch(page: Page) {
  const trouble: string[] = []
  page.on('dialog', (dialog) => {
    trouble.push(`dialog: ${dialog.message()}`)
    void dialog.dismiss()
  })
  page.on('console', (message) => {
    if (message.type() === 'error') trouble.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => trouble.push(`page error: ${error.message}`))
  return trouble
}

/**
 * Starts timing the page's main thread: a 50 ms interval that notes the longest gap between
 * its ticks, and whether a CSP violation or a planted global ever showed up.
 */
async function startMonitor(page: Page) {
  // From a page that has settled: start-up work is not what is measured.
  await expect(page.getByTestId('drop-zone')).toBeVisible()
  await page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve)))
  await page.evaluate(() => {
    const state = { longest: 0, ticks: 0, last: performance.now(), violations: 0 }
    Object.assign(window, { __monitor: state })
    setInterval(() => {
      const now = performance.now()
      state.longest = Math.max(state.longest, now - state.last)
      state.last = now
      state.ticks++
    }, 50)
    document.addEventListener('securitypolicyviolation', () => state.violations++)
  })
}

async function readMonitor(page: Page) {
  return page.evaluate(() => {
    const found: unknown = Reflect.get(window, '__monitor')
    const pwned: unknown = Reflect.get(window, '__pwned')
    return { ...(found as { longest: number; ticks: number; violations: number }), pwned }
  })
}

/**
 * Drops a package from a file on disk: a buffer payload would be decoded by an injected
 * script on the page's main thread, which is exactly what the monitor must not see.
 */
async function drop(page: Page, payload: Payload) {
  const path = test.info().outputPath(payload.name)
  await writeFile(path, payload.buffer)
  await page.locator('[data-testid=drop-zone] input[type=file]').setInputFiles(path)
}

interface BrowserCase {
  label: string
  payload: () => Payload | Promise<Payload>
  verdict: 'ready' | 'needs-fixes' | 'unreadable'
  /** The package problem the report must show (present only when the engine found it), or none at all. */
  problem: string | null
  counts: Record<string, number>
  /** How long the verdict may take. */
  withinMs: number
}

async function spreadsheet(): Promise<Uint8Array> {
  const zip = new JSZip()
  const date = new Date(Date.UTC(2024, 0, 2))
  zip.file('[Content_Types].xml', '<?xml version="1.0"?><Types/>', { date })
  zip.file('xl/worksheets/sheet1.xml', `<worksheet>${tokens(5).join('')}</worksheet>`, { date })
  return zip.generateAsync({ type: 'uint8array', compression: 'STORE' })
}

function encrypted(): Uint8Array {
  const zip = rawZip([stored('tokens.txt', tokens(5).join('\n'))])
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
  // General purpose flag bit 0, in the local header and the central directory.
  view.setUint16(6, view.getUint16(6, true) | 1, true)
  const central = zip.length - 22 - 46 - 'tokens.txt'.length
  view.setUint16(central + 8, view.getUint16(central + 8, true) | 1, true)
  return zip
}

const CASES: BrowserCase[] = [
  {
    label: 'a zip that declares 1 kB and inflates past 512 MiB',
    // 2,100,000 back-references of 258 bytes: 3.4 MB of deflate, 541,800,001 bytes inflated.
    payload: () =>
      filePayload(
        'bomb.zip',
        rawZip([
          { name: 'tokens.txt', data: deflatedZeros(2_100_000), method: 8, declaredSize: 1_000 },
        ]),
        'application/zip',
      ),
    verdict: 'unreadable',
    problem: 'zip-bomb',
    counts: { rows: 0 },
    // The real cap: half a gigabyte goes through zlib before the count stops it.
    withinMs: 80_000,
  },
  {
    label: 'a zip that declares 3,000,000,000 bytes',
    payload: () =>
      filePayload(
        'declared.zip',
        rawZip([{ name: 'tokens.txt', data: deflatedZeros(10), method: 8, declaredSize: 3e9 }]),
        'application/zip',
      ),
    verdict: 'unreadable',
    problem: 'zip-bomb',
    counts: { rows: 0 },
    withinMs: 15_000,
  },
  {
    label: 'a gzip named .zip',
    payload: () => filePayload('tokens.zip', gzipSync(tokens(50).join('\n')), 'application/zip'),
    verdict: 'unreadable',
    problem: 'zip-corrupt',
    counts: { rows: 0 },
    withinMs: 15_000,
  },
  {
    label: 'a spreadsheet named .csv',
    payload: async () => filePayload('tokens.csv', await spreadsheet(), 'text/csv'),
    verdict: 'unreadable',
    // Named as the workbook it is, with how to export it, not as unreadable bytes.
    problem: 'spreadsheet',
    counts: { valid: 0 },
    withinMs: 15_000,
  },
  {
    label: 'an encrypted zip',
    payload: () => filePayload('secret.zip', encrypted(), 'application/zip'),
    verdict: 'unreadable',
    problem: 'zip-corrupt',
    counts: { rows: 0 },
    withinMs: 15_000,
  },
  {
    label: 'a zip of 5,000 token files',
    payload: () =>
      filePayload(
        'many.zip',
        rawZip(Array.from({ length: 5_000 }, (_, index) => stored(`t${index}.txt`, 'x\n'))),
        'application/zip',
      ),
    verdict: 'unreadable',
    problem: 'zip-entries',
    counts: { rows: 0 },
    withinMs: 15_000,
  },
  {
    label: 'an empty file',
    payload: () => filePayload('empty.txt', new Uint8Array(0)),
    verdict: 'unreadable',
    problem: 'empty',
    counts: { rows: 0 },
    withinMs: 15_000,
  },
  {
    label: '20 MB on one line',
    payload: () => filePayload('long.txt', new Uint8Array(20_000_000).fill(0x61)),
    verdict: 'needs-fixes',
    problem: null,
    counts: { rows: 1, valid: 0, length: 1, charset: 0 },
    withinMs: 30_000,
  },
  {
    label: 'UTF-16 without a BOM',
    payload: () => filePayload('utf16.txt', utf16le(tokens(40).join('\r\n'), false)),
    verdict: 'needs-fixes',
    problem: 'encoding-utf16',
    counts: { rows: 40, valid: 40 },
    withinMs: 15_000,
  },
]

for (const hostile of CASES) {
  test(`${hostile.label}: its verdict in time, the page responsive`, async ({ page }) => {
    if (hostile.withinMs > 60_000) test.slow()
    const trouble = watch(page)
    await page.goto('/')
    await startMonitor(page)
    const started = Date.now()
    await drop(page, await hostile.payload())
    const report = page.getByTestId('report')
    await expect(report).toHaveAttribute('data-state', 'done', { timeout: hostile.withinMs })
    expect(Date.now() - started).toBeLessThan(hostile.withinMs)
    await expect(report).toHaveAttribute('data-verdict', hostile.verdict)
    const problems = page.locator('[data-testid^="problem-"]')
    if (hostile.problem === null) await expect(problems).toHaveCount(0)
    else await expect(page.getByTestId(`problem-${hostile.problem}`)).toBeVisible()
    for (const [code, expected] of Object.entries(hostile.counts)) {
      expect(await count(page, code), code).toBe(expected)
    }
    // Let the page draw what it got, then read the monitor.
    await page.waitForTimeout(300)
    const monitor = await readMonitor(page)
    expect(monitor.ticks).toBeGreaterThan(3)
    expect(monitor.longest).toBeLessThan(LONGEST_GAP_MS)
    expect(monitor.violations).toBe(0)
    expect(trouble).toEqual([])
  })
}

test('markup in rows, in the file name and in zip entry names is shown as text', async ({
  page,
}) => {
  const trouble = watch(page)
  await page.goto('/')
  await startMonitor(page)
  const markup = [
    '<script>window.__pwned = 1</script>',
    '<img src=x onerror="window.__pwned = 2; alert(1)">',
    '<svg onload=alert(1)>',
  ]
  const good = tokens(3)
  const name = '<img src=x onerror=alert(1)>.txt'
  await drop(page, filePayload(name, [...markup, ...good].join('\n') + '\n'))
  const report = page.getByTestId('report')
  await expect(report).toHaveAttribute('data-verdict', 'needs-fixes')
  expect(await count(page, 'rows')).toBe(6)
  expect(await count(page, 'valid')).toBe(3)
  await expect(report.locator('.report__file-name')).toContainText(name)

  const values = page.locator('[data-testid=row] .row__value')
  await expect(values).toHaveCount(6)
  expect(await values.allInnerTexts()).toEqual([...markup, ...good])
  const main = page.locator('main')
  await expect(main.locator('script, img, svg[onload]')).toHaveCount(0)

  // A zip whose token file sits in a folder named with markup: the name is text too.
  const folder = '<b data-planted>bold</b>'
  const zip = rawZip([stored(`${folder}/tokens.txt`, good.join('\n'))])
  await drop(page, filePayload('named.zip', zip, 'application/zip'))
  await expect(report).toHaveAttribute('data-verdict', 'needs-fixes')
  const problem = page.getByTestId('problem-zip-folder')
  await expect(problem).toContainText(`${folder}/tokens.txt`)
  await expect(page.locator('[data-planted]')).toHaveCount(0)

  await page.waitForTimeout(300)
  const monitor = await readMonitor(page)
  expect(monitor.pwned).toBeUndefined()
  expect(monitor.violations).toBe(0)
  expect(trouble).toEqual([])
})
