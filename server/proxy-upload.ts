import {
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http'
import { request as httpsRequest } from 'node:https'
import { MAX_PACKAGE_BYTES } from '../src/core/problem-codes.ts'
import {
  tpnsAnswerSchema,
  type ProxyErrorBody,
  type ProxyErrorCode,
} from '../src/shared/tpns-shapes.ts'
import { sendJson } from './answer-shapes.ts'
import { sniffFileName } from './sniff-file-name.ts'

/** The package cap plus room for the multipart envelope around it. */
export const MAX_UPLOAD_BODY_BYTES = MAX_PACKAGE_BYTES + 1024 * 1024

// TPNS answers with a few hundred bytes of JSON; anything longer is not one of its answers.
const MAX_ANSWER_BYTES = 64 * 1024

export interface ServerLog {
  info(message: string): void
  warn(message: string): void
}

export interface ForwardOptions {
  target: URL
  /** The complete Authorization value to send, or undefined to send none. */
  authorization: string | undefined
  /**
   * How long the upstream connection may stay silent (no bytes either way), and how long TPNS
   * may take in all to answer once the whole body is sent (however slowly it trickles).
   */
  timeoutMs: number
  /** The whole exchange, body and answer, at most. */
  deadlineMs: number
  /** Names the access point in messages and logs. */
  label: string
  log: ServerLog
  /** Told once how it ended (for the audit log); not when the browser went away first. */
  onDone?: (outcome: UploadOutcome) => void
}

/** How one proxied upload ended, as the audit log records it. */
export interface UploadOutcome {
  status: number
  /** TPNS's retCode; null when TPNS gave no answer the proxy could read. */
  retCode: number | null
  uploadId: number | null
  /** Body bytes received from the browser (the package plus its form envelope). */
  bytes: number
  /** The `file` part's name, as the multipart head gave it. */
  fileName: string | null
}

class ProxyFault extends Error {
  readonly code: ProxyErrorCode
  readonly status: number
  readonly upstreamStatus: number | undefined

  constructor(code: ProxyErrorCode, status: number, message: string, upstreamStatus?: number) {
    super(message)
    this.code = code
    this.status = status
    this.upstreamStatus = upstreamStatus
  }

  toBody(): ProxyErrorBody {
    const { code: proxyError, message, upstreamStatus } = this
    return upstreamStatus === undefined
      ? { proxyError, message }
      : { proxyError, message, upstreamStatus }
  }
}

// Marks an upstream request torn down because the browser went away: nobody to answer.
class ClientGone extends Error {}

/**
 * Streams one upload to the upstream and answers with TPNS's JSON or a proxy error.
 * The body is piped, never held: memory stays flat however large the package is.
 */
export function forwardUpload(
  req: IncomingMessage,
  res: ServerResponse,
  options: ForwardOptions,
): void {
  const { target, label, log } = options
  const started = performance.now()
  const fileName = sniffFileName(req)
  let received = 0
  let settled = false
  const timers: NodeJS.Timeout[] = []

  const settle = (
    status: number,
    body: Buffer | ProxyFault,
    note: string,
    answer: { retCode: number; uploadId: number | null } | null = null,
  ) => {
    if (settled) return
    settled = true
    for (const timer of timers) clearTimeout(timer)
    // A request body left half-read cannot be followed by another request on this connection.
    const headers: Record<string, string> = req.complete ? {} : { Connection: 'close' }
    sendJson(res, status, body instanceof ProxyFault ? body.toBody() : body, headers)
    const elapsed = Math.round(performance.now() - started)
    log.info(`tpns proxy ${label}: HTTP ${status}, ${note} (${received} bytes sent, ${elapsed} ms)`)
    options.onDone?.({
      status,
      retCode: answer?.retCode ?? null,
      uploadId: answer?.uploadId ?? null,
      bytes: received,
      fileName: fileName(),
    })
  }
  const fail = (error: unknown) => {
    if (error instanceof ClientGone) {
      if (!settled) log.warn(`tpns proxy ${label}: the browser went away mid-upload`)
      settled = true
      for (const timer of timers) clearTimeout(timer)
      return
    }
    const fault =
      error instanceof ProxyFault
        ? error
        : new ProxyFault(
            'unreachable',
            502,
            `Could not reach TPNS (${label}): ${describeError(error)}.`,
          )
    settle(fault.status, fault, `${fault.code}: ${fault.message}`)
  }

  const declared = req.headers['content-length']
  if (declared !== undefined && Number(declared) > MAX_UPLOAD_BODY_BYTES) {
    fail(tooLarge())
    return
  }

  // Only what TPNS needs: no cookies, no Host (Node derives it from the target), no client hints.
  const headers: OutgoingHttpHeaders = {}
  if (req.headers['content-type']) headers['content-type'] = req.headers['content-type']
  if (declared !== undefined) headers['content-length'] = declared
  if (options.authorization !== undefined) headers.authorization = options.authorization

  const send = target.protocol === 'https:' ? httpsRequest : httpRequest
  const upstream = send(target, { method: 'POST', headers, timeout: options.timeoutMs })
  upstream.on('timeout', () => {
    const seconds = options.timeoutMs / 1000
    upstream.destroy(
      new ProxyFault('timeout', 504, `TPNS (${label}) did not answer within ${seconds} s.`),
    )
  })
  // An upstream that trickles its answer a byte at a time is never silent for long: these two
  // limits hold however it behaves. Past either, the request is torn down with a 504.
  let cutOff: ProxyFault | null = null
  /** A 504 with `what` TPNS did not do, once `ms` have passed. */
  const cutAfter = (ms: number, what: string) =>
    timers.push(
      setTimeout(() => {
        const fault = new ProxyFault(
          'timeout',
          504,
          `TPNS (${label}) did not ${what} within ${ms / 1000} s.`,
        )
        cutOff ??= fault
        upstream.destroy(fault)
      }, ms),
    )
  cutAfter(options.deadlineMs, 'take and answer the upload')
  upstream.on('finish', () => {
    cutAfter(options.timeoutMs, 'answer')
  })
  upstream.on('error', (error) => fail(cutOff ?? error))
  upstream.on('response', (answer) => {
    readAnswer(answer, label).then(
      (body) => settle(answer.statusCode ?? 502, body.raw, body.note, body.answer),
      (error: unknown) => fail(cutOff ?? error),
    )
  })

  req.on('data', (chunk: Buffer) => {
    received += chunk.length
    // Chunked uploads declare no length: count, and cut the upstream off at the cap.
    if (received > MAX_UPLOAD_BODY_BYTES && !upstream.destroyed) {
      req.unpipe(upstream)
      req.pause()
      upstream.destroy(tooLarge())
    }
  })
  req.on('close', () => {
    if (!req.complete) upstream.destroy(new ClientGone())
  })
  req.pipe(upstream)
}

async function readAnswer(
  answer: IncomingMessage,
  label: string,
): Promise<{ raw: Buffer; note: string; answer: { retCode: number; uploadId: number | null } }> {
  const status = answer.statusCode ?? 0
  if (status >= 300 && status < 400) {
    answer.resume()
    throw new ProxyFault(
      'redirect',
      502,
      `TPNS (${label}) answered with a redirect (HTTP ${status}); the proxy does not follow redirects.`,
      status,
    )
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of answer) {
    if (!Buffer.isBuffer(chunk)) continue
    size += chunk.length
    if (size > MAX_ANSWER_BYTES) {
      answer.destroy()
      throw new ProxyFault(
        'bad-shape',
        502,
        `TPNS (${label}) answered HTTP ${status} with a body too long to be a TPNS answer.`,
        status,
      )
    }
    chunks.push(chunk)
  }
  const raw = Buffer.concat(chunks)
  let json: unknown
  try {
    json = JSON.parse(raw.toString('utf8'))
  } catch {
    throw new ProxyFault(
      'not-json',
      502,
      `TPNS (${label}) answered HTTP ${status} with something that is not JSON.`,
      status,
    )
  }
  const parsed = tpnsAnswerSchema.safeParse(json)
  if (!parsed.success) {
    throw new ProxyFault(
      'bad-shape',
      502,
      `TPNS (${label}) answered HTTP ${status} with JSON that is not a TPNS answer.`,
      status,
    )
  }
  const { retCode, uploadId } = parsed.data
  // Pass TPNS's own bytes on: the page parses them, and nothing is lost in re-encoding.
  return {
    raw,
    note: `retCode ${retCode}${uploadId === undefined ? '' : `, uploadId ${uploadId}`}`,
    answer: { retCode, uploadId: uploadId ?? null },
  }
}

function tooLarge(): ProxyFault {
  return new ProxyFault(
    'too-large',
    413,
    `The upload is larger than ${MAX_UPLOAD_BODY_BYTES} bytes (a 100 MB package plus its form envelope).`,
  )
}

// Network errors carry a code such as ECONNREFUSED; their messages hold nothing but host:port.
function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined
    return code ?? error.message
  }
  return 'unknown error'
}
