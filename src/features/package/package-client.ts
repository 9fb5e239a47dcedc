import type { ReadChoices } from '../../core/validate-package.ts'
import type { PackageKind } from '../../core/problem-codes.ts'
import type { RowFilter } from '../../core/row-view.ts'
import {
  canShareMemory,
  startRun,
  type PackageRun,
  type RunSink,
  type Workers,
} from './package-run.ts'
import { INITIAL_STATE, nextState, type PackageStatus } from './package-status.ts'
import type { CleanFile, RowView, SerializableAction } from './package-worker-api.ts'

export type { PackageStatus } from './package-status.ts'

export interface PackageClient {
  getStatus(): PackageStatus
  subscribe(listener: () => void): () => void
  /** Starts the workers for the next file ahead of it; idempotent. */
  prepare(): void
  /**
   * Reads and checks a file, as the user chose (encoding, token column) where the page's
   * guess was wrong; settles when its read is over (or another file replaced it).
   */
  open(file: File, kind: PackageKind, choices?: ReadChoices): Promise<void>
  /**
   * Several files as one package: the first is read, the others added to that package only
   * (if another file replaces it meanwhile, the rest are not added anywhere).
   */
  openAll(files: readonly File[], kind: PackageKind): Promise<void>
  cancel(): void
  /** Adds another file's rows after the package's own (the package is the union). */
  addSource(file: File): Promise<void>
  /** Leaves out of the package every value a list holds. */
  exclude(file: File): Promise<void>
  perform(action: SerializableAction): Promise<void>
  undo(): Promise<void>
  redo(): Promise<void>
  setView(filter: RowFilter): Promise<void>
  readRows(from: number, count: number): Promise<RowView[]>
  findProblem(from: number, direction: 1 | -1): Promise<number>
  cleanFiles(options: { zip: boolean }): Promise<CleanFile[]>
  problemReport(): Promise<Blob>
}

type WorkerFactory = () => Worker

const defaultFactory: WorkerFactory = () =>
  new Worker(new URL('./package.worker.ts', import.meta.url), { type: 'module', name: 'package' })

const readerFactory: WorkerFactory = () =>
  new Worker(new URL('./file-reader.worker.ts', import.meta.url), {
    type: 'module',
    name: 'file-reader',
  })

/**
 * Starts the workers for a file before one comes: loading their scripts takes ~60 ms, which
 * would otherwise be part of every check. A worker whose script fails to load fires `error`
 * at once, before anyone asks it anything: that is remembered here, not lost.
 */
function startWorkers(factory: WorkerFactory, createReader: WorkerFactory | null): Workers {
  const workers: Workers = {
    worker: factory(),
    reader: createReader !== null && canShareMemory() ? createReader() : null,
    broken: false,
  }
  const markBroken = () => (workers.broken = true)
  workers.worker.addEventListener('error', markBroken)
  workers.reader?.addEventListener('error', markBroken)
  return workers
}

function stopWorkers(workers: Workers): void {
  workers.worker.terminate()
  workers.reader?.terminate()
}

/** When the page is idle, or soon where there is no idle callback (tests, older browsers). */
function whenIdle(task: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(task, { timeout: 2_000 })
  else setTimeout(task, 0)
}

/**
 * What the page knows of the current package. Each file is a run (package-run.ts) with fresh
 * workers: a new file or a cancel disposes the run, and its memory goes with its workers. The
 * status is a pure reduction of what the current run reported (package-status.ts).
 */
export function createPackageClient(
  factory: WorkerFactory = defaultFactory,
  createReader: WorkerFactory | null = readerFactory,
): PackageClient {
  let state = INITIAL_STATE
  let run: PackageRun | null = null
  /** Workers started ahead for the next file. */
  let spare: Workers | null = null
  const listeners = new Set<() => void>()

  const sink: RunSink = {
    report(event) {
      const next = nextState(state, event)
      if (next === state) return
      state = next
      for (const listener of listeners) listener()
    },
    measure(name, start) {
      performance.measure(name, { start, end: performance.now() })
    },
  }

  function prepare(): void {
    spare ??= startWorkers(factory, createReader)
  }

  function takeSpare(): Workers {
    const taken = spare
    spare = null
    if (taken !== null && !taken.broken) return taken
    if (taken !== null) stopWorkers(taken)
    return startWorkers(factory, createReader)
  }

  function current(): PackageRun {
    if (run === null) throw new Error('No package is open.')
    return run
  }

  return {
    getStatus: () => state.status,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    prepare,

    async open(file, kind, choices) {
      run?.dispose()
      const mine = startRun(file, kind, takeSpare(), sink, choices)
      run = mine
      await mine.read
      whenIdle(prepare)
    },

    async openAll([first, ...rest], kind) {
      if (first === undefined) return
      run?.dispose()
      const mine = startRun(first, kind, takeSpare(), sink)
      run = mine
      await mine.read
      whenIdle(prepare)
      // Owned by this run: once another file replaces it, its next step rejects, and the rest
      // of the batch goes nowhere.
      for (const file of rest) await mine.step('package-add-source', (api) => api.addSource(file))
    },

    cancel() {
      if (state.status.state !== 'reading') return
      run?.dispose()
      run = null
      sink.report({ type: 'cancelled' })
      whenIdle(prepare)
    },

    // Async, so that no open package is a rejected promise like any other failure here.
    addSource: async (file) => current().step('package-add-source', (api) => api.addSource(file)),
    exclude: async (file) => current().step('package-exclude', (api) => api.exclude(file)),
    perform: (action) =>
      current().step(action.type === 'fix' ? 'package-fix' : `package-${action.type}`, (api) =>
        api.perform(action),
      ),
    undo: () => current().step('package-undo', (api) => api.undo()),
    redo: () => current().step('package-redo', (api) => api.redo()),
    setView: (filter) => current().step('package-view', (api) => api.setView(filter)),
    readRows: (from, count) => current().ask((api) => api.readRows(from, count)),
    findProblem: (from, direction) => current().ask((api) => api.findProblem(from, direction)),
    cleanFiles: (options) => current().ask((api) => api.cleanFiles(options)),
    problemReport: () => current().ask((api) => api.problemReport()),
  }
}
