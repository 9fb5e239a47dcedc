import { afterEach, describe, expect, test, vi } from 'vitest'
import { MAX_UPLOAD_BODY_BYTES } from './proxy-upload.ts'
import { startFakeTpns, type FakeTpns } from '../src/testing/node/fake-tpns.ts'
import { freePort } from '../src/testing/node/free-port.ts'
import { multipart } from '../src/testing/node/multipart.ts'
import { basic, send, startApp, tokens, type RunningApp } from './test-support.ts'

const UPLOAD = '/tpns/guangzhou/v3/push/package/upload'
const running: { close(): Promise<void> }[] = []

afterEach(async () => {
  vi.restoreAllMocks()
  await Promise.all(running.splice(0).map((item) => item.close()))
})

async function setUp(
  env: Record<string, string> = {},
  upstream?: FakeTpns,
  mode: 'production' | 'dev' = 'production',
): Promise<{ app: RunningApp; upstream: FakeTpns }> {
  const fake = upstream ?? (await startFakeTpns({ firstUploadId: 7 }))
  const app = await startApp({ TPNS_GUANGZHOU_URL: fake.url, ...env }, { mode })
  running.push(fake, app)
  return { app, upstream: fake }
}

function upload(app: RunningApp, headers: Record<string, string> = {}, path = UPLOAD) {
  const form = multipart([{ field: 'file', fileName: 'tokens.txt', content: tokens(3) }])
  return send(app.url, path, {
    headers: { 'content-type': form.contentType, ...headers },
    body: form.body,
  })
}

describe('forwarding', () => {
  test('sends the multipart body byte for byte to <base>/v3/push/package/upload', async () => {
    const { app, upstream } = await setUp()
    const form = multipart([
      { field: 'file', fileName: 'device-tokens.csv', content: tokens(50), type: 'text/csv' },
    ])
    const answer = await send(app.url, UPLOAD, {
      headers: { 'content-type': form.contentType, authorization: basic('a', 'b') },
      body: form.body,
    })

    expect(answer.status).toBe(200)
    expect(answer.json()).toEqual({ retCode: 0, errMsg: 'NO_ERROR', uploadId: 7 })
    expect(upstream.requests).toHaveLength(1)
    const [received] = upstream.requests
    expect(received.method).toBe('POST')
    expect(received.url).toBe('/v3/push/package/upload')
    expect(received.body.equals(form.body)).toBe(true)
    expect(received.body.toString()).toContain(
      'Content-Disposition: form-data; name="file"; filename="device-tokens.csv"',
    )
    expect(received.headers['content-type']).toBe(form.contentType)
    expect(received.headers['content-length']).toBe(String(form.body.length))
  })

  test('keeps a path prefix of a TPNS_*_URL override', async () => {
    const upstream = await startFakeTpns()
    const { app } = await setUp({ TPNS_GUANGZHOU_URL: `${upstream.url}/staging/` }, upstream)
    expect((await upload(app)).status).toBe(200)
    expect(upstream.requests[0].url).toBe('/staging/v3/push/package/upload')
  })

  test('forwards only content-type, content-length and authorization; no cookie, own host', async () => {
    const { app, upstream } = await setUp()
    await upload(app, {
      authorization: 'Basic YnJvd3Nlcjpjb29raWU=',
      cookie: 'session=abc',
      'x-forwarded-for': '10.0.0.1',
      'user-agent': 'test-browser',
      origin: app.url,
    })
    const { headers } = upstream.requests[0]
    expect(Object.keys(headers).sort()).toEqual([
      'authorization',
      'connection',
      'content-length',
      'content-type',
      'host',
    ])
    expect(headers.authorization).toBe('Basic YnJvd3Nlcjpjb29raWU=')
    expect(headers.host).toBe(new URL(upstream.url).host)
  })

  test('without server credentials, sends no Authorization when the browser sent none', async () => {
    const { app, upstream } = await setUp()
    await upload(app)
    expect(upstream.requests[0].headers.authorization).toBeUndefined()
  })

  test('with server credentials, replaces whatever Authorization the browser sent', async () => {
    const { app, upstream } = await setUp({ TPNS_ACCESS_ID: '1500001234', TPNS_SECRET_KEY: 'k3y' })
    await upload(app, { authorization: basic('browser-id', 'browser-key') })
    await upload(app)
    expect(upstream.requests.map((request) => request.headers.authorization)).toEqual([
      basic('1500001234', 'k3y'),
      basic('1500001234', 'k3y'),
    ])
  })

  test('streams: the upstream gets the first bytes before the browser has sent the rest', async () => {
    const { app, upstream } = await setUp()
    const form = multipart([{ field: 'file', fileName: 'big.txt', content: tokens(30_000) }])
    const first = 64 * 1024
    let arrivedEarly = false
    const answer = await send(app.url, UPLOAD, {
      headers: { 'content-type': form.contentType },
      body: async function* () {
        yield form.body.subarray(0, first)
        // Hold the rest back until the upstream has seen the first part (or give up after 5 s).
        arrivedEarly = await Promise.race([
          upstream.received(first).then(() => true),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5000)),
        ])
        yield form.body.subarray(first)
      },
    })
    expect(arrivedEarly).toBe(true)
    expect(answer.status).toBe(200)
    expect(upstream.requests[0].body.equals(form.body)).toBe(true)
    // No Content-Length from the browser, so none invented on the way.
    expect(upstream.requests[0].headers['transfer-encoding']).toBe('chunked')
  })

  test('works the same under the dev server', async () => {
    const { app, upstream } = await setUp({}, undefined, 'dev')
    expect((await upload(app, { authorization: basic('d', 'e') })).json()).toEqual({
      retCode: 0,
      errMsg: 'NO_ERROR',
      uploadId: 7,
    })
    expect(upstream.requests[0].headers.authorization).toBe(basic('d', 'e'))
  })
})

