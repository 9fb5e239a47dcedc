import { ACCESS_POINTS, proxyUploadPath, type RegionId } from '../src/shared/access-points.ts'
import { appUploadPath } from '../src/shared/tpns-shapes.ts'
import type { ServerApp } from './apps-file.ts'

export const CONFIG_PATH = '/tpns/config'
export const HEALTH_PATH = '/healthz'
export const SESSION_PATH = '/auth/session'
export const LOGIN_PATH = '/auth/login'
export const LOGOUT_PATH = '/auth/logout'

export type TpnsRoute =
  | { kind: 'upload'; region: RegionId; allow: 'POST' }
  | { kind: 'app-upload'; app: ServerApp; allow: 'POST' }
  | { kind: 'config'; allow: 'GET' }
  | { kind: 'health'; allow: 'GET' }
  | { kind: 'session'; allow: 'GET' }
  | { kind: 'login'; allow: 'POST' }
  | { kind: 'logout'; allow: 'POST' }
  | { kind: 'not-found' }

export interface RouteOptions {
  /** The regions whose upload route exists (browser or single-pair credentials, the sandbox). */
  regions: readonly RegionId[]
  apps: readonly ServerApp[]
}

/** The region routes of the default set-up: every access point, the sandbox included. */
export const ALL_REGIONS: readonly RegionId[] = ACCESS_POINTS.map((point) => point.id)

// Anything that looks like it was aimed at the server's own routes (any case, any trailing
// junk) is answered here with a 404 rather than falling through to the page's HTML fallback.
const OWN_PREFIX = /^\/(?:tpns|auth)(?![a-z0-9_-])/i

/**
 * The one table of the server's own routes, for `npm run dev` and the production server alike.
 * The whole raw request target is compared with a closed set of strings, before any decoding
 * or normalising: `..`, `%2e%2e`, `//`, `%2f`, a query string or a trailing slash simply is not
 * one of them, so there is no clever input that maps onto an upstream.
 */
export function createRouteTable({
  regions,
  apps,
}: RouteOptions): (rawUrl: string) => TpnsRoute | null {
  const routes = new Map<string, TpnsRoute>([
    ...regions.map((region): [string, TpnsRoute] => [
      proxyUploadPath(region),
      { kind: 'upload', region, allow: 'POST' },
    ]),
    ...apps.map((app): [string, TpnsRoute] => [
      appUploadPath(app.id),
      { kind: 'app-upload', app, allow: 'POST' },
    ]),
    [CONFIG_PATH, { kind: 'config', allow: 'GET' }],
    [HEALTH_PATH, { kind: 'health', allow: 'GET' }],
    [SESSION_PATH, { kind: 'session', allow: 'GET' }],
    [LOGIN_PATH, { kind: 'login', allow: 'POST' }],
    [LOGOUT_PATH, { kind: 'logout', allow: 'POST' }],
  ])
  return (rawUrl) => {
    const route = routes.get(rawUrl)
    if (route !== undefined) return route
    return OWN_PREFIX.test(rawUrl) ? { kind: 'not-found' } : null
  }
}
