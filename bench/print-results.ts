import type { BenchFormat, BenchPackage } from './generate-packages.ts'

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

interface Column {
  header: string
  cell(result: PackageResult): string
}

interface Target {
  label: string
  /** null when no package was measured for it. */
  evaluate(results: PackageResult[]): { pass: boolean; detail: string } | null
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
    label: '.txt validate ≤ 3x baseline (aim 1.5x)',
    evaluate(results) {
      const txt = only(results, 'txt')
      const value = txt && ratio(txt, 'validate', 'baseline')
      return value ? { pass: value <= 3, detail: showRatio(value) } : null
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
    label: 'exact counts',
    evaluate(results) {
      if (results.length === 0) return null
      const inexact = results.filter((result) => result.mismatches.length > 0)
      return {
        pass: inexact.length === 0,
        detail: inexact.length
          ? `differ: ${inexact.map((result) => result.pkg.format).join(', ')}`
          : 'every package, every run',
      }
    },
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

/** The table, the targets, each run's timings and any count that differed. */
export function printResults(results: PackageResult[], runs: number): void {
  const rows = [COLUMNS.map((column) => column.header)]
  for (const result of results) rows.push(COLUMNS.map((column) => column.cell(result)))
  const widths = COLUMNS.map((_, index) => Math.max(...rows.map((row) => row[index].length)))
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
  console.log(
    `Medians of ${runs} runs. validate: a fresh page per run (the app starts a fresh worker ` +
      'per file, so every run is JIT-cold, as for a user). Comparisons: back to back on one ' +
      'page, the first of each JIT-cold.',
  )
  console.log('')
  for (const target of TARGETS) {
    const outcome = target.evaluate(results)
    const verdict = outcome === null ? 'n/a ' : outcome.pass ? 'PASS' : 'FAIL'
    console.log(`${verdict}  ${target.label}${outcome ? `: ${outcome.detail}` : ''}`)
  }
  console.log('')
  console.log('Runs (ms):')
  for (const result of results) {
    for (const [name, values] of result.timings)
      console.log(`  ${result.pkg.format} ${name}: ${values.map(showMs).join(', ')}`)
  }
  for (const result of results)
    for (const mismatch of result.mismatches) console.log(`  ${result.pkg.format}: ${mismatch}`)
}
