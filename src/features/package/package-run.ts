import { proxy, transfer, wrap, type Remote } from 'comlink'
import type { ReadChoices } from '../../core/validate-package.ts'
import type { PackageKind } from '../../core/problem-codes.ts'
import type { RunEvent } from './package-status.ts'
import type {
  PackageSnapshot,
  PackageWorkerApi,
  SharedRead,
  SharedReadRequest,
} from './package-worker-api.ts'

/** A package worker and, where memory can be shared, a reader worker beside it. */
export interface Workers {
  worker: Worker
  reader: Worker | null
  /** Set when either failed to load before it was given a file. */
  broken: boolean
}

/** Where a run tells the page what happened: cut off for good when the run is disposed. */
export interface RunSink {
  report(event: RunEvent): void
  /** A User Timing measure from `start` to now (`package-validate`, `package-fix`...). */
  measure(name: string, start: number): void
}

/** One file, from the drop until the next file or a cancel: its workers, channel and package. */
export interface PackageRun {
  /** Settles when the read is over: checked, failed or disposed. */
  readonly read: Promise<void>
  /**
   * A step that changes the package (fix, undo, view): busy, then the new snapshot. One asked
   * for while the file is still read (a kind chosen meanwhile) is taken once it is checked.
   */
  step(
    name: string,
    work: (api: Remote<PackageWorkerApi>) => Promise<PackageSnapshot>,
  ): Promise<void>
  /** A question about the package that changes nothing (rows, the clean files). */
  ask<T>(question: (api: Remote<PackageWorkerApi>) => Promise<T>): Promise<T>
  /** Stops the workers; nothing this run does afterwards reaches the page. */
  dispose(): void
}

/**
 * Whether a reader worker can fill shared memory while the package worker checks it. Both
 * features are asked for, not one for the other: WebKitGTK is cross-origin isolated and yet
 * has no SharedArrayBuffer.
 */
export function canShareMemory(): boolean {
  return globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function'
}

/**
 * Starts a run: gives the file to the workers and reports its progress and outcome to `sink`.
 * The run owns its workers; once it is disposed (another file, a cancel) it holds no sink, so
 * a late answer from its workers has nowhere to go.
 */
export function startRun(
  file: File,
  kind: PackageKind,
  workers: Workers,
  sink: RunSink,
  choices?: ReadChoices,
): PackageRun {
  let live: RunSink | null = sink
  let reader = workers.reader
  const api = wrap<PackageWorkerApi>(workers.worker)
  // A terminated worker never answers: disposing settles the read instead.
  let settle = () => {}
  const disposed = new Promise<void>((resolve) => (settle = resolve))

  const stopReader = () => {
    reader?.terminate()
    reader = null
  }
  const dispose = () => {
    live = null
    workers.worker.terminate()
    stopReader()
    settle()
  }
  const ended = () => new Error('No package is open.')
  /** Rejects once the run is disposed: what a step still waiting on its worker gets then. */
  const stepsEnd = disposed.then(() => Promise.reject(ended()))
  // Most runs end with no step waiting: that rejection is nobody's to handle then.
  stepsEnd.catch(() => {})

  // A worker that fails to load or dies answers nothing, and Comlink would wait forever.
  const crash = (event: ErrorEvent) => {
    event.preventDefault()
    live?.report({ type: 'failed', message: event.message || 'The checking worker stopped.' })
    dispose()
  }
  workers.worker.addEventListener('error', crash)
  reader?.addEventListener('error', crash)

  const received = performance.now()
  /** The file is checked: the worker has a package that steps can change. */
  let checked = false
  sink.report({ type: 'opened', fileName: file.name, size: file.size })
  const shared = startSharedRead(file, reader)
  const opened = api
    .open(
      file,
      kind,
      proxy((progress) => live?.report({ type: 'progress', progress })),
      // The port moves to the package worker; the shared memory is shared, not moved.
      shared ? transfer(shared, [shared.port]) : null,
      choices,
    )
    .then(
      (snapshot) => {
        checked = true
        stopReader()
        live?.measure('package-validate', received)
        live?.report({ type: 'checked', snapshot })
      },
      (error: unknown) => {
        live?.report({
          type: 'failed',
          message: messageOf(error),
        })
        dispose()
      },
    )

  return {
    read: Promise.race([opened, disposed]),
    async step(name, work) {
      // The worker has no package before its read ends, and would refuse the step.
      if (!checked) await Promise.race([opened, stepsEnd])
      if (live === null) throw ended()
      const started = performance.now()
      live.report({ type: 'busy' })
      // A terminated worker never answers: a step of a disposed run ends with it.
      let snapshot: PackageSnapshot
      try {
        snapshot = await Promise.race([work(api), stepsEnd])
      } catch (error) {
        // Not busy for good: the worker kept the package as it was before the step.
        live?.report({ type: 'step-failed', message: messageOf(error) })
        throw error
      }
      live?.measure(name, started)
      live?.report({ type: 'checked', snapshot })
    },
    ask(question) {
      return live === null ? Promise.reject(ended()) : question(api)
    },
    dispose,
  }
}

/**
 * Has the reader worker read the file into shared memory, so the package worker checks rows
 * on the other core meanwhile: 100 MB measured ~0.5 s instead of ~0.9 s read then checked.
 * Without a reader, or for a file too large to allocate, the package worker reads it itself.
 */
function startSharedRead(file: File, reader: Worker | null): SharedRead | null {
  if (reader === null) return null
  let bytes: SharedArrayBuffer
  try {
    bytes = new SharedArrayBuffer(file.size)
  } catch {
    return null
  }
  const channel = new MessageChannel()
  const request: SharedReadRequest = { file, bytes, port: channel.port1 }
  reader.postMessage(request, [channel.port1])
  return { bytes, port: channel.port2 }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
