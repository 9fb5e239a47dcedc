import { once } from 'node:events'
import { request } from 'node:http'
import { afterEach, describe, expect, test } from 'vitest'
import { startFakeTpns, type FakeTpns } from '../src/testing/node/fake-tpns.ts'
import { multipart } from '../src/testing/node/multipart.ts'
import { SHOP_APPS } from '../src/testing/node/team-files.ts'
import { appsFile, basic, send, startApp, tokens, type RunningApp } from './test-support.ts'

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0).reverse()) await item.close()
})

async function fake(): Promise<FakeTpns> {
  const upstream = await startFakeTpns()
  running.push(upstream)
  return upstream
}

async function start(env: Record<string, string>): Promise<RunningApp> {
  const app = await startApp(env)
  running.push(app)
  return app
}

function form(fileName = 'tokens.txt') {
  return multipart([{ field: 'file', fileName, content: tokens(3) }])
}

function upload(app: RunningApp, path: string, headers: Record<string, string> = {}) {
  const body = form()
  return send(app.url, path, {
    headers: { 'content-type': body.contentType, ...headers },
    body: body.body,
  })
}

describe('apps from TPNS_APPS_FILE', () => {
  async function startShop() {
    const android = await fake()
    const ios = await fake()
    const app = await start({
      TPNS_APPS_FILE: await appsFile(SHOP_APPS),
      SHOP_ANDROID_SECRET: 'android-SECRET',
      SHOP_IOS_SECRET: 'ios-SECRET',
      TPNS_GUANGZHOU_URL: android.url,
      TPNS_SINGAPORE_URL: ios.url,
    })
    return { app, android, ios }
  }

  test('each app goes to its own region with its own key', async () => {
    const { app, android, ios } = await startShop()
    const one = await upload(app, '/tpns/app/shop-android/v3/push/package/upload', {
      authorization: basic('browser', 'key'),
    })
    const two = await upload(app, '/tpns/app/shop-ios/v3/push/package/upload')
    expect([one.status, two.status]).toEqual([200, 200])
    expect(android.requests.map((r) => r.headers.authorization)).toEqual([
      basic('1500000001', 'android-SECRET'),
    ])
    expect(ios.requests.map((r) => r.headers.authorization)).toEqual([
      basic('1600000002', 'ios-SECRET'),
    ])
  })

  test('the config lists the apps, never a key; no region routes, no sandbox', async () => {
    const { app, android } = await startShop()
    const config = await send(app.url, '/tpns/config', { method: 'GET' })
    expect(config.json()).toEqual({
      serverCredentials: true,
      accessId: null,
      regions: [],
      defaultRegion: null,
      apps: SHOP_APPS.apps.map(({ id, name, region, accessId }) => ({
        id,
        name,
        region,
        accessId,
      })),
      user: null,
    })
    expect(config.text).not.toContain('SECRET')
    expect(config.text).not.toContain('secretKeyEnv')
    for (const region of ['guangzhou', 'sandbox']) {
      const answer = await upload(app, `/tpns/${region}/v3/push/package/upload`, {
        authorization: basic('browser', 'key'),
      })
      expect(answer.status).toBe(404)
    }
    expect((await upload(app, '/tpns/app/shop-web/v3/push/package/upload')).status).toBe(404)
    expect(android.requests).toHaveLength(0)
  })

  test('TPNS_SANDBOX=on brings the sandbox back beside the apps', async () => {
    const app = await start({
      TPNS_APPS_FILE: await appsFile(SHOP_APPS),
      SHOP_ANDROID_SECRET: 'a',
      SHOP_IOS_SECRET: 'b',
      TPNS_SANDBOX: 'on',
    })
    const answer = await upload(app, '/tpns/sandbox/v3/push/package/upload', {
      authorization: basic('any', 'thing'),
    })
    expect(answer.json()).toMatchObject({ retCode: 0 })
  })

  test('one audit line per upload, with the app, user, file, bytes and TPNS’s answer', async () => {
    const { app, ios } = await startShop()
    ios.reply({ status: 200, json: { retCode: 1008003, errMsg: 'auth failure' } })
    // Browsers send `"`, CR and LF as %22, %0D, %0A; what they send raw must not break a line
    // either: a tab, braces, CJK.
    const weird = 'tab\there %22}{%22event 设备.txt'
    const body = form(weird)
    await send(app.url, '/tpns/app/shop-ios/v3/push/package/upload', {
      headers: { 'content-type': body.contentType },
      body: body.body,
    })
    await upload(app, '/tpns/app/shop-ios/v3/push/package/upload')
    expect(app.audit).toEqual([
      {
        event: 'upload',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        user: null,
        app: 'shop-ios',
        region: 'singapore',
        accessId: '1600000002',
        file: weird,
        bytes: body.body.length,
        retCode: 1008003,
        uploadId: null,
      },
      expect.objectContaining({ file: 'tokens.txt', retCode: 0, uploadId: 7_000_001 }),
    ])
    // As a line: escaped, one line, no raw control character, and read back the same.
    const line = JSON.stringify(app.audit[0])
    expect(line).toContain('"file":"tab\\there %22}{%22event 设备.txt"')
    expect([...line].filter((char) => char.charCodeAt(0) < 0x20)).toEqual([])
    expect(JSON.parse(line)).toEqual(app.audit[0])
  })
})

