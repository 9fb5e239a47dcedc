import { mutationOptions, useMutation } from '@tanstack/react-query'
import { proxyUploadPath, type RegionId } from '../../../shared/access-points.ts'
import { appUploadPath, proxyErrorSchema, tpnsAnswerSchema } from '../../../shared/tpns-shapes.ts'

/** One file of the clean package, as the page hands it over (structurally a CleanFile). */
export interface UploadSource {
  name: string
  file: Blob
  rows: number
  bytes: number
  /** Hex SHA-256 of the file's bytes. */
  sha256: string
}

export interface UploadTarget {
  region: RegionId
  /** The Basic header to send; undefined when the server adds its own. */
  authorization: string | undefined
  /** One of the server's apps: its own route, with the key the server holds for it. */
  app?: { id: string; name: string }
}

export type UploadFailure =
  | { kind: 'tpns'; retCode: number; errMsg: string; status: number }
  | { kind: 'proxy'; code: string; message: string; status: number; upstreamStatus?: number }
  /** An answer that is neither TPNS's nor the proxy's JSON (an HTML error page, say). */
  | { kind: 'http'; status: number }
  /** A 2xx answer that does not carry an uploadId. */
  | { kind: 'bad-answer'; status: number }
  | { kind: 'network' }
  | { kind: 'offline' }

export type AttemptOutcome = { ok: true; uploadId: number } | { ok: false; failure: UploadFailure }

/** Reads one HTTP answer of the proxy route into success or a failure the page can explain. */
export function interpretAnswer(status: number, body: string): AttemptOutcome {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return { ok: false, failure: { kind: 'http', status } }
  }
  const answer = tpnsAnswerSchema.safeParse(json)
  if (answer.success) {
    const { retCode, errMsg, uploadId } = answer.data
    if (retCode !== 0) return { ok: false, failure: { kind: 'tpns', retCode, errMsg, status } }
    if (uploadId === undefined || status < 200 || status >= 300) {
      return { ok: false, failure: { kind: 'bad-answer', status } }
    }
    return { ok: true, uploadId }
  }
  const fault = proxyErrorSchema.safeParse(json)
  if (fault.success) {
    const { proxyError: code, message, upstreamStatus } = fault.data
    return { ok: false, failure: { kind: 'proxy', code, message, status, upstreamStatus } }
  }
  const kind = status >= 200 && status < 300 ? 'bad-answer' : 'http'
  return { ok: false, failure: { kind, status } }
}

const TRANSIENT_STATUS = new Set([502, 503, 504])

/**
 * Whether another try may go better. Never once TPNS answered a retCode: it saw the request
 * and said no, and a retry could upload twice. Nor when the upstream answered 2xx with a body
 * the proxy could not read: it may have taken the file. A redirect is configuration, not bad
 * luck.
 */
export function isRetryable(failure: UploadFailure): boolean {
  switch (failure.kind) {
    case 'network':
      return true
    case 'http':
      return TRANSIENT_STATUS.has(failure.status)
    case 'proxy': {
      const upstream = failure.upstreamStatus
      const mayHaveTaken = upstream !== undefined && upstream >= 200 && upstream < 300
      return TRANSIENT_STATUS.has(failure.status) && failure.code !== 'redirect' && !mayHaveTaken
    }
    case 'tpns':
    case 'bad-answer':
    case 'offline':
      return false
  }
}

/** Waits before each retry: 1 s, 2 s, 4 s, so at most four tries in all. */
export const RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000]

export interface RetryNotice {
  failure: UploadFailure
  delayMs: number
  /** 1-based number of the try about to start. */
  nextTry: number
  tries: number
}

export interface RetryOptions {
  delays: readonly number[]
  signal: AbortSignal
  onRetry?: (notice: RetryNotice) => void
  wait?: (ms: number, signal: AbortSignal) => Promise<void>
}

