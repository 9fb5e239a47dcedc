import { ACCESS_POINTS, proxyUploadPath, type RegionId } from '../src/shared/access-points.ts'

export const CONFIG_PATH = '/tpns/config'

export type TpnsRoute =
  | { kind: 'upload'; region: RegionId; allow: 'POST' }
  | { kind: 'config'; allow: 'GET' }
  | { kind: 'not-found' }

// The whole raw request target is compared with a closed set of strings, before any
// decoding or normalising: `..`, `%2e%2e`, `//`, `%2f`, a query string or a trailing slash
// simply is not one of them, so there is no clever input that maps onto an upstream.
const ROUTES = new Map<string, TpnsRoute>([
  ...ACCESS_POINTS.map((point): [string, TpnsRoute] => [
    proxyUploadPath(point.id),
    { kind: 'upload', region: point.id, allow: 'POST' },
  ]),
  [CONFIG_PATH, { kind: 'config', allow: 'GET' }],
])

// Anything that looks like it was aimed at /tpns (any case, any trailing junk) is answered
// here with a 404 rather than falling through to the page's HTML fallback.
const TPNS_PREFIX = /^\/tpns(?![a-z0-9_-])/i

/** The proxy route a raw request target names; null when it is not under /tpns at all. */
export function matchTpnsRoute(rawUrl: string): TpnsRoute | null {
  if (!TPNS_PREFIX.test(rawUrl)) return null
  return ROUTES.get(rawUrl) ?? { kind: 'not-found' }
}
