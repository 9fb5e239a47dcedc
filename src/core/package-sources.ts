import {
  classifyRows,
  exclusionSetOf,
  markListsAgain,
  type ClassifyOptions,
  type ExclusionSet,
} from './classify-rows.ts'
import type { PackageFormat } from './file-name.ts'
import { UNREADABLE_CODES, type PackageProblem, type RowCodes } from './problem-codes.ts'
import { appendToArena, lineOf, type RowStore } from './row-store.ts'
import { deleteRows } from './transform-rows.ts'
import type { PackageState } from './validate-package.ts'

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
}

/** The file a package was read from, as the first (or next) source of the package. */
export function sourceOf(read: PackageState, lineOffset = 0): PackageSource {
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
  }
}

/** How the package's rows are classified: each file's header, every exclusion list. */
export function classifyOptionsOf(state: PackageState): ClassifyOptions {
  const csv = state.format === 'csv'
  const exclusions = state.exclusions.flatMap((list) => (list.set ? [list.set] : []))
  if (state.sources.length < 2) return { kind: state.kind, csv, exclusions }
  const heads = state.sources.map((source) => ({
    line: source.lineOffset,
    csv: source.format === 'csv',
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
 * duplicate.
 */
export function addSource(state: PackageState, read: PackageState): PackageState {
  const last = state.sources[state.sources.length - 1]
  const lineOffset = last ? last.lineOffset + last.lines : 0
  const store = appendRows(state.store, read.store, lineOffset)
  const merged = reclassified(
    withSources({ ...state, store }, [...state.sources, sourceOf(read, lineOffset)]),
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
  // A list that could not be read (a workbook, binary bytes) leaves nothing out.
  const readable =
    fixed.store.count > 0 && !problems.some((problem) => UNREADABLE_CODES.has(problem.code))
  return {
    name: read.fileName,
    rows: read.store.count,
    problems,
    set: readable ? exclusionSetOf(fixed.store, fixed.classification) : null,
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
 * `to`'s rows followed by `from`'s, in `to`'s arena: `from`'s bytes are appended to it in one
 * copy (only as far as its rows reach), and its lines numbered on after `lineOffset`.
 */
function appendRows(to: RowStore, from: RowStore, lineOffset: number): RowStore {
  const arena = to.arena
  const fromBase = from.arena.base.length
  const baseAt = appendToArena(arena, from.arena.base.subarray(0, usedExtent(from)))
  const extraAt = appendToArena(arena, from.arena.extra.subarray(0, from.arena.extraLength))
  const count = to.count + from.count
  const start = new Uint32Array(count)
  const length = new Uint32Array(count)
  const line = new Uint32Array(count)
  start.set(to.start.subarray(0, to.count))
  length.set(to.length.subarray(0, to.count))
  for (let row = 0; row < to.count; row++) line[row] = lineOf(to, row)
  for (let row = 0; row < from.count; row++) {
    const address = from.start[row]
    const at = to.count + row
    start[at] = address < fromBase ? baseAt + address : extraAt + (address - fromBase)
    length[at] = from.length[row]
    line[at] = lineOf(from, row) + lineOffset
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
  return { arena, count, start, length, line, fullLength }
}

/** How far into its arena's base a store's rows reach (legacy text is converted into room to spare). */
function usedExtent(store: RowStore): number {
  const base = store.arena.base.length
  let extent = 0
  for (let row = 0; row < store.count; row++) {
    const address = store.start[row]
    if (address >= base) continue
    const size = store.fullLength === null ? store.length[row] : store.fullLength[row]
    extent = Math.max(extent, address + size)
  }
  return extent
}
