import { createServer, request } from 'node:http'
import { portOf } from './free-port.ts'

/** The two headers that together make a page cross-origin isolated. */
const ISOLATION_HEADERS = ['cross-origin-opener-policy', 'cross-origin-embedder-policy']

export interface ProxyWithoutIsolation {
  url: string
  close(): Promise<void>
}

/**
 * A reverse proxy in front of `target` that passes everything on but COOP and COEP, as a
 * proxy that drops headers it does not know: the app it serves is not cross-origin isolated,
 * so the page must take its single-worker path. The Host header goes on as received.
 */
export async function startProxyWithoutIsolation(target: string): Promise<ProxyWithoutIsolation> {
  const upstream = new URL(target)
  const server = createServer((incoming, outgoing) => {
    const forwarded = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        const headers = { ...answer.headers }
        for (const name of ISOLATION_HEADERS) delete headers[name]
        outgoing.writeHead(answer.statusCode ?? 502, headers)
        answer.pipe(outgoing)
      },
    )
    forwarded.on('error', (error) => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' })
      outgoing.end(`The proxy could not reach ${target}: ${error.message}`)
    })
    incoming.pipe(forwarded)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  return {
    url: `http://127.0.0.1:${portOf(server)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
