import busboy from 'busboy'
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { MAX_PACKAGE_BYTES } from '../src/core/problem-codes.ts'
import { UPLOAD_PATH } from '../src/shared/access-points.ts'
import type { TpnsAnswer } from '../src/shared/tpns-shapes.ts'
import { sendJson } from './answer-shapes.ts'
import { basicAuthAccessId } from './basic-auth.ts'
import type { PackageCheck } from './check-package.ts'
import {
  assertWorkerEntry,
  createCheckRunner,
  defaultWorkerEntry,
  type CheckRunner,
  type CheckRunnerOptions,
} from './check-runner.ts'
import { logValue } from './log-value.ts'
import { MAX_UPLOAD_BODY_BYTES, type ServerLog } from './proxy-upload.ts'
import { readSandboxEnv } from './sandbox-env.ts'
import {
  errorCode,
  openSandboxStore,
  SandboxFull,
  type IncomingFile,
  type SandboxFs,
  type SandboxStore,
} from './sandbox-store.ts'
import { setSecurityHeaders } from './security-headers.ts'
import type { EnvSource } from './server-env.ts'

// TPNS's documented codes and messages. TPNS documents its errors only as retCodes, and the
// SDKs read retCode whatever the status: refusals of the package are HTTP 200, as TPNS's are;
// the sandbox's own faults say so in the status too (500, or 507 when its disk is full).
const ANSWERS = {
  parseError: { retCode: 1008001, errMsg: 'parameter parse error' },
  missingFile: { retCode: 1008002, errMsg: 'missing parameter' },
  authFailure: { retCode: 1008003, errMsg: 'auth failure' },
  serviceError: { retCode: 1008004, errMsg: 'invoke service error' },
  invalidName: { retCode: 1008007, errMsg: 'invalid parameter' },
  badFile: { retCode: 1008011, errMsg: 'upload file error' },
  emptyFile: { retCode: 1008012, errMsg: 'upload empty file' },
} as const satisfies Record<string, TpnsAnswer>

/** Node's own default: a request body not through after 5 minutes is answered 408 and cut. */
const DEFAULT_REQUEST_TIMEOUT_MS = 300_000

export interface SandboxOptions {
  /** Where the packages, their records and the uploadId counter live. */
  dir: string
  log: ServerLog
  /** Where TPNS_SANDBOX_MAX_BYTES is read from; process.env unless given. */
  env?: EnvSource
  /** The disk budget as the server read it; else read from `env`. */
  maxBytes?: number
  /** How packages are checked: how many at once, for how long at most, and by which worker. */
  checks?: CheckRunnerOptions
  /** How long a request may take to arrive whole before it is answered 408 and cut. */
  requestTimeoutMs?: number
  /** The file system, for tests that inject the faults of a full disk or of too many files. */
  fs?: SandboxFs
}

export interface Sandbox {
  /** Base URL of the loopback listener; the proxy forwards region `sandbox` here. */
  url: URL
  /** Stops listening, cuts open requests and waits until each has cleaned up after itself. */
  close(): Promise<void>
}

interface Context {
  store: SandboxStore
  checks: CheckRunner
  log: ServerLog
}

/** The client went away before its answer: nobody to answer, only cleaning up to do. */
class ClientGone extends Error {}

