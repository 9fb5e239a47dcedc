import { COMMA, CR, LF, QUOTE, TAB } from './byte-classes.ts'
import { RowClassifier, type RowClassification } from './classify-rows.ts'
import {
  columnChoiceOf,
  DIALECT_HEAD_BYTES,
  detectDialect,
  type ColumnChoice,
  type Dialect,
} from './csv-dialect.ts'
import { isUtf8 } from './decode-text.ts'
import type { PackageFormat } from './file-name.ts'
import { ROW_BIT, type PackageKind, type PackageProblem } from './problem-codes.ts'
import { arenaBytes, createArena, type RowStore } from './row-store.ts'
import { unshared } from './shared-memory.ts'
import { FirstColumnCutter, LineSplitter, splitCsv, splitLines } from './split-rows.ts'

export interface TextScanOptions {
  format: PackageFormat
  kind: PackageKind
  /** The column of a delimited text the user says holds the values; told from the rows if not. */
  column?: number
}

export interface ScannedText {
  store: RowStore
  classification: RowClassification
  /** `encoding-invalid` when the bytes are not UTF-8 text (NUL, or not UTF-8). */
  problems: PackageProblem[]
  /** For delimited text: the column read and what each column holds; null otherwise. */
  columns: ColumnChoice | null
}

/** A token file's rows, split and classified while the file is still being read. */
export interface TextScan {
  /** Bytes up to `end` are now filled in: splits and classifies the rows they complete. */
  advance(end: number): void
  /**
   * The whole text is there, `length` bytes of it (all of the array unless said: a text
   * converted as it came sits at the start of a larger one): the last row, the duplicates and
   * the encoding check.
   */
  finish(length?: number): ScannedText
}

const GENERAL_BATCH_BYTES = 1024
const MAX_GENERAL_BATCH_BYTES = 1024 * 1024

/**
 * Scans UTF-8 text (without BOM) as it arrives, so a large file is split and classified
 * between its reads rather than after the last one. Rows end at LF; delimited text (a dialect
 * told from the first 64 KB) has each row cut at its first separator. A file that turns out to
 * have no LF (CR-only line breaks), a quote in a CSV or delimited text, a comma in a CSV of one
 * column, or values in a later column is split whole at the end instead, where the whole-file
 * rules (the line break, the quoted-CSV reader, moving a column) can see everything.
 */
