import type { Page } from '@playwright/test'
import type { BenchPackage } from './generate-packages.ts'
import { jszipInflate, papaparseFile, readAndCountLines } from './page-measures.ts'

/**
 * One timing. Its name keys the timings that the table's columns and the targets read, so a
 * new measurement is a step here plus, if it should be shown, a column or a target.
 */
export interface MeasurementStep {
  name: string
  appliesTo(pkg: BenchPackage): boolean
  /** Milliseconds taken. */
  run(page: Page, pkg: BenchPackage): Promise<number>
}

/** papaparse reads its File in chunks of this size. */
const PAPAPARSE_CHUNK_BYTES = 4 * 1024 * 1024

/**
 * Run on every fresh page right after its validation, with the package open in the app:
 * the place for timings of what a user does next (fixing, uploading).
 */
export const AFTER_VALIDATION_STEPS: MeasurementStep[] = []

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
