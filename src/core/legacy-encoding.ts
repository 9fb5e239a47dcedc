import { unshared } from './shared-memory.ts'

/**
 * The encodings Excel, WPS and Notepad write a "CSV" or "text" in on Windows set to another
 * language than UTF-8: Simplified Chinese, Traditional Chinese, Japanese, Western European.
 * The names are TextDecoder labels.
 */
export const LEGACY_ENCODINGS = ['gb18030', 'big5', 'shift_jis', 'windows-1252'] as const
export type LegacyEncoding = (typeof LEGACY_ENCODINGS)[number]

export function isLegacyEncoding(value: string): value is LegacyEncoding {
  return (LEGACY_ENCODINGS as readonly string[]).includes(value)
}

/** Bytes looked at to guess: the rows that hold non-ASCII bytes are the ones that tell. */
const SAMPLE_BYTES = 256 * 1024
const FATAL = { fatal: true }

/**
 * Which legacy encoding non-UTF-8 text is in, from its bytes above 0x7F; null when it has
 * none. A token file holds few such bytes (a header, a column of names), too few for a
 * statistical detector (chardet took a Big5, a Shift_JIS and a Windows-1252 header for
 * Latin-1 or Windows-1250), so this looks at how they pair up:
 * - lone high bytes among ASCII are Latin letters: Windows-1252 (ä, ß, é);
 * - pairs that read as Japanese kana are Shift_JIS;
 * - pairs whose second byte is in 0x40–0x7E occur in Big5 for ~40% of characters and in
 *   GB2312's range never: Big5, if it decodes;
 * - other pairs: GB18030 (GBK), the Chinese Windows default and the common case.
 */
export function guessLegacyEncoding(bytes: Uint8Array): LegacyEncoding | null {
  const sample = unshared(bytes.subarray(0, SAMPLE_BYTES))
  let pairs = 0
  let lowTrails = 0
  let singles = 0
  /** Where the last pair's second byte was: an ASCII letter there is no Latin word. */
  let trail = -1
  for (let at = 0; at < sample.length; at++) {
    if (sample[at] < 0x80) continue
    const next = at + 1 < sample.length ? sample[at + 1] : 0
    if (next >= 0x80) {
      pairs++
      trail = ++at
    } else if (next >= 0x40 && next <= 0x7e && !(at - 1 !== trail && followsLetter(sample, at))) {
      // A lead byte with an ASCII-range trail (Big5, GBK, Shift_JIS), not a Latin letter in a word.
      pairs++
      lowTrails++
      trail = ++at
    } else {
      singles++
    }
  }
  if (pairs === 0 && singles === 0) return null
  if (singles >= pairs) return 'windows-1252'
  if (readsAsKana(sample)) return 'shift_jis'
  if (lowTrails > 0 && decodes(sample, 'big5')) return 'big5'
  return 'gb18030'
}

/** A high byte right after an ASCII letter is a Latin letter inside a word (`Gerät`, `Straße`). */
function followsLetter(bytes: Uint8Array, at: number): boolean {
  const before = at > 0 ? bytes[at - 1] | 0x20 : 0
  return before >= 0x61 && before <= 0x7a
}

function decodes(bytes: Uint8Array, label: LegacyEncoding): boolean {
  try {
    new TextDecoder(label, FATAL).decode(bytes)
    return true
  } catch {
    return false
  }
}

/** Shift_JIS that decodes, with kana for at least a third of its non-ASCII characters. */
function readsAsKana(bytes: Uint8Array): boolean {
  let text: string
  try {
    text = new TextDecoder('shift_jis', FATAL).decode(bytes)
  } catch {
    return false
  }
  let wide = 0
  let kana = 0
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0
    if (code < 0x80) continue
    wide++
    if (code >= 0x3040 && code <= 0x30ff) kana++
  }
  return wide > 0 && kana * 3 >= wide
}

/**
 * The text as UTF-8 bytes; characters that do not exist in `label` become U+FFFD. Every legacy
 * encoding here is ASCII where a byte is below 0x80, and no multi-byte character holds a line
 * break, so only the rows that hold a higher byte are decoded; the rest (a token file is
 * nearly all ASCII) is copied. 100 MB with one GBK header row: one copy, not a decode.
 */
