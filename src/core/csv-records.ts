import { QUOTE, SPACE, TAB } from './byte-classes.ts'

/**
 * Line breaks one quoted field may hold. Excel's published limits allow 253 line feeds in a
 * cell, so no spreadsheet writes more: a quote open for longer is a stray one (`"5 inch`, a
 * token pasted as `"a1b2…`) that would otherwise take the rows below it into one field.
 */
export const MAX_BREAKS_IN_FIELD = 253

/** What `closingQuote` found, when not the closing quote's index. */
const NOT_QUOTED = -1
const NOT_KNOWN = -2

export interface CsvOptions {
  /** False for the head of a longer text: its last record, or a field open at its end, is not read. */
  complete?: boolean
  /** Fields as written, quotes kept (`"a;b"`, `""`): what told the dialect before quotes mattered. */
  raw?: boolean
}

/**
 * Reads a CSV's records one at a time. A quote at a field's start opens a quoted field, which
 * may hold the separator, line breaks and `""` (a quote), when the field closes well: its next
 * quote that is not doubled is followed by the separator, a line break or the end (spaces
 * between are dropped, as papaparse drops them), and it holds at most MAX_BREAKS_IN_FIELD line
 * breaks. Any other quote is a character of an unquoted field, which ends at the next separator
 * or line break.
 *
 * papaparse reads a quote that does not close well as part of a field that runs on to the next
 * one that does, or to the end of the file: one stray quote made every row after it one field.
 * Here it costs its own field: `"5 inch,a1b2…` is `"5 inch` and `a1b2…`, and a token's own
 * `"a1b2…` is a value the wrapped fix can take the quote off.
 *
 * `text` has one line-break character (CRLF already made LF).
 */
export class CsvRecords {
  /** The line the last record read starts on, 1-based. */
  line = 0
  private position = 0
  private nextLine = 1
  private readonly text: string
  private readonly delimiter: number
  private readonly lineBreak: number
  private readonly complete: boolean
  private readonly raw: boolean
  /** Of the last quoted field `closingQuote` closed: where its separator or line break is... */
  private after = 0
  /** ...how many line breaks it holds, and whether it holds `""`. */
  private breaks = 0
  private escaped = false

  constructor(text: string, delimiter: number, lineBreak: number, options: CsvOptions = {}) {
    this.text = text
    this.delimiter = delimiter
    this.lineBreak = lineBreak
    this.complete = options.complete ?? true
    this.raw = options.raw ?? false
  }

  /** The next record's fields, quotes taken off unless `raw`; null past the last one. */
  next(): string[] | null {
    const { text, delimiter, lineBreak } = this
    let at = this.position
    // The final line break does not make a record.
    if (at >= text.length) return null
    const fields: string[] = []
    let breaks = 0
    for (;;) {
      const close = text.charCodeAt(at) === QUOTE ? this.closingQuote(at) : NOT_QUOTED
      if (close === NOT_KNOWN) return null
      let end: number
      if (close >= 0) {
        const inner = this.raw ? text.slice(at, close + 1) : text.slice(at + 1, close)
        fields.push(this.escaped && !this.raw ? inner.replaceAll('""', '"') : inner)
        breaks += this.breaks
        end = this.after
      } else {
        end = at
        while (end < text.length) {
          const char = text.charCodeAt(end)
          if (char === delimiter || char === lineBreak) break
          end++
        }
        fields.push(text.slice(at, end))
      }
      if (end < text.length && text.charCodeAt(end) === delimiter) {
        at = end + 1
        continue
      }
      if (end === text.length && !this.complete) return null
      this.line = this.nextLine
      this.nextLine += breaks + (end < text.length ? 1 : 0)
      this.position = end + 1
      return fields
    }
  }

  /**
   * The index of the quote that closes the field opened at `open`, or NOT_QUOTED when none
   * closes it well, or NOT_KNOWN when only text past a head's end could tell.
   */
  private closingQuote(open: number): number {
    const { text, delimiter, lineBreak } = this
    let breaks = 0
    let escaped = false
    for (let at = open + 1; at < text.length; at++) {
      const char = text.charCodeAt(at)
      if (char === lineBreak && ++breaks > MAX_BREAKS_IN_FIELD) return NOT_QUOTED
      if (char !== QUOTE) continue
      if (at + 1 === text.length && !this.complete) return NOT_KNOWN
      if (text.charCodeAt(at + 1) === QUOTE) {
        escaped = true
        at++
        continue
      }
      let after = at + 1
      while (after < text.length && isPadding(text.charCodeAt(after), delimiter)) after++
      if (after === text.length && !this.complete) return NOT_KNOWN
      const next = text.charCodeAt(after)
      if (after < text.length && next !== delimiter && next !== lineBreak) return NOT_QUOTED
      this.after = after
      this.breaks = breaks
      this.escaped = escaped
      return at
    }
    return this.complete ? NOT_QUOTED : NOT_KNOWN
  }
}

/** Spaces between a closing quote and the separator, dropped as papaparse drops them. */
function isPadding(char: number, delimiter: number): boolean {
  return (char === SPACE || char === TAB) && char !== delimiter
}

/**
 * Text with LF line breaks only, for a file whose lines end in LF: the CRs before an LF are
 * part of the break (CRLF; `\r\r\n` from Python's csv module on Windows), and CRs that end
 * the text are one, as the byte path's LineSplitter has it. A CRLF inside a quoted field reads
 * as LF.
 */
export function withLfBreaks(text: string): string {
  return text.replace(/\r+(?=\n)/g, '').replace(/\r+$/, '\n')
}
