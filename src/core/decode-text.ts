import type { PackageProblem } from './problem-codes.ts'
import { isShared } from './shared-memory.ts'

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

export function isUtf8(bytes: Uint8Array): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  try {
    if (!isShared(bytes)) {
      decoder.decode(bytes)
      return true
    }
    // Shared memory is decoded through copies, a slice at a time, not one copy of it all.
    for (let at = 0; at < bytes.length; at += UTF8_CHECK_SLICE)
      decoder.decode(bytes.slice(at, at + UTF8_CHECK_SLICE), { stream: true })
    decoder.decode()
    return true
  } catch {
    return false
  }
}

const UTF8_CHECK_SLICE = 1024 * 1024
