import type { PackageProblem } from './problem-codes.ts'

export interface DecodedText {
  /** UTF-8 bytes without a byte order mark. */
  bytes: Uint8Array
  problems: PackageProblem[]
}

/**
 * Brings a token file to UTF-8 without BOM. A UTF-8 BOM is reported and dropped; UTF-16 (with
 * or without BOM) is reported and converted so its rows can still be seen. Other bytes that
 * are not text (NUL, invalid UTF-8) are the row scan's to find: it looks at every byte anyway.
 */
export function decodeText(input: Uint8Array): DecodedText {
  const encoding = encodingOf(input)
  let bytes = encoding.bomLength > 0 ? input.subarray(encoding.bomLength) : input
  if (encoding.utf16) {
    const text = new TextDecoder(encoding.utf16.label).decode(
      bytes.subarray(encoding.utf16.bomLength),
    )
    bytes = new TextEncoder().encode(text)
  }
  return { bytes, problems: encoding.problems }
}

/** How many of a file's first bytes `encodingOf` needs to decide. */
export const ENCODING_PREFIX_BYTES = 3 + 4096

export interface TextEncoding {
  /** A UTF-8 byte order mark's length: 3, or 0 when there is none. */
  bomLength: number
  /** UTF-16, after the UTF-8 BOM if any; null for UTF-8. */
  utf16: Utf16 | null
  problems: PackageProblem[]
}

/** The encoding, told from the first ENCODING_PREFIX_BYTES bytes (or the whole file if shorter). */
export function encodingOf(head: Uint8Array): TextEncoding {
  const problems: PackageProblem[] = []
  const bomLength = startsWith(head, [0xef, 0xbb, 0xbf]) ? 3 : 0
  if (bomLength > 0) problems.push({ code: 'encoding-bom' })
  const utf16 = detectUtf16(head.subarray(bomLength))
  if (utf16) problems.push({ code: 'encoding-utf16', names: [utf16.label] })
  return { bomLength, utf16, problems }
}

interface Utf16 {
  label: 'utf-16le' | 'utf-16be'
  bomLength: number
}

function detectUtf16(bytes: Uint8Array): Utf16 | null {
  if (startsWith(bytes, [0xff, 0xfe])) return { label: 'utf-16le', bomLength: 2 }
  if (startsWith(bytes, [0xfe, 0xff])) return { label: 'utf-16be', bomLength: 2 }
  // Without a BOM: text in the ASCII range leaves every other byte zero.
  const pairs = Math.min(bytes.length, 4096) >> 1
  if (pairs < 2) return null
  let evenZeros = 0
  let oddZeros = 0
  for (let pair = 0; pair < pairs; pair++) {
    if (bytes[pair * 2] === 0) evenZeros++
    if (bytes[pair * 2 + 1] === 0) oddZeros++
  }
  if (oddZeros >= pairs * 0.4 && evenZeros <= pairs * 0.05)
    return { label: 'utf-16le', bomLength: 0 }
  if (evenZeros >= pairs * 0.4 && oddZeros <= pairs * 0.05)
    return { label: 'utf-16be', bomLength: 0 }
  return null
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte)
}

/**
 * Whether the bytes are well-formed UTF-8, as a fatal TextDecoder judges them, read in place:
 * decoding 100 MB to find out made a string of ~100 million characters (~0.2 s, and as much
 * memory again for a moment). ASCII, nearly all of a package, is passed four bytes at a time.
 */
export function isUtf8(bytes: Uint8Array): boolean {
  const { length } = bytes
  const { words, lead } = alignedWords(bytes)
  let at = 0
  while (at < length) {
    const byte = bytes[at]
    if (byte < 0x80) {
      if (at >= lead && ((at - lead) & 3) === 0) {
        let word = (at - lead) >>> 2
        while (word < words.length && (words[word] & 0x80808080) === 0) word++
        const next = lead + word * 4
        if (next > at) {
          at = next
          continue
        }
      }
      at++
      continue
    }
    const size = sequenceSize(bytes, at)
    if (size === 0) return false
    at += size
  }
  return true
}

/**
 * The bytes as 32-bit words from their first four-byte boundary in the buffer, which is byte
 * `lead` of them; no words for a short run.
 */
function alignedWords(bytes: Uint8Array): { words: Uint32Array; lead: number } {
  const lead = (4 - (bytes.byteOffset & 3)) & 3
  if (bytes.length < lead + 4) return { words: new Uint32Array(0), lead }
  const count = (bytes.length - lead) >>> 2
  return { words: new Uint32Array(bytes.buffer, bytes.byteOffset + lead, count), lead }
}

/**
 * The length of the well-formed multi-byte sequence at `at` (2 to 4), or 0: the ranges of the
 * Encoding Standard's UTF-8 decoder, which refuses overlong forms, surrogates and code points
 * past U+10FFFF. A byte past the end reads as undefined and fits no range.
 */
function sequenceSize(bytes: Uint8Array, at: number): number {
  const first = bytes[at]
  const second = bytes[at + 1]
  if (first >= 0xc2 && first <= 0xdf) return isContinuation(second) ? 2 : 0
  if (first >= 0xe0 && first <= 0xef) {
    const low = first === 0xe0 ? 0xa0 : 0x80
    const high = first === 0xed ? 0x9f : 0xbf
    return second >= low && second <= high && isContinuation(bytes[at + 2]) ? 3 : 0
  }
  if (first >= 0xf0 && first <= 0xf4) {
    const low = first === 0xf0 ? 0x90 : 0x80
    const high = first === 0xf4 ? 0x8f : 0xbf
    const rest = isContinuation(bytes[at + 2]) && isContinuation(bytes[at + 3])
    return second >= low && second <= high && rest ? 4 : 0
  }
  return 0
}

function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x80 && byte <= 0xbf
}
