import { classifyRows, type RowClassification } from './classify-rows.ts'
import type { ColumnChoice } from './csv-dialect.ts'
import { decodeText, encodingOf, ENCODING_PREFIX_BYTES, isUtf8 } from './decode-text.ts'
import { checkFileName, formatOf, type PackageFormat } from './file-name.ts'
import {
  MAX_PACKAGE_BYTES,
  UNREADABLE_CODES,
  type PackageCode,
  type PackageKind,
  type PackageProblem,
  type RowCode,
  type Verdict,
} from './problem-codes.ts'
import type { ExclusionList, PackageSource, SourceText } from './package-sources.ts'
import { sourceOf } from './package-sources.ts'
import { readZip } from './read-zip.ts'
import { createArena, type RowStore } from './row-store.ts'
import {
  createLegacyConverter,
  decodeLegacy,
  guessLegacyEncoding,
  mayBeUtf8,
  sampleRow,
  type LegacyConverter,
  type LegacyEncoding,
} from './legacy-encoding.ts'
import { startTextScan, type ScannedText, type TextScan } from './scan-text.ts'
import { unshared } from './shared-memory.ts'
import { spreadsheetFormat } from './spreadsheet.ts'

export interface PackageInput {
  name: string
  bytes: Uint8Array
  kind: PackageKind
  /** Read the text in this legacy encoding, whatever the guess (the user chose it). */
  encoding?: LegacyEncoding
  /** Read the values from this column of a delimited text (the user chose it). */
  column?: number
}

/** What the user may choose about how a file is read, when the page's guess was wrong. */
export type ReadChoices = Pick<PackageInput, 'encoding' | 'column'>

/** A package as the engine holds it: the rows in compact form and what was found. */
export interface PackageState {
  fileName: string
  kind: PackageKind
  /** Format of the token file itself (inside the zip, for a zip). */
  format: PackageFormat
  container: 'plain' | 'zip'
  entryName: string | null
  /** Bytes of the file as received. */
  size: number
  store: RowStore
  classification: RowClassification
  /** Problems found in the file as received; the report leaves out those since resolved. */
  fileProblems: PackageProblem[]
  resolved: ReadonlySet<PackageCode>
  /** Delimited text: the column the values are read from, and what each column holds. */
  columns: ColumnChoice | null
  /** The files the package is made of, in order: one unless more were added. */
  sources: readonly PackageSource[]
  /** Lists whose values are left out of the package (never uploaded). */
  exclusions: readonly ExclusionList[]
}

/** One file of the package, as the page lists it. */
export interface SourceReport {
  name: string
  size: number
  rows: number
  valid: number
  /** The text encoding the file was read in: `UTF-8`, `UTF-16`, or a legacy one's label. */
  encoding: string
  /** Of a file of columns, the one its values were read from (0-based); null otherwise. */
  column: number | null
  problems: PackageCode[]
}

/** One exclusion list, as the page lists it. */
export interface ExclusionReport {
  name: string
  rows: number
  /** Distinct values it leaves out of any package. */
  values: number
  problems: PackageCode[]
}

/** What the page shows: small and serializable. */
export interface PackageReport {
  fileName: string
  kind: PackageKind
  format: PackageFormat
  container: 'plain' | 'zip'
  entryName: string | null
  size: number
  rows: number
  valid: number
  counts: Record<RowCode, number>
  problems: PackageProblem[]
  verdict: Verdict
  /** Delimited text: the column the values are read from, and what each column holds. */
  columns: ColumnChoice | null
  sources: SourceReport[]
  exclusions: ExclusionReport[]
}

export interface ValidateOptions {
  onProgress?: (phase: 'inflating', done: number, total: number) => void
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]

/** Reads and validates a package: file name, container, encoding, then every row. */
export function validatePackage(
  input: PackageInput,
  options: ValidateOptions = {},
): Promise<PackageState> {
  const scan = startPackageScan(input, options)
  scan.advance(input.bytes.length)
  return scan.finish()
}

/** A package validated while its bytes are still being read into `input.bytes`. */
export interface PackageScan {
  /** Bytes up to `filled` are in: scans what they allow. */
  advance(filled: number): void
  /** Every byte is in: the rest of the checks, and the package as the engine holds it. */
  finish(): Promise<PackageState>
}

/**
 * Validates a package as it is read. A plain text file is split and classified as its bytes
 * arrive, once its first bytes show its encoding is UTF-8; a zip, or UTF-16 text, is
 * handled whole at the end.
 */
