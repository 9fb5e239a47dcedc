import { expect, test } from 'vitest'
import type { ServerApp } from './apps-file.ts'
import { ALL_REGIONS, createRouteTable } from './tpns-routes.ts'

const shop: ServerApp = {
  id: 'shop-android',
  name: 'Shop – Android',
  region: 'guangzhou',
  accessId: '1500000001',
  secretKey: 'k',
}
const match = createRouteTable({ regions: ALL_REGIONS, apps: [shop] })

test('each region’s upload path, exactly, is an upload route', () => {
  for (const region of ['guangzhou', 'shanghai', 'hongkong', 'singapore', 'sandbox']) {
    expect(match(`/tpns/${region}/v3/push/package/upload`)).toEqual({
      kind: 'upload',
      region,
      allow: 'POST',
    })
  }
  expect(match('/tpns/config')).toEqual({ kind: 'config', allow: 'GET' })
})

test('an app’s route, the health check and the sign-in routes', () => {
  expect(match('/tpns/app/shop-android/v3/push/package/upload')).toEqual({
    kind: 'app-upload',
    app: shop,
    allow: 'POST',
  })
  expect(match('/healthz')).toEqual({ kind: 'health', allow: 'GET' })
  expect(match('/auth/login')).toEqual({ kind: 'login', allow: 'POST' })
  expect(match('/auth/logout')).toEqual({ kind: 'logout', allow: 'POST' })
  expect(match('/auth/session')).toEqual({ kind: 'session', allow: 'GET' })
})

test('only the regions asked for have a route', () => {
  const appsOnly = createRouteTable({ regions: [], apps: [shop] })
  expect(appsOnly('/tpns/guangzhou/v3/push/package/upload')).toEqual({ kind: 'not-found' })
  expect(appsOnly('/tpns/sandbox/v3/push/package/upload')).toEqual({ kind: 'not-found' })
})

test('near misses under /tpns and /auth are not-found; other paths are not the server’s', () => {
  for (const path of [
    '/tpns/guangzhou/v3/push/package/upload?',
    '/tpns/guangzhou/v3/push/package/upload/',
    '/tpns/config?x',
    '/tpns/toString',
    '/tpns/__proto__',
    '/Tpns/sandbox/v3/push/package/upload',
    '/tpns%2fsandbox',
    '/tpns/app/shop-ios/v3/push/package/upload',
    '/tpns/app/SHOP-ANDROID/v3/push/package/upload',
    '/tpns/app/shop-android/../shop-ios/v3/push/package/upload',
    '/tpns/app/shop-android%2fv3/push/package/upload',
    '/auth/login?next=/',
    '/auth/login/',
    '/AUTH/login',
  ]) {
    expect(match(path)).toEqual({ kind: 'not-found' })
  }
  for (const path of [
    '/',
    '/tpnsx',
    '/tpns-help',
    '/src/tpns/config',
    '',
    '/authors',
    '/healthz?x',
  ]) {
    expect(match(path)).toBeNull()
  }
})
