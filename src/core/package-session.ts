import {
  addSource,
  classifyOptionsOf,
  exclusionListOf,
  reclassified,
  removeSource,
  textOf,
  withExclusions,
  withSourcesReadAgain,
  type ExclusionList,
} from './package-sources.ts'
import {
  EXTRA_COLUMNS_BIT,
  INVALID_MASK,
  ROW_BIT,
  type PackageCode,
  type PackageKind,
  type RowCode,
} from './problem-codes.ts'
import {
  deleteRows,
  editRow,
  NO_TRANSFORM,
  transformRows,
  type RowTransform,
} from './transform-rows.ts'
import { currentProblems, readTextAs, type PackageState } from './validate-package.ts'

/** Package problems whose fix is to write the clean package differently; nothing in the rows changes. */
export const PACKAGE_FIXES = [
  'encoding-bom',
  'encoding-utf16',
  // The rows were converted to be checked: the fix is to keep them so, in UTF-8.
  'encoding-legacy',
  'zip-hidden',
  'zip-folder',
  'name-length',
  'extension',
  // Over 100 MB: the clean package is used as it is if it fits, else split into parts.
  'too-large',
] as const
export type PackageFix = (typeof PACKAGE_FIXES)[number]

/** Row codes with a one-click fix; length and charset need an edit, or fix-invalid. */
export const ROW_FIXES = [
  'blank',
  'whitespace',
  'uppercase',
  'duplicate',
  'header',
  'invisible',
  'wrapped',
  'excluded',
] as const
export type RowFix = (typeof ROW_FIXES)[number]

export type FixId = RowFix | PackageFix | 'csv-columns' | 'invalid' | 'all'

export type Action =
  | { type: 'fix'; fix: FixId }
  | { type: 'edit'; row: number; value: string }
  | { type: 'delete'; rows: number[] }
  | { type: 'kind'; kind: PackageKind }
  /** Another file's rows, after the package's own (`read`: the file as read and checked). */
  | { type: 'add-source'; read: PackageState }
  | { type: 'remove-source'; index: number }
  /** The package file's tokens in another column (Android and iOS apart), as a file of its own. */
  | { type: 'add-column'; column: number }
  | { type: 'exclude'; list: ExclusionList }
  | { type: 'remove-exclusion'; index: number }

/**
 * What the undo history keeps of an action: enough to name it, never the file an added list
 * was read from (its bytes are in the package's arena already).
 */
export type RecordedAction =
  | Exclude<Action, { type: 'add-source' } | { type: 'exclude' }>
  | { type: 'add-source' | 'exclude'; name: string }

function recordOf(action: Action): RecordedAction {
  if (action.type === 'add-source') return { type: action.type, name: action.read.fileName }
  if (action.type === 'exclude') return { type: action.type, name: action.list.name }
  return action
}

/** An undo history of package states; the states share their byte arena. */
export interface PackageSession {
  states: PackageState[]
  actions: RecordedAction[]
  /** Index of the current state in `states`. */
  index: number
}

const MAX_UNDO = 40

export function startSession(state: PackageState): PackageSession {
  return { states: [state], actions: [], index: 0 }
}

export function currentState(session: PackageSession): PackageState {
  return session.states[session.index]
}

export function canUndo(session: PackageSession): boolean {
  return session.index > 0
}

export function canRedo(session: PackageSession): boolean {
  return session.index < session.states.length - 1
}

export function undo(session: PackageSession): PackageSession {
  return canUndo(session) ? { ...session, index: session.index - 1 } : session
}

export function redo(session: PackageSession): PackageSession {
  return canRedo(session) ? { ...session, index: session.index + 1 } : session
}

/**
 * The actions that made the current state, oldest first (for the upload history). A change of
 * kind reads the files again: the fixes and edits before it are not in the package.
 */
export function appliedActions(session: PackageSession): RecordedAction[] {
  const applied = session.actions.slice(0, session.index)
  const read = lastRead(applied)
  return applied.filter((action, at) => at >= read || !changesRows(action))
}

/** Fixes and edits since the files were last read: the ones a change of kind sets aside. */
export function changesSinceRead(session: PackageSession): number {
  const applied = session.actions.slice(0, session.index)
  return applied.slice(lastRead(applied) + 1).filter(changesRows).length
}

/** Where the last change of kind is among `actions`; -1 when there is none. */
function lastRead(actions: readonly RecordedAction[]): number {
  for (let at = actions.length - 1; at >= 0; at--) if (actions[at].type === 'kind') return at
  return -1
}

/** Actions whose effect a change of kind sets aside: it keeps only which files and lists. */
function changesRows(action: RecordedAction): boolean {
  return (
    action.type === 'fix' ||
    action.type === 'edit' ||
    action.type === 'delete' ||
    action.type === 'kind'
  )
}

