import {
  classifyRows,
  exclusionSetOf,
  markListsAgain,
  type ClassifyOptions,
  type ExclusionSet,
} from './classify-rows.ts'
import type { PackageFormat } from './file-name.ts'
import {
  UNREADABLE_CODES,
  type PackageKind,
  type PackageProblem,
  type RowCodes,
} from './problem-codes.ts'
import { appendToArena, arenaBytes, lineOf, type ByteArena, type RowStore } from './row-store.ts'
import { deleteRows } from './transform-rows.ts'
import type { PackageState, FileAsRead } from './validate-package.ts'

/**
 * One file of the package, as it was read and checked on its own. A package merged from
 * several files numbers its lines on from one file to the next: the file's line n is line
 * `lineOffset + n` of the package, so the line column alone says which file a row came from.
 */
export interface PackageSource {
  name: string
  size: number
  format: PackageFormat
  container: 'plain' | 'zip'
  entryName: string | null
  columns: PackageState['columns']
  /** Problems of the file itself (encoding, zip, name...), as it was read. */
  problems: PackageProblem[]
  lineOffset: number
  /** Lines of the file that hold rows (its last row's line). */
  lines: number
  /** Rows and valid rows as read. */
  rows: number
  valid: number
  /** The rows as read, and their codes: what the problem report compares against. */
  original: { store: RowStore; codes: RowCodes }
  /** The file's text in the package's arena, to read it again as the other kind; null: none. */
  text: SourceText | null
}

/**
 * Where a file's text (UTF-8, as converted) sits in the package's arena, as its rows were
 * split from it, and the column the user chose to read the values from, if they chose one.
 */
export interface SourceText {
  at: number
  length: number
  column: number | undefined
}

/** A list of values to leave out of the package: never uploaded, never part of its problems. */
export interface ExclusionList {
  name: string
  /** Rows of the list as read. */
  rows: number
  /** Problems of the list's file that left it unusable (a workbook, a broken zip). */
  problems: PackageProblem[]
  /** Its values, normalised as the package's are compared; null when it could not be read. */
  set: ExclusionSet | null
  /** The kind it was read as: a list's columns and rules are the package's. */
  kind: PackageKind
  /**
   * The list's file and its text (its arena's base, which its values point into), to read it
   * again as the other kind; null for a list that could not be read as text whatever the kind.
   */
  text: { file: FileAsRead; bytes: Uint8Array; column: number | undefined } | null
}

/** The file a package was read from, as the first (or next) source of the package. */
export function sourceOf(
  read: PackageState,
  lineOffset: number,
  text: SourceText | null,
): PackageSource {
  const { store, classification } = read
  return {
    name: read.fileName,
    size: read.size,
    format: read.format,
    container: read.container,
    entryName: read.entryName,
    columns: read.columns,
    problems: read.fileProblems,
    lineOffset,
    lines: store.count === 0 ? 0 : lineOf(store, store.count - 1),
    rows: store.count,
    valid: classification.valid,
    original: { store, codes: classification.codes },
    text,
  }
}

/** How the package's rows are classified: each file's header, every exclusion list. */
export function classifyOptionsOf(state: PackageState): ClassifyOptions {
  // A file of columns is read as a CSV whatever its name (a .txt split at its tabs): its
  // first line may be column names, after an edit as at the read.
  const csv = state.format === 'csv' || state.columns !== null
  const exclusions = state.exclusions.flatMap((list) => (list.set ? [list.set] : []))
  if (state.sources.length < 2) return { kind: state.kind, csv, exclusions }
  const heads = state.sources.map((source) => ({
    line: source.lineOffset,
    csv: source.format === 'csv' || source.columns !== null,
  }))
  return { kind: state.kind, csv, heads, exclusions }
}

/** The state with its rows classified again under its own rules. */
export function reclassified(state: PackageState): PackageState {
  return { ...state, classification: classifyRows(state.store, classifyOptionsOf(state)) }
}

