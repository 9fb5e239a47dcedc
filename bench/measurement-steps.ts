import type { Page } from '@playwright/test'
import { countDifferences, type Counts } from './expected-counts.ts'
import type { BenchPackage } from './generate-packages.ts'
import {
  clickAndMeasure,
  jszipInflate,
  papaparseFile,
  readAndCountLines,
  readCounts,
} from './page-measures.ts'

/**
 * One timing. Its name keys the timings that the table's columns and the targets read, so a
 * new measurement is a step here plus, if it should be shown, a column or a target.
 */
export interface MeasurementStep {
  name: string
  appliesTo(pkg: BenchPackage): boolean
  /** Milliseconds taken. */
  run(page: Page, pkg: BenchPackage, context: StepContext): Promise<number>
}

/** What a step can report besides its own timing. */
export interface StepContext {
  /** Something the page showed that differs from the reference: the run fails. */
  mismatch(text: string): void
  /** A secondary timing, under its own name (listed with the runs). */
  record(name: string, ms: number): void
}

/** papaparse reads its File in chunks of this size. */
const PAPAPARSE_CHUNK_BYTES = 4 * 1024 * 1024

const FIX_TIMEOUT_MS = 60_000

/** A user reads the report before fixing; the page does its idle-time work meanwhile. */
const READING_PAUSE_MS = 2_000

/**
 * A click on one of the page's buttons, timed by the page's own measure (from the click to
 * the new report), then the report's counts checked against the reference.
 */
function clickStep(options: {
  name: string
  button: string
  measure: string
  appliesTo(pkg: BenchPackage): boolean
  expected(pkg: BenchPackage): Counts
  pauseFirst?: boolean
}): MeasurementStep {
  return {
    name: options.name,
    appliesTo: options.appliesTo,
    async run(page, pkg, context) {
      if (options.pauseFirst) await page.waitForTimeout(READING_PAUSE_MS)
      const expected = options.expected(pkg)
      const { button, measure } = options
      const sample = await clickAndMeasure(page, button, measure, expected, FIX_TIMEOUT_MS)
      context.record(`${options.name} on screen`, sample.onScreenMs)
      if (!sample.settled) {
        const shown = countDifferences(await readCounts(page), expected)
        for (const difference of shown) context.mismatch(`after ${options.name}: ${difference}`)
        if (shown.length === 0) context.mismatch(`after ${options.name}: the report never settled`)
      }
      return sample.ms
    },
  }
}

/** The row codes with a one-click fix (CONTRACT.md): fix-all is offered when one applies. */
const ROW_FIXES = ['blank', 'whitespace', 'uppercase', 'duplicate', 'header'] as const

const hasDuplicates = (pkg: BenchPackage) => pkg.expected.duplicate > 0

/**
 * Run on every fresh page right after its validation, in this order, with the package open
 * in the app: the place for timings of what a user does next. Here the review-and-fix
 * flow: fix-duplicate, undo it, then fix-all, each checked against the reference counts.
 */
export const AFTER_VALIDATION_STEPS: MeasurementStep[] = [
  clickStep({
    name: 'fix-duplicate',
    button: '[data-testid=fix-duplicate]',
    measure: 'package-fix',
    appliesTo: hasDuplicates,
    expected: (pkg) => pkg.expectedAfterFix.duplicate,
    pauseFirst: true,
  }),
  clickStep({
    name: 'undo',
    button: '[data-testid=undo]',
    measure: 'package-undo',
    appliesTo: hasDuplicates,
    expected: (pkg) => pkg.expected,
  }),
  clickStep({
    name: 'fix-all',
    button: '[data-testid=fix-all]',
    measure: 'package-fix',
    appliesTo: (pkg) => ROW_FIXES.some((code) => pkg.expected[code] > 0),
    expected: (pkg) => pkg.expectedAfterFix.all,
    pauseFirst: true,
  }),
]

/**
 * What the app's validation is compared with, run back to back on one page that holds the
 * package's File (the first run of each is JIT-cold; the table shows the median).
 */
export const COMPARISON_STEPS: MeasurementStep[] = [
  {
    name: 'baseline',
    appliesTo: () => true,
    async run(page, pkg) {
      const { ms, check } = await readAndCountLines(page)
      // Every generated row ends with LF, so a plain package has as many LFs as rows.
      if (pkg.zipEntry === null && check !== pkg.expected.rows)
        throw new Error(`Baseline counted ${check} line breaks, not ${pkg.expected.rows}.`)
      return ms
    },
  },
  {
    name: 'papaparse',
    appliesTo: (pkg) => pkg.zipEntry === null,
    async run(page) {
      return (await papaparseFile(page, PAPAPARSE_CHUNK_BYTES)).ms
    },
  },
  {
    name: 'jszip',
    appliesTo: (pkg) => pkg.zipEntry !== null,
    async run(page, pkg) {
      const { ms, check } = await jszipInflate(page, pkg.zipEntry ?? '')
      if (check === 0) throw new Error('jszip inflated nothing.')
      return ms
    },
  },
]