describe('route guards', () => {
  test.each(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])(
    '%s on the upload route is 405 with Allow: POST',
    async (method) => {
      const { app, upstream } = await setUp()
      const answer = await send(app.url, UPLOAD, { method })
      expect(answer.status).toBe(405)
      expect(answer.headers.allow).toBe('POST')
      expect(answer.json()).toMatchObject({ proxyError: 'method-not-allowed' })
      expect(upstream.requests).toHaveLength(0)
    },
  )

  test('POST /tpns/config is 405 with Allow: GET', async () => {
    const { app } = await setUp()
    const answer = await send(app.url, '/tpns/config', { method: 'POST' })
    expect(answer.status).toBe(405)
    expect(answer.headers.allow).toBe('GET')
  })

  const tricks = [
    '/tpns/atlantis/v3/push/package/upload',
    '/tpns/GUANGZHOU/v3/push/package/upload',
    '/TPNS/guangzhou/v3/push/package/upload',
    '/tpns/guangzhou/v3/push/app',
    '/tpns/guangzhou/v3/push/package/upload/',
    '/tpns/guangzhou/v3/push/package/upload?x=1',
    '/tpns/guangzhou/v3/push/package/upload?',
    '/tpns/guangzhou/v3/push/package/upload#frag',
    '/tpns/guangzhou/v3/push/package/upload;jsessionid=1',
    '/tpns/guangzhou/v3/push/package/upload%00',
    '/tpns/guangzhou/v3/push/package/upload/..',
    '/tpns/guangzhou/v3/push/package/x/../upload',
    '/tpns/guangzhou/v3/push/package/%2e%2e/package/upload',
    '/tpns/%2e%2e/tpns/guangzhou/v3/push/package/upload',
    '/tpns/sandbox/../guangzhou/v3/push/package/upload',
    '/tpns//guangzhou/v3/push/package/upload',
    '/tpns/guangzhou//v3/push/package/upload',
    '/tpns/guangzhou%2fv3%2fpush%2fpackage%2fupload',
    '/tpns/guangzhou/v3/push/package%2Fupload',
    '/tpns/guangzhou/v3/push/package%5cupload',
    '/tpns/guangzhou\\v3\\push\\package\\upload',
    '/tpns/%67uangzhou/v3/push/package/upload',
    '/tpns',
    '/tpns/',
  ]

  test.each(tricks)('POST %s is 404 from the proxy and never reaches upstream', async (path) => {
    const { app, upstream } = await setUp()
    const answer = await upload(app, {}, path)
    expect(answer.status).toBe(404)
    expect(answer.json()).toEqual({ proxyError: 'not-found', message: 'No such route.' })
    expect(upstream.requests).toHaveLength(0)
  })

  test.each([
    '/x/../tpns/guangzhou/v3/push/package/upload',
    '/%74pns/guangzhou/v3/push/package/upload',
    '//tpns/guangzhou/v3/push/package/upload',
    'http://127.0.0.1/tpns/guangzhou/v3/push/package/upload',
  ])('POST %s (not under /tpns as sent) is refused and never reaches upstream', async (path) => {
    const { app, upstream } = await setUp()
    const answer = await upload(app, {}, path)
    // The static server takes GET and HEAD only (405); a malformed target is Node's 400.
    expect([400, 403, 404, 405]).toContain(answer.status)
    expect(upstream.requests).toHaveLength(0)
  })

  test('a cross-site page cannot upload through the proxy (Origin or Sec-Fetch-Site)', async () => {
    const { app, upstream } = await setUp({ TPNS_ACCESS_ID: 'id', TPNS_SECRET_KEY: 'key' })
    const fromOrigin = await upload(app, { origin: 'https://evil.example' })
    const fromSite = await upload(app, { 'sec-fetch-site': 'cross-site' })
    const fromNull = await upload(app, { origin: 'null' })
    for (const answer of [fromOrigin, fromSite, fromNull]) {
      expect(answer.status).toBe(403)
      expect(answer.json()).toMatchObject({ proxyError: 'cross-origin' })
    }
    expect(upstream.requests).toHaveLength(0)
    const sameOrigin = await upload(app, { origin: app.url, 'sec-fetch-site': 'same-origin' })
    expect(sameOrigin.status).toBe(200)
    expect(upstream.requests).toHaveLength(1)
  })
})