/**
 * The package with another file's rows after its own. The file's bytes are appended to the
 * package's arena (append-only, so earlier states, kept for undo, stay valid); its rows are
 * then classified with the package's, so that a value already in an earlier file is a
 * duplicate. `textAt`: the file was read again from its text where it sits in the arena
 * already, so nothing of it is copied again.
 */
export function addSource(state: PackageState, read: PackageState, textAt?: number): PackageState {
  const last = state.sources[state.sources.length - 1]
  const lineOffset = last ? last.lineOffset + last.lines : 0
  const { store, baseAt } = appendRows(state.store, read.store, lineOffset, textAt)
  const text = textIn(read, baseAt)
  const merged = reclassified(
    withSources({ ...state, store }, [...state.sources, sourceOf(read, lineOffset, text)]),
  )
  // The file's rows as the package first held them: in the package's arena (the file's own
  // bytes can go), with the codes they got there (a value of an earlier file is a duplicate).
  const from = state.store.count
  const original = {
    store: {
      arena: store.arena,
      count: read.store.count,
      start: store.start.subarray(from),
      length: store.length.subarray(from),
      line: read.store.line,
      fullLength: store.fullLength?.subarray(from) ?? null,
    },
    codes: merged.classification.codes.subarray(from),
  }
  const sources = merged.sources.map((source, index) =>
    index === merged.sources.length - 1 ? { ...source, original } : source,
  )
  return { ...merged, sources }
}

/**
 * The package as reading its files again makes it: `reads[i]` is source `i` read again from
 * its text where it sits in the package's arena. Put together as opening the first file and
 * adding the others does, in the same arena, with no text copied again; then `exclusions`.
 */
export function withSourcesReadAgain(
  state: PackageState,
  reads: readonly PackageState[],
  exclusions: readonly ExclusionList[],
): PackageState {
  const [first, ...rest] = reads
  const at = (index: number) => state.sources[index].text?.at
  const none = new Uint32Array(0)
  const empty = { arena: state.store.arena, count: 0, start: none, length: none, line: null }
  const { store } = appendRows({ ...empty, fullLength: null }, first.store, 0, at(0))
  const source = { ...first.sources[0], text: textIn(first, at(0) ?? 0) }
  const original = { store, codes: first.classification.codes }
  let next: PackageState = { ...first, store, sources: [{ ...source, original }] }
  rest.forEach((read, index) => (next = addSource(next, read, at(index + 1))))
  return withExclusions(next, exclusions)
}

/** The text of a source read (at the start of its arena's base) once that base is at `baseAt`. */
function textIn(read: PackageState, baseAt: number): SourceText | null {
  const text = read.sources[0]?.text ?? null
  return text && { ...text, at: baseAt + text.at }
}

/** A source's text, where it sits in the package's arena. */
export function textOf(
  arena: ByteArena,
  source: PackageSource,
): { bytes: Uint8Array; column: number | undefined } | null {
  const { text } = source
  return text && { bytes: arenaBytes(arena, text.at, text.length), column: text.column }
}

/** The package without the rows of its source at `index`. */
export function removeSource(state: PackageState, index: number): PackageState {
  const source = state.sources[index]
  if (source === undefined || state.sources.length < 2) return state
  const first = source.lineOffset
  const last = source.lineOffset + source.lines
  const rows: number[] = []
  for (let row = 0; row < state.store.count; row++) {
    const line = lineOf(state.store, row)
    if (line > first && line <= last) rows.push(row)
  }
  const sources = state.sources.filter((_, at) => at !== index)
  const next = withSources(state, sources)
  return { ...next, ...deleteRows(state.store, rows, classifyOptionsOf(next)) }
}

/**
 * The package with these exclusion lists, its rows marked against them from the hashes its
 * classification kept (a list changes no other code).
 */
export function withExclusions(
  state: PackageState,
  exclusions: readonly ExclusionList[],
): PackageState {
  const next = { ...state, exclusions }
  const sets = classifyOptionsOf(next).exclusions ?? []
  return { ...next, classification: markListsAgain(state.store, state.classification, sets) }
}

