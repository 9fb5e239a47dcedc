import { COMMA, CR, LF, QUOTE, SPACE, TAB } from './byte-classes.ts'
import type { Dialect } from './csv-dialect.ts'
import { CsvRecords, withLfBreaks } from './csv-records.ts'
import { appendToArena, createArena, lineOf, RowBuilder, type RowStore } from './row-store.ts'
import { unshared } from './shared-memory.ts'

/**
 * Splits UTF-8 bytes into rows at LF or CRLF (CR alone when the file has no LF at all).
 * The final line break does not make a row.
 */
export function splitLines(bytes: Uint8Array): RowStore {
  return new LineSplitter(lineBreakOf(bytes), bytes.length).finish(bytes)
}

/**
 * Splits rows at one line-break byte (LF also ends CRLF rows) as the bytes arrive: `scan`
 * takes each newly filled range, `finish` the end of the file.
 */
export class LineSplitter {
  readonly rows: RowBuilder
  private readonly lineBreak: number
  private start = 0
  private position = 0

  /** `size` is the whole file's, to size the row columns once. */
  constructor(lineBreak: number, size: number) {
    this.lineBreak = lineBreak
    // Every line break ends a row, so row i is on line i + 1: no line column needed.
    // Room for rows of 32 bytes on average, though a token row takes 37: a package with some
    // blank or short rows would otherwise outgrow the columns near its end and copy them all
    // (~150 ms at 2.7 million rows). Room never written costs nothing: its pages stay unmapped.
    this.rows = new RowBuilder(Math.ceil(size / 32) + 16, false)
  }

  /** Ends a row at every line break in the bytes filled so far, up to `end`. */
  scan(bytes: Uint8Array, end: number): void {
    const { lineBreak, rows } = this
    let { start, position } = this
    // Four bytes a step at aligned addresses: a word holding no line break (most of a 37-byte
    // row) is passed in one test. Measured 2-3x faster than a byte loop, which was itself
    // faster in Chromium than one indexOf call per row. The body stays inline: a helper
    // closing over start made the loop slower than the bytes it skipped.
    const offset = bytes.byteOffset
    const words = new Uint32Array(bytes.buffer, 0, (offset + end) >>> 2)
    const pattern = Math.imul(lineBreak, 0x01010101)
    while (position < end) {
      const address = offset + position
      if ((address & 3) === 0 && position + 4 <= end) {
        const x = words[address >>> 2] ^ pattern
        // Nonzero exactly when some byte of x is zero, that is, some byte is the line break.
        if (((x - 0x01010101) & ~x & 0x80808080) === 0) {
          position += 4
          continue
        }
      }
      if (bytes[position] === lineBreak) {
        // valueEnd, written out: the loop stays one function.
        let last = position
        if (lineBreak === LF) while (last > start && bytes[last - 1] === CR) last--
        rows.push(start, last - start, 0)
        start = position + 1
      }
      position++
    }
    this.start = start
    this.position = position
  }

  /** How far the bytes are scanned. */
  get scanned(): number {
    return this.position
  }

  /** Where the row being read starts: all before it is split. */
  get rowStart(): number {
    return this.start
  }

  /** Goes on from `position`, the start of a row: the rows before it were split elsewhere. */
  resumeAt(position: number): void {
    this.start = position
    this.position = position
  }

  /** Scans the rest, adds the last row (it has no line break after it) and hands over the rows. */
  finish(bytes: Uint8Array): RowStore {
    this.scan(bytes, bytes.length)
    const { rows, start } = this
    if (start < bytes.length) rows.push(start, this.valueEnd(bytes, start, bytes.length) - start, 0)
    return rows.toStore(createArena(bytes))
  }

  /**
   * Where the row from `start` to its line break at `end` holds its last byte: CRs before an
   * LF are part of the break. One is CRLF; Python's csv module on Windows writes `\r\r\n`
   * (a file opened without `newline=''`), and a last line may end in a lone CR.
   */
  private valueEnd(bytes: Uint8Array, start: number, end: number): number {
    let last = end
    if (this.lineBreak === LF) while (last > start && bytes[last - 1] === CR) last--
    return last
  }
}

/**
 * Splits a CSV into rows whose value is the first column. Files without quotes take the byte
 * path; a quote anywhere hands the file to CsvRecords, which reads quoted fields.
 */
