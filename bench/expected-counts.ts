import { ROW_CODES } from '../src/core/problem-codes.ts'
/** The counts the page shows, by their CONTRACT.md names. */
export const COUNT_NAMES = ['rows', 'valid', ...ROW_CODES] as const
export type CountName = (typeof COUNT_NAMES)[number]
export type Counts = Record<CountName, number>

export function zeroCounts(): Counts {
  return Object.fromEntries(COUNT_NAMES.map((name) => [name, 0])) as Counts
}

/**
 * The counts CONTRACT.md asks for, worked out the plain way (strings, regular expressions, a
 * Set) and on purpose sharing no code with the app, so that the page can be checked against it.
 * The final line break does not make a row; a blank row has no other code and no value to
 * repeat; values compare trimmed and lowercased.
 */
export function referenceCounts(text: string, options: { csv: boolean }): Counts {
  const counts = zeroCounts()
  if (text === '') return counts
  const lines = text.split('\n')
  if (text.endsWith('\n')) lines.pop()
  const seen = new Set<string>()
  lines.forEach((line, index) => {
    counts.rows++
    const row = line.endsWith('\r') ? line.slice(0, -1) : line
    const value = options.csv ? row.split(',')[0] : row
    const trimmed = value.replace(/^[ \t]+|[ \t]+$/g, '')
    if (trimmed === '') {
      counts.blank++
      return
    }
    if (options.csv && index === 0 && isColumnName(trimmed)) {
      counts.header++
      return
    }
    let invalid = false
    if (trimmed !== value) invalid = tally(counts, 'whitespace')
    if (characters(trimmed) !== 36) invalid = tally(counts, 'length')
    if (/[^0-9a-fA-F]/.test(trimmed)) invalid = tally(counts, 'charset')
    // Uppercase is a hex token's problem only: with other characters it is charset alone.
    if (/[A-F]/.test(trimmed) && /^[0-9a-fA-F]+$/.test(trimmed))
      invalid = tally(counts, 'uppercase')
    const normal = trimmed.toLowerCase()
    if (seen.has(normal)) invalid = tally(counts, 'duplicate')
    else seen.add(normal)
    if (!invalid) counts.valid++
  })
  return counts
}

/** The differences between the counts on the page and the reference, one line each. */
export function countDifferences(actual: Counts, expected: Counts): string[] {
  return COUNT_NAMES.filter((name) => actual[name] !== expected[name]).map(
    (name) => `${name} ${actual[name]} on the page, ${expected[name]} expected`,
  )
}

/** The one-click fixes the bench applies and checks. */
export type ReferenceFix = 'duplicate' | 'all'

/**
 * The package as it reads after a one-click fix, worked out the plain way like
 * referenceCounts: fix-duplicate drops every row that repeats an earlier value; fix-all
 * (CONTRACT.md: every fix that loses no valid token) also drops blank rows and a CSV header,
 * trims the value, lowercases a value with uppercase hex letters and keeps the first column.
 */
export function referenceFix(text: string, options: { csv: boolean }, fix: ReferenceFix): string {
  if (text === '') return text
  const lines = text.split('\n')
  if (text.endsWith('\n')) lines.pop()
  const seen = new Set<string>()
  const kept: string[] = []
  lines.forEach((line, index) => {
    const ending = line.endsWith('\r') ? '\r' : ''
    const row = ending ? line.slice(0, -1) : line
    const value = options.csv ? row.split(',')[0] : row
    const trimmed = value.replace(/^[ \t]+|[ \t]+$/g, '')
    const blank = trimmed === ''
    const header = !blank && options.csv && index === 0 && isColumnName(trimmed)
    if (!blank && !header) {
      const normal = trimmed.toLowerCase()
      if (seen.has(normal)) return
      seen.add(normal)
    }
    if (fix === 'duplicate') kept.push(line)
    else if (!blank && !header)
      kept.push((/^[0-9a-fA-F]+$/.test(trimmed) ? trimmed.toLowerCase() : trimmed) + ending)
  })
  return kept.length === 0 ? '' : `${kept.join('\n')}\n`
}

function characters(value: string): number {
  // Spreading into code points is slow over millions of rows; ASCII needs no such care.
  return /^[\x20-\x7e\t]*$/.test(value) ? value.length : [...value].length
}

function tally(counts: Counts, name: CountName): true {
  counts[name]++
  return true
}

/** A word no hex token could be, such as "token" or "device_token". */
function isColumnName(value: string): boolean {
  return /^[a-z][a-z0-9 _.-]*$/i.test(value) && /[g-z_ ]/i.test(value)
}