/**
 * Starts the local stand-in for TPNS's upload endpoint on a loopback port of its own, so the
 * proxy reaches it over HTTP exactly as it reaches Tencent: one code path for every region.
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const maxBytes = options.maxBytes ?? readSandboxEnv(options.env ?? process.env).maxBytes
  const workerEntry = options.checks?.workerEntry ?? defaultWorkerEntry()
  await assertWorkerEntry(workerEntry)
  const { log } = options
  const store = await openSandboxStore(options.dir, { maxBytes, fs: options.fs, log })
  const context: Context = { store, log, checks: createCheckRunner(options.checks) }

  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
  const inFlight = new Set<Promise<void>>()
  const server = createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(60_000, requestTimeout),
      // How often Node looks for requests past their time; its default is every 30 s.
      connectionsCheckingInterval: Math.min(30_000, requestTimeout),
    },
    (req, res) => {
      setSecurityHeaders(res)
      const handled = handleSandboxRequest(req, res, context)
        .catch((error: unknown) => answerFault(req, res, error, log))
        .finally(() => inFlight.delete(handled))
      inFlight.add(handled)
    },
  )
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  if (address === null || typeof address === 'string')
    throw new Error('sandbox did not bind a port')
  return {
    url: new URL(`http://127.0.0.1:${address.port}`),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await Promise.allSettled([...inFlight])
      await closed
    },
  }
}

function answerFault(req: IncomingMessage, res: ServerResponse, error: unknown, log: ServerLog) {
  if (error instanceof ClientGone) return
  // Only the error's code: messages carry paths and, for a damaged counter, its content.
  log.warn(`tpns sandbox: could not take an upload (${errorCode(error)})`)
  if (res.headersSent || res.destroyed) return
  const diskFull = error instanceof SandboxFull || ['ENOSPC', 'EDQUOT'].includes(errorCode(error))
  const unread: Record<string, string> = req.complete ? {} : { Connection: 'close' }
  sendJson(res, diskFull ? 507 : 500, ANSWERS.serviceError, unread)
}

async function handleSandboxRequest(
  req: IncomingMessage,
  res: ServerResponse,
  context: Context,
): Promise<void> {
  if (req.method !== 'POST' || req.url !== UPLOAD_PATH) {
    res.writeHead(404).end()
    return
  }
  // However the exchange ends early (the client aborts, the proxy cuts it at 413 or on its
  // timeout, Node answers 408), the work done for it stops, and what it left is cleaned up.
  const gone = new AbortController()
  res.once('close', () => {
    if (!res.writableFinished) gone.abort(new ClientGone())
  })

  const accessId = basicAuthAccessId(req.headers.authorization)
  if (accessId === null) {
    // Read the body anyway: answering mid-upload and closing can reset the connection before
    // the proxy has read the answer.
    req.resume()
    await finished(req).catch(() => undefined)
    if (!gone.signal.aborted) sendJson(res, 200, ANSWERS.authFailure)
    return
  }

  const file = context.store.receive()
  let answer: TpnsAnswer | 'too-large'
  try {
    const received = await receiveFile(req, file, gone.signal)
    answer = await judge(received, file, accessId, context, gone.signal)
  } finally {
    // Before answering: once the client has its answer, incoming/ holds nothing of it.
    await file.discard()
  }
  if (answer === 'too-large') {
    // The rest of the body is not read: the connection closes after the answer.
    sendJson(res, 413, ANSWERS.badFile, { Connection: 'close' })
    return
  }
  if (answer.retCode === 0) {
    context.log.info(
      `tpns sandbox: kept uploadId ${answer.uploadId} for AccessID ${logValue(accessId)}`,
    )
  }
  sendJson(res, 200, answer)
}

type Received =
  | { kind: 'file'; fileName: string; sha256: string; truncated: boolean }
  | { kind: 'no-file' }
  | { kind: 'unparseable' }
  | { kind: 'too-large' }

async function judge(
  received: Received,
  file: IncomingFile,
  accessId: string,
  { checks, store }: Context,
  signal: AbortSignal,
): Promise<TpnsAnswer | 'too-large'> {
  if (received.kind === 'too-large') return 'too-large'
  if (received.kind === 'unparseable') return ANSWERS.parseError
  if (received.kind === 'no-file') return ANSWERS.missingFile
  if (received.truncated) return ANSWERS.badFile
  const check = await checks.check(file.path, received.fileName, signal)
  const refusal = refusalOf(check)
  if (refusal !== null) return refusal
  const { fileName, sha256 } = received
  const record = await store.keep(file, { fileName, sha256, accessId })
  return { retCode: 0, errMsg: 'NO_ERROR', uploadId: record.uploadId }
}

function refusalOf(check: PackageCheck): TpnsAnswer | null {
  if (check.verdict === 'ready') return null
  if (check.codes.includes('name-length') || check.codes.includes('extension')) {
    return ANSWERS.invalidName
  }
  return check.codes.includes('empty') ? ANSWERS.emptyFile : ANSWERS.badFile
}

/** The file part on disk, or the write that failed (a full disk, too many open files). */
type Saved = { fileName: string; sha256: string; truncated: boolean } | { fault: Error }

