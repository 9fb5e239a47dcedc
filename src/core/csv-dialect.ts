import { COMMA, CR, LF, QUOTE, SPACE, TAB } from './byte-classes.ts'
import type { PackageKind } from './problem-codes.ts'
import { unshared } from './shared-memory.ts'

/** How a delimited file is written: its separator, and which column holds the values. */
export interface Dialect {
  delimiter: number
  /** 0-based; the first column unless another one holds the tokens. */
  column: number
}

export const SEMICOLON = 0x3b
export const PIPE = 0x7c

/** Separators real exports use: Excel in Germany or France writes `;`, "text" exports tabs. */
const DELIMITERS = [TAB, SEMICOLON, PIPE, COMMA]
/** Rows looked at; a header and a title row are among them. */
const SAMPLE_ROWS = 50
/** Bytes looked at, at most. */
export const DIALECT_HEAD_BYTES = 64 * 1024
/** Share of rows that must have the separator, with the same number of columns. */
const MIN_SHARE = 0.6
const TOKEN = /^[0-9a-fA-F]{36}$/

/**
 * The separator of a delimited text, told from its first rows, or null when the rows are
 * not delimited (one value a row). A separator counts when most rows have it, and have it
 * the same number of times (the same columns); quoted fields are skipped over.
 */
export function detectDialect(head: Uint8Array, kind: PackageKind): Dialect | null {
  const rows = sampleRows(head)
  if (rows.length === 0) return null
  let best: { delimiter: number; share: number } | null = null
  for (const delimiter of DELIMITERS) {
    const counts = rows.map((row) => countOutsideQuotes(row, delimiter))
    const usual = mostCommon(counts.filter((count) => count > 0))
    // `token;` on every row ends values; it does not part columns (repair-value.ts has those).
    if (usual === null || !rows.some((row) => hasLaterField(row, delimiter))) continue
    const share = counts.filter((count) => count === usual).length / rows.length
    if (share >= MIN_SHARE && (best === null || share > best.share)) best = { delimiter, share }
  }
  if (best === null) return null
  return { delimiter: best.delimiter, column: tokenColumn(rows, best.delimiter, kind) }
}

/** The column where most rows hold a token; the first for accounts, or when none does. */
function tokenColumn(rows: Uint8Array[], delimiter: number, kind: PackageKind): number {
  if (kind !== 'token') return 0
  const scores: number[] = []
  const decoder = new TextDecoder()
  for (const row of rows) {
    // The page's bytes may be shared memory, which TextDecoder refuses.
    splitFields(decoder.decode(unshared(row)), String.fromCharCode(delimiter)).forEach(
      (field, column) => {
        if (
          TOKEN.test(
            field
              .trim()
              .replace(/^"(.*)"$/, '$1')
              .trim(),
          )
        )
          scores[column] = (scores[column] ?? 0) + 1
      },
    )
  }
  let column = 0
  for (let index = 0; index < scores.length; index++)
    if ((scores[index] ?? 0) > (scores[column] ?? 0)) column = index
  return column
}

/** The column the values are read from, and what the first rows hold in each column. */
export interface ColumnChoice {
  chosen: number
  /** Per column, its values in the first rows, for the user to tell which holds the tokens. */
  samples: string[]
}

/** What the first three rows hold in each column, quotes taken off, a short line each. */
export function columnSamples(text: Uint8Array, dialect: Dialect): string[] {
  const decoder = new TextDecoder()
  const separator = String.fromCharCode(dialect.delimiter)
  const rows = sampleRows(text.subarray(0, 4096))
    .slice(0, 3)
    .map((row) => splitFields(decoder.decode(unshared(row)), separator))
  const columns = Math.max(0, ...rows.map((fields) => fields.length))
  return Array.from({ length: columns }, (_, column) =>
    rows
      .map((fields) => (fields[column] ?? '').trim().replace(/^"(.*)"$/, '$1'))
      .filter((value) => value !== '')
      .join(' · ')
      .slice(0, 80),
  )
}

/** The fields of one row, quotes kept; a quoted field may hold the separator. */
export function splitFields(row: string, delimiter: string): string[] {
  const fields: string[] = []
  let field = ''
  let quoted = false
  for (const char of row) {
    if (char === '"') quoted = !quoted
    if (char === delimiter && !quoted) {
      fields.push(field)
      field = ''
    } else field += char
  }
  fields.push(field)
  return fields
}

/** The first non-blank rows of the head; the last one only when the head is the whole text. */
function sampleRows(head: Uint8Array): Uint8Array[] {
  const text = head.subarray(0, DIALECT_HEAD_BYTES)
  const whole = text.length === head.length
  const rows: Uint8Array[] = []
  let start = 0
  while (start < text.length && rows.length < SAMPLE_ROWS) {
    let end = text.indexOf(LF, start)
    if (end === -1) {
      if (!whole) break
      end = text.length
    }
    let last = end
    if (last > start && text[last - 1] === CR) last--
    if (last > start) rows.push(text.subarray(start, last))
    start = end + 1
  }
  return rows
}

/** Whether something other than spaces follows the row's first separator. */
function hasLaterField(row: Uint8Array, delimiter: number): boolean {
  const at = row.indexOf(delimiter)
  if (at === -1) return false
  return row.subarray(at + 1).some((byte) => byte !== delimiter && byte !== SPACE && byte !== TAB)
}

/** Separators in a row, outside quotes; tabs and spaces at its ends are padding, not columns. */
function countOutsideQuotes(row: Uint8Array, delimiter: number): number {
  let first = 0
  let last = row.length
  while (first < last && (row[first] === TAB || row[first] === SPACE)) first++
  while (last > first && (row[last - 1] === TAB || row[last - 1] === SPACE)) last--
  let count = 0
  let quoted = false
  for (const byte of row.subarray(first, last)) {
    if (byte === QUOTE) quoted = !quoted
    else if (byte === delimiter && !quoted) count++
  }
  return count
}

function mostCommon(values: number[]): number | null {
  const tally = new Map<number, number>()
  for (const value of values) tally.set(value, (tally.get(value) ?? 0) + 1)
  let best: number | null = null
  for (const [value, times] of tally)
    if (best === null || times > (tally.get(best) ?? 0)) best = value
  return best
}
