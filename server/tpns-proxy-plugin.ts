import type { IncomingMessage } from 'node:http'
import type { Connect, Plugin, PreviewServer, ViteDevServer } from 'vite'
import { ACCESS_POINTS, UPLOAD_PATH } from '../src/shared/access-points.ts'
import type { TpnsConfig } from '../src/shared/tpns-shapes.ts'
import { sendJson } from './answer-shapes.ts'
import { basicAuthorization } from './basic-auth.ts'
import { forwardUpload, type ServerLog } from './proxy-upload.ts'
import { startSandbox } from './sandbox-server.ts'
import { readServerEnv, type EnvSource, type ServerEnv } from './server-env.ts'
import { matchTpnsRoute } from './tpns-routes.ts'

export interface TpnsProxyOptions {
  /** Where the TPNS_* variables come from; process.env unless a test says otherwise. */
  env?: EnvSource
}

/** The upload proxy, GET /tpns/config and the sandbox, on both `vite` and `vite preview`. */
export function tpnsProxyPlugin(options: TpnsProxyOptions = {}): Plugin {
  const mount = async (server: ViteDevServer | PreviewServer) => {
    const env = readServerEnv(options.env ?? process.env)
    const log = server.config.logger
    for (const warning of env.warnings) log.warn(warning)
    const sandbox = await startSandbox({ dir: env.sandboxDir, log })
    server.httpServer?.once('close', () => void sandbox.close())
    server.middlewares.use(tpnsMiddleware(env, sandbox.url, log))
  }
  return {
    name: 'tpns:proxy',
    // The page and its API share one origin. Vite's default CORS would answer OPTIONS on the
    // proxy route itself (204, before any plugin middleware) and let other localhost origins
    // read /tpns/config; nothing here needs cross-origin access.
    config: () => ({ server: { cors: false }, preview: { cors: false } }),
    configureServer: mount,
    configurePreviewServer: mount,
  }
}

function tpnsMiddleware(
  env: ServerEnv,
  sandboxUrl: URL,
  log: ServerLog,
): Connect.NextHandleFunction {
  const config: TpnsConfig = {
    serverCredentials: env.credentials !== null,
    accessId: env.credentials?.accessId ?? null,
    regions: ACCESS_POINTS.map((point) => point.id),
    defaultRegion: env.credentials === null ? 'sandbox' : null,
  }
  const serverAuthorization =
    env.credentials && basicAuthorization(env.credentials.accessId, env.credentials.secretKey)

  return (req, res, next) => {
    const route = matchTpnsRoute(req.url ?? '')
    if (route === null) return next()
    // Refusals answer before the body is read; the connection cannot be reused after that.
    const unread: Record<string, string> = req.complete ? {} : { Connection: 'close' }
    if (route.kind === 'not-found') {
      return sendJson(
        res,
        404,
        { proxyError: 'not-found', message: 'No such proxy route.' },
        unread,
      )
    }
    if (req.method !== route.allow) {
      const message = `Only ${route.allow} is allowed here.`
      return sendJson(
        res,
        405,
        { proxyError: 'method-not-allowed', message },
        { ...unread, Allow: route.allow },
      )
    }
    if (route.kind === 'config') return sendJson(res, 200, config)
    if (isCrossSite(req)) {
      const message = 'Uploads are accepted from this app’s own page only.'
      return sendJson(res, 403, { proxyError: 'cross-origin', message }, unread)
    }
    const base = route.region === 'sandbox' ? sandboxUrl : env.upstreams[route.region]
    forwardUpload(req, res, {
      target: uploadUrl(base),
      authorization: serverAuthorization ?? req.headers.authorization,
      timeoutMs: env.upstreamTimeoutMs,
      label: route.region,
      log,
    })
  }
}

// A plain HTML form on any other site can POST multipart here without a CORS preflight, and
// with server-held credentials that would upload in the operator's name. Browsers say where a
// request comes from; tools such as curl send neither header and are let through.
function isCrossSite(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site']
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true
  const origin = req.headers.origin
  if (origin === undefined) return false
  try {
    return new URL(origin).host !== req.headers.host
  } catch {
    return true
  }
}

/** `<base>/v3/push/package/upload`, keeping any path prefix a TPNS_*_URL override carries. */
export function uploadUrl(base: URL): URL {
  return new URL(base.pathname.replace(/\/+$/, '') + UPLOAD_PATH, base)
}