/**
 * Streams the first part named `file` into `file`, hashing as it goes; other parts are
 * skipped. Settles only once that part's writer has stopped, on every path out: the caller
 * then closes and removes the file, and nothing is left writing to it.
 */
function receiveFile(
  req: IncomingMessage,
  file: IncomingFile,
  signal: AbortSignal,
): Promise<Received> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy
    try {
      parser = busboy({
        headers: req.headers,
        // Browsers send UTF-8 file names raw in filename="..."; busboy's default is latin1.
        defParamCharset: 'utf8',
        limits: { fileSize: MAX_PACKAGE_BYTES, files: 8, fields: 32, parts: 64 },
      })
    } catch {
      // Not multipart at all: read it out, then say the parameters could not be parsed.
      req.resume()
      finished(req).then(
        () => resolve({ kind: 'unparseable' }),
        () => reject(signal.reason ?? new ClientGone()),
      )
      return
    }
    let saving: Promise<Saved> | null = null
    let settled = false
    const settle = (outcome: (saved: Saved | null) => Received | Error) => {
      if (settled) return
      settled = true
      signal.removeEventListener('abort', stop)
      req.off('data', count)
      void (saving ?? Promise.resolve(null)).then((saved) => {
        const received = outcome(saved)
        if (received instanceof Error) reject(received)
        else resolve(received)
      })
    }
    // Cut off: the parser goes, and with it the file part, which ends the writer's loop.
    const cut = () => {
      req.unpipe(parser)
      req.pause()
      parser.destroy()
    }
    const stop = () => {
      settle(() => (signal.reason instanceof Error ? signal.reason : new ClientGone()))
      cut()
    }
    let size = 0
    // Chunked bodies declare no length: counted here, and cut at the proxy's own cap.
    const count = (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_UPLOAD_BODY_BYTES) return
      settle(() => ({ kind: 'too-large' }))
      cut()
    }

    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || saving !== null) {
        stream.resume()
        return
      }
      saving = saveFile(stream, info.filename ?? '', file)
    })
    parser.on('error', () => {
      if (settled) return
      settle(() => ({ kind: 'unparseable' }))
      req.unpipe(parser)
      req.resume()
    })
    parser.on('close', () => {
      settle((saved) => {
        if (saved === null) return { kind: 'no-file' }
        return 'fault' in saved ? saved.fault : { kind: 'file', ...saved }
      })
    })
    if (signal.aborted) return stop()
    signal.addEventListener('abort', stop, { once: true })
    req.on('data', count)
    req.pipe(parser)
  })
}

async function saveFile(
  stream: Readable & { truncated?: boolean },
  fileName: string,
  file: IncomingFile,
): Promise<Saved> {
  const hash = createHash('sha256')
  try {
    await file.open()
    // Not destroyed when the loop stops early: the rest of the part is still to be read.
    for await (const chunk of stream.iterator({ destroyOnReturn: false })) {
      if (!(chunk instanceof Uint8Array)) continue
      hash.update(chunk)
      await file.write(chunk)
    }
    await file.close()
  } catch (fault) {
    // A full disk or too many open files: the rest of the part is read and let go, so that the
    // form still ends and the client hears 507 or 500 instead of a reset connection.
    stream.resume()
    return { fault: fault instanceof Error ? fault : new Error('the upload could not be saved') }
  }
  return { fileName, sha256: hash.digest('hex'), truncated: stream.truncated === true }
}
