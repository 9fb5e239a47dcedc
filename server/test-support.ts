import react from '@vitejs/plugin-react'
import { once } from 'node:events'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import {
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createLogger, createServer, preview, type InlineConfig, type Logger } from 'vite'
export { basicAuthorization as basic } from './basic-auth.ts'
import { securityHeadersPlugin } from './security-headers.ts'
import { tpnsProxyPlugin } from './tpns-proxy-plugin.ts'
import type { EnvSource } from './server-env.ts'

/** Helpers for the server tests: real sockets on 127.0.0.1, nothing mocked. */

export interface RecordedRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  readonly body: Buffer
  size: number
  /** False when the proxy cut the request off before its end. */
  complete: boolean
}

export interface FakeUpstream {
  url: string
  requests: RecordedRequest[]
  /** Resolves once the upstream has received at least `bytes` body bytes of some request. */
  received(bytes: number): Promise<void>
  close(): Promise<void>
}

type Respond = (req: IncomingMessage, res: ServerResponse, recorded: RecordedRequest) => void

const tpnsOk: Respond = (_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json' })
  res.end(JSON.stringify({ retCode: 0, errMsg: 'NO_ERROR', uploadId: 7 }))
}

/**
 * An upstream that records what reaches it. `respond` runs once the whole body is in, unless
 * `respondEarly` asks for it at the first byte (for hanging or early-answering upstreams).
 */
export async function startFakeUpstream(
  respond: Respond = tpnsOk,
  { respondEarly = false } = {},
): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = []
  let waiters: { bytes: number; resolve: () => void }[] = []
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = []
    let size = 0
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      // Joined on demand: joining on every chunk would be quadratic over a 100 MB body.
      get body() {
        return Buffer.concat(chunks)
      },
      size: 0,
      complete: false,
    }
    requests.push(recorded)
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      size += chunk.length
      recorded.size = size
      waiters = waiters.filter((waiter) =>
        size >= waiter.bytes ? (waiter.resolve(), false) : true,
      )
    })
    req.on('end', () => {
      recorded.complete = true
      if (!respondEarly) respond(req, res, recorded)
    })
    req.on('error', () => undefined)
    if (respondEarly) respond(req, res, recorded)
  })
  const url = await listen(server)
  return {
    url,
    requests,
    received: (bytes) => new Promise((resolve) => waiters.push({ bytes, resolve })),
    close: () => closeServer(server),
  }
}

/** A URL on which nothing listens: bound once, then released. */
export async function unusedUrl(): Promise<string> {
  const server = createHttpServer()
  const url = await listen(server)
  await closeServer(server)
  return url
}

export interface RunningApp {
  url: string
  /** Everything Vite's logger and the console printed while the app ran. */
  logs: string[]
  sandboxDir: string
  close(): Promise<void>
}

const repoRoot = resolve(import.meta.dirname, '..')

/**
 * Starts the app's server through Vite's own API, with this repo's plugins, as `vite preview`
 * (over a tiny built page) or as `vite` dev. TPNS_SANDBOX_DIR defaults to a fresh temp dir.
 */
