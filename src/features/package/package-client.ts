import { proxy, transfer, wrap, type Remote } from 'comlink'
import type { Action } from '../../core/package-session.ts'
import type { PackageKind } from '../../core/problem-codes.ts'
import type { RowFilter } from '../../core/row-view.ts'
import type {
  CleanFile,
  PackageSnapshot,
  PackageWorkerApi,
  ReadProgress,
  RowView,
  SharedRead,
  SharedReadRequest,
  WarmRequest,
} from './package-worker-api.ts'
import { allocateWarmMemory, fitsWarmMemory, WARM_BYTES } from './warm-memory.ts'

export type PackageStatus =
  | { state: 'idle' }
  | { state: 'reading'; fileName: string; progress: ReadProgress }
  | { state: 'done'; snapshot: PackageSnapshot; version: number; busy: boolean }
  | { state: 'failed'; fileName: string; message: string }
  | { state: 'cancelled'; fileName: string }

export interface PackageClient {
  getStatus(): PackageStatus
  subscribe(listener: () => void): () => void
  /** Starts the workers for the next file ahead of it; idempotent. */
  prepare(): void
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

const readerFactory: WorkerFactory = () =>
  new Worker(new URL('./file-reader.worker.ts', import.meta.url), {
    type: 'module',
    name: 'file-reader',
  })

/** A package worker and, on a cross-origin isolated page, a reader worker beside it. */
interface Workers {
  worker: Worker
  reader: Worker | null
  /** Set when either failed to load before it was given a file. */
  broken: boolean
}

/**
 * Starts the workers for a file before one comes: loading their scripts takes ~60 ms, which
 * would otherwise be part of every check. A worker whose script fails to load fires `error`
 * at once, before anyone asks it anything: that is remembered here, not lost.
 */
function startWorkers(factory: WorkerFactory, createReader: WorkerFactory | null): Workers {
  const isolated = createReader !== null && globalThis.crossOriginIsolated === true
  const workers: Workers = {
    worker: factory(),
    reader: isolated ? createReader() : null,
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

/**
 * Has the reader worker read the file into shared memory, so the package worker checks rows
 * on the other core meanwhile: 100 MB measured ~0.5 s instead of ~0.9 s read then checked.
 * The memory is `warm` (made ready ahead) when the file suits it, else the file's own size.
 * Without a reader (no isolation), or for a file too large to allocate, the package worker
 * reads the file itself.
 */
function startSharedRead(
  file: File,
  reader: Worker | null,
  warm: SharedArrayBuffer | null,
): SharedRead | null {
  if (reader === null) return null
  let bytes: SharedArrayBuffer
  try {
    bytes = warm !== null && fitsWarmMemory(file.size) ? warm : new SharedArrayBuffer(file.size)
  } catch {
    return null
  }
  const channel = new MessageChannel()
  const request: SharedReadRequest = { file, bytes, port: channel.port1 }
  reader.postMessage(request, [channel.port1])
  return { bytes, port: channel.port2 }
}

/**
 * How long a package worker may stay silent after being given a file before it is replaced,
 * once, by a fresh one. A working one reports its first read within milliseconds.
 */
export const SILENT_WORKER_MS = 10_000

class SilentWorkerError extends Error {}

/** When the page is idle, or soon where there is no idle callback (tests, older browsers). */
function whenIdle(task: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(task, { timeout: 2_000 })
  else setTimeout(task, 0)
}

/**
 * Owns the package worker and what the page knows of it. Each file gets fresh workers:
 * cancelling is terminating them, and the previous package's memory goes with them. The
 * next file's workers are started ahead, when the page is idle.
 */
export function createPackageClient(
  factory: WorkerFactory = defaultFactory,
  createReader: WorkerFactory | null = readerFactory,
): PackageClient {
  let status: PackageStatus = { state: 'idle' }
  let worker: Worker | null = null
  /** The worker reading the file into shared memory, while it does. */
  let reader: Worker | null = null
  let remote: Remote<PackageWorkerApi> | null = null
  /** Workers started ahead for the next file. */
  let spare: Workers | null = null
  /**
   * Shared memory for the next large file, its pages touched by the spare reader while the
   * page waits: ~150 ms less to check 100 MB. A file it suits takes it; the next is made then.
   */
  let warm: SharedArrayBuffer | null = null
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
    stopReader()
  }

  function stopReader(): void {
    reader?.terminate()
    reader = null
  }

  function prepare(): void {
    if (spare !== null) return
    spare = startWorkers(factory, createReader)
    if (spare.reader === null) return
    warm ??= allocateWarmMemory(() => new SharedArrayBuffer(WARM_BYTES))
    if (warm === null) return
    const request: WarmRequest = { warm }
    spare.reader.postMessage(request)
  }

  function takeSpare(): Workers {
    const taken = spare
    spare = null
    if (taken !== null && !taken.broken) return taken
    if (taken !== null) stopWorkers(taken)
    return startWorkers(factory, createReader)
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

  /**
   * Gives the file to the workers and waits for their report. Rejects with SilentWorkerError when
   * `watch` is on and the package worker says nothing within SILENT_WORKER_MS.
   */
  async function check(
    file: File,
    kind: PackageKind,
    workers: Workers,
    watch: boolean,
  ): Promise<PackageSnapshot> {
    worker = workers.worker
    reader = workers.reader
    remote = wrap<PackageWorkerApi>(workers.worker)
    const mine = remote
    // A worker that fails to load or dies answers nothing, and Comlink would wait forever:
    // say so instead of reading on without end.
    const fail = (event: ErrorEvent) => {
      if (remote !== mine) return
      event.preventDefault()
      stopWorker()
      set({
        state: 'failed',
        fileName: file.name,
        message: event.message || 'The checking worker stopped.',
      })
      whenIdle(prepare)
    }
    workers.worker.addEventListener('error', fail)
    workers.reader?.addEventListener('error', fail)
    const shared = startSharedRead(file, workers.reader, warm)
    if (shared !== null && shared.bytes === warm) warm = null
    let heard = false
    let watchdog: ReturnType<typeof setTimeout> | undefined
    const silence = new Promise<never>((_, reject) => {
      if (watch)
        watchdog = setTimeout(() => heard || reject(new SilentWorkerError()), SILENT_WORKER_MS)
    })
    try {
      const snapshot = await Promise.race([
        mine.open(
          file,
          kind,
          proxy((progress: ReadProgress) => {
            heard = true
            if (remote === mine) set({ state: 'reading', fileName: file.name, progress })
          }),
          // The port moves to the package worker; the shared memory is shared, not moved.
          shared ? transfer(shared, [shared.port]) : null,
        ),
        silence,
      ])
      return snapshot
    } finally {
      clearTimeout(watchdog)
    }
  }

  return {
    getStatus: () => status,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    prepare,

    async open(file, kind) {
      const receivedAt = performance.now()
      stopWorker()
      set({
        state: 'reading',
        fileName: file.name,
        progress: { phase: 'reading', done: 0, total: file.size },
      })
      // check() makes its workers current before its first await: `mine` names this file's.
      let checking = check(file, kind, takeSpare(), true)
      let mine = remote
      try {
        let snapshot: PackageSnapshot
        try {
          snapshot = await checking
        } catch (error) {
          if (!(error instanceof SilentWorkerError) || remote !== mine) throw error
          // Never seen to happen, but a hung worker must not hang the page: one fresh try.
          stopWorker()
          checking = check(file, kind, startWorkers(factory, createReader), false)
          mine = remote
          snapshot = await checking
        }
        if (remote !== mine) return
        stopReader()
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
      } finally {
        whenIdle(prepare)
      }
    },

    cancel() {
      if (status.state !== 'reading') return
      const fileName = status.fileName
      stopWorker()
      set({ state: 'cancelled', fileName })
      whenIdle(prepare)
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
