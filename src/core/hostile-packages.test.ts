/**
 * A corpus of hostile packages, generated here: bombs, liars, truncations, other formats
 * wearing a .zip name, empty and enormous files, markup, odd paths and encodings. Each must
 * come back with its exact codes and verdict, in bounded time, and never throw.
 */
import JSZip from 'jszip'
import { describe, expect, it } from 'vitest'
import { buildCleanBytes } from './clean-package.ts'
import { currentState, perform, startSession } from './package-session.ts'
import {
  MAX_INFLATED_BYTES,
  MAX_PACKAGE_BYTES,
  type PackageProblem,
  type RowCode,
  type Verdict,
} from './problem-codes.ts'
import { rowValue } from './row-store.ts'
import {
  concatBytes,
  countsWith,
  deflatedZeros,
  distinctTokens,
  lines,
  rawZip,
  utf16be,
  utf16le,
  utf8,
  valuesOf,
  withDeclaredSize,
  zipOf,
  type RawEntry,
} from './test-fixtures.ts'
import { reportOf, validatePackage, type PackageState } from './validate-package.ts'

const tokens = distinctTokens(5, 11)
const [t1, t2, t3, t4] = tokens
const clean = lines(tokens)
const MiB = 1024 * 1024

/** What a case must come back with: every field that says what the engine made of it. */
interface Expected {
  container: 'plain' | 'zip'
  entryName?: string | null
  rows: number
  valid: number
  counts?: Partial<Record<RowCode, number>>
  problems: PackageProblem[]
  verdict: Verdict
}

interface HostileCase {
  label: string
  name: string
  bytes: () => Uint8Array | Promise<Uint8Array>
  expected: Expected
  /** Extra checks on the state, for cases where the rows themselves matter. */
  check?: (state: PackageState) => void
  /** How long the case may take; a few seconds unless it has to do real work. */
  limitMs?: number
}