export function startPackageScan(input: PackageInput, options: ValidateOptions = {}): PackageScan {
  const { name, bytes, kind, encoding, column } = input
  const named = formatOf(name)
  const format: PackageFormat = named === 'csv' ? 'csv' : 'txt'
  let decided = false
  let early: { text: TextScan; problems: PackageProblem[] } | null = null
  /** Legacy text converted to UTF-8 as it is read, for `early` to scan as it comes. */
  let converting: { converter: LegacyConverter; label: LegacyEncoding } | null = null
  /** Where the text starts in the file: after a byte order mark. */
  let textStart = 0

  return {
    advance(filled) {
      if (!decided && filled >= Math.min(bytes.length, ENCODING_PREFIX_BYTES)) {
        decided = true
        if (bytes.length > 0 && !isZip(named, bytes)) {
          const head = encodingOf(bytes.subarray(0, filled))
          textStart = head.bomLength
          // The same first bytes however the file comes in, a read or many.
          const first = bytes.subarray(textStart, Math.min(filled, ENCODING_PREFIX_BYTES))
          const utf8 = encoding === undefined && mayBeUtf8(first)
          // Legacy text the first bytes show (a GBK header), or the user chose an encoding
          // for: converted to UTF-8 as it is read, and scanned as it comes, as UTF-8 is.
          const label =
            utf8 || first.indexOf(0) !== -1 ? null : (encoding ?? guessLegacyEncoding(first))
          if (!head.utf16 && label !== null) {
            const converter = createLegacyConverter(label, convertedCapacity(bytes.length))
            converting = { converter, label }
            const text = startTextScan(converter.output, { format, kind, column })
            early = { text, problems: head.problems }
          } else if (!head.utf16 && utf8) {
            const text = startTextScan(bytes.subarray(textStart), { format, kind, column })
            early = { text, problems: head.problems }
          }
        }
      }
      if (converting === null) return early?.text.advance(Math.max(0, filled - textStart))
      const text = bytes.subarray(textStart)
      const converted = converting.converter.convert(text, filled - textStart, false)
      // More text than room for it (very many non-ASCII bytes): converted whole at the end.
      if (converted === null) early = converting = null
      else early?.text.advance(converted)
    },

    async finish() {
      const problems = checkFileName(name)
      if (bytes.length > MAX_PACKAGE_BYTES)
        problems.push({ code: 'too-large', count: bytes.length })
      const base = { fileName: name, kind, size: bytes.length, resolved: new Set<PackageCode>() }
      const header = { ...base, format, container: 'plain' as const, entryName: null }
      if (bytes.length === 0) {
        problems.push({ code: 'empty' })
        const none = new Uint8Array(0)
        const scanned = startTextScan(none, { format, kind }).finish()
        return stateOf(header, { scanned, text: none, column: undefined }, problems)
      }
      // A workbook has no rows to show, only how to export it: checked before any text rule.
      const workbook = spreadsheetFormat(bytes)
      if (workbook !== null) {
        problems.push({ code: 'spreadsheet', names: [`.${workbook}`] })
        return stateOf(header, null, problems)
      }
      // A NUL past the first bytes: binary after all, as the whole-file path tells.
      if (converting && bytes.indexOf(0) !== -1) early = converting = null
      if (early && converting) {
        const { converter, label } = converting
        const length = converter.convert(bytes.subarray(textStart), bytes.length - textStart, true)
        if (length !== null) {
          const scanned = early.text.finish(length)
          const text = converter.output.subarray(0, length)
          const legacy: PackageProblem = {
            code: 'encoding-legacy',
            names: [label, sampleRow(text)],
          }
          const read = {
            scanned: { ...scanned, problems: [legacy, ...scanned.problems] },
            text,
            column,
          }
          return stateOf(header, read, [...problems, ...early.problems])
        }
        early = null
      }
      if (early) {
        const text = { scan: early.text, raw: bytes.subarray(textStart), encoding, column }
        return stateOf(header, text, [...problems, ...early.problems])
      }
      if (!isZip(named, bytes)) {
        // UTF-16 goes to TextDecoder, which will not read shared memory; legacy text is
        // converted from where it is, a row at a time (100 MB not copied: ~0.4 s here).
        const utf16 = encodingOf(bytes.subarray(0, ENCODING_PREFIX_BYTES)).utf16 !== null
        return finishDecoding(header, utf16 ? unshared(bytes) : bytes, problems, input)
      }
      // jszip and DecompressionStream will not read shared memory either.
      const zip = await readZip(unshared(bytes), {
        onProgress: (done, total) => options.onProgress?.('inflating', done, total),
      })
      problems.push(...zip.problems)
      const inZip = { ...base, format, container: 'zip' as const, entryName: null }
      if (!zip.ok) return stateOf(inZip, null, problems)
      if (zip.bytes.length === 0) problems.push({ code: 'empty' })
      const entryFormat: PackageFormat = zip.format === 'csv' ? 'csv' : 'txt'
      const entry = { ...inZip, format: entryFormat, entryName: zip.entryName }
      return finishDecoding(entry, zip.bytes, problems, input)
    },
  }
}

