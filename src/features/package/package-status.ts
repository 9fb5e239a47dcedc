import type { PackageSnapshot, ReadProgress } from './package-worker-api.ts'

export type PackageStatus =
  | { state: 'idle' }
  | { state: 'reading'; fileName: string; progress: ReadProgress }
  | {
      state: 'done'
      snapshot: PackageSnapshot
      version: number
      busy: boolean
      /** Why the last step failed (a list that could not be read): the package is as before it. */
      stepError: string | null
    }
  | { state: 'failed'; fileName: string; message: string }
  | { state: 'cancelled'; fileName: string }

/** What a run (one file) reports about itself, in the order the page hears it. */
export type RunEvent =
  | { type: 'opened'; fileName: string; size: number }
  | { type: 'progress'; progress: ReadProgress }
  /** The package as it is after the read or a step. */
  | { type: 'checked'; snapshot: PackageSnapshot }
  /** A step (fix, undo, view...) started. */
  | { type: 'busy' }
  /** A step failed in the worker: the package stays as it was. */
  | { type: 'step-failed'; message: string }
  | { type: 'failed'; message: string }
  | { type: 'cancelled' }

export interface ClientState {
  status: PackageStatus
  /** Packages shown so far: each shown package gets the next number, across files. */
  shown: number
}

export const INITIAL_STATE: ClientState = { status: { state: 'idle' }, shown: 0 }

/**
 * The page's package status as a pure function of what the current run reported.
 *
 * Progress travels on its own message port (Comlink's proxied callback) and the result on
 * the worker's: the two are not ordered, and Firefox often delivers the last progress after
 * the result. A progress once the read is over is therefore ignored, not shown: before this,
 * it put a finished package back to "Reading… 100%" for good.
 */
export function nextState(state: ClientState, event: RunEvent): ClientState {
  const { status } = state
  switch (event.type) {
    case 'opened':
      return {
        ...state,
        status: {
          state: 'reading',
          fileName: event.fileName,
          progress: { phase: 'reading', done: 0, total: event.size },
        },
      }
    case 'progress':
      if (status.state !== 'reading') return state
      return { ...state, status: { ...status, progress: event.progress } }
    case 'checked': {
      if (status.state !== 'reading' && status.state !== 'done') return state
      const shown = state.shown + 1
      return {
        shown,
        status: {
          state: 'done',
          snapshot: event.snapshot,
          version: shown,
          busy: false,
          stepError: null,
        },
      }
    }
    case 'busy':
      if (status.state !== 'done' || status.busy) return state
      return { ...state, status: { ...status, busy: true, stepError: null } }
    case 'step-failed':
      if (status.state !== 'done') return state
      return { ...state, status: { ...status, busy: false, stepError: event.message } }
    case 'failed': {
      const fileName = fileNameOf(status)
      if (fileName === null || status.state === 'failed' || status.state === 'cancelled')
        return state
      return { ...state, status: { state: 'failed', fileName, message: event.message } }
    }
    case 'cancelled':
      if (status.state !== 'reading') return state
      return { ...state, status: { state: 'cancelled', fileName: status.fileName } }
  }
}

function fileNameOf(status: PackageStatus): string | null {
  switch (status.state) {
    case 'idle':
      return null
    case 'done':
      return status.snapshot.report.fileName
    default:
      return status.fileName
  }
}
