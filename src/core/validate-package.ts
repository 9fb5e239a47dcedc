import { classifyRows, type RowClassification } from './classify-rows.ts'
import { decodeText, isUtf8 } from './decode-text.ts'
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
import { readZip } from './read-zip.ts'
import { createArena, type RowStore } from './row-store.ts'
import { splitCsv, splitLines } from './split-rows.ts'

export interface PackageInput {
  name: string
  bytes: Uint8Array
  kind: PackageKind
}

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
}

export interface ValidateOptions {
  onProgress?: (phase: 'inflating', done: number, total: number) => void
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]

/** Reads and validates a package: file name, container, encoding, then every row. */
export async function validatePackage(
  input: PackageInput,
  options: ValidateOptions = {},
): Promise<PackageState> {
  const { name, bytes, kind } = input
  const problems = checkFileName(name)
  if (bytes.length > MAX_PACKAGE_BYTES) problems.push({ code: 'too-large', count: bytes.length })
  const named = formatOf(name)
  const isZip =
    named === 'zip' || (named === null && ZIP_MAGIC.every((byte, index) => bytes[index] === byte))
  const base = { fileName: name, kind, size: bytes.length, resolved: new Set<PackageCode>() }

  if (bytes.length === 0) {
    problems.push({ code: 'empty' })
    return finish(
      { ...base, format: named === 'csv' ? 'csv' : 'txt', container: 'plain', entryName: null },
      new Uint8Array(0),
      problems,
    )
  }

  let format: PackageFormat = named === 'csv' ? 'csv' : 'txt'
  let text = bytes
  let entryName: string | null = null
  if (isZip) {
    const zip = await readZip(bytes, {
      onProgress: (done, total) => options.onProgress?.('inflating', done, total),
    })
    problems.push(...zip.problems)
    if (!zip.ok) {
      return finish(
        { ...base, format, container: 'zip', entryName },
        new Uint8Array(0),
        problems,
        false,
      )
    }
    format = zip.format === 'csv' ? 'csv' : 'txt'
    entryName = zip.entryName
    text = zip.bytes
    if (text.length === 0) problems.push({ code: 'empty' })
  }
  const decoded = decodeText(text)
  problems.push(...decoded.problems)
  return finish(
    { ...base, format, container: isZip ? 'zip' : 'plain', entryName },
    decoded.bytes,
    problems,
  )
}

function finish(
  header: Omit<PackageState, 'store' | 'classification' | 'fileProblems'>,
  text: Uint8Array,
  problems: PackageProblem[],
  readable = true,
): PackageState {
  const store = readable
    ? header.format === 'csv'
      ? splitCsv(text)
      : splitLines(text)
    : emptyStore()
  const classification = classifyRows(store, { kind: header.kind, csv: header.format === 'csv' })
  const flagged = problems.some((problem) => problem.code === 'encoding-invalid')
  if (classification.nonAscii && !flagged && !isUtf8(text))
    problems.push({ code: 'encoding-invalid' })
  return { ...header, store, classification, fileProblems: problems }
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
  }
}
