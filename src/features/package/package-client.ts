import { proxy, wrap, type Remote } from 'comlink'
import type { PackageKind } from '../../core/problem-codes.ts'
import type { PackageReport } from '../../core/validate-package.ts'
import type { PackageWorkerApi, ReadProgress, RowView } from './package-worker-api.ts'

export type PackageStatus =
  | { state: 'idle' }
  | { state: 'reading'; fileName: string; progress: ReadProgress }
  | { state: 'done'; report: PackageReport; version: number }
  | { state: 'failed'; fileName: string; message: string }
  | { state: 'cancelled'; fileName: string }

export interface PackageClient {
  getStatus(): PackageStatus
  subscribe(listener: () => void): () => void
  open(file: File, kind: PackageKind): Promise<void>
  cancel(): void
  setKind(kind: PackageKind): Promise<void>
  readRows(from: number, count: number): Promise<RowView[]>
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

  function done(report: PackageReport): void {
    version++
    set({ state: 'done', report, version })
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
      set({
        state: 'reading',
        fileName: file.name,
        progress: { phase: 'reading', done: 0, total: file.size },
      })
      try {
        const report = await mine.open(
          file,
          kind,
          proxy((progress: ReadProgress) => {
            if (remote === mine) set({ state: 'reading', fileName: file.name, progress })
          }),
        )
        if (remote !== mine) return
        performance.measure('package-validate', { start: receivedAt, end: performance.now() })
        done(report)
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

    async setKind(kind) {
      done(await requireRemote().setKind(kind))
    },

    readRows(from, count) {
      return requireRemote().readRows(from, count)
    },
  }
}
