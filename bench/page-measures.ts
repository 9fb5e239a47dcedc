import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BrowserContext, Page } from '@playwright/test'
import { z } from 'zod'
import type { DriverPage } from '../e2e/engines/driver-page.ts'
import { counts as reportCounts, drop, waitFor } from '../e2e/flows/page-hooks.ts'
import { COUNT_NAMES, zeroCounts, type Counts } from './expected-counts.ts'

interface LongTask {
  start: number
  duration: number
}

/** What the init script keeps for the bench in the page. */
interface PageProbes {
  longTasks: LongTask[]
  /** The last file given to a file input: the app clears the input right after reading it. */
  file: File | null
}

declare global {
  interface Window {
    benchProbes?: PageProbes
    Papa?: typeof import('papaparse')
    JSZip?: typeof import('jszip')
  }
}

const FILE_INPUT = '[data-testid=drop-zone] input[type=file]'
const REPORT_DONE = '[data-testid=report][data-state=done]'
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const PAPAPARSE = join(ROOT, 'node_modules/papaparse/papaparse.min.js')
const JSZIP = join(ROOT, 'node_modules/jszip/dist/jszip.min.js')

// tsx compiles with esbuild's keepNames, which wraps named inner functions in a `__name(...)`
// helper; functions handed to page.evaluate run in the page, where that helper does not exist.
const NAME_SHIM = 'globalThis.__name ??= (fn) => fn'

/** Runs in the page before any of its scripts: long-task observer and file capture. */
function installProbes(): void {
  const probes: PageProbes = { longTasks: [], file: null }
  window.benchProbes = probes
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      probes.longTasks.push({ start: entry.startTime, duration: entry.duration })
  }).observe({ type: 'longtask', buffered: true })
  // Capture phase: runs before the app's own handler clears the input.
  window.addEventListener(
    'change',
    (event) => {
      const target = event.target
      if (target instanceof HTMLInputElement && target.files && target.files.length > 0)
        probes.file = target.files[0]
    },
    true,
  )
}

/** Every page of the context gets the probes before its own scripts run. */
export async function installPageProbes(context: BrowserContext): Promise<void> {
  await context.addInitScript(NAME_SHIM)
  await context.addInitScript(installProbes)
}

export interface ValidateSample {
  ms: number
  counts: Counts
  verdict: string | null
  /** Longest main-thread task from the file's arrival to the report on screen; 0 if none ≥ 50 ms. */
  longestTaskMs: number
}

/** Loads the page, drops the package and waits for the report: one validation, cold. */
export async function dropAndValidate(
  page: Page,
  url: string,
  path: string,
  timeoutMs: number,
): Promise<ValidateSample> {
  await page.goto(url)
  // A person drops a file a moment after the page shows, by when the app has started its
  // worker in idle time: wait for that, as a drop at the first millisecond would time the
  // worker's start-up instead.
  await page.waitForLoadState('networkidle')
  await page.waitForTimeout(500)
  await page.locator(FILE_INPUT).setInputFiles(path)
  const report = page.locator(REPORT_DONE)
  await report.waitFor({ timeout: timeoutMs })
  const timing = await page.evaluate(() => {
    const measures = performance.getEntriesByName('package-validate', 'measure')
    const measure = measures[measures.length - 1]
    if (!measure) return null
    // The window runs on to now: the report's render after the measure ends counts too.
    const now = performance.now()
    const overlapping = (window.benchProbes?.longTasks ?? []).filter(
      (task) => task.start < now && task.start + task.duration > measure.startTime,
    )
    return {
      ms: measure.duration,
      longestTaskMs: Math.max(0, ...overlapping.map((task) => task.duration)),
    }
  })
  if (!timing) throw new Error('The page recorded no package-validate measure.')
  return {
    ...timing,
    counts: await readCounts(page),
    verdict: await report.getAttribute('data-verdict'),
  }
}

/** The report's counts; a count the page does not show is 0 (CONTRACT.md). */
export async function readCounts(page: Page): Promise<Counts> {
  const texts = await page.evaluate(
    (names) =>
      names.map(
        (name) => document.querySelector(`[data-testid=count-${name}]`)?.textContent ?? null,
      ),
    [...COUNT_NAMES],
  )
  const counts = zeroCounts()
  COUNT_NAMES.forEach((name, index) => {
    const text = texts[index]
    // Digits only: the page groups thousands with the locale's separator.
    counts[name] = text === null ? 0 : Number(text.replace(/\D/g, ''))
  })
  return counts
}

/** Puts papaparse and jszip on the page as globals; the context must bypass the app's CSP. */
export async function injectLibraries(page: Page): Promise<void> {
  await page.addScriptTag({ path: PAPAPARSE })
  await page.addScriptTag({ path: JSZIP })
}

export interface TimedResult {
  ms: number
  /** Something counted along the way, to see the work was really done. */
  check: number
}

/** Baseline: the same File into one ArrayBuffer, then its line breaks counted. */
export function readAndCountLines(page: Page): Promise<TimedResult> {
  return page.evaluate(async () => {
    const file = window.benchProbes?.file
    if (!file) throw new Error('No file was captured from the input.')
    const started = performance.now()
    const bytes = new Uint8Array(await file.arrayBuffer())
    let breaks = 0
    // A plain loop: over 37-byte rows it beats one indexOf call per row in Chromium.
    for (let index = 0; index < bytes.length; index++) if (bytes[index] === 10) breaks++
    return { ms: performance.now() - started, check: breaks }
  })
}

