import { proxy, wrap, type Remote } from 'comlink'
import type { Action } from '../../core/package-session.ts'
import type { PackageKind } from '../../core/problem-codes.ts'
import type { RowFilter } from '../../core/row-view.ts'
import type {
  CleanFile,
  PackageSnapshot,
  PackageWorkerApi,
  ReadProgress,
  RowView,
} from './package-worker-api.ts'

export type PackageStatus =
  | { state: 'idle' }
  | { state: 'reading'; fileName: string; progress: ReadProgress }
  | { state: 'done'; snapshot: PackageSnapshot; version: number; busy: boolean }
  | { state: 'failed'; fileName: string; message: string }
  | { state: 'cancelled'; fileName: string }

export interface PackageClient {
  getStatus(): PackageStatus
  subscribe(listener: () => void): () => void
  open(file: File, kind: PackageKind): Promise<void>
  cancel(): void
  perform(action: Action): Promise<void>
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

/**
 * Owns the package worker and what the page knows of it. Each file gets a fresh worker:
 * cancelling is terminating it, and the previous package's memory goes with it.
 */
export function createPackageClient(factory: WorkerFactory = defaultFactory): PackageClient {
  let status: PackageStatus = { state: 'idle' }
  let worker: Worker | null = null
  let remote: Remote<PackageWorkerApi> | null = null
  let version = 0
  const listeners = new Set<() => void>()

  function set(next: PackageStatus): void {
    status = next
    for (const listener of listeners) listener()
  }

  function show(snapshot: PackageSnapshot): void {
    version++
    set({ state: 'done', snapshot, version, busy: false })
  }

  function stopWorker(): void {
    worker?.terminate()
    worker = null
    remote = null
  }

  function requireRemote(): Remote<PackageWorkerApi> {
    if (!remote) throw new Error('No package is open.')
    return remote
  }

  /** Runs a step in the worker, marking the page busy meanwhile and timing it for the bench. */
  async function run(
    name: string,
    work: (worker: Remote<PackageWorkerApi>) => Promise<PackageSnapshot>,
  ) {
    const mine = requireRemote()
    const started = performance.now()
    if (status.state === 'done') set({ ...status, busy: true })
    const snapshot = await work(mine)
    if (remote !== mine) return
    performance.measure(name, { start: started, end: performance.now() })
    show(snapshot)
  }

  return {
    getStatus: () => status,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    async open(file, kind) {
      const receivedAt = performance.now()
      stopWorker()
      const own = factory()
      worker = own
      remote = wrap<PackageWorkerApi>(own)
      const mine = remote
      // A worker that fails to load or dies answers nothing, and Comlink would wait forever:
      // say so instead of reading on without end.
      own.addEventListener('error', (event) => {
        if (remote !== mine) return
        event.preventDefault()
        stopWorker()
        set({
          state: 'failed',
          fileName: file.name,
          message: event.message || 'The checking worker stopped.',
        })
      })
      set({
        state: 'reading',
        fileName: file.name,
        progress: { phase: 'reading', done: 0, total: file.size },
      })
      try {
        const snapshot = await mine.open(
          file,
          kind,
          proxy((progress: ReadProgress) => {
            if (remote === mine) set({ state: 'reading', fileName: file.name, progress })
          }),
        )
        if (remote !== mine) return
        performance.measure('package-validate', { start: receivedAt, end: performance.now() })
        show(snapshot)
      } catch (error) {
        if (remote !== mine) return
        stopWorker()
        set({
          state: 'failed',
          fileName: file.name,
          message: error instanceof Error ? error.message : String(error),
        })
      }
    },

    cancel() {
      if (status.state !== 'reading') return
      const fileName = status.fileName
      stopWorker()
      set({ state: 'cancelled', fileName })
    },

    perform: (action) =>
      run(action.type === 'fix' ? 'package-fix' : `package-${action.type}`, (w) =>
        w.perform(action),
      ),
    undo: () => run('package-undo', (w) => w.undo()),
    redo: () => run('package-redo', (w) => w.redo()),
    setView: (filter) => run('package-view', (w) => w.setView(filter)),
    readRows: (from, count) => requireRemote().readRows(from, count),
    findProblem: (from, direction) => requireRemote().findProblem(from, direction),
    cleanFiles: (options) => requireRemote().cleanFiles(options),
    problemReport: () => requireRemote().problemReport(),
  }
}