function isZip(named: PackageFormat | null, bytes: Uint8Array): boolean {
  return (
    named === 'zip' || (named === null && ZIP_MAGIC.every((byte, index) => bytes[index] === byte))
  )
}

type StateHeader = Omit<
  PackageState,
  'store' | 'classification' | 'fileProblems' | 'columns' | 'sources' | 'exclusions'
>

/** Text read whole (a zip's entry, UTF-16, legacy text): decoded, then scanned in one go. */
function finishDecoding(
  header: StateHeader,
  bytes: Uint8Array,
  problems: PackageProblem[],
  { encoding, column }: ReadChoices,
) {
  const decoded = decodeText(bytes)
  // Told before the scan when it can be, so that legacy text is scanned once, converted.
  const label = encoding ?? legacyEncodingOf(decoded.bytes)
  if (label !== null) {
    const converted = scanConverted(header, decoded.bytes, label, column)
    return stateOf(header, converted, [...problems, ...decoded.problems])
  }
  const scan = startTextScan(decoded.bytes, { ...header, column })
  const text = { scan, raw: decoded.bytes, encoding, column }
  return stateOf(header, text, [...problems, ...decoded.problems])
}

/** The legacy encoding of text that is no UTF-8 and no binary (a NUL), or null. */
function legacyEncodingOf(bytes: Uint8Array): LegacyEncoding | null {
  if (bytes.indexOf(0) !== -1 || isUtf8(bytes)) return null
  return guessLegacyEncoding(bytes)
}

/** The text converted from `label` and scanned, with the `encoding-legacy` problem first. */
function scanConverted(
  header: StateHeader,
  raw: Uint8Array,
  label: LegacyEncoding,
  column: number | undefined,
): TextRead {
  const utf8 = decodeLegacy(raw, label)
  const scanned = startTextScan(utf8, { ...header, column }).finish()
  const legacy: PackageProblem = { code: 'encoding-legacy', names: [label, sampleRow(utf8)] }
  return { scanned: { ...scanned, problems: [legacy, ...scanned.problems] }, text: utf8, column }
}

/** Rows scanned from a text, the text itself (UTF-8, as converted) and the column chosen in it. */
interface TextRead {
  scanned: ScannedText
  text: Uint8Array
  column: number | undefined
}

/**
 * Room for legacy text converted to UTF-8: a pair of bytes (GBK, Big5, Shift_JIS) becomes at
 * most 3, a single one (Windows-1252) at most 3. Half again covers any token file with names
 * or a header; pages never written to are never mapped. Past it, the text is converted whole.
 */
function convertedCapacity(size: number): number {
  return Math.ceil(size * 1.5) + 1024
}

/** A text scan, the bytes it scans, and the encoding the user chose for them, if any. */
interface TextToFinish {
  scan: TextScan
  raw: Uint8Array
  encoding: LegacyEncoding | undefined
  column: number | undefined
}

/**
 * The rows of the text: as UTF-8, or, when the bytes are text but not UTF-8, converted from the
 * legacy encoding they are in (guessed, or the user's choice) and checked as converted.
 */
function scanText(header: StateHeader, text: TextToFinish): TextRead {
  const scanned = text.scan.finish()
  const notUtf8 = scanned.problems.some(
    (problem) => problem.code === 'encoding-invalid' && problem.names === undefined,
  )
  const asScanned = { scanned, text: text.raw, column: text.column }
  if (!notUtf8 && text.encoding === undefined) return asScanned
  const label = text.encoding ?? guessLegacyEncoding(text.raw)
  if (label === null) return asScanned
  return scanConverted(header, text.raw, label, text.column)
}

/** `text` null: the package could not be read at all (a broken zip), so it has no rows. */
function stateOf(
  header: StateHeader,
  text: TextRead | TextToFinish | null,
  problems: PackageProblem[],
): PackageState {
  if (!text) {
    const classification = classifyRows(emptyStore(), { kind: header.kind, csv: false })
    const read = { ...header, store: emptyStore(), classification, fileProblems: problems }
    return withItsSource({ ...read, columns: null }, null)
  }
  const { scanned, text: bytes, column } = 'scan' in text ? scanText(header, text) : text
  const store = withTextAsBase(scanned.store, bytes)
  const read = {
    ...header,
    store,
    classification: scanned.classification,
    fileProblems: [...problems, ...scanned.problems],
    columns: scanned.columns,
  }
  return withItsSource(read, { at: 0, length: store.arena.base.length, column })
}