describe('size cap', () => {
  test('a declared Content-Length over the cap is 413 before any byte goes upstream', async () => {
    const { app, upstream } = await setUp()
    const answer = await send(app.url, UPLOAD, {
      headers: {
        'content-type': 'multipart/form-data; boundary=x',
        'content-length': String(MAX_UPLOAD_BODY_BYTES + 1),
      },
      body: async function* () {
        yield Buffer.alloc(64 * 1024, 0x61)
      },
    })
    expect(answer.status).toBe(413)
    expect(answer.json()).toMatchObject({ proxyError: 'too-large' })
    expect(upstream.requests).toHaveLength(0)
  })

  test('a Content-Length of exactly the cap is forwarded', async () => {
    const { app, upstream } = await setUp()
    const answer = await send(app.url, UPLOAD, {
      headers: {
        'content-type': 'multipart/form-data; boundary=x',
        'content-length': String(MAX_UPLOAD_BODY_BYTES),
      },
      body: Buffer.alloc(MAX_UPLOAD_BODY_BYTES, 0x61),
    })
    expect(answer.status).toBe(200)
    expect(upstream.requests[0].size).toBe(MAX_UPLOAD_BODY_BYTES)
  })

  test('a chunked body is counted and the upstream request cut off past the cap', async () => {
    const { app, upstream } = await setUp()
    const mib = Buffer.alloc(1024 * 1024, 0x61)
    const answer = await send(app.url, UPLOAD, {
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: async function* () {
        for (let sent = 0; sent <= MAX_UPLOAD_BODY_BYTES; sent += mib.length) yield mib
      },
    })
    expect(answer.status).toBe(413)
    expect(answer.json()).toMatchObject({ proxyError: 'too-large' })
    expect(upstream.requests).toHaveLength(1)
    expect(upstream.requests[0].complete).toBe(false)
    expect(upstream.requests[0].size).toBeLessThanOrEqual(MAX_UPLOAD_BODY_BYTES)
  })
})

describe('upstream faults', () => {
  test('nothing listening: 502 unreachable', async () => {
    const { app } = await setUp({ TPNS_GUANGZHOU_URL: `http://127.0.0.1:${await freePort()}` })
    const answer = await upload(app)
    expect(answer.status).toBe(502)
    expect(answer.json()).toMatchObject({ proxyError: 'unreachable' })
    expect(answer.text).toContain('ECONNREFUSED')
  })

  test('an upstream that never answers: 504 timeout after TPNS_UPSTREAM_TIMEOUT_MS', async () => {
    const silent = await startFakeTpns()
    silent.always('hang')
    const { app } = await setUp({ TPNS_UPSTREAM_TIMEOUT_MS: '300' }, silent)
    const started = Date.now()
    const answer = await upload(app)
    const elapsed = Date.now() - started
    expect(answer.status).toBe(504)
    expect(answer.json()).toEqual({
      proxyError: 'timeout',
      message: 'TPNS (guangzhou) did not answer within 0.3 s.',
    })
    expect(elapsed).toBeGreaterThanOrEqual(250)
    expect(elapsed).toBeLessThan(5000)
  })

  test('an answer that is not JSON: 502 not-json with the upstream status', async () => {
    const html = await startFakeTpns()
    html.always({
      status: 500,
      text: '<html><body>Internal Server Error</body></html>',
      type: 'text/html',
    })
    const { app } = await setUp({}, html)
    const answer = await upload(app)
    expect(answer.status).toBe(502)
    expect(answer.json()).toMatchObject({ proxyError: 'not-json', upstreamStatus: 500 })
  })

  test.each([
    ['snake_case fields', { ret_code: 0, err_msg: '' }],
    ['a non-integer retCode', { retCode: '0', errMsg: '' }],
    ['a zero uploadId', { retCode: 0, errMsg: '', uploadId: 0 }],
    ['an array', [1, 2, 3]],
  ])('JSON with %s: 502 bad-shape', async (_name, body) => {
    const odd = await startFakeTpns()
    odd.always({ status: 200, json: body })
    const { app } = await setUp({}, odd)
    const answer = await upload(app)
    expect(answer.status).toBe(502)
    expect(answer.json()).toMatchObject({ proxyError: 'bad-shape', upstreamStatus: 200 })
  })

  test('a TPNS error answer passes through with its own status and bytes', async () => {
    const body = '{"retCode":1008003,"errMsg":"auth failure"}'
    const denied = await startFakeTpns()
    denied.always({ status: 401, text: body, type: 'application/json' })
    const { app } = await setUp({}, denied)
    const answer = await upload(app)
    expect(answer.status).toBe(401)
    expect(answer.text).toBe(body)
  })

  test('a redirect is reported, not followed', async () => {
    const elsewhere = await startFakeTpns()
    running.push(elsewhere)
    const redirecting = await startFakeTpns()
    redirecting.always({
      status: 307,
      text: '',
      headers: { Location: `${elsewhere.url}/v3/push/package/upload` },
    })
    const { app } = await setUp({}, redirecting)
    const answer = await upload(app)
    expect(answer.status).toBe(502)
    expect(answer.json()).toMatchObject({ proxyError: 'redirect', upstreamStatus: 307 })
    expect(redirecting.requests).toHaveLength(1)
    expect(elsewhere.requests).toHaveLength(0)
  })
})