describe('limits', () => {
  test('an upstream that trickles its answer is cut off at the time limit (504)', async () => {
    const upstream = await fake()
    upstream.always({ trickleMs: 50 })
    const app = await start({ TPNS_GUANGZHOU_URL: upstream.url, TPNS_UPSTREAM_TIMEOUT_MS: '600' })
    const started = Date.now()
    const answer = await upload(app, '/tpns/guangzhou/v3/push/package/upload')
    expect(answer.status).toBe(504)
    expect(answer.json()).toMatchObject({ proxyError: 'timeout' })
    expect(Date.now() - started).toBeLessThan(3000)
    expect(app.audit[0]).toMatchObject({ retCode: null, uploadId: null })
  })

  test('the whole upload has a limit too, however the bytes flow', async () => {
    const upstream = await fake()
    const app = await start({
      TPNS_GUANGZHOU_URL: upstream.url,
      TPNS_UPLOAD_TIMEOUT_MS: '500',
    })
    const body = form()
    const answer = await send(app.url, '/tpns/guangzhou/v3/push/package/upload', {
      headers: { 'content-type': body.contentType },
      body: async function* () {
        // A browser sending a byte every 100 ms: never silent, never done.
        for (let i = 0; i < 50; i++) {
          yield body.body.subarray(i, i + 1)
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
      },
    })
    expect(answer.status).toBe(504)
  })

  test('past TPNS_MAX_UPLOADS in flight: 503 busy with Retry-After; a slot frees when one ends', async () => {
    const upstream = await fake()
    upstream.reply('hang')
    const app = await start({
      TPNS_GUANGZHOU_URL: upstream.url,
      TPNS_MAX_UPLOADS: '1',
      TPNS_UPSTREAM_TIMEOUT_MS: '1500',
    })
    const first = upload(app, '/tpns/guangzhou/v3/push/package/upload')
    await upstream.received(1)
    const second = await upload(app, '/tpns/guangzhou/v3/push/package/upload')
    expect(second.status).toBe(503)
    expect(second.headers['retry-after']).toBe('5')
    expect(second.json()).toMatchObject({ proxyError: 'busy' })
    expect((await first).status).toBe(504)
    expect((await upload(app, '/tpns/guangzhou/v3/push/package/upload')).status).toBe(200)
  })
})

describe('shutdown (SIGTERM)', () => {
  test('stops taking connections, lets the upload in flight finish, then closes', async () => {
    const upstream = await fake()
    const app = await start({ TPNS_GUANGZHOU_URL: upstream.url })
    const body = form()
    let release: () => void = () => undefined
    const held = new Promise<void>((resolve) => (release = resolve))
    const inFlight = send(app.url, '/tpns/guangzhou/v3/push/package/upload', {
      headers: { 'content-type': body.contentType },
      body: async function* () {
        yield body.body.subarray(0, 100)
        await held
        yield body.body.subarray(100)
      },
    })
    await upstream.received(100)
    const stopped = app.shutdown(10_000)
    await new Promise((resolve) => setTimeout(resolve, 100))
    await expect(send(app.url, '/healthz', { method: 'GET' })).rejects.toThrow(/ECONNREFUSED/)
    release()
    const answer = await inFlight
    expect(answer.status).toBe(200)
    expect(upstream.requests[0].body.equals(body.body)).toBe(true)
    expect(await stopped).toEqual({ left: 0 })
  })

  test('an upload still running after the grace period is cut off', async () => {
    const upstream = await fake()
    upstream.always('hang')
    const app = await start({ TPNS_GUANGZHOU_URL: upstream.url })
    const request_ = upload(app, '/tpns/guangzhou/v3/push/package/upload').catch(
      (error: Error) => error,
    )
    await upstream.received(1)
    expect(await app.shutdown(200)).toEqual({ left: 1 })
    expect(await request_).toBeInstanceOf(Error)
  })
})

test('HEAD and GET of the page; other methods on the page are 405', async () => {
  const app = await start({})
  expect((await send(app.url, '/', { method: 'HEAD' })).status).toBe(200)
  const put = await send(app.url, '/', { method: 'PUT' })
  expect(put.status).toBe(405)
  expect(put.headers.allow).toBe('GET, HEAD')
  const req = request(`${app.url}/assets/app.js`)
  req.end()
  const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage]
  res.resume()
  expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable')
})
