import { unshared } from './shared-memory.ts'

/** The workbook formats marketers' tools save, told by their bytes. */
export type SpreadsheetFormat = 'xlsx' | 'xls' | 'ods' | 'numbers'

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]
const ZIP = [0x50, 0x4b, 0x03, 0x04]
/** A zip's entry names are in its local headers at the start and its directory at the end. */
const LOOK_BYTES = 64 * 1024

/**
 * The spreadsheet a file is, whatever its name (`export.csv` that is an .xlsx), or null.
 * An .xls is an OLE2 compound file; .xlsx, .ods and .numbers are zips with entries of their
 * own: `xl/workbook.xml`, the OpenDocument spreadsheet mimetype, `Index/Document.iwa`.
 */
export function spreadsheetFormat(bytes: Uint8Array): SpreadsheetFormat | null {
  if (startsWith(bytes, OLE2)) return 'xls'
  if (!startsWith(bytes, ZIP)) return null
  const ends = [
    unshared(bytes.subarray(0, LOOK_BYTES)),
    unshared(bytes.subarray(Math.max(0, bytes.length - LOOK_BYTES))),
  ]
  const holds = (name: string) => {
    const wanted = new TextEncoder().encode(name)
    return ends.some((part) => indexOf(part, wanted) !== -1)
  }
  if (holds('xl/workbook.xml') || holds('[Content_Types].xml')) return 'xlsx'
  if (holds('application/vnd.oasis.opendocument.spreadsheet')) return 'ods'
  if (holds('Index/Document.iwa')) return 'numbers'
  return null
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte)
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  const first = needle[0]
  for (let at = haystack.indexOf(first); at !== -1; at = haystack.indexOf(first, at + 1)) {
    let match = true
    for (let offset = 1; offset < needle.length && match; offset++)
      match = haystack[at + offset] === needle[offset]
    if (match) return at
  }
  return -1
}
