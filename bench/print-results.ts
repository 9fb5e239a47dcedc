import type { Engine } from '../e2e/engines/driver-page.ts'
import type { EngineBenchResult, EnginePackageResult } from './engine-bench.ts'
import type { BenchFormat, BenchPackage } from './generate-packages.ts'
import { kbToMb, peakGrowthKb, type UploadResult } from './upload-bench.ts'

/** Everything measured for one package. */
export interface PackageResult {
  pkg: BenchPackage
  /** Milliseconds per run, by step name ('validate' and each MeasurementStep's name). */
  timings: Map<string, number[]>
  /** Longest main-thread task while validating, over all runs; 0 when none reached 50 ms. */
  longestTaskMs: number
  /** Counts (or verdict) that differed from the reference, per run. */
  mismatches: string[]
}

interface Column<T = PackageResult> {
  header: string
  cell(result: T): string
}

type Outcome = { pass: boolean; detail: string } | null

interface Target {
  label: string
  /** null when no package was measured for it. */
  evaluate(results: PackageResult[]): Outcome
}

/** The longest task the Long Tasks API can report is ≥ 50 ms; below that it says nothing. */
const LONG_TASK_FLOOR_MS = 50

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

function timing(result: PackageResult, name: string): number | null {
  return median(result.timings.get(name) ?? [])
}

function ratio(result: PackageResult, top: string, bottom: string): number | null {
  const a = timing(result, top)
  const b = timing(result, bottom)
  return a === null || b === null || b === 0 ? null : a / b
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const showMs = (value: number | null) => (value === null ? '-' : integer.format(value))
const showRatio = (value: number | null) => (value === null ? '-' : `${value.toFixed(2)}x`)
const oneDecimal = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
})
const showMb = (value: number | null) => (value === null ? '-' : oneDecimal.format(value))

/** The one-click fixes timed after validation (measurement-steps.ts). */
const FIX_STEPS = ['fix-duplicate', 'fix-all'] as const

const COLUMNS: Column[] = [
  { header: 'package', cell: (r) => r.pkg.format },
  { header: 'rows', cell: (r) => integer.format(r.pkg.expected.rows) },
  { header: 'validate ms', cell: (r) => showMs(timing(r, 'validate')) },
  { header: 'baseline ms', cell: (r) => showMs(timing(r, 'baseline')) },
  { header: 'validate/baseline', cell: (r) => showRatio(ratio(r, 'validate', 'baseline')) },
  { header: 'papaparse ms', cell: (r) => showMs(timing(r, 'papaparse')) },
  { header: 'papaparse/validate', cell: (r) => showRatio(ratio(r, 'papaparse', 'validate')) },
  { header: 'jszip ms', cell: (r) => showMs(timing(r, 'jszip')) },
  { header: 'validate/jszip', cell: (r) => showRatio(ratio(r, 'validate', 'jszip')) },
  {
    header: 'longest task ms',
    cell: (r) =>
      r.longestTaskMs < LONG_TASK_FLOOR_MS ? `< ${LONG_TASK_FLOOR_MS}` : showMs(r.longestTaskMs),
  },
  { header: 'counts exact', cell: (r) => (r.mismatches.length === 0 ? 'yes' : 'no') },
]

function only(results: PackageResult[], format: BenchFormat): PackageResult | undefined {
  return results.find((result) => result.pkg.format === format)
}

