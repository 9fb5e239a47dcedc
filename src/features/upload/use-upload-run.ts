import { useEffect, useReducer, useRef } from 'react'
import type { RegionId } from '../../shared/access-points.ts'
import { isAbortError, useUploadPackage, type UploadSource } from './api/upload-package.ts'
import { createRateMeter } from './transfer-rate.ts'
import {
  IDLE,
  nextRunState,
  type EarlierUpload,
  type PartResult,
  type Repeat,
  type RunState,
  type RunTarget,
} from './upload-run-state.ts'

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
  /** The files the package was made of and the lists left out of it, with their rows. */
  sources: PackageList[]
  exclusions: PackageList[]
  /** The server's app it went to, where it went to one. */
  app?: { id: string; name: string }
}

export interface PackageList {
  name: string
  rows: number
}

type Resume = Extract<RunState, { phase: 'failed' | 'cancelled' }>

interface RunOptions {
  version: number
  zip: boolean
  kind: 'token' | 'account'
  fixes: readonly string[]
  lists: { sources: readonly PackageList[]; exclusions: readonly PackageList[] }
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
  const [state, dispatch] = useReducer(nextRunState, IDLE)
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

  /** Sends the parts from `from` on; the reducer moves from part to part as each is in. */
  const send = async (
    files: UploadSource[],
    from: number,
    target: RunTarget,
    results: PartResult[],
  ) => {
    const abort = new AbortController()
    controller.current = abort
    dispatch({ type: 'part-start', version, files, index: from, target, results })
    for (let index = from; index < files.length; index++) {
      const source = files[index]
      let meter = createRateMeter()
      let outcome
      try {
        outcome = await upload.mutateAsync({
          source,
          target,
          signal: abort.signal,
          onProgress: ({ loaded, total }) => {
            const rate = meter.sample(loaded, total, performance.now())
            dispatch({ type: 'part-progress', index, progress: { loaded, total, ...rate } })
          },
          onRetry: (notice) => {
            meter = createRateMeter()
            dispatch({ type: 'part-retry', index, notice })
          },
        })
      } catch (error) {
        if (isAbortError(error)) dispatch({ type: 'part-cancelled', index })
        else {
          const message = error instanceof Error ? error.message : String(error)
          dispatch({ type: 'part-failed', index, failure: { kind: 'unexpected', message } })
        }
        return
      }
      if (!outcome.ok) {
        dispatch({ type: 'part-failed', index, failure: outcome.failure })
        return
      }
      const { kind, fixes, lists, onUploaded } = latest.current
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
          sources: lists.sources.map(({ name, rows }) => ({ name, rows })),
          exclusions: lists.exclusions.map(({ name, rows }) => ({ name, rows })),
          ...(target.app ? { app: { id: target.app.id, name: target.app.name } } : {}),
        })
      } catch {
        // The history says itself when it cannot keep an entry; the upload did succeed.
      }
      dispatch({ type: 'part-uploaded', index, uploadId: outcome.uploadId })
    }
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
    dispatch({ type: 'prepare' })
    const prepare = async () => {
      let files: UploadSource[]
      try {
        files = await filesFor()
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        dispatch({ type: 'prepare-failed', version, target, message })
        return
      }
      const resumes =
        resume !== undefined &&
        resume.files === files &&
        resume.target.region === target.region &&
        resume.target.accessId === target.accessId &&
        resume.target.app?.id === target.app?.id
      const from = resumes ? resume.index : 0
      const results = resumes ? resume.results : []
      const repeats = findRepeats(files.slice(from), latest.current.earlierUploads, target)
      if (repeats.length > 0) {
        dispatch({ type: 'ask', files, from, target, repeats, results })
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

  const dismiss = () => dispatch({ type: 'dismiss' })

  const cancel = () => controller.current?.abort()

  // A finished run belongs to the package version it uploaded; a changed package starts afresh.
  const shown: RunState =
    state.phase !== 'uploading' && 'version' in state && state.version !== version ? IDLE : state

  return { state: shown, start, confirm, dismiss, cancel }
}
