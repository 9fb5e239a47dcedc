import type { RegionId } from '../../shared/access-points.ts'
import type {
  RetryNotice,
  UploadFailure,
  UploadSource,
  UploadTarget,
} from './api/upload-package.ts'
import type { TransferRate } from './transfer-rate.ts'

/** An earlier upload, as the history knows it: enough to say "this went already". */
export interface EarlierUpload {
  uploadId: number
  region: RegionId
  accessId: string
  sha256: string
  uploadedAt: string
}

export interface RunTarget extends UploadTarget {
  /** The AccessID the upload goes under (the server's, in server-credentials mode). */
  accessId: string
}

export interface PartResult {
  name: string
  uploadId: number
}

export interface Repeat {
  file: UploadSource
  earlier: EarlierUpload
}

export interface ProgressView extends TransferRate {
  loaded: number
  total: number
}

/**
 * Why a run stopped short: what TPNS or the proxy said (UploadFailure); the clean files could
 * not be made (`prepare`); or the upload itself threw something unforeseen (`unexpected`).
 */
export type RunFailure =
  UploadFailure | { kind: 'prepare'; message: string } | { kind: 'unexpected'; message: string }

export type RunState =
  | { phase: 'idle' }
  | { phase: 'preparing' }
  | {
      phase: 'confirming'
      files: UploadSource[]
      from: number
      target: RunTarget
      repeats: Repeat[]
      results: PartResult[]
    }
  | {
      phase: 'uploading'
      version: number
      files: UploadSource[]
      index: number
      target: RunTarget
      progress: ProgressView
      retry: RetryNotice | null
      results: PartResult[]
    }
  | { phase: 'succeeded'; version: number; target: RunTarget; results: PartResult[] }
  | {
      phase: 'failed' | 'cancelled'
      version: number
      files: UploadSource[]
      /** The part that failed or was cancelled: trying again starts there. */
      index: number
      target: RunTarget
      failure: RunFailure | null
      results: PartResult[]
    }

export type RunEvent =
  | { type: 'prepare' }
  | { type: 'prepare-failed'; version: number; target: RunTarget; message: string }
  /** Some parts went before: ask first. */
  | {
      type: 'ask'
      files: UploadSource[]
      from: number
      target: RunTarget
      repeats: Repeat[]
      results: PartResult[]
    }
  | { type: 'dismiss' }
  /** The first part to send; each part uploaded moves on to the next, then to succeeded. */
  | {
      type: 'part-start'
      version: number
      files: UploadSource[]
      index: number
      target: RunTarget
      results: PartResult[]
    }
  | { type: 'part-progress'; index: number; progress: ProgressView }
  | { type: 'part-retry'; index: number; notice: RetryNotice }
  | { type: 'part-uploaded'; index: number; uploadId: number }
  | { type: 'part-failed'; index: number; failure: RunFailure }
  | { type: 'part-cancelled'; index: number }

export const IDLE: RunState = { phase: 'idle' }

function freshProgress(file: UploadSource): ProgressView {
  return { loaded: 0, total: file.bytes, bytesPerSecond: null, secondsLeft: null }
}

/**
 * The upload run's states as a pure function of what happened: prepare, ask, part k of n
 * (progress, retry), then succeeded, failed or cancelled. An event about a part other than the
 * one uploading (a late progress from an earlier try, say) changes nothing.
 */
export function nextRunState(state: RunState, event: RunEvent): RunState {
  switch (event.type) {
    case 'prepare':
      return state.phase === 'uploading' || state.phase === 'preparing'
        ? state
        : { phase: 'preparing' }
    case 'prepare-failed':
      if (state.phase !== 'preparing') return state
      return {
        phase: 'failed',
        version: event.version,
        files: [],
        index: 0,
        target: event.target,
        failure: { kind: 'prepare', message: event.message },
        results: [],
      }
    case 'ask': {
      if (state.phase !== 'preparing') return state
      const { files, from, target, repeats, results } = event
      return { phase: 'confirming', files, from, target, repeats, results }
    }
    case 'dismiss':
      return state.phase === 'confirming' ? IDLE : state
    case 'part-start': {
      const { version, files, index, target, results } = event
      return {
        phase: 'uploading',
        version,
        files,
        index,
        target,
        progress: freshProgress(files[index]),
        retry: null,
        results,
      }
    }
  }
  if (state.phase !== 'uploading' || ('index' in event && event.index !== state.index)) return state
  const { version, files, index, target, results } = state
  switch (event.type) {
    case 'part-progress':
      return { ...state, progress: event.progress }
    case 'part-retry':
      return { ...state, retry: event.notice, progress: freshProgress(files[index]) }
    case 'part-uploaded': {
      const done = [...results, { name: files[index].name, uploadId: event.uploadId }]
      if (index + 1 >= files.length) return { phase: 'succeeded', version, target, results: done }
      const next = index + 1
      return {
        ...state,
        index: next,
        progress: freshProgress(files[next]),
        retry: null,
        results: done,
      }
    }
    case 'part-failed':
      return { phase: 'failed', version, files, index, target, failure: event.failure, results }
    case 'part-cancelled':
      return { phase: 'cancelled', version, files, index, target, failure: null, results }
  }
}
