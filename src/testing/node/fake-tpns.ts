import busboy from 'busboy'
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import { portOf } from './free-port.ts'

/** One request as the fake TPNS received it, recorded from its first byte on. */
export interface RecordedRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  /** The body received so far; throws where the fake keeps no bodies. */
  readonly body: Buffer
  /** Body bytes received so far. */
  size: number
  /** False until the body's end arrives, and for good when the sender cut it off. */
  complete: boolean
  /** Hex SHA-256 of the whole body once complete (kept bodies or not); null before. */
  sha256: string | null
  /** The multipart form in the body, parsed once the request is over. */
  form(): Promise<ReceivedForm>
}

/** What a multipart body carried, as TPNS would read it. */
export interface ReceivedForm {
  /** The first file part's form field and filename (null without a file part), and content. */
  fieldName: string | null
  fileName: string | null
  bytes: Buffer
  /** Names of any plain (non-file) form fields. */
  fields: string[]
}

interface ReplyHead {
  status: number
  headers?: Record<string, string>
}

/**
 * How the fake answers one request: JSON, text (plain unless `type` says), never, or an
 * answer that never ends, one byte every `trickleMs` (never silent long enough to time out).
 */
export type Reply =
  | (ReplyHead & { json: unknown })
  | (ReplyHead & { text: string; type?: string })
  | 'hang'
  | { trickleMs: number }

export interface FakeTpnsOptions {
  /** The uploadId of the first successful answer; each one after counts up from it. */
  firstUploadId?: number
  /** False: count the body's bytes, keep none (a 100 MB upload, again and again). */
  keepBodies?: boolean
}

export interface FakeTpns {
  url: string
  /** Every request, in the order they arrived. */
  requests: RecordedRequest[]
  /** Resolves once some request's body has reached `bytes` bytes. */
  received(bytes: number): Promise<void>
  /** Queues answers for the next requests; when the queue is empty, `always`'s or success. */
  reply(...replies: Reply[]): void
  /** Answers every request with this from now on (until reset). */
  always(reply: Reply): void
  /** Forgets the requests and replies, and counts uploadIds from the first again. */
  reset(): void
  close(): Promise<void>
}

/**
 * A stand-in for TPNS on 127.0.0.1, any path: records what reaches it and answers once the
 * whole body is in, by default as a successful upload.
 */
export async function startFakeTpns({
  firstUploadId = 7_000_001,
  keepBodies = true,
}: FakeTpnsOptions = {}): Promise<FakeTpns> {
  const requests: RecordedRequest[] = []
  let waiters: { bytes: number; resolve: () => void }[] = []
  let queue: Reply[] = []
  let fallback: Reply | null = null
  let nextUploadId = firstUploadId

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    const over = new Promise<void>((resolve) => req.once('close', resolve))
    let form: Promise<ReceivedForm> | null = null
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      // Joined on demand: joining on every chunk would be quadratic over a 100 MB body.
      get body() {
        if (!keepBodies) throw new Error('This fake TPNS keeps no bodies (keepBodies: false).')
        return Buffer.concat(chunks)
      },
      size: 0,
      complete: false,
      sha256: null,
      form() {
        form ??= over.then(() => parseForm(recorded.headers, recorded.body))
        return form
      },
    }
    requests.push(recorded)
    const hash = createHash('sha256')
    req.on('data', (chunk: Buffer) => {
      hash.update(chunk)
      if (keepBodies) chunks.push(chunk)
      recorded.size += chunk.length
      waiters = waiters.filter((waiter) =>
        recorded.size >= waiter.bytes ? (waiter.resolve(), false) : true,
      )
    })
    req.on('end', () => {
      recorded.complete = true
      recorded.sha256 = hash.digest('hex')
      const reply = queue.shift() ?? fallback
      if (reply === null) {
        answer(res, {
          status: 200,
          json: { retCode: 0, errMsg: 'NO_ERROR', uploadId: nextUploadId++ },
        })
      } else if (reply !== 'hang') {
        answer(res, reply)
      }
    })
    req.on('error', () => undefined)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')

  return {
    url: `http://127.0.0.1:${portOf(server)}`,
    requests,
    received: (bytes) =>
      new Promise((resolve) => {
        if (requests.some((request) => request.size >= bytes)) resolve()
        else waiters.push({ bytes, resolve })
      }),
    reply: (...replies) => void queue.push(...replies),
    always: (reply) => {
      fallback = reply
    },
    reset() {
      requests.length = 0
      queue = []
      fallback = null
      nextUploadId = firstUploadId
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

function answer(res: ServerResponse, reply: Exclude<Reply, 'hang'>): void {
  if ('trickleMs' in reply) {
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.write('{')
    const timer = setInterval(() => res.write(' '), reply.trickleMs)
    res.once('close', () => clearInterval(timer))
    return
  }
  const [body, type] =
    'json' in reply
      ? [JSON.stringify(reply.json), 'application/json']
      : [reply.text, reply.type ?? 'text/plain']
  res.writeHead(reply.status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    ...reply.headers,
  })
  res.end(body)
}

/** The form as busboy reads it; a body that is not multipart, or breaks off, gives what it has. */
function parseForm(headers: IncomingHttpHeaders, body: Buffer): Promise<ReceivedForm> {
  const form: ReceivedForm = { fieldName: null, fileName: null, bytes: Buffer.alloc(0), fields: [] }
  return new Promise((resolve) => {
    let parser: busboy.Busboy
    try {
      parser = busboy({ headers, defParamCharset: 'utf8' })
    } catch {
      resolve(form)
      return
    }
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        if (form.fieldName !== null) return
        form.fieldName = field
        form.fileName = info.filename ?? null
        form.bytes = Buffer.concat(chunks)
      })
    })
    parser.on('field', (name) => form.fields.push(name))
    parser.on('close', () => resolve(form))
    parser.on('error', () => resolve(form))
    parser.end(body)
  })
}
