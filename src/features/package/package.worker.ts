/// <reference lib="webworker" />
import { expose } from 'comlink'
import { planParts } from '../../core/clean-package.ts'
import {
  appliedActions,
  availableFixes,
  canRedo,
  canUndo,
  changesSinceRead,
  currentState,
  exclusionListFrom,
  perform,
  redo,
  startSession,
  undo,
  type PackageSession,
  type RecordedAction,
} from '../../core/package-session.ts'
import { suggestedKind } from '../../core/kind-hint.ts'
import { problemReportCsv } from '../../core/problem-report.ts'
import { lineOf, rowFullText, rowValue } from '../../core/row-store.ts'
import { ALL_ROWS, filterRows, findProblem, type RowFilter } from '../../core/row-view.ts'
import { locateLine } from '../../core/package-sources.ts'
import type { PackageKind } from '../../core/problem-codes.ts'
import {
  reportOf,
  startPackageScan,
  type PackageState,
  type ReadChoices,
} from '../../core/validate-package.ts'
import type {
  PackageSnapshot,
  PackageWorkerApi,
  ReadProgress,
  RowView,
} from './package-worker-api.ts'
import { followSharedRead, readFileInto } from './read-file-bytes.ts'
import { buildCleanFiles } from './clean-files.ts'

// The worker's one package; the page replaces the whole worker to cancel or to start over.
let session: PackageSession | null = null
let filter: RowFilter = ALL_ROWS
let view: Uint32Array | null = null

function requireSession(): PackageSession {
  if (!session) throw new Error('No package is open.')
  return session
}

function refreshView(): void {
  const state = currentState(requireSession())
  view = filterRows(state.store, state.classification.codes, filter)
}

function snapshot(): PackageSnapshot {
  const current = requireSession()
  const state = currentState(current)
  return {
    report: reportOf(state),
    fixes: availableFixes(state),
    canUndo: canUndo(current),
    canRedo: canRedo(current),
    applied: appliedActions(current).map(actionLabel),
    parts: planParts(state.store, state.fileName).map(({ name, from, to, bytes }) => ({
      name,
      rows: to - from,
      bytes,
    })),
    viewCount: view === null ? state.store.count : view.length,
    suggestedKind: suggestedKind(state),
    changesSinceRead: changesSinceRead(current),
  }
}

function actionLabel(action: RecordedAction): string {
  switch (action.type) {
    case 'fix':
      return `fix-${action.fix}`
    case 'edit':
      return 'edit'
    case 'delete':
      return `delete-${action.rows.length}`
    case 'kind':
      return `kind-${action.kind}`
    case 'add-source':
      return 'add-source'
    case 'remove-source':
      return 'remove-source'
    case 'add-column':
      return 'add-column'
    case 'exclude':
      return 'exclude'
    case 'remove-exclusion':
      return 'remove-exclusion'
  }
}

/** Reads and checks a file the worker reads itself: a list added to an open package. */
async function readPackage(
  file: File,
  kind: PackageKind,
  choices: ReadChoices = {},
): Promise<PackageState> {
  const bytes = new Uint8Array(file.size)
  const scan = startPackageScan({ name: file.name, bytes, kind, ...choices })
  await readFileInto(file, bytes, (filled) => scan.advance(filled))
  return scan.finish()
}

function step(next: PackageSession): PackageSnapshot {
  const changed = next !== session
  session = next
  if (changed) refreshView()
  return snapshot()
}

/**
 * At most one progress message per 100 ms: each one is a message to the page and a render
 * there, and jszip alone reports thousands of chunks for a large zip.
 */
function throttled(send: (progress: ReadProgress) => void): (progress: ReadProgress) => void {
  let last = 0
  return (progress) => {
    const now = performance.now()
    // Only the end itself goes through at once: a zip that lies about its size inflates
    // past its `total`, and every one of those chunks would otherwise be a message.
    if (now - last < 100 && progress.done !== progress.total) return
    last = now
    send(progress)
  }
}

const api: PackageWorkerApi = {
  async open(file, kind, onProgress, shared, choices) {
    session = null
    filter = ALL_ROWS
    view = null
    const report = throttled(onProgress)
    const bytes = shared ? new Uint8Array(shared.bytes) : new Uint8Array(file.size)
    const scan = startPackageScan(
      { name: file.name, bytes, kind, ...choices },
      { onProgress: (phase, done, total) => report({ phase, done, total }) },
    )
    const onRead = (filled: number) => {
      scan.advance(filled)
      report({ phase: 'reading', done: filled, total: bytes.length })
    }
    await (shared ? followSharedRead(shared.port, onRead) : readFileInto(file, bytes, onRead))
    session = startSession(await scan.finish())
    return snapshot()
  },

  async addSource(file, choices) {
    const read = await readPackage(file, currentState(requireSession()).kind, choices)
    return step(perform(requireSession(), { type: 'add-source', read }))
  },

  async exclude(file) {
    const read = await readPackage(file, currentState(requireSession()).kind)
    const list = exclusionListFrom(read)
    return step(perform(requireSession(), { type: 'exclude', list }))
  },

  perform: (action) => step(perform(requireSession(), action)),
  undo: () => step(undo(requireSession())),
  redo: () => step(redo(requireSession())),

  setView(next) {
    filter = next
    refreshView()
    return snapshot()
  },

  readRows(from, count) {
    const state = currentState(requireSession())
    const { store, classification } = state
    const size = view === null ? store.count : view.length
    const end = Math.min(size, from + count)
    const rows: RowView[] = []
    for (let position = Math.max(0, from); position < end; position++) {
      const index = view === null ? position : view[position]
      const hasMore = store.fullLength !== null && store.fullLength[index] !== store.length[index]
      const { source, line } = locateLine(state.sources, lineOf(store, index))
      rows.push({
        position,
        index,
        line,
        source: state.sources.length > 1 ? state.sources[source].name : null,
        value: rowValue(store, index),
        full: hasMore ? rowFullText(store, index) : null,
        codes: classification.codes[index],
      })
    }
    return rows
  },

  findProblem(from, direction) {
    const state = currentState(requireSession())
    return findProblem(view, state.classification.codes, from, direction)
  },

  cleanFiles({ zip }) {
    const state = currentState(requireSession())
    return buildCleanFiles(state.store, state.fileName, zip)
  },

  problemReport() {
    const current = requireSession()
    return new Blob([problemReportCsv(currentState(current))], {
      type: 'text/csv',
    })
  },
}

expose(api)