/** Runs `attempt` until it succeeds, fails for good, or the delays run out. */
export async function withRetry(
  attempt: (index: number) => Promise<AttemptOutcome>,
  { delays, signal, onRetry, wait = abortableWait }: RetryOptions,
): Promise<AttemptOutcome> {
  for (let index = 0; ; index++) {
    const outcome = await attempt(index)
    if (outcome.ok || index >= delays.length || !isRetryable(outcome.failure)) return outcome
    onRetry?.({
      failure: outcome.failure,
      delayMs: delays[index],
      nextTry: index + 2,
      tries: delays.length + 1,
    })
    await wait(delays[index], signal)
  }
}

export function abortableWait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError())
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop)
      resolve()
    }, ms)
    const stop = () => {
      clearTimeout(timer)
      reject(abortError())
    }
    signal.addEventListener('abort', stop, { once: true })
  })
}

export function abortError(): DOMException {
  return new DOMException('The upload was cancelled.', 'AbortError')
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError'
}

export interface SendProgress {
  loaded: number
  total: number
}

/**
 * One POST of one file to the proxy route. XMLHttpRequest rather than fetch: only it
 * reports upload progress. Resolves with the outcome; rejects only when cancelled.
 */
export function sendPackage(
  source: UploadSource,
  target: UploadTarget,
  { signal, onProgress }: { signal: AbortSignal; onProgress?: (progress: SendProgress) => void },
): Promise<AttemptOutcome> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError())
    // TPNS is out on the internet: offline, the proxy cannot reach it, so say so at once. The
    // sandbox may be on this very machine, where loopback works offline, so it is just tried.
    const needsNetwork = target.region !== 'sandbox'
    if (needsNetwork && !navigator.onLine) {
      return resolve({ ok: false, failure: { kind: 'offline' } })
    }
    const xhr = new XMLHttpRequest()
    const form = new FormData()
    form.append('file', source.file, source.name)

    const cleanUp = () => {
      signal.removeEventListener('abort', cancel)
      window.removeEventListener('offline', wentOffline)
    }
    const cancel = () => {
      cleanUp()
      xhr.abort()
      reject(abortError())
    }
    // Chromium can take a long while to fail a request once the network is gone: say so now.
    const wentOffline = () => {
      cleanUp()
      xhr.abort()
      resolve({ ok: false, failure: { kind: 'offline' } })
    }

    xhr.open('POST', target.app ? appUploadPath(target.app.id) : proxyUploadPath(target.region))
    xhr.responseType = 'text'
    xhr.setRequestHeader('Accept', 'application/json')
    if (target.authorization !== undefined) {
      xhr.setRequestHeader('Authorization', target.authorization)
    }
    xhr.upload.onprogress = (event) => {
      onProgress?.({
        loaded: event.loaded,
        total: event.lengthComputable ? event.total : source.bytes,
      })
    }
    xhr.onload = () => {
      cleanUp()
      resolve(interpretAnswer(xhr.status, xhr.responseText))
    }
    xhr.onerror = () => {
      cleanUp()
      resolve({ ok: false, failure: { kind: navigator.onLine ? 'network' : 'offline' } })
    }
    signal.addEventListener('abort', cancel, { once: true })
    if (needsNetwork) window.addEventListener('offline', wentOffline)
    xhr.send(form)
  })
}

export interface UploadPackageVariables {
  source: UploadSource
  target: UploadTarget
  signal: AbortSignal
  onProgress?: (progress: SendProgress) => void
  /** Called before each retry; progress starts again from zero after it. */
  onRetry?: (notice: RetryNotice) => void
}

/** Uploads one file with retries; the outcome says success or why not. */
export function uploadPackage(variables: UploadPackageVariables): Promise<AttemptOutcome> {
  const { source, target, signal, onProgress, onRetry } = variables
  return withRetry(() => sendPackage(source, target, { signal, onProgress }), {
    delays: RETRY_DELAYS_MS,
    signal,
    onRetry,
  })
}

export const uploadPackageMutationOptions = () =>
  mutationOptions({
    mutationKey: ['upload-package'],
    mutationFn: uploadPackage,
    // Retries are the upload's own (they know which failures are worth another try).
    retry: false,
    // Not paused while the browser is offline: the upload says so itself, and the sandbox
    // may be on this machine, reachable offline.
    networkMode: 'always',
  })

export function useUploadPackage() {
  return useMutation(uploadPackageMutationOptions())
}
