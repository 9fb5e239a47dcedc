import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { BrowserContext, Page } from '@playwright/test'
import { Random } from './generate-packages.ts'
import { dropAndValidate, readCounts } from './page-measures.ts'

/** The case: 2.7 million rows in two files, and a one-million-row exclusion list. */
const PACKAGE_ROWS = 2_700_000
const EXCLUSION_ROWS = 1_000_000
/** Rows of the exclusion list that are in the package (the rest are other people). */
const EXCLUDED_ROWS = 500_000
/** Adding the exclusion list may take this many times the .txt validate. */
const RATIO_TARGET = 1.5
const LONG_TASK_TARGET_MS = 100
const TIMEOUT_MS = 180_000

export interface AudienceResult {
  /** The 2.7 million rows as one .txt: validate, per run. */
  txtMs: number[]
  /** Both files dropped at once, until both are one package: per run. */
  mergeMs: number[]
  /** The exclusion list added to the merged package: per run. */
  excludeMs: number[]
  /** Longest main-thread task while the list was added. */
  longestTaskMs: number
  mismatches: string[]
}

function tokenRows(random: Random, count: number): Buffer {
  const hex = Buffer.from('0123456789abcdef')
  const out = Buffer.allocUnsafe(count * 37)
  for (let row = 0, at = 0; row < count; row++) {
    for (let char = 0; char < 36; char++) out[at++] = hex[random.below(16)]
    out[at++] = 10
  }
  return out
}

/** The files on disk: the whole package, its two halves, and the exclusion list. */
async function writeAudience(dir: string, seed: number) {
  const random = new Random(seed)
  const rows = tokenRows(random, PACKAGE_ROWS)
  const half = (PACKAGE_ROWS / 2) * 37
  // Every other excluded value is taken from each half; the rest are tokens not in the package.
  const excluded = Buffer.allocUnsafe(EXCLUSION_ROWS * 37)
  const step = Math.floor(PACKAGE_ROWS / EXCLUDED_ROWS)
  for (let row = 0; row < EXCLUDED_ROWS; row++)
    rows.copy(excluded, row * 37, row * step * 37, row * step * 37 + 37)
  tokenRows(random, EXCLUSION_ROWS - EXCLUDED_ROWS).copy(excluded, EXCLUDED_ROWS * 37)
  const paths = {
    whole: join(dir, 'audience.txt'),
    first: join(dir, 'bought-in-october.txt'),
    second: join(dir, 'opened-this-week.txt'),
    exclusion: join(dir, 'unsubscribed.txt'),
  }
  await writeFile(paths.whole, rows)
  await writeFile(paths.first, rows.subarray(0, half))
  await writeFile(paths.second, rows.subarray(half))
  await writeFile(paths.exclusion, excluded)
  return paths
}

/** The duration of the page's last User Timing measure of this name. */
function lastMeasure(page: Page, name: string): Promise<{ start: number; ms: number }> {
  return page.evaluate((measureName) => {
    const measure = performance.getEntriesByName(measureName, 'measure').at(-1)
    if (!measure) throw new Error(`The page recorded no ${measureName} measure.`)
    return { start: measure.startTime, ms: measure.duration }
  }, name)
}

/** Waits until the page shows `files` lists and is not reading one. */
async function settled(page: Page, files: number): Promise<void> {
  await page
    .locator('[data-testid=source]')
    .nth(files - 1)
    .waitFor({ timeout: TIMEOUT_MS })
  await page.locator('section.sources[aria-busy=false]').waitFor({ timeout: TIMEOUT_MS })
}

/**
 * The 2.7 million rows as one .txt (the baseline), then as two files dropped together, then a
 * one-million-row exclusion list added: its User Timing (`package-exclude`) against the
 * baseline, and the longest main-thread task while it was added.
 */
export async function benchAudience(
  context: BrowserContext,
  url: string,
  dir: string,
  seed: number,
  runs: number,
): Promise<AudienceResult> {
  const paths = await writeAudience(dir, seed)
  const result: AudienceResult = {
    txtMs: [],
    mergeMs: [],
    excludeMs: [],
    longestTaskMs: 0,
    mismatches: [],
  }
  for (let run = 1; run <= runs; run++) {
    const page = await context.newPage()
    const baseline = await dropAndValidate(page, url, paths.whole, TIMEOUT_MS)
    result.txtMs.push(baseline.ms)
    console.log(`  audience txt validate: ${Math.round(baseline.ms)} ms`)

    await page.goto(url)
    await page.waitForLoadState('networkidle')
    await page.waitForTimeout(500)
    const dropped = await page.evaluate(() => performance.now())
    await page
      .locator('[data-testid=drop-zone] input[type=file]')
      .setInputFiles([paths.first, paths.second])
    await settled(page, 2)
    const merged = await page.evaluate(() => performance.now())
    result.mergeMs.push(merged - dropped)

    await page.locator('[data-testid=exclude-zone] input[type=file]').setInputFiles(paths.exclusion)
    await page.locator('[data-testid=exclusion]').waitFor({ timeout: TIMEOUT_MS })
    await page.locator('section.sources[aria-busy=false]').waitFor({ timeout: TIMEOUT_MS })
    const exclude = await lastMeasure(page, 'package-exclude')
    result.excludeMs.push(exclude.ms)
    console.log(`  audience exclude 1M rows: ${Math.round(exclude.ms)} ms`)
    const longest = await page.evaluate((start) => {
      const now = performance.now()
      const tasks = (window.benchProbes?.longTasks ?? []).filter(
        (task) => task.start < now && task.start + task.duration > start,
      )
      return Math.max(0, ...tasks.map((task) => task.duration))
    }, exclude.start)
    result.longestTaskMs = Math.max(result.longestTaskMs, longest)

    const counts = await readCounts(page)
    if (counts.rows !== PACKAGE_ROWS)
      result.mismatches.push(`run ${run}: ${counts.rows} rows, expected ${PACKAGE_ROWS}`)
    if (counts.excluded !== EXCLUDED_ROWS)
      result.mismatches.push(`run ${run}: ${counts.excluded} excluded, expected ${EXCLUDED_ROWS}`)
    await page.close()
  }
  return result
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

export function printAudienceResults(result: AudienceResult): void {
  const txt = median(result.txtMs)
  const exclude = median(result.excludeMs)
  const ratio = exclude / txt
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL')
  console.log('')
  console.log('Audience: 2.7M rows in two files, then a 1M-row exclusion list (medians)')
  console.log(`  .txt validate (one file, baseline)  ${Math.round(txt)} ms`)
  console.log(`  two files dropped, merged           ${Math.round(median(result.mergeMs))} ms`)
  console.log(
    `  add the exclusion list              ${Math.round(exclude)} ms = ${ratio.toFixed(2)}x  ` +
      `(target ≤ ${RATIO_TARGET}x) ${verdict(ratio <= RATIO_TARGET)}`,
  )
  console.log(
    `  longest main-thread task            ${Math.round(result.longestTaskMs)} ms  ` +
      `(target < ${LONG_TASK_TARGET_MS} ms) ${verdict(result.longestTaskMs < LONG_TASK_TARGET_MS)}`,
  )
  for (const mismatch of result.mismatches) console.log(`  MISMATCH ${mismatch}`)
}
