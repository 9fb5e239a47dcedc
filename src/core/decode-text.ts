import type { PackageProblem } from './problem-codes.ts'

export interface DecodedText {
  /** UTF-8 bytes without a byte order mark. */
  bytes: Uint8Array
  problems: PackageProblem[]
}

/**
 * Brings a token file to UTF-8 without BOM. A UTF-8 BOM is reported and dropped; UTF-16 (with
 * or without BOM) is reported and converted so its rows can still be seen; binary bytes (NUL)
 * are reported as not text.
 */
export function decodeText(input: Uint8Array): DecodedText {
  const problems: PackageProblem[] = []
  if (startsWith(input, [0xef, 0xbb, 0xbf])) {
    problems.push({ code: 'encoding-bom' })
    input = input.subarray(3)
  }
  const utf16 = detectUtf16(input)
  if (utf16) {
    problems.push({ code: 'encoding-utf16', names: [utf16.label] })
    const text = new TextDecoder(utf16.label).decode(input.subarray(utf16.bomLength))
    input = new TextEncoder().encode(text)
  }
  // NUL never appears in text; the UTF-8 check of other bytes waits for the row scan, which
  // already knows whether any byte is outside ASCII.
  if (input.indexOf(0) !== -1) problems.push({ code: 'encoding-invalid', names: ['binary'] })
  return { bytes: input, problems }
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
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return true
  } catch {
    return false
  }
}