export function splitCsv(bytes: Uint8Array, dialect: Dialect = COMMA_FIRST): RowStore {
  if (bytes.indexOf(QUOTE) !== -1) return splitQuotedCsv(bytes, dialect)
  const store = splitLines(bytes)
  if (bytes.indexOf(dialect.delimiter) === -1) return store
  return dialect.column === 0
    ? firstColumn(bytes, store, dialect)
    : moveColumn(bytes, store, dialect)
}

const COMMA_FIRST: Dialect = { delimiter: COMMA, column: 0 }

/** The value is what comes before the first separator; the row keeps the rest after it. */
function firstColumn(bytes: Uint8Array, store: RowStore, dialect: Dialect): RowStore {
  const cutter = new FirstColumnCutter(dialect.delimiter, store.count)
  cutter.cut(bytes, store.start, store.length, store.count)
  return { ...store, fullLength: cutter.fullLength() }
}

/**
 * Cuts rows at their first separator, a range of rows at a time, as a LineSplitter makes them:
 * a row's length becomes its value's (the first column), and `full` keeps the whole row's, for
 * the row to say it has more columns. `token;;;` (Excel's trailing empty columns) is one column.
 */
export class FirstColumnCutter {
  /** Each row's length with all its columns. */
  full: Uint32Array
  private readonly delimiter: number
  /** Rows cut so far. */
  private done = 0
  private extraColumns = 0

  constructor(delimiter: number, capacity: number) {
    this.delimiter = delimiter
    this.full = new Uint32Array(Math.max(16, capacity))
  }

  /** Cuts the rows from the last one cut up to `count`, in the row columns given. */
  cut(bytes: Uint8Array, start: Uint32Array, length: Uint32Array, count: number): void {
    if (this.full.length < count) {
      const grown = new Uint32Array(Math.max(count, this.full.length * 2))
      grown.set(this.full)
      this.full = grown
    }
    const { delimiter, full } = this
    for (let row = this.done; row < count; row++) {
      const first = start[row]
      const end = first + length[row]
      full[row] = length[row]
      let at = first
      while (at < end && bytes[at] !== delimiter) at++
      if (at === end) continue
      length[row] = at - first
      if (onlySeparators(bytes, at, end, delimiter)) full[row] = at - first
      else this.extraColumns++
    }
    this.done = Math.max(this.done, count)
  }

  /** The rows' full lengths, or null when no row has a second column (all are values only). */
  fullLength(): Uint32Array | null {
    return this.extraColumns > 0 ? this.full.subarray(0, this.done) : null
  }
}

/**
 * The value is the field in `dialect.column`; the row keeps the other fields after it, in their
 * order, when any holds more than spaces. Rows are written anew into one buffer, byte for byte:
 * never more than the file holds, as each row's fields are its own bytes moved about. Measured
 * in Node, 1M rows of `u<n>,<token>`: ~4.4 s when each row was decoded, split as a string and
 * encoded again.
 */
function moveColumn(bytes: Uint8Array, store: RowStore, dialect: Dialect): RowStore {
  const { count } = store
  const { delimiter, column } = dialect
  const rows = new RowBuilder(count)
  const fullLength = new Uint32Array(Math.max(16, count))
  const out = new Uint8Array(bytes.length)
  /** Each field of the row: its first byte and the byte after it. */
  let fields = new Uint32Array(64)
  let written = 0
  let extraColumns = 0
  for (let row = 0; row < count; row++) {
    const first = store.start[row]
    const last = first + store.length[row]
    let found = 0
    let from = first
    for (let at = first; ; at++) {
      if (at < last && bytes[at] !== delimiter) continue
      if (found * 2 + 2 > fields.length) fields = grownTo(fields, fields.length * 2)
      fields[found * 2] = from
      fields[found * 2 + 1] = at
      found++
      if (at === last) break
      from = at + 1
    }
    // A row with fewer fields gives its first.
    const chosen = column < found ? column : 0
    let extra = false
    for (let field = 0; field < found && !extra; field++)
      extra =
        field !== chosen &&
        !onlySeparators(bytes, fields[field * 2], fields[field * 2 + 1], delimiter)
    const begin = written
    written = copyBytes(bytes, fields[chosen * 2], fields[chosen * 2 + 1], out, written)
    const valueLength = written - begin
    if (extra) {
      extraColumns++
      for (let field = 0; field < found; field++) {
        if (field === chosen) continue
        out[written++] = delimiter
        written = copyBytes(bytes, fields[field * 2], fields[field * 2 + 1], out, written)
      }
    }
    rows.push(begin, valueLength, lineOf(store, row))
    fullLength[row] = written - begin
  }
  const arena = { base: new Uint8Array(0), extra: out, extraLength: written }
  return rows.toStore(arena, extraColumns > 0 ? fullLength : null)
}

