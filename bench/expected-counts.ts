import { ROW_CODES, type RowCode } from '../src/core/problem-codes.ts'
import { referenceCodes, tally } from '../src/core/test-fixtures.ts'

/** The counts the page shows, by their CONTRACT.md names. */
export const COUNT_NAMES = ['rows', 'valid', ...ROW_CODES] as const
export type CountName = (typeof COUNT_NAMES)[number]
export type Counts = Record<CountName, number>

export function zeroCounts(): Counts {
  return Object.fromEntries(COUNT_NAMES.map((name) => [name, 0])) as Counts
}

/** The differences between the counts on the page and the reference, one line each. */
export function countDifferences(actual: Counts, expected: Counts): string[] {
  return COUNT_NAMES.filter((name) => actual[name] !== expected[name]).map(
    (name) => `${name} ${actual[name]} on the page, ${expected[name]} expected`,
  )
}

/** The one-click fixes the bench applies and checks. */
export type ReferenceFix = 'duplicate' | 'all'

export interface ReferencePackage {
  /** The counts CONTRACT.md asks for, to check the page against. */
  counts: Counts
  /** The package's text after a one-click fix. */
  afterFix(fix: ReferenceFix): string
}

/**
 * A token package as the unit tests' reference reads it (`referenceCodes`: the row and header
 * rules over plain strings, sharing no code with the app). Read once for the counts and both
 * fixes: a read takes about twice as long as the bench's own loop did, and over 2.7 million
 * rows the six reads before the bench starts take 40 s (the old loop's ten took 25 s).
 */
export function readReference(text: string, options: { csv: boolean }): ReferencePackage {
  const rows = readRows(text, options)
  const { counts, valid } = tally(rows.codes)
  return {
    counts: { rows: rows.codes.length, valid, ...counts },
    afterFix: (fix) => fixRows(rows, fix),
  }
}

interface PackageRows {
  lines: string[]
  values: string[]
  codes: RowCode[][]
}

/**
 * What a whole package adds to the row rules: the final line break does not make a row, a CR
 * before it belongs to the break, and a CSV row's value is its first column.
 */
function readRows(text: string, options: { csv: boolean }): PackageRows {
  if (text === '') return { lines: [], values: [], codes: [] }
  const lines = text.split('\n')
  if (text.endsWith('\n')) lines.pop()
  const values = lines.map((line) => {
    const row = line.endsWith('\r') ? line.slice(0, -1) : line
    return options.csv ? row.split(',')[0] : row
  })
  return { lines, values, codes: referenceCodes(values, 'token') }
}

/**
 * fix-duplicate drops every row that repeats an earlier value; fix-all (CONTRACT.md: every fix
 * that loses no valid token) also drops blank and header rows, trims the value,
 * lowercases a value with uppercase hex letters and keeps the first column.
 */
function fixRows({ lines, values, codes }: PackageRows, fix: ReferenceFix): string {
  const kept: string[] = []
  lines.forEach((line, index) => {
    const has = (code: RowCode) => codes[index].includes(code)
    // The bench writes no such rows: the reference keeps how it would repair them to itself.
    if (has('invisible') || has('wrapped')) throw new Error(`No reference fix for row ${index}.`)
    if (has('duplicate')) return
    if (fix === 'duplicate') kept.push(line)
    else if (!has('blank') && !has('header')) {
      const value = trim(values[index])
      const ending = line.endsWith('\r') ? '\r' : ''
      kept.push((has('uppercase') ? value.toLowerCase() : value) + ending)
    }
  })
  return kept.length === 0 ? '' : `${kept.join('\n')}\n`
}

function trim(value: string): string {
  return value.replace(/^[ \t]+|[ \t]+$/g, '')
}
