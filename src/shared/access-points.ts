/**
 * The one table of TPNS service access points, used by the page and by the proxy alike.
 * `sandbox` is the built-in stand-in served by this app's own server.
 */
export const ACCESS_POINTS = [
  {
    id: 'guangzhou',
    name: { en: 'Guangzhou', zh: '广州' },
    baseUrl: 'https://api.tpns.tencent.com',
    envVar: 'TPNS_GUANGZHOU_URL',
  },
  {
    id: 'shanghai',
    name: { en: 'Shanghai', zh: '上海' },
    baseUrl: 'https://api.tpns.sh.tencent.com',
    envVar: 'TPNS_SHANGHAI_URL',
  },
  {
    id: 'hongkong',
    name: { en: 'Hong Kong', zh: '中国香港' },
    baseUrl: 'https://api.tpns.hk.tencent.com',
    envVar: 'TPNS_HONGKONG_URL',
  },
  {
    id: 'singapore',
    name: { en: 'Singapore', zh: '新加坡' },
    baseUrl: 'https://api.tpns.sgp.tencent.com',
    envVar: 'TPNS_SINGAPORE_URL',
  },
  {
    id: 'sandbox',
    name: { en: 'Sandbox (local, no account needed)', zh: '沙箱（本地，无需账号）' },
    baseUrl: null,
    envVar: null,
  },
] as const

export type AccessPoint = (typeof ACCESS_POINTS)[number]
export type RegionId = AccessPoint['id']

export const UPLOAD_PATH = '/v3/push/package/upload'

export function isRegionId(value: string): value is RegionId {
  return ACCESS_POINTS.some((point) => point.id === value)
}

export function findAccessPoint(id: RegionId): AccessPoint {
  const point = ACCESS_POINTS.find((candidate) => candidate.id === id)
  if (!point) throw new Error(`Unknown access point ${id}`)
  return point
}

/** The proxy route the page posts a package to for one access point. */
export function proxyUploadPath(id: RegionId): string {
  return `/tpns/${id}${UPLOAD_PATH}`
}
