import { expect, test } from 'vitest'
import { matchTpnsRoute } from './tpns-routes.ts'

test('each region’s upload path, exactly, is an upload route', () => {
  for (const region of ['guangzhou', 'shanghai', 'hongkong', 'singapore', 'sandbox']) {
    expect(matchTpnsRoute(`/tpns/${region}/v3/push/package/upload`)).toEqual({
      kind: 'upload',
      region,
      allow: 'POST',
    })
  }
  expect(matchTpnsRoute('/tpns/config')).toEqual({ kind: 'config', allow: 'GET' })
})

test('near misses under /tpns are not-found; other paths are not the proxy’s', () => {
  for (const path of [
    '/tpns/guangzhou/v3/push/package/upload?',
    '/tpns/guangzhou/v3/push/package/upload/',
    '/tpns/config?x',
    '/tpns/toString',
    '/tpns/__proto__',
    '/Tpns/sandbox/v3/push/package/upload',
    '/tpns%2fsandbox',
  ]) {
    expect(matchTpnsRoute(path)).toEqual({ kind: 'not-found' })
  }
  for (const path of ['/', '/tpnsx', '/tpns-help', '/src/tpns/config', '']) {
    expect(matchTpnsRoute(path)).toBeNull()
  }
})
