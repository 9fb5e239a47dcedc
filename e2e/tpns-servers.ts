import { test } from '@playwright/test'
import busboy from 'busboy'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const VITE_BIN = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js')

/** One request as the fake TPNS received it. */
export interface ReceivedUpload {
  method: string
  path: string
  authorization: string | undefined
  /** Name of the first file part's form field, and its filename. */
  fieldName: string | null
  fileName: string | null
  bytes: Buffer
  /** Names of any plain (non-file) form fields. */
  fields: string[]
}

/** How the fake answers one request: JSON, text (plain unless `type` says), or never. */
export type UpstreamReply =
  { status: number; json: unknown } | { status: number; text: string; type?: string } | 'hang'

export interface FakeTpns {
  url: string
  received: ReceivedUpload[]
  /** Queues answers for the next requests; when the queue is empty, each upload succeeds. */
  reply(...replies: UpstreamReply[]): void
  /** Answers every request with this from now on (until reset). */
  always(reply: UpstreamReply): void
  reset(): void
  close(): Promise<void>
}

/** A stand-in for TPNS's upload endpoint on 127.0.0.1 that records what it receives. */
export async function startFakeTpns(): Promise<FakeTpns> {
  const received: ReceivedUpload[] = []
  let queue: UpstreamReply[] = []
  let fallback: UpstreamReply | null = null
  let nextUploadId = 7_000_001

  const server = createServer((req, res) => {
    void receive(req).then((upload) => {
      received.push(upload)
      const reply = queue.shift() ?? fallback
      if (reply === 'hang') return
      if (reply === null) {
        send(res, 200, JSON.stringify({ retCode: 0, errMsg: 'NO_ERROR', uploadId: nextUploadId++ }))
      } else if ('json' in reply) {
        send(res, reply.status, JSON.stringify(reply.json), 'application/json')
      } else {
        send(res, reply.status, reply.text, reply.type ?? 'text/plain')
      }
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = portOf(server)

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    reply: (...replies) => queue.push(...replies),
    always: (reply) => {
      fallback = reply
    },
    reset() {
      received.length = 0
      queue = []
      fallback = null
      nextUploadId = 7_000_001
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

function portOf(server: Server): number {
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no TCP port bound')
  return address.port
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json') {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) })
  res.end(body)
}

async function receive(req: IncomingMessage): Promise<ReceivedUpload> {
  const upload: ReceivedUpload = {
    method: req.method ?? '',
    path: req.url ?? '',
    authorization: req.headers.authorization,
    fieldName: null,
    fileName: null,
    bytes: Buffer.alloc(0),
    fields: [],
  }
  const done = new Promise<void>((resolve) => {
    let parser: busboy.Busboy
    try {
      parser = busboy({ headers: req.headers, defParamCharset: 'utf8' })
    } catch {
      req.resume()
      req.once('end', resolve)
      return
    }
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        if (upload.fieldName !== null) return
        upload.fieldName = field
        upload.fileName = info.filename ?? null
        upload.bytes = Buffer.concat(chunks)
      })
    })
    parser.on('field', (name) => upload.fields.push(name))
    parser.on('close', resolve)
    parser.on('error', () => resolve())
    req.pipe(parser)
  })
  await done
  return upload
}

/** A port nothing listens on (it was free a moment ago): an upstream that is down. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = portOf(server)
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

export interface PreviewServer {
  url: string
  /** What the server printed, for failure messages. */
  output(): string
  close(): Promise<void>
}

/**
 * `vite preview` of the built app (dist/) with its TPNS proxy, in a child process with its
 * own environment, on a free port, its sandbox in a temporary folder.
 */
export async function startPreview(env: Record<string, string>): Promise<PreviewServer> {
  const port = await closedPort()
  const sandboxDir = await mkdtemp(join(tmpdir(), 'tpns-e2e-'))
  // Only the variables given here: TPNS_* from the outer environment would change the mode.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('TPNS_')),
  )
  const child: ChildProcess = spawn(
    process.execPath,
    [VITE_BIN, 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    {
      cwd: ROOT,
      env: { ...inherited, TPNS_SANDBOX_DIR: sandboxDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = once(child, 'exit')

  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite preview exited:\n${output}`)
    try {
      const response = await fetch(`${url}/tpns/config`)
      if (response.ok) break
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM')
      throw new Error(`vite preview did not start within 30 s:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 150))
  }

  return {
    url,
    output: () => output,
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM')
        await exited
      }
      await rm(sandboxDir, { recursive: true, force: true })
    },
  }
}

export interface TpnsSetup {
  upstream: FakeTpns
  preview: PreviewServer
  close(): Promise<void>
}

export const SERVER_ACCESS_ID = '1500009999'
export const SERVER_SECRET_KEY = 'server-held-secret'
/** How long the proxy waits for a silent upstream in these tests (the "hang" case). */
export const UPSTREAM_TIMEOUT_MS = 1_000

/**
 * A fake TPNS behind Guangzhou and Singapore, a dead one behind Shanghai, and the app's
 * server in front; with `serverCredentials`, the server holds an AccessID and SecretKey.
 */
export async function startTpnsSetup(
  options: { serverCredentials?: boolean } = {},
): Promise<TpnsSetup> {
  const upstream = await startFakeTpns()
  const env: Record<string, string> = {
    TPNS_GUANGZHOU_URL: upstream.url,
    TPNS_SINGAPORE_URL: upstream.url,
    TPNS_SHANGHAI_URL: `http://127.0.0.1:${await closedPort()}`,
    TPNS_UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS),
  }
  if (options.serverCredentials) {
    env.TPNS_ACCESS_ID = SERVER_ACCESS_ID
    env.TPNS_SECRET_KEY = SERVER_SECRET_KEY
  }
  let preview: PreviewServer
  try {
    preview = await startPreview(env)
  } catch (error) {
    await upstream.close()
    throw error
  }
  return {
    upstream,
    preview,
    async close() {
      await preview.close()
      await upstream.close()
    },
  }
}

/**
 * A fake TPNS and a preview server for the describe block this is called in: started before
 * its tests, stopped after, and before each test the upstream's record is cleared and the page
 * opened on the preview. Returns the setup's getter: it exists once the block has started.
 */
export function useTpnsSetup(options: { serverCredentials?: boolean } = {}): () => TpnsSetup {
  let setup: TpnsSetup | null = null
  const current = () => {
    if (!setup) throw new Error('The TPNS setup is not started yet.')
    return setup
  }
  test.beforeAll(async () => {
    setup = await startTpnsSetup(options)
  })
  test.afterAll(async () => {
    await setup?.close()
  })
  test.beforeEach(async ({ page }) => {
    current().upstream.reset()
    await page.goto(current().preview.url)
  })
  return current
}
