import type { IncomingMessage, ServerResponse } from 'node:http'
import { ACCESS_POINTS, UPLOAD_PATH, type RegionId } from '../src/shared/access-points.ts'
import type { SessionInfo, TpnsConfig } from '../src/shared/tpns-shapes.ts'
import { createAccessGuard, type AccessGuard } from './access-guard.ts'
import { sendJson } from './answer-shapes.ts'
import { auditToStdout, type AuditSink } from './audit-log.ts'
import { basicAuthAccessId, basicAuthorization } from './basic-auth.ts'
import { forwardUpload, type ServerLog } from './proxy-upload.ts'
import { startSandbox } from './sandbox-server.ts'
import { hasAccessGuard, holdsCredentials, isLoopbackHost, type ServerEnv } from './server-env.ts'
import { createRouteTable, type TpnsRoute } from './tpns-routes.ts'
import { requestScheme } from './trusted-proxies.ts'
import { createUploadSlots, type UploadSlots } from './upload-slots.ts'

/** A connect-style middleware: Vite's dev server and the production server both mount it. */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void

export interface TpnsServerParts {
  /** Answers the server's own routes; passes everything else (the page) to `next`. */
  handler: Middleware
  slots: UploadSlots
  /** Stops the sandbox listener. */
  close(): Promise<void>
}

export interface PartsOptions {
  log: ServerLog
  /** Where audit lines go; standard output unless a test says otherwise. */
  audit?: AuditSink
}

/** The sandbox (when on), the access guard and the handler, from one read environment. */
export async function createTpnsServerParts(
  env: ServerEnv,
  { log, audit = auditToStdout }: PartsOptions,
): Promise<TpnsServerParts> {
  for (const warning of env.warnings) log.warn(warning)
  const guard = await createAccessGuard(env, log)
  const sandbox = env.sandbox
    ? await startSandbox({ dir: env.sandboxDir, log, maxBytes: env.sandboxMaxBytes })
    : null
  const slots = createUploadSlots(env.maxUploads)
  const handler = createTpnsHandler(env, {
    sandboxUrl: sandbox?.url ?? null,
    guard,
    slots,
    log,
    audit,
  })
  return { handler, slots, close: async () => sandbox?.close() }
}

interface HandlerDeps {
  sandboxUrl: URL | null
  guard: AccessGuard
  slots: UploadSlots
  log: ServerLog
  audit: AuditSink
}

// Clients retry a 503 after this many seconds (the page does so by itself, with backoff).
const RETRY_AFTER_SECONDS = '5'

