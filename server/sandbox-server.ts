import busboy from 'busboy'
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { MAX_PACKAGE_BYTES } from '../src/core/problem-codes.ts'
import { UPLOAD_PATH } from '../src/shared/access-points.ts'
import { basicAuthAccessId } from './basic-auth.ts'
import { checkPackage } from './check-package.ts'
import { logValue } from './log-value.ts'
import type { ServerLog } from './proxy-upload.ts'
import { openSandboxStore, type ReceivedPackage, type SandboxStore } from './sandbox-store.ts'
import { setSecurityHeaders } from './security-headers.ts'
import type { TpnsAnswer } from '../src/shared/tpns-shapes.ts'
import { sendJson } from './answer-shapes.ts'

// TPNS's documented codes and messages. Every answer is HTTP 200 and the retCode decides:
// TPNS documents its errors only as retCodes, and the SDKs read retCode whatever the status.
const ANSWERS = {
  parseError: { retCode: 1008001, errMsg: 'parameter parse error' },
  missingFile: { retCode: 1008002, errMsg: 'missing parameter' },
  authFailure: { retCode: 1008003, errMsg: 'auth failure' },
  serviceError: { retCode: 1008004, errMsg: 'invoke service error' },
  invalidName: { retCode: 1008007, errMsg: 'invalid parameter' },
  badFile: { retCode: 1008011, errMsg: 'upload file error' },
  emptyFile: { retCode: 1008012, errMsg: 'upload empty file' },
} as const satisfies Record<string, TpnsAnswer>

export interface Sandbox {
  /** Base URL of the loopback listener; the proxy forwards region `sandbox` here. */
  url: URL
  close(): Promise<void>
}

/**
 * Starts the local stand-in for TPNS's upload endpoint on a loopback port of its own, so the
 * proxy reaches it over HTTP exactly as it reaches Tencent: one code path for every region.
 */
export async function startSandbox(options: { dir: string; log: ServerLog }): Promise<Sandbox> {
  const store = await openSandboxStore(options.dir)
  const server = createServer((req, res) => {
    setSecurityHeaders(res)
    handleSandboxRequest(req, res, store, options.log).catch((error: unknown) => {
      // A disk or counter fault, not the client's: TPNS's own code for a server-side failure.
      options.log.warn(`tpns sandbox: ${error instanceof Error ? error.message : 'failed'}`)
      if (!res.headersSent) sendJson(res, 200, ANSWERS.serviceError)
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  if (address === null || typeof address === 'string')
    throw new Error('sandbox did not bind a port')
  return {
    url: new URL(`http://127.0.0.1:${address.port}`),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

async function handleSandboxRequest(
  req: IncomingMessage,
  res: ServerResponse,
  store: SandboxStore,
  log: ServerLog,
): Promise<void> {
  if (req.method !== 'POST' || req.url !== UPLOAD_PATH) {
    res.writeHead(404).end()
    return
  }
  const accessId = basicAuthAccessId(req.headers.authorization)
  if (accessId === null) {
    // Read the body anyway: answering mid-upload and closing can reset the connection before
    // the proxy has read the answer.
    req.resume()
    await once(req, 'end')
    sendJson(res, 200, ANSWERS.authFailure)
    return
  }

  const tempPath = store.incomingPath()
  let answer: TpnsAnswer
  try {
    answer = await judge(await receiveFile(req, tempPath), store, accessId)
  } finally {
    // Before answering: once the client has its answer, incoming/ holds nothing of it.
    await rm(tempPath, { force: true })
  }
  if (answer.retCode === 0) {
    log.info(`tpns sandbox: kept uploadId ${answer.uploadId} for AccessID ${logValue(accessId)}`)
  }
  sendJson(res, 200, answer)
}

type Received = (ReceivedPackage & { truncated: boolean }) | 'no-file' | 'unparseable'

async function judge(
  received: Received,
  store: SandboxStore,
  accessId: string,
): Promise<TpnsAnswer> {
  if (received === 'unparseable') return ANSWERS.parseError
  if (received === 'no-file') return ANSWERS.missingFile
  if (received.truncated) return ANSWERS.badFile
  const check = await checkPackage(received.fileName, await readFile(received.tempPath))
  if (check.verdict !== 'ready') {
    if (check.codes.includes('name-length') || check.codes.includes('extension')) {
      return ANSWERS.invalidName
    }
    return check.codes.includes('empty') ? ANSWERS.emptyFile : ANSWERS.badFile
  }
  const record = await store.keep(received, accessId)
  return { retCode: 0, errMsg: 'NO_ERROR', uploadId: record.uploadId }
}

// Streams the first part named `file` to disk, hashing as it goes; other parts are skipped.
function receiveFile(req: IncomingMessage, tempPath: string): Promise<Received> {
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
      req.once('end', () => resolve('unparseable'))
      return
    }
    let saving: Promise<Received> | null = null
    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || saving !== null) {
        stream.resume()
        return
      }
      saving = saveFile(stream, info.filename ?? '', tempPath)
    })
    parser.on('error', () => {
      req.unpipe(parser)
      req.resume()
      resolve('unparseable')
    })
    parser.on('close', () => {
      if (saving === null) resolve('no-file')
      else saving.then(resolve, reject)
    })
    req.pipe(parser)
  })
}

async function saveFile(
  stream: Readable & { truncated?: boolean },
  fileName: string,
  tempPath: string,
): Promise<Received> {
  const hash = createHash('sha256')
  let bytes = 0
  await pipeline(
    stream,
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        hash.update(chunk)
        bytes += chunk.length
        yield chunk
      }
    },
    createWriteStream(tempPath),
  )
  return {
    fileName,
    tempPath,
    bytes,
    sha256: hash.digest('hex'),
    truncated: stream.truncated === true,
  }
}
