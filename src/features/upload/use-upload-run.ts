import { useEffect, useRef, useState } from 'react'
import type { RegionId } from '../../shared/access-points.ts'
import {
  isAbortError,
  useUploadPackage,
  type RetryNotice,
  type UploadFailure,
  type UploadSource,
  type UploadTarget,
} from './api/upload-package.ts'
import { createRateMeter, type TransferRate } from './transfer-rate.ts'

/** An earlier upload, as the history knows it: enough to say "this went already". */
export interface EarlierUpload {
  uploadId: number
  region: RegionId
  accessId: string
  sha256: string
  uploadedAt: string
}

/** What the page records of each uploaded part (the history's new entry). */
export interface UploadRecord {
  uploadId: number
  region: RegionId
  accessId: string
  fileName: string
  rows: number
  bytes: number
  sha256: string
  uploadedAt: string
  fixes: string[]
  kind: 'token' | 'account'
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
      failure: UploadFailure | { kind: 'prepare'; message: string } | null
      results: PartResult[]
    }

type Resume = Extract<RunState, { phase: 'failed' | 'cancelled' }>

interface RunOptions {
  version: number
  zip: boolean
  kind: 'token' | 'account'
  fixes: readonly string[]
  loadFiles: (options: { zip: boolean }) => Promise<UploadSource[]>
  earlierUploads: readonly EarlierUpload[]
  onUploaded: (record: UploadRecord) => unknown
}

/** The most recent earlier upload of each file's bytes to the same access point and AccessID. */
export function findRepeats(
  files: readonly UploadSource[],
  earlier: readonly EarlierUpload[],
  target: { region: RegionId; accessId: string },
): Repeat[] {
  const repeats: Repeat[] = []
  for (const file of files) {
    let latest: EarlierUpload | null = null
    for (const entry of earlier) {
      if (entry.sha256 !== file.sha256 || entry.region !== target.region) continue
      if (entry.accessId !== target.accessId) continue
      if (latest === null || entry.uploadedAt > latest.uploadedAt) latest = entry
    }
    if (latest !== null) repeats.push({ file, earlier: latest })
  }
  return repeats
}

/**
 * The upload of a clean package, part after part: preparing the files, asking before a
 * repeat, progress and retries, cancel, and resuming at the part that failed.
 */
export function useUploadRun(options: RunOptions) {
  const { version, zip } = options
  const upload = useUploadPackage()
  const [state, setState] = useState<RunState>({ phase: 'idle' })
  // The clean files of one package version, kept so that trying again sends the same bytes.
  const kept = useRef<{ version: number; zip: boolean; files: Promise<UploadSource[]> } | null>(
    null,
  )
  const controller = useRef<AbortController | null>(null)
  // A ref, not state: two clicks in one frame both see the state before either re-render.
  const busy = useRef(false)
  const latest = useRef(options)
  useEffect(() => {
    latest.current = options
  })

  // The panel going away (another file dropped) takes its upload with it.
  useEffect(() => () => controller.current?.abort(), [])

  const filesFor = (): Promise<UploadSource[]> => {
    const current = kept.current
    if (current && current.version === version && current.zip === zip) return current.files
    const files = latest.current.loadFiles({ zip })
    const entry = { version, zip, files }
    kept.current = entry
    files.catch(() => {
      if (kept.current === entry) kept.current = null
    })
    return files
  }

  const send = async (
    files: UploadSource[],
    from: number,
    target: RunTarget,
    earlierResults: PartResult[],
  ) => {
    const abort = new AbortController()
    controller.current = abort
    let results = earlierResults
    for (let index = from; index < files.length; index++) {
      const source = files[index]
      let meter = createRateMeter()
      const fresh: ProgressView = {
        loaded: 0,
        total: source.bytes,
        bytesPerSecond: null,
        secondsLeft: null,
      }
      setState({ phase: 'uploading', files, index, target, progress: fresh, retry: null, results })
      let outcome
      try {
        outcome = await upload.mutateAsync({
          source,
          target,
          signal: abort.signal,
          onProgress: ({ loaded, total }) => {
            const rate = meter.sample(loaded, total, performance.now())
            setState((state) =>
              state.phase === 'uploading' && state.index === index
                ? { ...state, progress: { loaded, total, ...rate } }
                : state,
            )
          },
          onRetry: (notice) => {
            meter = createRateMeter()
            setState((state) =>
              state.phase === 'uploading' && state.index === index
                ? { ...state, retry: notice, progress: fresh }
                : state,
            )
          },
        })
      } catch (error) {
        const cancelled = isAbortError(error)
        const failure = cancelled ? null : { kind: 'prepare' as const, message: String(error) }
        setState({
          phase: cancelled ? 'cancelled' : 'failed',
          version,
          files,
          index,
          target,
          failure,
          results,
        })
        return
      }
      if (!outcome.ok) {
        setState({
          phase: 'failed',
          version,
          files,
          index,
          target,
          failure: outcome.failure,
          results,
        })
        return
      }
      results = [...results, { name: source.name, uploadId: outcome.uploadId }]
      const { kind, fixes, onUploaded } = latest.current
      try {
        await onUploaded({
          uploadId: outcome.uploadId,
          region: target.region,
          accessId: target.accessId,
          fileName: source.name,
          rows: source.rows,
          bytes: source.bytes,
          sha256: source.sha256,
          uploadedAt: new Date().toISOString(),
          fixes: [...fixes],
          kind,
        })
      } catch {
        // The history says itself when it cannot keep an entry; the upload did succeed.
      }
    }
    setState({ phase: 'succeeded', version, target, results })
  }

  const finish = <T>(work: Promise<T>) =>
    work.finally(() => {
      busy.current = false
      controller.current = null
    })

  /**
   * Starts an upload, asking first when a part went before. With `resume` (a failed or
   * cancelled run), parts already uploaded are not sent again, if the files are the same.
   */
  const start = (target: RunTarget, resume?: Resume) => {
    if (busy.current) return
    busy.current = true
    setState({ phase: 'preparing' })
    const prepare = async () => {
      let files: UploadSource[]
      try {
        files = await filesFor()
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        setState({
          phase: 'failed',
          version,
          files: [],
          index: 0,
          target,
          failure: { kind: 'prepare', message },
          results: [],
        })
        return
      }
      const resumes =
        resume !== undefined &&
        resume.files === files &&
        resume.target.region === target.region &&
        resume.target.accessId === target.accessId
      const from = resumes ? resume.index : 0
      const results = resumes ? resume.results : []
      const repeats = findRepeats(files.slice(from), latest.current.earlierUploads, target)
      if (repeats.length > 0) {
        setState({ phase: 'confirming', files, from, target, repeats, results })
        return
      }
      await send(files, from, target, results)
    }
    void finish(prepare())
  }

  const confirm = () => {
    if (state.phase !== 'confirming' || busy.current) return
    busy.current = true
    void finish(send(state.files, state.from, state.target, state.results))
  }

  const dismiss = () => {
    if (state.phase === 'confirming') setState({ phase: 'idle' })
  }

  const cancel = () => controller.current?.abort()

  // A finished run belongs to the package version it uploaded; a changed package starts afresh.
  const shown: RunState =
    'version' in state && state.version !== version ? { phase: 'idle' } : state

  return { state: shown, start, confirm, dismiss, cancel }
}