/** An exclusion list from a list read as a package and fixed (trimmed, unwrapped, deduplicated). */
export function exclusionListOf(read: PackageState, fixed: PackageState): ExclusionList {
  const problems = read.fileProblems
  // A list that could not be read (a workbook, binary bytes) leaves nothing out, whatever the kind.
  const unreadable = problems.some((problem) => UNREADABLE_CODES.has(problem.code))
  // A read is of one file. Not its source itself: that holds the rows as read, of no use here.
  const [source] = read.sources
  const text = unreadable ? null : textOf(read.store.arena, source)
  const { name, size, format, container, entryName } = source
  const file = { name, size, format, container, entryName, problems }
  return {
    name: read.fileName,
    rows: read.store.count,
    problems,
    set:
      fixed.store.count > 0 && !unreadable
        ? exclusionSetOf(fixed.store, fixed.classification)
        : null,
    kind: read.kind,
    text: text && { file, ...text },
  }
}

/** Which source a line of the package belongs to, and its line in that file. */
export function locateLine(
  sources: readonly PackageSource[],
  line: number,
): { source: number; line: number } {
  let source = 0
  for (let index = 1; index < sources.length; index++)
    if (sources[index].lineOffset < line) source = index
  return { source, line: line - (sources[source]?.lineOffset ?? 0) }
}

/** The package's file-level fields follow its first source; its problems are every source's. */
function withSources(state: PackageState, sources: PackageSource[]): PackageState {
  const [first] = sources
  const several = sources.length > 1
  return {
    ...state,
    sources,
    fileName: first.name,
    format: first.format,
    container: first.container,
    entryName: first.entryName,
    columns: first.columns,
    size: sources.reduce((sum, source) => sum + source.size, 0),
    fileProblems: sources.flatMap((source) =>
      several
        ? source.problems.map((problem) => ({ ...problem, source: source.name }))
        : source.problems,
    ),
  }
}

/**
 * `to`'s rows followed by `from`'s, in `to`'s arena: `from`'s base (the file's text) is
 * appended to it in one copy, unless it sits at `textAt` in that arena already, and so is what
 * `from` wrote anew; its lines are numbered on after `lineOffset`.
 */
function appendRows(
  to: RowStore,
  from: RowStore,
  lineOffset: number,
  textAt?: number,
): { store: RowStore; baseAt: number } {
  const arena = to.arena
  const fromBase = from.arena.base.length
  const baseAt = textAt ?? appendToArena(arena, from.arena.base)
  const extraAt = appendToArena(arena, from.arena.extra.subarray(0, from.arena.extraLength))
  const count = to.count + from.count
  const start = new Uint32Array(count)
  const length = new Uint32Array(count)
  // The first file's rows, each on the line after the last, need no line column (as read).
  const lines = to.count > 0 || lineOffset > 0 || from.line !== null
  const line = lines ? new Uint32Array(count) : null
  start.set(to.start.subarray(0, to.count))
  length.set(to.length.subarray(0, to.count))
  if (line) for (let row = 0; row < to.count; row++) line[row] = lineOf(to, row)
  for (let row = 0; row < from.count; row++) {
    const address = from.start[row]
    const at = to.count + row
    start[at] = address < fromBase ? baseAt + address : extraAt + (address - fromBase)
    length[at] = from.length[row]
    if (line) line[at] = lineOf(from, row) + lineOffset
  }
  let fullLength: Uint32Array | null = null
  if (to.fullLength !== null || from.fullLength !== null) {
    fullLength = new Uint32Array(count)
    for (let row = 0; row < to.count; row++)
      fullLength[row] = to.fullLength === null ? to.length[row] : to.fullLength[row]
    for (let row = 0; row < from.count; row++)
      fullLength[to.count + row] =
        from.fullLength === null ? from.length[row] : from.fullLength[row]
  }
  return { store: { arena, count, start, length, line, fullLength }, baseAt }
}