/**
 * The rows with the text they were split from as their arena's base, so that the package holds
 * the text and can read it again as the other kind. Rows written anew (a quoted CSV, the tokens
 * in a later column) come in an arena with no base: the text becomes its base and their
 * addresses move past it, nothing copied. Such a file's text is held beside its rows while the
 * package is open; a file split in place holds it anyway. A JSON array's base is its rows
 * written out, which read the same as the array with either kind.
 */
function withTextAsBase(store: RowStore, text: Uint8Array): RowStore {
  const { arena } = store
  if (arena.base.length > 0 || text.length === 0) return store
  const start = store.start.map((address) => address + text.length)
  return { ...store, start, arena: { ...arena, base: text } }
}

/** A package read from one file: that file is its one source, and nothing is excluded yet. */
function withItsSource(
  read: Omit<PackageState, 'sources' | 'exclusions'>,
  text: SourceText | null,
): PackageState {
  const state: PackageState = { ...read, sources: [], exclusions: [] }
  return { ...state, sources: [sourceOf(state, 0, text)] }
}

/** A file as its read found it, besides its rows: what reading its text again needs. */
export type FileAsRead = Pick<
  PackageSource,
  'name' | 'size' | 'format' | 'container' | 'entryName' | 'problems'
>

/**
 * A file read again as `kind` from its text (UTF-8, as its rows were split from it): what
 * reading the file itself as `kind` gives. The kind decides only how the text is split and its
 * rows classified; what was found before (name, size, zip, encoding) stands, and the one
 * problem the split finds (`encoding-invalid`) is found again.
 */
export function readTextAs(
  file: FileAsRead,
  text: { bytes: Uint8Array; column: number | undefined } | null,
  kind: PackageKind,
): PackageState {
  const header: StateHeader = {
    fileName: file.name,
    kind,
    size: file.size,
    resolved: new Set<PackageCode>(),
    format: file.format,
    container: file.container,
    entryName: file.entryName,
  }
  const before = file.problems.filter((problem) => problem.code !== 'encoding-invalid')
  if (text === null) return stateOf(header, null, before)
  const { bytes, column } = text
  const scan = startTextScan(bytes, { format: file.format, kind, column })
  return stateOf(header, { scan, raw: bytes, encoding: undefined, column }, before)
}

function emptyStore(): RowStore {
  const none = new Uint32Array(0)
  return {
    arena: createArena(new Uint8Array(0)),
    count: 0,
    start: none,
    length: none,
    line: none,
    fullLength: null,
  }
}

/** The package problems that hold now, as the report and the verdict see them. */
export function currentProblems(state: PackageState): PackageProblem[] {
  const problems = state.fileProblems.filter(
    (problem) => !state.resolved.has(problem.code) && problem.code !== 'empty',
  )
  const { extraColumns } = state.classification
  if (extraColumns > 0) problems.push({ code: 'csv-columns', count: extraColumns })
  const unreadable = problems.some((problem) => UNREADABLE_CODES.has(problem.code))
  if (!unreadable && state.store.count === 0) problems.push({ code: 'empty' })
  return problems
}

export function verdictOf(problems: PackageProblem[], rows: number, valid: number): Verdict {
  if (problems.some((problem) => UNREADABLE_CODES.has(problem.code))) return 'unreadable'
  return problems.length > 0 || valid < rows ? 'needs-fixes' : 'ready'
}

export function reportOf(state: PackageState): PackageReport {
  const problems = currentProblems(state)
  const { counts, valid } = state.classification
  const rows = state.store.count
  return {
    fileName: state.fileName,
    kind: state.kind,
    format: state.format,
    container: state.container,
    entryName: state.entryName,
    size: state.size,
    rows,
    valid,
    counts: { ...counts },
    problems,
    verdict: verdictOf(problems, rows, valid),
    columns: state.columns,
    sources: state.sources.map((source) => ({
      name: source.name,
      size: source.size,
      rows: source.rows,
      valid: source.valid,
      encoding: encodingName(source.problems),
      column: source.columns?.chosen ?? null,
      problems: source.problems.map((problem) => problem.code),
    })),
    exclusions: state.exclusions.map((list) => ({
      name: list.name,
      rows: list.rows,
      values: list.set?.values ?? 0,
      problems: list.problems.map((problem) => problem.code),
    })),
  }
}

/** The encoding a file was read in, from the problems its read found. */
function encodingName(problems: readonly PackageProblem[]): string {
  for (const problem of problems) {
    if (problem.code === 'encoding-legacy') return problem.names?.[0] ?? 'legacy'
    if (problem.code === 'encoding-utf16') return 'UTF-16'
  }
  return 'UTF-8'
}