/** Rejects when validation has not finished within `ms`: a hang is a failure, not a wait. */
async function validateWithin(name: string, bytes: Uint8Array, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`validation did not finish in ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([validatePackage({ name, bytes, kind: 'token' }), timeout])
  } finally {
    clearTimeout(timer)
  }
}

function stored(name: string, content: string | Uint8Array, declaredSize?: number): RawEntry {
  const data = typeof content === 'string' ? utf8(content) : content
  return { name, data, method: 0, declaredSize: declaredSize ?? data.length }
}

/** A copy of a zip with header fields patched in every local and central header. */
function patchHeaders(
  zip: Uint8Array,
  patch: { flags?: number; method?: number },
): Uint8Array<ArrayBuffer> {
  const copy = zip.slice()
  const view = new DataView(copy.buffer)
  for (let offset = 0; offset + 4 <= copy.length; offset++) {
    const signature = view.getUint32(offset, true)
    // Local header: flags at 6, method at 8. Central header: flags at 8, method at 10.
    const field = signature === 0x04034b50 ? 6 : signature === 0x02014b50 ? 8 : -1
    if (field < 0) continue
    const at = offset + field
    if (patch.flags !== undefined) view.setUint16(at, view.getUint16(at, true) | patch.flags, true)
    if (patch.method !== undefined) view.setUint16(at + 2, patch.method, true)
  }
  return copy
}

/** A copy of a zip whose end-of-central-directory record claims `count` entries. */
function withEntryCount(zip: Uint8Array, count: number): Uint8Array<ArrayBuffer> {
  const copy = zip.slice()
  const view = new DataView(copy.buffer)
  view.setUint16(copy.length - 14, count, true)
  view.setUint16(copy.length - 12, count, true)
  return copy
}

async function gzipOf(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/**
 * A gzip written by hand, its text stored uncompressed so that the rows a scan sees are
 * known: header, one stored deflate block, then CRC (left 0: nothing reads it) and size.
 */
function storedGzipOf(text: string): Uint8Array {
  const data = utf8(text)
  const size = data.length
  return concatBytes(
    [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03],
    [0x01, size & 0xff, size >> 8, ~size & 0xff, (~size >> 8) & 0xff],
    data,
    [0, 0, 0, 0, size & 0xff, size >> 8, 0, 0],
  )
}

/** A POSIX tar holding one file: a 512-byte header, the data, padding, two empty blocks. */
function tarOf(name: string, content: string): Uint8Array {
  const data = utf8(content)
  const header = new Uint8Array(512)
  const field = (offset: number, text: string) => header.set(utf8(text), offset)
  field(0, name)
  field(100, '0000644\0')
  field(124, data.length.toString(8).padStart(11, '0') + '\0')
  field(136, '00000000000\0')
  field(156, '0')
  field(257, 'ustar\x0000')
  field(148, '        ')
  const sum = header.reduce((total, byte) => total + byte, 0)
  field(148, sum.toString(8).padStart(6, '0') + '\0 ')
  const padded = new Uint8Array(Math.ceil(data.length / 512) * 512)
  padded.set(data)
  return concatBytes(header, padded, new Uint8Array(1024))
}

const XLSX_DATE = new Date(Date.UTC(2024, 0, 2, 3, 4, 6))

/** A minimal spreadsheet as Excel writes it: a zip of XML parts, the tokens in cells. */
async function xlsxOf(values: string[]): Promise<Uint8Array> {
  const zip = new JSZip()
  const cells = values
    .map((value, row) => `<row r="${row + 1}"><c t="inlineStr"><is><t>${value}</t></is></c></row>`)
    .join('')
  const parts: Record<string, string> = {
    '[Content_Types].xml': '<?xml version="1.0"?><Types/>',
    '_rels/.rels': '<?xml version="1.0"?><Relationships/>',
    'xl/workbook.xml':
      '<?xml version="1.0"?><workbook><sheets><sheet name="Tokens"/></sheets></workbook>',
    'xl/worksheets/sheet1.xml': `<?xml version="1.0"?><worksheet><sheetData>${cells}</sheetData></worksheet>`,
  }
  for (const [name, content] of Object.entries(parts)) {
    zip.file(name, content, { date: XLSX_DATE, createFolders: false })
  }
  // Stored, not deflated: Excel reads either, and stored bytes do not hang on the compressor.
  return zip.generateAsync({ type: 'uint8array', compression: 'STORE' })
}

/** `rows` copies of one row. */
function repeatedRows(row: string, rows: number): Uint8Array {
  const unit = utf8(row)
  const bytes = new Uint8Array(rows * unit.length)
  for (let index = 0; index < rows; index++) bytes.set(unit, index * unit.length)
  return bytes
}

// 38 bytes a row (CRLF): the fewest rows that pass 100 MB.
const OVER_LIMIT_ROWS = Math.ceil((MAX_PACKAGE_BYTES + 1) / 38)
const OVER_LIMIT_BYTES = OVER_LIMIT_ROWS * 38
const LONG_LINE = 20_000_000
const DEEP_PATH = Array.from({ length: 60 }, (_, depth) => `d${depth}`).join('/') + '/tokens.txt'
const MARKUP = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>']
// 2,100,000 back-references of 258 bytes: 541,800,001 bytes, just past the 512 MiB cap.
const LYING_COPIES = 2_100_000

const unreadable = (code: PackageProblem['code'], container: 'plain' | 'zip' = 'zip') => ({
  container,
  entryName: null,
  rows: 0,
  valid: 0,
  problems: [{ code }],
  verdict: 'unreadable' as const,
})

const CASES: HostileCase[] = [
  // Zip bombs that say what they are.
  {
    label: 'bomb: declares 600 MiB',
    name: 'tokens.zip',
    bytes: async () => withDeclaredSize(await zipOf({ 'tokens.txt': clean }), 600 * MiB),
    expected: { ...unreadable('zip-bomb'), problems: [{ code: 'zip-bomb', count: 600 * MiB }] },
  },
  {
    label: 'bomb: declares 3,000,000,000 bytes (past 2 GiB, once read as a negative size)',
    name: 'tokens.zip',
    bytes: () =>
      rawZip([{ name: 'tokens.txt', data: deflatedZeros(10), method: 8, declaredSize: 3e9 }]),
    expected: { ...unreadable('zip-bomb'), problems: [{ code: 'zip-bomb', count: 3e9 }] },
  },
  {
    label: 'bomb: a stored entry declaring 4 GiB - 2',
    name: 'tokens.zip',
    bytes: () => rawZip([stored('tokens.txt', clean, 0xfffffffe)]),
    expected: { ...unreadable('zip-bomb'), problems: [{ code: 'zip-bomb', count: 0xfffffffe }] },
  },
  {
    label: 'bomb: two entries of 300 MiB each, one of them not a token file',
    name: 'tokens.zip',
    bytes: () =>
      rawZip([
        { name: 'tokens.txt', data: deflatedZeros(10), method: 8, declaredSize: 300 * MiB },
        { name: 'padding.bin', data: deflatedZeros(10), method: 8, declaredSize: 300 * MiB },
      ]),
    expected: { ...unreadable('zip-bomb'), problems: [{ code: 'zip-bomb', count: 600 * MiB }] },
  },
  {
    // 0xFFFFFFFF means "see the ZIP64 field", and there is none: not a readable zip.
    label: 'declares 0xFFFFFFFF without a ZIP64 field',
    name: 'tokens.zip',
    bytes: () =>
      rawZip([
        { name: 'tokens.txt', data: deflatedZeros(10), method: 8, declaredSize: 0xffffffff },
      ]),
    expected: unreadable('zip-corrupt'),
  },
  // Zips that lie about their size.
  {
    label: 'liar: declares 1 kB, inflates past 512 MiB (the real cap)',
    name: 'tokens.zip',
    bytes: () =>
      rawZip([
        { name: 'tokens.txt', data: deflatedZeros(LYING_COPIES), method: 8, declaredSize: 1_000 },
      ]),
    expected: {
      ...unreadable('zip-bomb'),
      problems: [{ code: 'zip-bomb', count: MAX_INFLATED_BYTES }],
    },
    limitMs: 90_000,
  },
  {
    label: 'liar: declares 100 bytes, inflates to 25,801',
    name: 'tokens.zip',
    bytes: () =>
      rawZip([{ name: 'tokens.txt', data: deflatedZeros(100), method: 8, declaredSize: 100 }]),
    expected: unreadable('zip-corrupt'),
  },
  {
    label: 'liar: a stored entry declaring 10 bytes',
    name: 'tokens.zip',
    bytes: () => rawZip([stored('tokens.txt', clean, 10)]),
    expected: unreadable('zip-corrupt'),
  },
  // Truncated zips.
  {
    label: 'truncated: half a zip',
    name: 'tokens.zip',
    bytes: async () => {
      const zip = await zipOf({ 'tokens.txt': clean })
      return zip.subarray(0, zip.length >> 1)
    },
    expected: unreadable('zip-corrupt'),
  },
  {
    label: 'truncated: a local header and nothing else',
    name: 'tokens.zip',
    bytes: async () => (await zipOf({ 'tokens.txt': clean })).subarray(0, 30),
    expected: unreadable('zip-corrupt'),
  },
  {
    label: 'truncated: no end-of-central-directory record',
    name: 'tokens.zip',
    bytes: async () => {
      const zip = await zipOf({ 'tokens.txt': clean })
      return zip.subarray(0, zip.length - 22)
    },
    expected: unreadable('zip-corrupt'),
  },
  {
    label: 'truncated: the deflate stream stops early, the directory intact',
    name: 'tokens.zip',
    bytes: () =>
      rawZip([
        {
          name: 'tokens.txt',
          data: deflatedZeros(1_000).subarray(0, 50),
          method: 8,
          declaredSize: 258_001,
        },
      ]),
    expected: unreadable('zip-corrupt'),
  },
  {
    label: 'the directory claims 65,535 entries (a ZIP64 marker with no ZIP64 record)',
    name: 'tokens.zip',
    bytes: () => withEntryCount(rawZip([stored('tokens.txt', clean)]), 0xffff),
    expected: unreadable('zip-corrupt'),
  },
  // Other containers wearing a .zip name.
  {
    label: 'gzip named .zip',
    name: 'tokens.zip',
    bytes: () => gzipOf(clean),
    expected: unreadable('zip-corrupt'),
  },
  {
    label: 'tar named .zip',
    name: 'tokens.zip',
    bytes: () => tarOf('tokens.txt', clean),
    expected: unreadable('zip-corrupt'),
  },
  {
    label: '7z magic named .zip',
    name: 'tokens.zip',
    bytes: () => concatBytes([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04], new Uint8Array(64)),
    expected: unreadable('zip-corrupt'),
  },
  {
    label: 'rar magic named .zip',
    name: 'tokens.zip',
    bytes: () => concatBytes([0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x01, 0x00], new Uint8Array(64)),
    expected: unreadable('zip-corrupt'),
  },
  {
    label: 'PDF named .zip',
    name: 'tokens.zip',
    bytes: () => utf8('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n'),
    expected: unreadable('zip-corrupt'),
  },
  {
    label: 'gzip named .txt: binary, not text',
    name: 'tokens.txt',
    bytes: () => storedGzipOf(clean),
    expected: {
      container: 'plain',
      entryName: null,
      // The header's bytes join the first token, a token with something on it (not a header
      // row: it holds the token's hex digits); the trailer makes a last row.
      rows: 6,
      valid: 4,
      counts: { length: 2, charset: 2 },
      problems: [{ code: 'encoding-invalid', names: ['binary'] }],
      verdict: 'unreadable',
    },
  },
  // Spreadsheets.
  {
    label: 'xlsx named .xlsx: a workbook, named as such',
    name: 'tokens.xlsx',
    bytes: () => xlsxOf(tokens),
    expected: {
      ...unreadable('spreadsheet', 'plain'),
      problems: [
        { code: 'extension', names: ['.xlsx'] },
        { code: 'spreadsheet', names: ['.xlsx'] },
      ],
    },
  },
  {
    // A workbook renamed .csv is named as what it is, with no rows of binary garbage to fix.
    label: 'xlsx named .csv: a workbook, whatever its name',
    name: 'tokens.csv',
    bytes: () => xlsxOf(tokens),
    expected: {
      ...unreadable('spreadsheet', 'plain'),
      problems: [{ code: 'spreadsheet', names: ['.xlsx'] }],
    },
  },
  // Empty files.
  ...['tokens.txt', 'tokens.csv', 'tokens.zip'].map((name): HostileCase => ({
    label: `0 bytes: ${name}`,
    name,
    bytes: () => new Uint8Array(0),
    expected: unreadable('empty', 'plain'),
  })),
  {
    label: 'only a UTF-8 BOM',
    name: 'tokens.txt',
    bytes: () => Uint8Array.of(0xef, 0xbb, 0xbf),
    expected: {
      ...unreadable('empty', 'plain'),
      problems: [{ code: 'encoding-bom' }, { code: 'empty' }],
    },
  },
  {
    label: 'only a UTF-16 BOM',
    name: 'tokens.txt',
    bytes: () => Uint8Array.of(0xff, 0xfe),
    expected: {
      ...unreadable('empty', 'plain'),
      problems: [{ code: 'encoding-utf16', names: ['utf-16le'] }, { code: 'empty' }],
    },
  },
  {
    label: 'only line breaks, LF and CRLF',
    name: 'tokens.txt',
    bytes: () => utf8('\n\r\n\n\r\n'),
    expected: {
      container: 'plain',
      rows: 4,
      valid: 0,
      counts: { blank: 4 },
      problems: [],
      verdict: 'needs-fixes',
    },
  },
  {
    label: 'only spaces and tabs',
    name: 'tokens.csv',
    bytes: () => utf8(' \t \n\t\t\n   '),
    expected: {
      container: 'plain',
      rows: 3,
      valid: 0,
      counts: { blank: 3 },
      problems: [],
      verdict: 'needs-fixes',
    },
  },
  {
    label: 'a zip whose token file holds only a BOM',
    name: 'tokens.zip',
    bytes: () => zipOf({ 'tokens.txt': Uint8Array.of(0xef, 0xbb, 0xbf) }),
    expected: {
      container: 'zip',
      entryName: 'tokens.txt',
      rows: 0,
      valid: 0,
      problems: [{ code: 'encoding-bom' }, { code: 'empty' }],
      verdict: 'unreadable',
    },
  },
  // Enormous rows and files.
  {
    label: '20 MB on one line, no line break',
    name: 'tokens.txt',
    bytes: () => new Uint8Array(LONG_LINE).fill(0x61),
    expected: {
      container: 'plain',
      rows: 1,
      valid: 0,
      counts: { length: 1 },
      problems: [],
      verdict: 'needs-fixes',
    },
    check: (state) => expect(state.store.length[0]).toBe(LONG_LINE),
    limitMs: 30_000,
  },
  {
    label: '20 MB of junk on one CSV line',
    name: 'tokens.csv',
    bytes: () => new Uint8Array(LONG_LINE).fill(0x78),
    expected: {
      container: 'plain',
      rows: 1,
      valid: 0,
      counts: { length: 1, charset: 1 },
      problems: [],
      verdict: 'needs-fixes',
    },
    limitMs: 30_000,
  },
  {
    label: 'over 100 MB: too-large, every row still read',
    name: 'tokens.txt',
    bytes: () => repeatedRows(`${t1}\r\n`, OVER_LIMIT_ROWS),
    expected: {
      container: 'plain',
      rows: OVER_LIMIT_ROWS,
      valid: 1,
      counts: { duplicate: OVER_LIMIT_ROWS - 1 },
      problems: [{ code: 'too-large', count: OVER_LIMIT_BYTES }],
      verdict: 'needs-fixes',
    },
    check: (state) => {
      expect(state.size).toBe(104_857_618)
      expect(rowValue(state.store, state.store.count - 1)).toBe(t1)
    },
    limitMs: 60_000,
  },
  // Bytes that are not text, and markup that must stay data.
  {
    label: 'a NUL byte inside a row',
    name: 'tokens.txt',
    bytes: () => utf8(`${t1}\n${t2}\0\n`),
    expected: {
      container: 'plain',
      rows: 2,
      valid: 1,
      counts: { length: 1, charset: 1 },
      problems: [{ code: 'encoding-invalid', names: ['binary'] }],
      verdict: 'unreadable',
    },
  },
  {
    label: 'NUL bytes only',
    name: 'tokens.txt',
    bytes: () => new Uint8Array(1_000),
    expected: {
      container: 'plain',
      rows: 1,
      valid: 0,
      counts: { length: 1, charset: 1 },
      problems: [{ code: 'encoding-invalid', names: ['binary'] }],
      verdict: 'unreadable',
    },
  },
  {
    label: 'markup in rows is kept as plain text',
    name: 'tokens.txt',
    bytes: () => utf8(lines([...MARKUP, t1])),
    expected: {
      container: 'plain',
      rows: 3,
      valid: 1,
      // Words above a token are header rows, whatever the words.
      counts: { header: 2 },
      problems: [],
      verdict: 'needs-fixes',
    },
    check: (state) => expect(valuesOf(state.store)).toEqual([...MARKUP, t1]),
  },
  {
    label: 'markup in a quoted CSV field, with a comma and doubled quotes',
    name: 'tokens.csv',
    bytes: () => utf8(`"<script>alert(""x"")</script>",1\n"<img src=x onerror=alert(1)>"\n${t1}\n`),
    expected: {
      container: 'plain',
      rows: 3,
      valid: 1,
      counts: { header: 2 },
      problems: [{ code: 'csv-columns', count: 1 }],
      verdict: 'needs-fixes',
    },
    check: (state) =>
      expect(valuesOf(state.store)).toEqual([
        '<script>alert("x")</script>',
        '<img src=x onerror=alert(1)>',
        t1,
      ]),
  },
  // Odd text.
  {
    label: 'UTF-16 LE without BOM',
    name: 'tokens.txt',
    bytes: () => utf16le(clean, false),
    expected: {
      container: 'plain',
      rows: 5,
      valid: 5,
      problems: [{ code: 'encoding-utf16', names: ['utf-16le'] }],
      verdict: 'needs-fixes',
    },
    check: (state) => expect(valuesOf(state.store)).toEqual(tokens),
  },
  {
    label: 'UTF-16 BE without BOM, CRLF, in a zip',
    name: 'tokens.zip',
    bytes: () => zipOf({ 'tokens.csv': utf16be(lines(tokens, '\r\n'), false) }),
    expected: {
      container: 'zip',
      entryName: 'tokens.csv',
      rows: 5,
      valid: 5,
      problems: [{ code: 'encoding-utf16', names: ['utf-16be'] }],
      verdict: 'needs-fixes',
    },
  },
  {
    // Every break is one: LF, CRLF, CR CR LF (Python's csv module on Windows), a lone CR.
    label: 'mixed line breaks: LF, CRLF, CR CR LF and a lone CR',
    name: 'tokens.txt',
    bytes: () => utf8(`${t1}\n${t2}\r\n${t3}\r${t4}\r\r\n${t1.toUpperCase()}\r`),
    expected: {
      container: 'plain',
      rows: 5,
      valid: 4,
      counts: { duplicate: 1, uppercase: 1 },
      problems: [],
      verdict: 'needs-fixes',
    },
    check: (state) => expect(valuesOf(state.store)).toEqual([t1, t2, t3, t4, t1.toUpperCase()]),
  },
  {
    // The quote never closes, so it opens no field: it stays on its own row, a wrapper the
    // wrapped fix takes off, and every row after it is a row.
    label: 'CSV with an unterminated quote',
    name: 'tokens.csv',
    bytes: () => utf8(`${t1}\n"${t2}\n${t3}\n`),
    expected: {
      container: 'plain',
      rows: 3,
      valid: 2,
      counts: { wrapped: 1 },
      problems: [],
      verdict: 'needs-fixes',
    },
    check: (state) => expect(valuesOf(state.store)).toEqual([t1, `"${t2}`, t3]),
  },
  // Zip structure.
  {
    label: 'thousands of token files',
    name: 'tokens.zip',
    bytes: () =>
      rawZip(Array.from({ length: 5_000 }, (_, index) => stored(`t${index}.txt`, clean))),
    expected: {
      ...unreadable('zip-entries'),
      problems: [
        {
          code: 'zip-entries',
          count: 5_000,
          names: Array.from({ length: 20 }, (_, index) => `t${index}.txt`),
        },
      ],
    },
    limitMs: 30_000,
  },
  {
    // CONTRACT counts .txt/.csv entries only; the clean package carries the token file alone.
    label: 'thousands of other entries beside one token file',
    name: 'tokens.zip',
    bytes: () =>
      rawZip([
        ...Array.from({ length: 5_000 }, (_, index) => stored(`img${index}.png`, 'x')),
        stored('tokens.txt', clean),
      ]),
    expected: {
      container: 'zip',
      entryName: 'tokens.txt',
      rows: 5,
      valid: 5,
      problems: [],
      verdict: 'ready',
    },
    limitMs: 30_000,
  },
  {
    label: 'sixty folders deep',
    name: 'tokens.zip',
    bytes: () => zipOf({ [DEEP_PATH]: clean }),
    expected: {
      container: 'zip',
      entryName: DEEP_PATH,
      rows: 5,
      valid: 5,
      problems: [{ code: 'zip-folder', names: [DEEP_PATH] }],
      verdict: 'needs-fixes',
    },
  },
  ...['../../tokens.txt', '/etc/tokens.txt', '..\\..\\tokens.txt', 'C:\\tokens.txt'].map(
    (path): HostileCase => ({
      label: `an entry named ${path}`,
      name: 'tokens.zip',
      bytes: () => rawZip([stored(path, clean)]),
      expected: {
        container: 'zip',
        entryName: path,
        rows: 5,
        valid: 5,
        problems: [{ code: 'zip-folder', names: [path] }],
        verdict: 'needs-fixes',
      },
      check: (state) => expect(valuesOf(state.store)).toEqual(tokens),
    }),
  ),
  {
    label: 'a zip inside a zip',
    name: 'tokens.zip',
    bytes: async () => zipOf({ 'inner.zip': await zipOf({ 'tokens.txt': clean }) }),
    expected: {
      ...unreadable('zip-entries'),
      problems: [{ code: 'zip-entries', count: 0, names: ['inner.zip'] }],
    },
  },
  {
    label: 'an encrypted entry (general purpose flag bit 0)',
    name: 'tokens.zip',
    bytes: () => patchHeaders(rawZip([stored('tokens.txt', clean)]), { flags: 1 }),
    expected: unreadable('zip-corrupt'),
  },
  {
    label: 'an entry compressed with bzip2 (method 12)',
    name: 'tokens.zip',
    bytes: () => patchHeaders(rawZip([stored('tokens.txt', clean)]), { method: 12 }),
    expected: unreadable('zip-corrupt'),
  },
]

describe('hostile packages', () => {
  it('make a corpus of at least 30', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30)
    expect(new Set(CASES.map((entry) => entry.label)).size).toBe(CASES.length)
  })

  it.each(CASES.map((entry) => [entry.label, entry] as const))(
    '%s',
    async (_, { name, bytes, expected, check, limitMs = 10_000 }) => {
      const state = await validateWithin(name, await bytes(), limitMs)
      const report = reportOf(state)
      expect({
        container: report.container,
        entryName: report.entryName,
        rows: report.rows,
        valid: report.valid,
        counts: report.counts,
        problems: report.problems,
        verdict: report.verdict,
      }).toEqual({
        entryName: null,
        ...expected,
        counts: countsWith(expected.counts ?? {}),
      })
      check?.(state)

      // Whatever came in, the fixes and the clean package work on what was read.
      let session = perform(startSession(state), { type: 'fix', fix: 'all' })
      session = perform(session, { type: 'fix', fix: 'invalid' })
      const left = currentState(session)
      expect(left.classification.valid).toBe(left.store.count)
      expect(buildCleanBytes(left.store).length).toBe(
        valuesOf(left.store).reduce((sum, value) => sum + utf8(value).length + 1, 0),
      )
    },
    120_000,
  )
})