export function decodeLegacy(input: Uint8Array, label: LegacyEncoding): Uint8Array {
  let high = 0
  for (let at = 0; at < input.length; at++) if (input[at] >= 0x80) high++
  if (high === 0) return input
  // A byte above 0x7F becomes at most 3 bytes of UTF-8 (U+FFFD, €), a pair at most 3.
  const converter = createLegacyConverter(label, input.length + high * 2)
  const written = converter.convert(input, input.length, true)
  if (written === null) throw new Error('The converted text did not fit.')
  return converter.output.subarray(0, written)
}

/** Converts legacy text to UTF-8 as it arrives, whole rows at a time (decodeLegacy's way). */
export interface LegacyConverter {
  /** The UTF-8 text so far, at its start; room for `capacity` bytes. */
  readonly output: Uint8Array
  /**
   * Converts the rows complete in `input` up to `filled` (every byte when `final`); returns
   * how much of `output` is written, or null when it would not fit.
   */
  convert(input: Uint8Array, filled: number, final: boolean): number | null
}

export function createLegacyConverter(label: LegacyEncoding, capacity: number): LegacyConverter {
  const output = new Uint8Array(capacity)
  const decoder = new TextDecoder(label)
  const encoder = new TextEncoder()
  /** Bytes of input converted, always at a row's start. */
  let copied = 0
  let written = 0
  let overflow = false

  const copy = (input: Uint8Array, to: number) => {
    if (written + to - copied > capacity) return (overflow = true)
    output.set(input.subarray(copied, to), written)
    written += to - copied
    copied = to
  }

  return {
    output,
    convert(input, filled, final) {
      if (overflow) return null
      // Only whole rows: a character is never cut, since no byte of one is a line break.
      const end = final ? filled : input.lastIndexOf(LF, filled - 1) + 1
      let at = copied
      while (at < end) {
        at = nextHighByte(input, at, end)
        if (at === end) break
        const rowStart = input.lastIndexOf(LF, at) + 1
        const next = input.indexOf(LF, at)
        const rowEnd = next === -1 || next >= end ? end : next
        copy(input, rowStart)
        if (overflow) return null
        // Only the row is copied out of shared memory, which TextDecoder will not read.
        const row = decoder.decode(unshared(input.subarray(rowStart, rowEnd)))
        const result = encoder.encodeInto(row, output.subarray(written))
        if (result.read < row.length) {
          overflow = true
          return null
        }
        written += result.written
        copied = at = rowEnd
      }
      if (end > copied) copy(input, end)
      return overflow ? null : written
    },
  }
}

/**
 * Where the next byte above 0x7F is, from `at` (`end` if none): four bytes a step where they
 * are aligned. A token file is ASCII all but a few rows, and a byte at a time over 100 MB was
 * most of what converting GBK cost.
 */
function nextHighByte(input: Uint8Array, from: number, end: number): number {
  let at = from
  while (at < end && (input.byteOffset + at) % 4 !== 0) {
    if (input[at] >= 0x80) return at
    at++
  }
  const count = (end - at) >> 2
  if (count > 0) {
    const words = new Uint32Array(input.buffer, input.byteOffset + at, count)
    let word = 0
    while (word < count && (words[word] & 0x80808080) === 0) word++
    at += word * 4
  }
  while (at < end && input[at] < 0x80) at++
  return at
}

/** Whether the first bytes of a text can be UTF-8 (a character cut at the end is fine). */
export function mayBeUtf8(head: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', FATAL).decode(unshared(head), { stream: true })
    return true
  } catch {
    return false
  }
}

const LF = 0x0a

/** The first row with non-ASCII characters, decoded: what the page shows to confirm the guess. */
export function sampleRow(utf8: Uint8Array): string {
  let start = 0
  for (let at = 0; at <= utf8.length; at++) {
    if (at < utf8.length && utf8[at] !== 0x0a) continue
    const row = utf8.subarray(start, at)
    if (row.some((byte) => byte >= 0x80))
      return new TextDecoder().decode(row).replace(/\r$/, '').slice(0, 80)
    start = at + 1
  }
  return ''
}