/** papaparse streaming the same File in chunks, on the page's main thread. */
export function papaparseFile(page: Page, chunkSize: number): Promise<TimedResult> {
  return page.evaluate(async (size) => {
    const file = window.benchProbes?.file
    const papa = window.Papa
    if (!file || !papa) throw new Error('No file, or papaparse was not injected.')
    const started = performance.now()
    let rows = 0
    await new Promise<void>((resolve, reject) => {
      papa.parse<string[]>(file, {
        fastMode: true,
        chunkSize: size,
        chunk(results) {
          rows += results.data.length
        },
        complete() {
          resolve()
        },
        error(error) {
          reject(error)
        },
      })
    })
    return { ms: performance.now() - started, check: rows }
  }, chunkSize)
}

/** jszip reading the central directory of the same File and inflating one entry. */
export function jszipInflate(page: Page, entry: string): Promise<TimedResult> {
  return page.evaluate(async (name) => {
    const file = window.benchProbes?.file
    const jszip = window.JSZip
    if (!file || !jszip) throw new Error('No file, or jszip was not injected.')
    const started = performance.now()
    const zip = await jszip.loadAsync(file)
    const found = zip.file(name)
    if (!found) throw new Error(`The zip holds no ${name}.`)
    const bytes = await found.async('uint8array')
    return { ms: performance.now() - started, check: bytes.length }
  }, entry)
}

export interface ActionSample {
  /** The page's own measure of the action. */
  ms: number
  /** From the click to the first frame showing the expected counts (or to giving up). */
  onScreenMs: number
  /** Whether the report came to show exactly the expected counts in time. */
  settled: boolean
}

/**
 * Clicks one of the page's buttons and waits for the new `measure` entry the click records
 * and for the report to show `expected` (a missing count is 0). The page's measure is what
 * counts; `settled` false means it never showed those counts (read them to see how not).
 */
export async function clickAndMeasure(
  page: Page,
  button: string,
  measure: string,
  expected: Counts,
  timeoutMs: number,
): Promise<ActionSample> {
  await page.locator(`${button}:enabled`).waitFor({ timeout: timeoutMs })
  const sample = await page.evaluate(
    async ({ button, measure, expected, timeoutMs }) => {
      const entries = () => performance.getEntriesByName(measure, 'measure')
      const before = entries().length
      const target = document.querySelector(button)
      if (!(target instanceof HTMLElement)) throw new Error(`No ${button} on the page.`)
      const shows = () =>
        document.querySelector('[data-testid=report][data-state=done]') !== null &&
        expected.every(([name, value]) => {
          const text = document.querySelector(`[data-testid=count-${name}]`)?.textContent
          return (text == null ? 0 : Number(text.replace(/\D/g, ''))) === value
        })
      // A frame, or a moment if the page gets no frames (a hidden page).
      const nextFrame = () =>
        new Promise<void>((resolve) => {
          requestAnimationFrame(() => resolve())
          setTimeout(resolve, 100)
        })
      const clicked = performance.now()
      target.click()
      let settled = false
      while (performance.now() - clicked < timeoutMs) {
        await nextFrame()
        if (entries().length > before && (settled = shows())) break
      }
      const measured = entries()
      if (measured.length === before) return null
      return {
        ms: measured[measured.length - 1].duration,
        onScreenMs: performance.now() - clicked,
        settled,
      }
    },
    { button, measure, expected: Object.entries(expected), timeoutMs },
  )
  if (!sample) throw new Error(`Clicking ${button} recorded no ${measure} measure.`)
  return sample
}

/** What one validation in any engine gives: the page's own measure and its report. */
export interface EngineSample {
  ms: number
  counts: Counts
  verdict: string
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * dropAndValidate for a page of any engine (e2e/engines/): loads the page, waits as a person
 * would until the app has started its worker, drops the package and reads the page's own
 * `package-validate` measure. Through the same driver calls in every engine, so the columns
 * compare engines, not drivers.
 */
export async function validateInEngine(
  page: DriverPage,
  url: string,
  path: string,
  timeoutMs: number,
): Promise<EngineSample> {
  await page.open(url)
  // No "network idle" outside Playwright: the package worker's script is the last load.
  await waitFor(
    page,
    'the package worker',
    "performance.getEntriesByType('resource').some((entry) => entry.name.includes('package.worker'))",
  )
  await sleep(1_000)
  const verdict = await drop(page, path, timeoutMs)
  const ms = z
    .number()
    .nullable()
    .parse(
      await page.evaluate(
        "performance.getEntriesByName('package-validate', 'measure').at(-1)?.duration ?? null",
      ),
    )
  if (ms === null) throw new Error('The page recorded no package-validate measure.')
  const shown = await reportCounts(page)
  const counts = zeroCounts()
  for (const name of COUNT_NAMES) counts[name] = shown[name] ?? 0
  return { ms, counts, verdict }
}
