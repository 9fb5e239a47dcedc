import { COMMA, CR, LF, SPACE, TAB } from './byte-classes.ts'
import { CsvRecords, withLfBreaks } from './csv-records.ts'
import type { PackageKind } from './problem-codes.ts'
import { unshared } from './shared-memory.ts'
import { lineBreakOf } from './split-rows.ts'

/** How a delimited file is written: its separator, and which column holds the values. */
export interface Dialect {
  delimiter: number
  /** 0-based; the first column unless another one holds the tokens. */
  column: number
}

export const SEMICOLON = 0x3b
export const PIPE = 0x7c

/** Separators real exports use: Excel in Germany or France writes `;`, "text" exports tabs. */
export const DELIMITERS = [TAB, SEMICOLON, PIPE, COMMA]
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
 * the same number of times (the same columns). Rows are records, read as splitCsv reads them:
 * a quoted field may hold the separator or a line break.
 */
export function detectDialect(head: Uint8Array, kind: PackageKind): Dialect | null {
  const text = headText(head)
  let best: { delimiter: number; share: number; rows: string[][] } | null = null
  for (const delimiter of DELIMITERS) {
    const rows = sampleRows(text, delimiter, SAMPLE_ROWS)
    const counts = rows.map((fields) => separatorsOf(fields, delimiter))
    const usual = mostCommon(counts.filter((count) => count > 0))
    // `token;` on every row ends values; it does not part columns (repair-value.ts has those).
    if (usual === null || !rows.some(hasLaterField)) continue
    const share = counts.filter((count) => count === usual).length / rows.length
    if (share >= MIN_SHARE && (best === null || share > best.share))
      best = { delimiter, share, rows }
  }
  if (best === null) return null
  return { delimiter: best.delimiter, column: tokenColumn(best.rows, kind) }
}

/** The column where most rows hold a token; the first for accounts, or when none does. */
function tokenColumn(rows: string[][], kind: PackageKind): number {
  if (kind !== 'token') return 0
  const scores = tokenScores(rows)
  let column = 0
  for (let index = 0; index < scores.length; index++)
    if (scores[index] > scores[column]) column = index
  return column
}

/** Per column, how many of the rows hold a token there. */
function tokenScores(rows: string[][]): number[] {
  const scores = new Array<number>(Math.max(0, ...rows.map((fields) => fields.length))).fill(0)
  for (const fields of rows)
    fields.forEach((field, column) => {
      if (isTokenField(field)) scores[column]++
    })
  return scores
}

/** The column the values are read from, and what the first rows hold in each column. */
export interface ColumnChoice {
  chosen: number
  /** Per column, its values in the first rows, for the user to tell which holds the tokens. */
  samples: string[]
  /** The columns that hold tokens in some of the first rows (the chosen one among them). */
  tokens: number[]
}

/**
 * The column chosen, what the first three rows hold in each column (quotes taken off, a short
 * line each), and, of a token file, the columns some of the first rows hold a token in: an
 * export may keep Android and iOS tokens apart (`user,android_token,ios_token`). One sample of
 * the head serves all three.
 */
export function columnChoiceOf(
  text: Uint8Array,
  dialect: Dialect,
  kind: PackageKind,
): ColumnChoice {
  const sample = sampleRows(headText(text), dialect.delimiter, SAMPLE_ROWS)
  const scores = kind === 'token' ? tokenScores(sample) : []
  const tokens = scores.flatMap((score, column) => (score > 0 ? [column] : []))
  return { chosen: dialect.column, samples: samplesOf(sample.slice(0, 3)), tokens }
}

/** Per column, what these rows hold in it, quotes taken off, a short line each. */
function samplesOf(rows: string[][]): string[] {
  const columns = Math.max(0, ...rows.map((fields) => fields.length))
  return Array.from({ length: columns }, (_, column) =>
    rows
      // A field may hold line breaks and doubled quotes: a sample is one line, as it reads.
      .map((fields) =>
        unwrapped(fields[column] ?? '')
          .replace(/""/g, '"')
          .replace(/\s*\n\s*/g, ' '),
      )
      .filter((value) => value !== '')
      .join(' · ')
      .slice(0, 80),
  )
}

/**
 * A field as a value: spaces and quotes around it taken off (` "a1b2…" ` is no quoted field),
 * and a quote left open (`"a1b2…`), which the wrapped fix takes off too.
 */
/** Whether a field, as written, holds a token (quotes and spaces around it aside). */
export function isTokenField(field: string): boolean {
  return TOKEN.test(unwrapped(field))
}

function unwrapped(field: string): string {
  return field.trim().replace(/^"|"$/g, '').trim()
}

interface HeadText {
  text: string
  lineBreak: number
  /** The head is the whole text: its last row ends with it. */
  complete: boolean
}

/**
 * The first bytes as text, CRLF made LF as splitCsv does. A head as long as DIALECT_HEAD_BYTES
 * is taken for the head of a longer text whatever its length: so the rows looked at are the same
 * whether the file came in reads that end there or past it.
 */
function headText(head: Uint8Array): HeadText {
  const bytes = head.subarray(0, DIALECT_HEAD_BYTES)
  const lineBreak = lineBreakOf(bytes)
  // The page's bytes may be shared memory, which TextDecoder refuses.
  let text = new TextDecoder().decode(unshared(bytes))
  if (lineBreak === LF && bytes.indexOf(CR) !== -1) text = withLfBreaks(text)
  return { text, lineBreak, complete: head.length < DIALECT_HEAD_BYTES }
}

/**
 * The first non-empty rows of the head, as their fields are written (quotes kept: `""` is no
 * padding); the last one only when the head is complete.
 */
function sampleRows({ text, lineBreak, complete }: HeadText, delimiter: number, most: number) {
  const records = new CsvRecords(text, delimiter, lineBreak, { complete, raw: true })
  const rows: string[][] = []
  while (rows.length < most) {
    const fields = records.next()
    if (fields === null) break
    if (fields.length > 1 || fields[0] !== '') rows.push(fields)
  }
  return rows
}

/** Whether something other than separators and spaces follows the row's first separator. */
function hasLaterField(fields: string[]): boolean {
  return fields.slice(1).some(isFilled)
}

/** Separators in a row; tabs and spaces at its ends are padding, not columns. */
function separatorsOf(fields: string[], delimiter: number): number {
  let first = 0
  let last = fields.length
  if (delimiter === TAB) {
    while (first < last && !isFilled(fields[first])) first++
    while (last > first && !isFilled(fields[last - 1])) last--
  }
  return Math.max(0, last - first - 1)
}

function isFilled(field: string): boolean {
  for (let index = 0; index < field.length; index++) {
    const char = field.charCodeAt(index)
    if (char !== SPACE && char !== TAB) return true
  }
  return false
}

function mostCommon(values: number[]): number | null {
  const tally = new Map<number, number>()
  for (const value of values) tally.set(value, (tally.get(value) ?? 0) + 1)
  let best: number | null = null
  for (const [value, times] of tally)
    if (best === null || times > (tally.get(best) ?? 0)) best = value
  return best
}