/** Applies an action; anything that could be redone is dropped, as in any editor. */
export function perform(session: PackageSession, action: Action): PackageSession {
  const next = applyAction(currentState(session), action)
  if (next === currentState(session)) return session
  let states = [...session.states.slice(0, session.index + 1), next]
  let actions = [...session.actions.slice(0, session.index), recordOf(action)]
  if (states.length > MAX_UNDO + 1) {
    states = states.slice(states.length - MAX_UNDO - 1)
    actions = actions.slice(actions.length - MAX_UNDO)
  }
  return { ...session, states, actions, index: states.length - 1 }
}

export interface AvailableFix {
  fix: FixId
  /** Rows the fix changes or removes. */
  rows: number
  /** fix-invalid only: rows it would remove that fix-all would make valid instead. */
  savable?: number
}

/** The fixes that would change something now, with how many rows each changes. */
export function availableFixes(state: PackageState): AvailableFix[] {
  const { counts, extraColumns } = state.classification
  const fixes: AvailableFix[] = []
  for (const fix of ROW_FIXES) if (counts[fix] > 0) fixes.push({ fix, rows: counts[fix] })
  if (extraColumns > 0) fixes.push({ fix: 'csv-columns', rows: extraColumns })
  const problems = new Set(currentProblems(state).map((problem) => problem.code))
  for (const fix of PACKAGE_FIXES) if (problems.has(fix)) fixes.push({ fix, rows: 0 })
  const invalid = state.store.count - state.classification.valid
  if (invalid > 0) fixes.push({ fix: 'invalid', rows: invalid, savable: savableRows(state) })
  if (fixes.some((entry) => entry.fix !== 'invalid')) {
    fixes.push({ fix: 'all', rows: rowsMatching(state, ALL_TRANSFORM) })
  }
  return fixes
}

/** Invalid rows whose only problems fix-all takes off losslessly: it keeps them, valid. */
function savableRows(state: PackageState): number {
  const lossless = ROW_BIT.whitespace | ROW_BIT.uppercase | REPAIRABLE
  const { codes } = state.classification
  let rows = 0
  for (let row = 0; row < codes.length; row++) {
    const invalid = codes[row] & INVALID_MASK
    if (invalid !== 0 && (invalid & ~lossless) === 0) rows++
  }
  return rows
}

function rowsMatching(state: PackageState, transform: Omit<RowTransform, 'kind'>): number {
  const mask = rowMaskOf(transform)
  const { codes } = state.classification
  let rows = 0
  for (let row = 0; row < codes.length; row++) if (codes[row] & mask) rows++
  return rows
}

/** Codes whose rows are repaired, not removed: the value is good once the rest is off. */
const REPAIRABLE = ROW_BIT.invisible | ROW_BIT.wrapped

const ALL_TRANSFORM: Omit<RowTransform, 'kind'> = {
  // Excluded rows go too: the user added the list for them to be left out.
  removeMask: ROW_BIT.blank | ROW_BIT.duplicate | ROW_BIT.header | ROW_BIT.excluded,
  trim: true,
  lowercase: true,
  firstColumnOnly: true,
  repairMask: REPAIRABLE,
}

function rowMaskOf(transform: Omit<RowTransform, 'kind'>): number {
  return (
    transform.removeMask |
    transform.repairMask |
    (transform.trim ? ROW_BIT.whitespace : 0) |
    (transform.lowercase ? ROW_BIT.uppercase : 0) |
    (transform.firstColumnOnly ? EXTRA_COLUMNS_BIT : 0)
  )
}

function transformOf(fix: FixId): Omit<RowTransform, 'kind'> | null {
  switch (fix) {
    case 'invisible':
    case 'wrapped':
      return { ...NO_TRANSFORM, repairMask: ROW_BIT[fix] }
    case 'blank':
    case 'duplicate':
    case 'header':
    case 'excluded':
      return { ...NO_TRANSFORM, removeMask: ROW_BIT[fix] }
    case 'whitespace':
      return { ...NO_TRANSFORM, trim: true }
    case 'uppercase':
      return { ...NO_TRANSFORM, lowercase: true }
    case 'csv-columns':
      return { ...NO_TRANSFORM, firstColumnOnly: true }
    case 'invalid':
      return { ...NO_TRANSFORM, removeMask: INVALID_MASK }
    case 'all':
      return ALL_TRANSFORM
    default:
      return null
  }
}

function applyAction(state: PackageState, action: Action): PackageState {
  const rules = classifyOptionsOf(state)
  switch (action.type) {
    case 'fix':
      return applyFix(state, action.fix)
    case 'edit':
      return { ...state, ...editRow(state.store, action.row, action.value, rules) }
    case 'delete':
      return action.rows.length === 0
        ? state
        : { ...state, ...deleteRows(state.store, action.rows, rules) }
    case 'kind':
      if (action.kind === state.kind) return state
      return readAs(state, action.kind)
    case 'add-source':
      // Read while the kind changed (a file's read takes a while): read again as the package's.
      return addSource(state, readAgainAs(action.read, state.kind))
    case 'remove-source':
      return removeSource(state, action.index)
    case 'add-column':
      return withTokenColumn(state, action.column)
    case 'exclude':
      return withExclusions(state, [...state.exclusions, listAs(action.list, state.kind)])
    case 'remove-exclusion':
      if (state.exclusions[action.index] === undefined) return state
      return withExclusions(
        state,
        state.exclusions.filter((_, index) => index !== action.index),
      )
  }
}