export function createTpnsHandler(env: ServerEnv, deps: HandlerDeps): Middleware {
  const { sandboxUrl, guard, slots, log, audit } = deps
  const appsMode = env.apps.length > 0
  // With the team's apps, the page offers those alone; a region route would upload with
  // whatever key a caller brings. The sandbox keeps its route while it runs.
  const regions: RegionId[] = ACCESS_POINTS.map((point) => point.id).filter((id) =>
    id === 'sandbox' ? sandboxUrl !== null : !appsMode,
  )
  const match = createRouteTable({ regions, apps: env.apps })
  const serverAuthorization =
    env.credentials && basicAuthorization(env.credentials.accessId, env.credentials.secretKey)
  const configFor = (user: string | null): TpnsConfig => ({
    serverCredentials: env.credentials !== null || appsMode,
    accessId: env.credentials?.accessId ?? null,
    regions,
    defaultRegion: env.credentials === null && !appsMode && sandboxUrl !== null ? 'sandbox' : null,
    apps: env.apps.map(({ id, name, region, accessId }) => ({ id, name, region, accessId })),
    user,
  })

  const answer = async (req: IncomingMessage, res: ServerResponse, route: TpnsRoute) => {
    // Refusals answer before the body is read; the connection cannot be reused after that.
    const unread: Record<string, string> = req.complete ? {} : { Connection: 'close' }
    if (route.kind === 'not-found') {
      return sendJson(res, 404, { proxyError: 'not-found', message: 'No such route.' }, unread)
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
    if (route.kind === 'health') return sendJson(res, 200, { ok: true })
    if (route.allow === 'POST' && isCrossSite(req, env)) {
      const message = 'Requests are accepted from this app’s own page only.'
      return sendJson(res, 403, { proxyError: 'cross-origin', message }, unread)
    }
    if (route.kind === 'login') return guard.login(req, res)
    if (route.kind === 'logout') return guard.logout(req, res)
    const user = await guard.userOf(req)
    if (route.kind === 'session') {
      const session: SessionInfo = { user, signIn: guard.signIn }
      return sendJson(res, 200, session)
    }
    if (guard.required && user === null) {
      const message = 'Sign in first.'
      return sendJson(res, 401, { proxyError: 'unauthenticated', message }, unread)
    }
    if (route.kind === 'config') return sendJson(res, 200, configFor(user))

    const release = slots.take()
    if (release === null) {
      const message = 'The server is busy with other uploads (or restarting). Try again shortly.'
      return sendJson(
        res,
        503,
        { proxyError: 'busy', message },
        { ...unread, 'Retry-After': RETRY_AFTER_SECONDS },
      )
    }
    res.once('close', release)
    const app = route.kind === 'app-upload' ? route.app : null
    const region = app?.region ?? (route.kind === 'upload' ? route.region : 'sandbox')
    const base = region === 'sandbox' ? sandboxUrl : env.upstreams[region]
    if (base === null) {
      release()
      return sendJson(res, 404, { proxyError: 'not-found', message: 'No such route.' }, unread)
    }
    const authorization = app
      ? basicAuthorization(app.accessId, app.secretKey)
      : (serverAuthorization ?? req.headers.authorization)
    forwardUpload(req, res, {
      target: uploadUrl(base),
      authorization,
      timeoutMs: env.upstreamTimeoutMs,
      deadlineMs: env.uploadTimeoutMs,
      label: app ? `${region} app ${app.id}` : region,
      log,
      onDone: (outcome) =>
        audit({
          event: 'upload',
          time: new Date().toISOString(),
          user,
          app: app?.id ?? null,
          region,
          // The AccessID half of whichever Basic header went up: the app's, the server's or the
          // browser's. Never the header itself.
          accessId: basicAuthAccessId(authorization),
          file: outcome.fileName,
          bytes: outcome.bytes,
          retCode: outcome.retCode,
          uploadId: outcome.uploadId,
        }),
    })
  }

  // Credentials on a loopback-only server with nobody checked: a page of another site whose
  // name is made to resolve to 127.0.0.1 (DNS rebinding) would be same-origin with this one.
  // The Host it sends names that site, so only loopback names and addresses are answered.
  const hostGuard = holdsCredentials(env) && !hasAccessGuard(env)

  return (req, res, next) => {
    if (hostGuard && !isLoopbackHost(hostName(req.headers.host ?? ''))) {
      const message = 'This server answers to its loopback address only.'
      return sendJson(res, 403, { proxyError: 'cross-origin', message }, { Connection: 'close' })
    }
    const route = match(req.url ?? '')
    if (route === null) return next()
    answer(req, res, route).catch((error: unknown) => {
      log.warn(`tpns server: ${error instanceof Error ? error.message : 'failed'}`)
      if (!res.headersSent) {
        sendJson(
          res,
          500,
          { proxyError: 'bad-request', message: 'The server failed.' },
          {
            Connection: 'close',
          },
        )
      }
    })
  }
}

// A plain HTML form on any other site can POST here without a CORS preflight, and with
// server-held credentials that would upload in the operator's name. Browsers say where a
// request comes from: the Origin must be this very origin, scheme and host. Tools such as curl
// send neither header; where the server holds keys, the access guard stands in their way.
function isCrossSite(req: IncomingMessage, env: ServerEnv): boolean {
  const site = req.headers['sec-fetch-site']
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true
  const origin = req.headers.origin
  if (origin === undefined) return false
  const own = `${requestScheme(req, env.trustedProxies)}://${req.headers.host ?? ''}`
  try {
    return new URL(origin).origin !== new URL(own).origin
  } catch {
    return true
  }
}

/** `<base>/v3/push/package/upload`, keeping any path prefix a TPNS_*_URL override carries. */
export function uploadUrl(base: URL): URL {
  return new URL(base.pathname.replace(/\/+$/, '') + UPLOAD_PATH, base)
}

/** The name part of a Host header: `[::1]:4173` → `::1`, `localhost:80` → `localhost`. */
function hostName(host: string): string {
  const bracketed = /^\[([^\]]*)\]/.exec(host)
  if (bracketed) return bracketed[1]
  return host.replace(/:\d*$/, '')
}