export async function startApp(
  env: EnvSource = {},
  { mode = 'preview' }: { mode?: 'preview' | 'dev' } = {},
): Promise<RunningApp> {
  // Under node_modules so that the dev server resolves react from this repo.
  const parent = join(repoRoot, 'node_modules', '.tmp')
  await mkdir(parent, { recursive: true })
  const root = await mkdtemp(join(parent, 'server-test-'))
  const page = '<!doctype html><html><head><title>t</title></head><body><div id="root"></div>'
  await writeFile(
    join(root, 'index.html'),
    `${page}<script type="module" src="/main.ts"></script></body></html>`,
  )
  await writeFile(join(root, 'main.ts'), 'document.title = "dev"\n')
  await mkdir(join(root, 'dist', 'assets'), { recursive: true })
  await writeFile(
    join(root, 'dist', 'index.html'),
    `${page}<script type="module" src="/assets/app.js"></script></body></html>`,
  )
  await writeFile(join(root, 'dist', 'assets', 'app.js'), 'document.title = "built"\n')
  // A sandbox dir the caller chose outlives the app (restart tests); one made here does not.
  const ownSandbox = env.TPNS_SANDBOX_DIR === undefined
  const sandboxDir = env.TPNS_SANDBOX_DIR ?? (await mkdtemp(join(tmpdir(), 'tpns-sandbox-')))

  const logs: string[] = []
  const logger = capturingLogger(logs)
  const config: InlineConfig = {
    root,
    configFile: false,
    logLevel: 'info',
    customLogger: logger,
    plugins: [
      react(),
      securityHeadersPlugin(),
      tpnsProxyPlugin({ env: { ...env, TPNS_SANDBOX_DIR: sandboxDir } }),
    ],
    server: { port: 0, host: '127.0.0.1', strictPort: true, watch: null, ws: false },
    preview: { port: 0, host: '127.0.0.1', strictPort: true },
    optimizeDeps: { noDiscovery: true, include: [] },
  }
  const server =
    mode === 'preview' ? await preview(config) : await (await createServer(config)).listen()
  const httpServer = server.httpServer
  if (httpServer === null) throw new Error('no http server')
  const address = httpServer.address()
  if (address === null || typeof address === 'string') throw new Error('not listening')
  return {
    url: `http://127.0.0.1:${address.port}`,
    logs,
    sandboxDir,
    async close() {
      await server.close()
      await rm(root, { recursive: true, force: true })
      if (ownSandbox) await rm(sandboxDir, { recursive: true, force: true })
    },
  }
}

function capturingLogger(lines: string[]): Logger {
  const logger = createLogger('info', { allowClearScreen: false })
  return {
    ...logger,
    info: (message) => void lines.push(message),
    warn: (message) => void lines.push(message),
    warnOnce: (message) => void lines.push(message),
    error: (message) => void lines.push(message),
  }
}

export interface Answer {
  status: number
  headers: IncomingHttpHeaders
  text: string
  json(): unknown
}

export interface SendOptions {
  method?: string
  headers?: Record<string, string>
  /** Written in order; with no Content-Length header the body goes chunked. */
  body?: Buffer | string | (() => AsyncIterable<Buffer>)
}

/** One HTTP request with the path sent exactly as given (no normalising). */
export function send(base: string, path: string, options: SendOptions = {}): Promise<Answer> {
  const { hostname, port } = new URL(base)
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { hostname, port, path, method: options.method ?? 'POST', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text),
          })
          // The server may have answered before the body was through; stop sending the rest.
          req.destroy()
        })
        res.on('error', reject)
      },
    )
    // A server may answer and close before a large body is through; the answer is what counts.
    req.on('error', reject)
    const body = options.body
    if (typeof body === 'function') {
      void (async () => {
        for await (const chunk of body()) {
          if (req.destroyed) return
          if (!req.write(chunk)) await once(req, 'drain')
        }
        req.end()
      })().catch(() => undefined)
    } else {
      req.end(body)
    }
  })
}

/** A multipart/form-data body the way a browser's FormData would send it. */
export function multipart(
  parts: { field: string; fileName?: string; content: Buffer | string; type?: string }[],
): { body: Buffer; contentType: string } {
  const boundary = '----tpnsTestBoundary7MA4YWxkTrZu0gW'
  const pieces: Buffer[] = []
  for (const part of parts) {
    const disposition =
      part.fileName === undefined
        ? `form-data; name="${part.field}"`
        : `form-data; name="${part.field}"; filename="${part.fileName}"`
    const type = part.fileName === undefined ? '' : `Content-Type: ${part.type ?? 'text/plain'}\r\n`
    pieces.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`))
    pieces.push(Buffer.isBuffer(part.content) ? part.content : Buffer.from(part.content))
    pieces.push(Buffer.from('\r\n'))
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`))
  return { body: Buffer.concat(pieces), contentType: `multipart/form-data; boundary=${boundary}` }
}

/** `count` distinct valid tokens (lowercase hex, letters included), one per line. */
export function tokens(count: number, seed = 0): string {
  const rows: string[] = []
  for (let index = 0; index < count; index += 1) {
    rows.push(`fa${(seed * 1_000_003 + index).toString(16).padStart(34, '0')}`)
  }
  return `${rows.join('\n')}\n`
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('not listening')
  return `http://127.0.0.1:${address.port}`
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}
