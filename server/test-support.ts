import react from '@vitejs/plugin-react'
import { once } from 'node:events'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createLogger, createServer, type InlineConfig, type Logger } from 'vite'
import { portOf } from '../src/testing/node/free-port.ts'
import type { AuditRecord } from './audit-log.ts'
export { basicAuthorization as basic } from './basic-auth.ts'
import { startProductionServer } from './production-server.ts'
import { securityHeadersPlugin } from './security-headers.ts'
import { readServerEnv, type EnvSource } from './server-env.ts'
import { tpnsProxyPlugin } from './tpns-proxy-plugin.ts'

/**
 * Helpers for the server tests: real sockets on 127.0.0.1, nothing mocked. The fake TPNS and
 * the multipart builder they share with e2e and the bench are in src/testing/node/.
 */

export interface RunningApp {
  url: string
  /** Everything the server logged while the app ran (Vite's logger in dev). */
  logs: string[]
  /** The audit records of the uploads, in order (production mode; dev prints them). */
  audit: AuditRecord[]
  sandboxDir: string
  /** Production mode: SIGTERM's work, with a grace period of `graceMs`. */
  shutdown(graceMs?: number): Promise<{ left: number }>
  close(): Promise<void>
}

const repoRoot = resolve(import.meta.dirname, '..')

/**
 * Starts the app's server as `npm start` runs it (the production server over a tiny built
 * page), or as `vite` dev through Vite's own API with this repo's plugins. TPNS_SANDBOX_DIR
 * defaults to a fresh temp dir.
 */
export async function startApp(
  env: EnvSource = {},
  { mode = 'production' }: { mode?: 'production' | 'dev' } = {},
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
  const fullEnv = { ...env, TPNS_SANDBOX_DIR: sandboxDir }
  const cleanUp = async () => {
    await rm(root, { recursive: true, force: true })
    if (ownSandbox) await rm(sandboxDir, { recursive: true, force: true })
  }
  if (mode === 'production') {
    const audit: AuditRecord[] = []
    const server = await startProductionServer({
      env: readServerEnv(fullEnv),
      root: join(root, 'dist'),
      host: '127.0.0.1',
      port: 0,
      log: { info: (line) => void logs.push(line), warn: (line) => void logs.push(line) },
      audit: (record) => void audit.push(record),
    })
    return {
      url: server.url,
      logs,
      audit,
      sandboxDir,
      shutdown: (graceMs) => server.shutdown(graceMs),
      async close() {
        await server.shutdown(0)
        await cleanUp()
      },
    }
  }
  const config: InlineConfig = {
    root,
    configFile: false,
    logLevel: 'info',
    customLogger: capturingLogger(logs),
    plugins: [react(), securityHeadersPlugin(), tpnsProxyPlugin({ env: fullEnv })],
    server: { port: 0, host: '127.0.0.1', strictPort: true, watch: null, ws: false },
    optimizeDeps: { noDiscovery: true, include: [] },
  }
  const server = await (await createServer(config)).listen()
  if (server.httpServer === null) throw new Error('no http server')
  return {
    url: `http://127.0.0.1:${portOf(server.httpServer)}`,
    logs,
    audit: [],
    sandboxDir,
    shutdown: () => Promise.reject(new Error('The dev server has no graceful shutdown.')),
    async close() {
      await server.close()
      await cleanUp()
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

/** `count` distinct valid tokens (lowercase hex, letters included), one per line. */
export function tokens(count: number, seed = 0): string {
  const rows: string[] = []
  for (let index = 0; index < count; index += 1) {
    rows.push(`fa${(seed * 1_000_003 + index).toString(16).padStart(34, '0')}`)
  }
  return `${rows.join('\n')}\n`
}

export {
  writeAppsFile as appsFile,
  writeUsersFile as usersFile,
} from '../src/testing/node/team-files.ts'

/** POST /auth/login; the session cookie (name=value) when it answered 204. */
export async function signIn(
  base: string,
  user: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<{ answer: Answer; cookie: string | null }> {
  const answer = await send(base, '/auth/login', {
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ user, password }),
  })
  const setCookie = answer.headers['set-cookie']?.[0] ?? null
  return { answer, cookie: setCookie?.split(';')[0] ?? null }
}