function applyFix(state: PackageState, fix: FixId): PackageState {
  const resolved = new Set(state.resolved)
  const present = new Set(currentProblems(state).map((problem) => problem.code))
  const resolves: PackageCode[] =
    fix === 'all' ? [...PACKAGE_FIXES] : isPackageFix(fix) ? [fix] : []
  for (const code of resolves) if (present.has(code)) resolved.add(code)

  const transform = transformOf(fix)
  const touchesRows = transform !== null && rowsMatching(state, transform) > 0
  if (!touchesRows && resolved.size === state.resolved.size) return state
  if (!touchesRows || !transform) return { ...state, resolved }
  let next: PackageState = { ...state, resolved }
  // A repair can make rows the same that were not (a zero-width space apart): fix-all goes
  // again over what the repair showed, until nothing it fixes is left (twice at most, so far).
  for (let pass = 0; pass < 3 && rowsMatching(next, transform) > 0; pass++) {
    const rows = transformRows(next.store, next.classification, { ...transform, kind: state.kind })
    next = rows.reclassify
      ? reclassified({ ...next, store: rows.store })
      : { ...next, store: rows.store, classification: rows.classification }
    if (fix !== 'all') break
  }
  return next
}

/**
 * The package with the tokens its file holds in `column` too: the file read again from its
 * text in the package's arena, from that column, and added after the rest as a file of its
 * own. Only for a package of one file of columns (and columns of it added so far), where that
 * column holds tokens in the first rows and is not read yet. Never done by fix-all: a column
 * of install IDs looks like one of tokens, and only the user can tell them apart. The text
 * is read, not the rows, so fix-all having kept one column first takes nothing from it.
 */
function withTokenColumn(state: PackageState, column: number): PackageState {
  const [file] = state.sources
  const text = file && textOf(state.store.arena, file)
  if (!text || !file.text || !file.columns?.tokens.includes(column)) return state
  const at = file.text.at
  if (!state.sources.every((source) => source.text?.at === at)) return state
  if (state.sources.some((source) => source.columns?.chosen === column)) return state
  return addSource(state, readTextAs(file, { ...text, column }, state.kind), at)
}

/**
 * A list read to be left out of the package: its values as fix-all leaves them (trimmed,
 * unwrapped, without its header), so that they compare as the package's rows do.
 */
export function exclusionListFrom(read: PackageState): ExclusionList {
  return exclusionListOf(read, applyFix(read, 'all'))
}

/**
 * The package as reading its files and lists as `kind` makes it. How a file is split depends on
 * the kind (an account .txt is one value a row; the token column is told for tokens), so the
 * rows are not re-classified but read again, each file from its text in the package's arena.
 * What was made of the rows (fixes, edits, deletes) does not carry over: the rows may be others
 * now. It stays one step, which undo takes back with them; the read choices (encoding, token
 * column) carry over.
 */
function readAs(state: PackageState, kind: PackageKind): PackageState {
  const { arena } = state.store
  const reads = state.sources.map((source) => readTextAs(source, textOf(arena, source), kind))
  const lists = state.exclusions.map((list) => listAs(list, kind))
  return withSourcesReadAgain(state, reads, lists)
}

/** A package read from one file, read again as `kind` if it was read as the other. */
function readAgainAs(read: PackageState, kind: PackageKind): PackageState {
  if (read.kind === kind) return read
  const [file] = read.sources
  return readTextAs(file, textOf(read.store.arena, file), kind)
}

/** An exclusion list, read again as `kind` if it was read as the other. */
function listAs(list: ExclusionList, kind: PackageKind): ExclusionList {
  if (list.kind === kind) return list
  if (list.text === null) return { ...list, kind }
  const { file, bytes, column } = list.text
  return exclusionListFrom(readTextAs(file, { bytes, column }, kind))
}

function isPackageFix(fix: string): fix is PackageFix {
  return (PACKAGE_FIXES as readonly string[]).includes(fix)
}

const FIX_IDS: readonly string[] = [...ROW_FIXES, ...PACKAGE_FIXES, 'csv-columns', 'invalid', 'all']

export function isFixId(value: string): value is FixId {
  return FIX_IDS.includes(value)
}

export function isRowFix(code: string): code is RowFix {
  return (ROW_FIXES as readonly string[]).includes(code)
}

/**
 * The fix offered beside a problem code, or none: length and charset have no fix of their
 * own (an edit, or fix-invalid for all of them at once).
 */
export function fixForCode(code: PackageCode | RowCode): FixId | null {
  if (code === 'csv-columns' || isPackageFix(code)) return code
  return isRowFix(code) ? code : null
}
