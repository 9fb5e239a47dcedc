import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { join } from 'node:path'
import sirv from 'sirv'
import type { AuditSink } from './audit-log.ts'
import type { ServerLog } from './proxy-upload.ts'
import { setSecurityHeaders } from './security-headers.ts'
import type { ServerEnv } from './server-env.ts'
import { createTpnsServerParts } from './tpns-handler.ts'

export interface ProductionServerOptions {
  env: ServerEnv
  /** The built app (dist/). */
  root: string
  host: string
  /** 0 for any free port. */
  port: number
  log: ServerLog
  audit?: AuditSink
}

export interface ProductionServer {
  url: string
  server: Server
  /**
   * Stops taking connections, lets the uploads in flight finish for up to `graceMs`, then
   * closes every connection and the sandbox. Resolves with how many uploads were cut off.
   */
  shutdown(graceMs?: number): Promise<{ left: number }>
}

/** What `npm start` runs: the built app, the proxy and the sandbox on plain Node, no Vite. */
export async function startProductionServer(
  options: ProductionServerOptions,
): Promise<ProductionServer> {
  const { env, log } = options
  if (!existsSync(join(options.root, 'index.html'))) {
    throw new Error(`No built app in ${options.root}: run \`npm run build\` first.`)
  }
  const parts = await createTpnsServerParts(env, { log, audit: options.audit })
  // sirv, the static server `vite preview` itself uses: the file list is read once at start,
  // unknown page paths get index.html (the page routes itself), paths with an extension that
  // is not there get a 404.
  const assets = sirv(options.root, {
    single: true,
    etag: true,
    setHeaders: (res, pathname) => {
      // Vite names built assets by their content hash: they never change under one name.
      res.setHeader(
        'Cache-Control',
        pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      )
    },
  })
  const serveStatic = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' })
      res.end('Method Not Allowed\n')
      return
    }
    assets(req, res, () => {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
      res.end('Not Found\n')
    })
  }

  const server = createServer((req, res) => {
    // First, so that every answer carries them: the page, its assets, 404s and the API.
    setSecurityHeaders(res)
    parts.handler(req, res, () => serveStatic(req, res))
  })
  // Node's own limit on receiving a request would cut a slow 100 MB upload short with a bare
  // 408; the proxy's whole-upload limit answers first, with a reason.
  server.requestTimeout = env.uploadTimeoutMs + 10_000
  server.listen(options.port, options.host)
  try {
    await once(server, 'listening')
  } catch (error) {
    await parts.close()
    throw error
  }
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('No TCP port bound.')
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address

  let stopping: Promise<{ left: number }> | null = null
  return {
    url: `http://${shownHost}:${address.port}`,
    server,
    shutdown(graceMs = 30_000) {
      stopping ??= (async () => {
        server.close()
        server.closeIdleConnections()
        const { left } = await parts.slots.drain(graceMs)
        server.closeAllConnections()
        await parts.close()
        return { left }
      })()
      return stopping
    },
  }
}