const TARGETS: Target[] = [
  {
    // Issue 2 asked for 3x (aim 1.5x); issue 11 made 1.5x the target. Why it fails on a
    // quiet machine, and what meeting it would take: docs/decisions/010.
    label: '.txt validate ≤ 1.5x baseline (decision record 010)',
    evaluate(results) {
      const txt = only(results, 'txt')
      const value = txt && ratio(txt, 'validate', 'baseline')
      return value ? { pass: value <= 1.5, detail: showRatio(value) } : null
    },
  },
  {
    label: 'validate ≥ 2x faster than papaparse (aim 4x)',
    evaluate(results) {
      const measured = results.flatMap((result) => {
        const value = ratio(result, 'papaparse', 'validate')
        return value === null ? [] : [{ format: result.pkg.format, value }]
      })
      if (measured.length === 0) return null
      return {
        pass: measured.every(({ value }) => value >= 2),
        detail: measured.map(({ format, value }) => `${format} ${showRatio(value)}`).join(', '),
      }
    },
  },
  {
    label: 'no main-thread task ≥ 100 ms while validating',
    evaluate(results) {
      if (results.length === 0) return null
      const worst = results.reduce((a, b) => (b.longestTaskMs > a.longestTaskMs ? b : a))
      const detail =
        worst.longestTaskMs < LONG_TASK_FLOOR_MS
          ? `none ≥ ${LONG_TASK_FLOOR_MS} ms`
          : `longest ${showMs(worst.longestTaskMs)} ms (${worst.pkg.format})`
      return { pass: worst.longestTaskMs < 100, detail }
    },
  },
  {
    label: 'any fix ≤ 0.5x validate (aim 0.33x)',
    evaluate(results) {
      const measured = results.flatMap((result) => {
        const ratios = FIX_STEPS.flatMap((step) => {
          const value = ratio(result, step, 'validate')
          return value === null ? [] : [{ step, value }]
        })
        if (ratios.length === 0) return []
        const worst = ratios.reduce((a, b) => (b.value > a.value ? b : a))
        return [{ format: result.pkg.format, ...worst }]
      })
      if (measured.length === 0) return null
      return {
        pass: measured.every(({ value }) => value <= 0.5),
        detail: measured
          .map(({ format, step, value }) => `${format} ${showRatio(value)} (${step})`)
          .join(', '),
      }
    },
  },
  {
    label: 'exact counts',
    evaluate(results) {
      if (results.length === 0) return null
      const inexact = results.filter((result) => result.mismatches.length > 0)
      return {
        pass: inexact.length === 0,
        detail: inexact.length
          ? `differ: ${inexact.map((result) => result.pkg.format).join(', ')}`
          : 'every package, every run, after every fix and undo',
      }
    },
  },
  {
    label: 'GBK CSV and TSV validate ≤ 2x the .txt validate',
    evaluate: (results) =>
      againstTxtValidate(results, 2, (result) => timing(result, 'validate') ?? 0),
  },
  {
    label: 'GBK CSV and TSV fixes ≤ 0.5x the .txt validate',
    evaluate: (results) =>
      againstTxtValidate(results, 0.5, (result) =>
        Math.max(...FIX_STEPS.map((step) => timing(result, step) ?? 0)),
      ),
  },
  {
    label: '.zip validate ≤ 1.5x jszip inflating',
    evaluate(results) {
      const zip = only(results, 'zip')
      const value = zip && ratio(zip, 'validate', 'jszip')
      return value ? { pass: value <= 1.5, detail: showRatio(value) } : null
    },
  },
]

/** The real-export packages' `measure`, each as a share of the .txt validate time, at most `limit`. */
function againstTxtValidate(
  results: PackageResult[],
  limit: number,
  measure: (result: PackageResult) => number,
): Outcome {
  const txt = only(results, 'txt')
  const base = txt && timing(txt, 'validate')
  const measured = (['gbk', 'tsv'] as const).flatMap((format) => {
    const result = only(results, format)
    return result && base ? [{ format, value: measure(result) / base }] : []
  })
  if (measured.length === 0) return null
  return {
    pass: measured.every(({ value }) => value <= limit),
    detail: measured.map(({ format, value }) => `${format} ${showRatio(value)}`).join(', '),
  }
}

function printTable<T>(columns: Column<T>[], items: T[]): void {
  const rows = [columns.map((column) => column.header)]
  for (const item of items) rows.push(columns.map((column) => column.cell(item)))
  const widths = columns.map((_, index) => Math.max(...rows.map((row) => row[index].length)))
  const line = (row: string[]) =>
    row
      .map((cell, index) =>
        index === 0 ? cell.padEnd(widths[index]) : cell.padStart(widths[index]),
      )
      .join('  ')
  console.log('')
  console.log(line(rows[0]))
  console.log(widths.map((width) => '-'.repeat(width)).join('  '))
  for (const row of rows.slice(1)) console.log(line(row))
  console.log('')
}

function printOutcome(label: string, outcome: Outcome): void {
  const verdict = outcome === null ? 'n/a ' : outcome.pass ? 'PASS' : 'FAIL'
  console.log(`${verdict}  ${label}${outcome ? `: ${outcome.detail}` : ''}`)
}

/** The table, the targets, each run's timings and any count that differed. */
export function printResults(results: PackageResult[], runs: number): void {
  printTable(COLUMNS, results)
  console.log(
    `Medians of ${runs} runs. validate: a fresh page per run (the app starts a fresh worker ` +
      'per file, so every run is JIT-cold, as for a user); then, on that page, fix-duplicate, ' +
      'undo and fix-all, each as the page measures it (click to new report). Comparisons: ' +
      'back to back on one page, the first of each JIT-cold.',
  )
  console.log('')
  for (const target of TARGETS) printOutcome(target.label, target.evaluate(results))
  console.log('')
  console.log('Runs (ms):')
  for (const result of results) {
    for (const [name, values] of result.timings)
      console.log(`  ${result.pkg.format} ${name}: ${values.map(showMs).join(', ')}`)
  }
  for (const result of results)
    for (const mismatch of result.mismatches) console.log(`  ${result.pkg.format}: ${mismatch}`)
}

const uploadRatio = (r: UploadResult) => {
  const direct = median(r.direct)
  const proxy = median(r.proxy)
  return direct === null || proxy === null || direct === 0 ? null : proxy / direct
}
const uploadGrowthMb = (r: UploadResult) => (r.memory ? kbToMb(peakGrowthKb(r.memory)) : null)