/** Copies `from` to `to` of `source` into `target` at `at`; returns where the copy ends. */
function copyBytes(source: Uint8Array, from: number, to: number, target: Uint8Array, at: number) {
  // A loop: most fields are a few dozen bytes, where a subarray and set cost more.
  for (let position = from; position < to; position++) target[at++] = source[position]
  return at
}

function grownTo(array: Uint32Array, size: number): Uint32Array<ArrayBuffer> {
  const grown = new Uint32Array(size)
  grown.set(array)
  return grown
}

/**
 * A row's value (its field in `column`, or its first where it has fewer) and the row as it is
 * stored: the value, then the other fields, when any of them is not empty.
 */
function valueFirst(fields: string[], column: number, separator: string) {
  const at = column < fields.length ? column : 0
  const value = fields[at] ?? ''
  const others = fields.filter((_, index) => index !== at)
  // As onlySeparators: a field of spaces and tabs is empty.
  const extra = others.some((field) => /[^ \t]/.test(field))
  return { value, full: extra ? [value, ...others].join(separator) : value, extra }
}

function onlySeparators(bytes: Uint8Array, from: number, to: number, delimiter: number) {
  for (let at = from; at < to; at++) {
    const byte = bytes[at]
    if (byte !== delimiter && byte !== SPACE && byte !== TAB) return false
  }
  return true
}

/** LF, which also ends CRLF rows; CR only in a file that has no LF at all. */
export function lineBreakOf(bytes: Uint8Array): number {
  return bytes.indexOf(LF) === -1 && bytes.indexOf(CR) !== -1 ? CR : LF
}

/**
 * A CSV with quotes, read by CsvRecords: quoted fields may hold the separator and line breaks,
 * and a stray quote that would take in the rows after it is read as a plain character instead.
 */
function splitQuotedCsv(bytes: Uint8Array, dialect: Dialect): RowStore {
  const lineBreak = lineBreakOf(bytes)
  // decodeText has taken off the byte order mark; another U+FEFF is a character of the first
  // row, as on the byte path (TextDecoder would drop it), and a quote after it still opens a field.
  let text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(unshared(bytes))
  const leadingFeff = text.charCodeAt(0) === 0xfeff
  if (leadingFeff) text = text.slice(1)
  // In a file mixing CRLF and LF, rows end where splitLines ends them.
  if (lineBreak === LF && bytes.indexOf(CR) !== -1) text = withLfBreaks(text)
  const records = new CsvRecords(text, dialect.delimiter, lineBreak)
  const separator = String.fromCharCode(dialect.delimiter)
  const arena = createArena(new Uint8Array(0))
  // As LineSplitter: room for rows of 32 bytes on average, grown if a file has more.
  const rows = new RowBuilder(Math.ceil(bytes.length / 32) + 16)
  let fullLength = new Uint32Array(rows.start.length)
  const encoder = new TextEncoder()
  // Each row is encoded into one buffer and copied into the arena. A fresh array per row (two
  // with more columns) was 2.6-4.0 s for 2.7M quoted rows, most of it garbage collection; ~1.3 s so.
  let scratch = new Uint8Array(1024)
  let extraColumns = 0
  for (let fields = records.next(); fields !== null; fields = records.next()) {
    if (leadingFeff && rows.count === 0) fields[0] = '\ufeff' + fields[0]
    const row = valueFirst(fields, dialect.column, separator)
    const stored = row.extra ? row.full : row.value
    // UTF-8 takes at most 3 bytes for each UTF-16 unit.
    if (scratch.length < stored.length * 3) scratch = new Uint8Array(stored.length * 3)
    // The value is a prefix of the full row, so one append serves both.
    const value = encoder.encodeInto(row.value, scratch).written
    const full = row.extra ? encoder.encodeInto(stored, scratch).written : value
    if (row.extra) extraColumns++
    rows.push(appendToArena(arena, scratch.subarray(0, full)), value, records.line)
    if (fullLength.length < rows.start.length) fullLength = grownTo(fullLength, rows.start.length)
    fullLength[rows.count - 1] = full
  }
  return rows.toStore(arena, extraColumns > 0 ? fullLength : null)
}