export function startTextScan(text: Uint8Array, options: TextScanOptions): TextScan {
  const csv = options.format === 'csv'
  const rules = { kind: options.kind, csv }
  const splitter = new LineSplitter(LF, text.length)
  let classifier = new RowClassifier(rules, splitter.rows.start.length)
  /** Bytes looked at for NUL (and, in a CSV, quotes and commas). */
  let checked = 0
  let binary = false
  let rowByRow = true
  /** Told from the first bytes: a delimited text (`;`, tab, `|`, `,`), read as a CSV. */
  let dialect: Dialect | null = null
  let dialectKnown = false
  /**
   * A delimited text with its values in the first column and no quote so far: its rows are
   * cut at the first separator as they come. Any other is split whole at the end.
   */
  let cutter: FirstColumnCutter | null = null
  /** Every byte is in: what the first bytes show is decided now, however few. */
  let ended = false

  const arena = createArena(text)

  return {
    advance(end) {
      const fresh = text.subarray(checked, end)
      checked = end
      if (!binary && fresh.indexOf(0) !== -1) binary = true
      if (!dialectKnown && (end >= DIALECT_HEAD_BYTES || end === text.length || ended)) {
        dialectKnown = true
        // An account may hold a comma or a semicolon ("Smith, John"): an account .txt is split
        // at tabs only (Excel's "Unicode text"), which no account holds. A token holds none of
        // them, so a token file of either kind is looked at for all four.
        const found = binary ? null : detectDialect(text.subarray(0, end), options.kind)
        const splits = csv || options.kind === 'token' || found?.delimiter === TAB
        dialect = splits ? found : null
        if (dialect !== null && options.column !== undefined)
          dialect = { ...dialect, column: options.column }
        // A quote in the bytes read so far (before any row was split) sends it whole too.
        const cuttable = splitter.rows.count === 0 && text.subarray(0, end).indexOf(QUOTE) === -1
        if (dialect !== null && dialect.column === 0 && cuttable) {
          cutter = new FirstColumnCutter(dialect.delimiter, splitter.rows.start.length)
          // Its first row may be column names, as in a CSV.
          classifier = new RowClassifier({ ...rules, csv: true }, splitter.rows.start.length)
        } else if (dialect !== null) rowByRow = false
      }
      // A quote may hold a separator or a line break: such a file is read whole (CsvRecords).
      if (rowByRow && (csv || cutter) && fresh.indexOf(QUOTE) !== -1) rowByRow = false
      if (rowByRow && csv && !cutter && fresh.indexOf(COMMA) !== -1) rowByRow = false
      if (!rowByRow) return
      // Runs of the common token row are split and classified in one step; the rows between
      // go the general way, a batch of bytes at a time, growing while no common row comes.
      let batch = GENERAL_BATCH_BYTES
      for (;;) {
        const rowStart = splitter.rowStart
        const taken = classifier.takeTokenRows(text, rowStart, end, splitter.rows)
        if (taken !== rowStart) {
          splitter.resumeAt(taken)
          batch = GENERAL_BATCH_BYTES
        } else {
          batch = Math.min(batch * 2, MAX_GENERAL_BATCH_BYTES)
        }
        const limit = Math.min(end, splitter.scanned + batch)
        splitter.scan(text, limit)
        const { rows } = splitter
        cutter?.cut(text, rows.start, rows.length, rows.count)
        classifier.classify(rows.toStore(arena, cutter?.full ?? null), rows.count)
        if (limit === end) return
      }
    },

    finish(length = text.length) {
      ended = true
      const whole = text.subarray(0, length)
      this.advance(length)
      let store: RowStore
      // Without a single LF the line break may be CR: the whole-file rule decides.
      if (rowByRow && (splitter.rows.count > 0 || whole.indexOf(CR) === -1)) {
        store = splitter.finish(whole)
        if (cutter) {
          cutter.cut(whole, store.start, store.length, store.count)
          store = { ...store, fullLength: cutter.fullLength() }
        }
      } else {
        store = dialect ? splitCsv(whole, dialect) : csv ? splitCsv(whole) : splitLines(whole)
        // A delimited .txt is a CSV in all but name: its first row may be column names.
        classifier = new RowClassifier({ ...rules, csv: csv || dialect !== null }, store.count)
      }
      // A JSON array on one line is one row: each element gets a row of its own, as written.
      const elements = store.count <= 2 ? jsonArrayElements(whole) : null
      if (elements !== null) {
        const rows = new TextEncoder().encode(
          elements.map((value) => JSON.stringify(value)).join('\n'),
        )
        return startTextScan(rows, options).finish()
      }
      const classification = classifier.finish(store)
      // A CR inside a row, in a file whose lines end in LF (a Mac export joined to another):
      // a line break too, or every value after it on that line is lost to the row before.
      // The charset rows of a token file are few: they are looked at. When most rows are (an
      // account list checked as tokens), one look through the text for a CR comes first (it
      // costs ~23 ms at 100 MB in Node, which the few rows do not).
      const { charset } = classification.counts
      const mayHoldCr = charset > 0 && (charset * 16 < store.count || whole.indexOf(CR) !== -1)
      if (mayHoldCr && rowsHoldCr(store, classification.codes))
        return startTextScan(loneCrsAsLf(whole), options).finish()
      const problems: PackageProblem[] = []
      if (binary) problems.push({ code: 'encoding-invalid', names: ['binary'] })
      else if (classification.nonAscii && !isUtf8(whole))
        problems.push({ code: 'encoding-invalid' })
      const columns = dialect && columnChoiceOf(whole, dialect, options.kind)
      return { store, classification, problems, columns }
    },
  }
}

/**
 * Whether a row with a charset problem holds a CR. CRs before an LF are the line break's, so
 * one inside a row is a lone CR. Only the charset rows are looked at: a CRLF file holds a CR on
 * every line.
 */
function rowsHoldCr(store: RowStore, codes: Uint16Array): boolean {
  for (let row = 0; row < store.count; row++) {
    if (!(codes[row] & ROW_BIT.charset)) continue
    const full = store.fullLength === null ? store.length[row] : store.fullLength[row]
    if (arenaBytes(store.arena, store.start[row], full).indexOf(CR) !== -1) return true
  }
  return false
}

/** A copy of the text with each run of CRs that no LF follows made LFs: universal line breaks. */
function loneCrsAsLf(text: Uint8Array): Uint8Array {
  const copy = text.slice()
  for (let at = text.indexOf(CR); at !== -1; at = text.indexOf(CR, at)) {
    let end = at
    while (end < text.length && text[end] === CR) end++
    if (end === text.length || text[end] !== LF) copy.fill(LF, at, end)
    at = end
  }
  return copy
}

/**
 * The elements of a text that is one JSON array of strings, or of objects that each hold one
 * string field (`[{"token":"…"}]`): what a developer's export saved as .txt looks like.
 * Null for anything else.
 */
function jsonArrayElements(text: Uint8Array): string[] | null {
  let first = 0
  while (first < text.length && text[first] <= SPACE) first++
  if (text[first] !== OPEN_BRACKET) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(unshared(text)))
  } catch {
    return null
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return null
  const values: string[] = []
  for (const element of parsed) {
    if (typeof element === 'string') values.push(element)
    else if (typeof element === 'object' && element !== null && !Array.isArray(element)) {
      const fields = Object.values(element)
      if (fields.length !== 1 || typeof fields[0] !== 'string') return null
      values.push(fields[0])
    } else return null
  }
  return values
}

const OPEN_BRACKET = 0x5b
const SPACE = 0x20