const UPLOAD_COLUMNS: Column<UploadResult>[] = [
  { header: 'package', cell: (r) => r.pkg.format },
  { header: 'body MB', cell: (r) => showMb(r.bodyBytes / 1_000_000) },
  { header: 'direct ms', cell: (r) => showMs(median(r.direct)) },
  { header: 'proxy ms', cell: (r) => showMs(median(r.proxy)) },
  { header: 'proxy/direct', cell: (r) => showRatio(uploadRatio(r)) },
  { header: 'proxy peak RSS growth MB', cell: (r) => showMb(uploadGrowthMb(r)) },
  {
    header: 'proxy RSS after-before MB',
    cell: (r) => showMb(r.memory && kbToMb(r.memory.rssAfterKb - r.memory.rssBeforeKb)),
  },
  { header: 'bodies intact', cell: (r) => (r.mismatches.length === 0 ? 'yes' : 'no') },
]

/**
 * Holding the whole body would grow the proxy by at least the body. Streaming grows it by the
 * chunks in flight plus the garbage Node lets pile up before it collects: tens of MB at most.
 */
const STREAMING_SHARE = 0.5

/** The upload table (one package), its targets and runs. */
export function printUploadResults(result: UploadResult, runs: number): void {
  printTable(UPLOAD_COLUMNS, [result])
  const memory = result.memory
  console.log(
    `Medians of ${runs} uploads each way, alternating, each on a fresh connection, timed from ` +
      'the first byte sent to the last byte of the answer; multipart/form-data streamed from ' +
      'disk to a local upstream that reads and discards it, straight or through the ' +
      "production server's proxy. Proxy memory: /proc/<pid>/status of the server process, " +
      (memory?.peakReset
        ? 'its peak (VmHWM) reset to VmRSS before the proxied uploads, so the growth is their peak.'
        : 'VmHWM before and after (it could not be reset: the growth is a lower bound).'),
  )
  console.log('')
  const ratio = uploadRatio(result)
  printOutcome(
    'upload through the proxy ≤ 1.5x direct (aim 1.1x)',
    ratio === null ? null : { pass: ratio <= 1.5, detail: showRatio(ratio) },
  )
  const growth = uploadGrowthMb(result)
  const body = result.bodyBytes / 1_000_000
  printOutcome(
    `the proxy streams: peak RSS growth ≤ ${STREAMING_SHARE * 100}% of the body`,
    growth === null
      ? null
      : {
          pass: growth <= body * STREAMING_SHARE,
          detail: `${showMb(growth)} MB for a ${showMb(body)} MB body`,
        },
  )
  printOutcome('every body reached the upstream whole, every answer came back', {
    pass: result.mismatches.length === 0,
    detail: result.mismatches.length === 0 ? `${runs * 2} uploads` : 'see below',
  })
  console.log('')
  console.log('Uploads (ms):')
  console.log(`  direct: ${result.direct.map(showMs).join(', ')}`)
  console.log(`  proxy: ${result.proxy.map(showMs).join(', ')}`)
  if (memory) {
    const mb = (kb: number) => `${showMb(kbToMb(kb))} MB`
    console.log(
      `  proxy VmRSS ${mb(memory.rssBeforeKb)} before, ${mb(memory.rssAfterKb)} after; ` +
        `VmHWM ${mb(memory.peakBeforeKb)} before, ${mb(memory.peakAfterKb)} after; ` +
        `VmRSS after each proxied upload: ${memory.rssAfterEachKb.map(mb).join(', ')}`,
    )
  }
  for (const mismatch of result.mismatches) console.log(`  ${mismatch}`)
}

/** The validate times per engine: a column each, for the packages measured in every engine. */
export function printEngineResults(
  result: EngineBenchResult,
  engines: readonly Engine[],
  runs: number,
): void {
  const engineColumns: Column<EnginePackageResult>[] = engines.map((engine) => ({
    header: `${engine} validate ms`,
    cell: (r) => showMs(median(r.timings.get(engine) ?? [])),
  }))
  printTable(
    [
      { header: 'package', cell: (r) => r.pkg.format },
      { header: 'file MB', cell: (r) => showMb(r.pkg.bytes / 1_000_000) },
      { header: 'rows', cell: (r) => integer.format(r.pkg.expected.rows) },
      ...engineColumns,
      { header: 'counts exact', cell: (r) => (r.mismatches.length === 0 ? 'yes' : 'no') },
    ],
    result.packages,
  )
  console.log(
    `Medians of ${runs} runs, each on a fresh page in a fresh profile, the file dropped a ` +
      "second after the page started its worker; the page's own package-validate measure. " +
      'Chromium through Playwright, Firefox through puppeteer-core (BiDi), WebKitGTK through ' +
      'WebKitWebDriver, one engine at a time.',
  )
  for (const engine of engines)
    console.log(`  ${engine} reads with ${result.paths.get(engine) ?? '-'}`)
  console.log('')
  console.log('Runs (ms):')
  for (const r of result.packages)
    for (const engine of engines)
      console.log(
        `  ${r.pkg.format} ${engine}: ${(r.timings.get(engine) ?? []).map(showMs).join(', ')}`,
      )
  for (const r of result.packages)
    for (const mismatch of r.mismatches) console.log(`  ${r.pkg.format}: ${mismatch}`)
}
