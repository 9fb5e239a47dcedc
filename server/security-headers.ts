import { ServerResponse, type Server } from 'node:http'
import { Http2ServerResponse, type Http2SecureServer } from 'node:http2'
import type { Connect, Plugin } from 'vite'

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ')

export const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // Cross-origin isolation: the page loads nothing from other origins, and isolated it may
  // share memory with its workers, so a file is read in one worker while another checks it.
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const

export function setSecurityHeaders(res: { setHeader(name: string, value: string): unknown }): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value)
}

// plugin-react puts its Fast Refresh preamble inline in index.html, which `script-src 'self'`
// forbids. In dev the same code is served as a module from this URL instead; plugin-react
// ships it as the virtual module '@vitejs/plugin-react/preamble' for exactly such setups.
const PREAMBLE_URL = '/@tpns/react-preamble'
const PREAMBLE_ID = '\0tpns-react-preamble'
const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script>/g

/**
 * Security headers on every response of the dev and preview servers, and a dev index.html
 * without inline scripts so that the same CSP holds in dev as in production.
 */
export function securityHeadersPlugin(): Plugin {
  let base = '/'
  return {
    name: 'tpns:security-headers',
    // Ahead of Vite's resolver, which would otherwise look for the preamble URL on disk.
    enforce: 'pre',
    configResolved(config) {
      base = config.base
    },
    configureServer(server) {
      guard(server.httpServer, server.middlewares)
    },
    configurePreviewServer(server) {
      guard(server.httpServer, server.middlewares)
    },
    resolveId(id) {
      return id === PREAMBLE_URL ? PREAMBLE_ID : undefined
    },
    load(id) {
      return id === PREAMBLE_ID ? "import '@vitejs/plugin-react/preamble'\n" : undefined
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        if (!context.server) return html
        return html.replace(INLINE_SCRIPT, (tag, attributes: string, body: string) =>
          body.includes('injectIntoGlobalHook') && !/\bsrc=/.test(attributes)
            ? `<script type="module" src="${base}${PREAMBLE_URL.slice(1)}"></script>`
            : tag,
        )
      },
    },
  }
}

function guard(httpServer: Server | Http2SecureServer | null, middlewares: Connect.Server): void {
  if (httpServer === null) {
    // Middleware mode: the host application owns the server; cover what passes through Vite.
    middlewares.use((_req, res, next) => {
      setSecurityHeaders(res)
      next()
    })
    return
  }
  // Before Vite's own handlers, so its 403s, CORS preflights and 404s carry the headers too.
  httpServer.prependListener('request', (_req: unknown, res: unknown) => {
    if (res instanceof ServerResponse || res instanceof Http2ServerResponse) setSecurityHeaders(res)
  })
}