describe('GET /tpns/config', () => {
  test('without server credentials', async () => {
    const { app } = await setUp()
    const answer = await send(app.url, '/tpns/config', { method: 'GET' })
    expect(answer.status).toBe(200)
    expect(answer.json()).toEqual({
      serverCredentials: false,
      accessId: null,
      regions: ['guangzhou', 'shanghai', 'hongkong', 'singapore', 'sandbox'],
      defaultRegion: 'sandbox',
      apps: [],
      user: null,
    })
  })

  test('with server credentials: the AccessID, never the SecretKey', async () => {
    const { app } = await setUp({ TPNS_ACCESS_ID: '1500001234', TPNS_SECRET_KEY: 'sEcReT' })
    const answer = await send(app.url, '/tpns/config', { method: 'GET' })
    expect(answer.json()).toEqual({
      serverCredentials: true,
      accessId: '1500001234',
      regions: ['guangzhou', 'shanghai', 'hongkong', 'singapore', 'sandbox'],
      defaultRegion: null,
      apps: [],
      user: null,
    })
    expect(answer.text).not.toContain('sEcReT')
  })

  test('half a credential is no credential, and says so in the log', async () => {
    const { app } = await setUp({ TPNS_ACCESS_ID: '1500001234' })
    const answer = await send(app.url, '/tpns/config', { method: 'GET' })
    expect(answer.json()).toMatchObject({ serverCredentials: false, accessId: null })
    expect(app.logs.join('\n')).toContain('Only one of TPNS_ACCESS_ID and TPNS_SECRET_KEY is set')
  })
})

describe('secrets stay out of logs and error bodies', () => {
  test.each([
    ['server credentials', { TPNS_ACCESS_ID: 'AKID-visible', TPNS_SECRET_KEY: 'server-SECRET-42' }],
    ['browser credentials', {}],
  ])('with %s', async (_mode, credentials: Record<string, string>) => {
    const printed: string[] = []
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        printed.push(args.map(String).join(' '))
      })
    }
    const notJson = await startFakeTpns()
    notJson.always({ status: 200, text: 'nope' })
    running.push(notJson)
    const { app } = await setUp({
      ...credentials,
      TPNS_SHANGHAI_URL: `http://127.0.0.1:${await freePort()}`,
      TPNS_HONGKONG_URL: notJson.url,
      TPNS_UPSTREAM_TIMEOUT_MS: '2000',
    })
    const browserAuth = basic('browser-id', 'browser-SECRET-7')
    const bodies: string[] = []
    for (const region of ['guangzhou', 'shanghai', 'hongkong', 'sandbox', 'nowhere']) {
      const answer = await upload(
        app,
        { authorization: browserAuth },
        `/tpns/${region}/v3/push/package/upload`,
      )
      bodies.push(answer.text)
    }
    bodies.push((await send(app.url, '/tpns/config', { method: 'GET' })).text)

    const everything = [...app.logs, ...printed, ...bodies].join('\n')
    // The log does say what happened, so an empty log cannot pass this test.
    expect(everything).toContain('tpns proxy guangzhou: HTTP 200')
    expect(everything).toContain('tpns proxy shanghai: HTTP 502, unreachable')
    expect(everything).toContain('tpns proxy hongkong: HTTP 502, not-json')
    for (const secret of [
      'server-SECRET-42',
      basic('AKID-visible', 'server-SECRET-42').slice('Basic '.length),
      'browser-SECRET-7',
      browserAuth.slice('Basic '.length),
    ]) {
      expect(everything).not.toContain(secret)
    }
  })
})
