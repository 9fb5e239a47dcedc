import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { startFakeTpns, type FakeTpns } from '../src/testing/node/fake-tpns.ts'
import { multipart } from '../src/testing/node/multipart.ts'
import { send, signIn, startApp, tokens, usersFile, type RunningApp } from './test-support.ts'

const PASSWORD = 'correct horse battery staple'
let users = ''
let upstream: FakeTpns
const running: RunningApp[] = []

beforeAll(async () => {
  users = await usersFile({ alice: PASSWORD, 'bob@example.com': 'another long password' })
  upstream = await startFakeTpns()
})
afterAll(() => upstream.close())
afterEach(async () => {
  upstream.reset()
  await Promise.all(running.splice(0).map((app) => app.close()))
})

async function start(env: Record<string, string> = {}): Promise<RunningApp> {
  const app = await startApp({
    TPNS_USERS_FILE: users,
    TPNS_SESSION_SECRET: 'x'.repeat(32),
    TPNS_ACCESS_ID: '1500001234',
    TPNS_SECRET_KEY: 'server-SECRET-1',
    TPNS_GUANGZHOU_URL: upstream.url,
    ...env,
  })
  running.push(app)
  return app
}

function upload(app: RunningApp, headers: Record<string, string> = {}) {
  const form = multipart([{ field: 'file', fileName: 'tokens.txt', content: tokens(3) }])
  return send(app.url, '/tpns/guangzhou/v3/push/package/upload', {
    headers: { 'content-type': form.contentType, ...headers },
    body: form.body,
  })
}

describe('sign-in with TPNS_USERS_FILE', () => {
  test('without a session: APIs answer 401, the page and /healthz are served', async () => {
    const app = await start()
    const config = await send(app.url, '/tpns/config', { method: 'GET' })
    expect(config.status).toBe(401)
    expect(config.json()).toMatchObject({ proxyError: 'unauthenticated' })
    expect((await upload(app)).status).toBe(401)
    expect(upstream.requests).toHaveLength(0)
    expect((await send(app.url, '/', { method: 'GET' })).status).toBe(200)
    expect((await send(app.url, '/healthz', { method: 'GET' })).json()).toEqual({ ok: true })
    expect((await send(app.url, '/auth/session', { method: 'GET' })).json()).toEqual({
      user: null,
      signIn: 'password',
    })
  })

  test('the right password: 204 and an HttpOnly SameSite=Strict cookie that opens the APIs', async () => {
    const app = await start()
    const { answer, cookie } = await signIn(app.url, 'alice', PASSWORD)
    expect(answer.status).toBe(204)
    const setCookie = answer.headers['set-cookie']?.[0] ?? ''
    expect(setCookie).toMatch(
      /^tpns_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/,
    )
    const config = await send(app.url, '/tpns/config', {
      method: 'GET',
      headers: { cookie: cookie ?? '' },
    })
    expect(config.json()).toMatchObject({ user: 'alice', serverCredentials: true })
    expect((await upload(app, { cookie: cookie ?? '' })).status).toBe(200)
    expect(upstream.requests).toHaveLength(1)
    expect(app.audit.map((line) => line.user)).toEqual(['alice'])
  })

  test('a forged or altered cookie is no session', async () => {
    const app = await start()
    const { cookie } = await signIn(app.url, 'alice', PASSWORD)
    const [name, value] = (cookie ?? '').split('=')
    const [data, signature] = value.split('.')
    const other = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(data, 'base64url').toString()),
        u: 'bob@example.com',
      }),
    ).toString('base64url')
    for (const bad of [
      `${name}=${other}.${signature}`,
      `${name}=${data}.AAAA`,
      `${name}=${data}`,
    ]) {
      expect(
        (await send(app.url, '/tpns/config', { method: 'GET', headers: { cookie: bad } })).status,
      ).toBe(401)
    }
    // Another secret (another deployment, or a restart without TPNS_SESSION_SECRET): no session.
    const elsewhere = await start({ TPNS_SESSION_SECRET: 'y'.repeat(32) })
    const there = await send(elsewhere.url, '/tpns/config', {
      method: 'GET',
      headers: { cookie: cookie ?? '' },
    })
    expect(there.status).toBe(401)
  })

  test('wrong password or unknown user: 401; then 429 with Retry-After for that user', async () => {
    const app = await start()
    const wrong = await signIn(app.url, 'alice', 'not the password')
    expect(wrong.answer.status).toBe(401)
    expect(wrong.answer.json()).toMatchObject({ proxyError: 'sign-in-failed' })
    expect(wrong.cookie).toBeNull()
    expect((await signIn(app.url, 'mallory', PASSWORD)).answer.status).toBe(401)
    for (let i = 0; i < 4; i++) await signIn(app.url, 'alice', `guess ${i}`)
    const limited = await signIn(app.url, 'alice', PASSWORD)
    expect(limited.answer.status).toBe(429)
    expect(Number(limited.answer.headers['retry-after'])).toBeGreaterThan(800)
    expect(limited.cookie).toBeNull()
    // Another user from the same address is not locked out by alice's failures (6 so far < 20).
    expect((await signIn(app.url, 'bob@example.com', 'another long password')).answer.status).toBe(
      204,
    )
    expect(app.logs.join('\n')).toContain('sign-in failed (user "alice"')
    expect(app.logs.join('\n')).not.toContain('guess 1')
  })

  test('repeated failures from one address: 429 for any user from it', async () => {
    const app = await start()
    // Two at a time, as many as the server hashes at once: none is turned away busy.
    for (let i = 0; i < 20; i += 2) {
      const pair = [signIn(app.url, `user${i}`, 'wrong'), signIn(app.url, `user${i + 1}`, 'wrong')]
      expect((await Promise.all(pair)).map(({ answer }) => answer.status)).toEqual([401, 401])
    }
    expect((await signIn(app.url, 'alice', PASSWORD)).answer.status).toBe(429)
  })

  test('guesses sent all at once are counted before they are checked', async () => {
    const app = await start()
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => signIn(app.url, 'alice', `guess ${i}`)),
    )
    const statuses = answers.map(({ answer }) => answer.status)
    expect(statuses.filter((status) => status === 401)).toHaveLength(5)
    expect(statuses.filter((status) => status === 429)).toHaveLength(3)
  })

  test('sign-out ends the session, even for a copy of the cookie', async () => {
    const app = await start()
    const { cookie } = await signIn(app.url, 'alice', PASSWORD)
    const headers = { cookie: cookie ?? '' }
    const out = await send(app.url, '/auth/logout', { headers })
    expect(out.status).toBe(204)
    expect(out.headers['set-cookie']?.[0]).toMatch(/^tpns_session=; .*Max-Age=0/)
    expect((await send(app.url, '/tpns/config', { method: 'GET', headers })).status).toBe(401)
  })

  test('Secure behind a trusted https proxy, not from an untrusted one', async () => {
    const app = await start({ TPNS_TRUSTED_PROXIES: '127.0.0.1' })
    const behind = await signIn(app.url, 'alice', PASSWORD, { 'x-forwarded-proto': 'https' })
    expect(behind.answer.headers['set-cookie']?.[0]).toMatch(/; Secure$/)
    const untrusted = await start({ TPNS_TRUSTED_PROXIES: '10.0.0.0/8' })
    const direct = await signIn(untrusted.url, 'alice', PASSWORD, { 'x-forwarded-proto': 'https' })
    expect(direct.answer.headers['set-cookie']?.[0]).not.toMatch(/Secure/)
  })

  test('sign-in from another site is refused (scheme and host compared)', async () => {
    const app = await start()
    for (const origin of ['https://evil.example', app.url.replace('http:', 'https:')]) {
      const { answer } = await signIn(app.url, 'alice', PASSWORD, { origin })
      expect(answer.status).toBe(403)
    }
    expect((await signIn(app.url, 'alice', PASSWORD, { origin: app.url })).answer.status).toBe(204)
  })

  test('nothing secret reaches the logs or the audit', async () => {
    const app = await start()
    await signIn(app.url, 'alice', 'wrong-SECRET-pw')
    const { cookie } = await signIn(app.url, 'alice', PASSWORD)
    await upload(app, { cookie: cookie ?? '' })
    const everything = JSON.stringify([app.logs, app.audit])
    for (const secret of [
      'wrong-SECRET-pw',
      PASSWORD,
      'server-SECRET-1',
      cookie ?? 'x',
      'scrypt$',
    ]) {
      expect(everything).not.toContain(secret)
    }
  })
})

describe('the trusted user header', () => {
  const env = {
    TPNS_USERS_FILE: '',
    TPNS_TRUSTED_USER_HEADER: 'X-Forwarded-Email',
  }

  test('from a listed proxy it names the user; from anywhere else it is ignored', async () => {
    const trusted = await start({
      ...env,
      TPNS_TRUSTED_PROXIES: '::ffff:127.0.0.0/104, 10.0.0.0/8',
    })
    const headers = { 'x-forwarded-email': 'carol@example.com' }
    const config = await send(trusted.url, '/tpns/config', { method: 'GET', headers })
    expect(config.json()).toMatchObject({ user: 'carol@example.com' })
    expect((await upload(trusted, headers)).status).toBe(200)
    expect(trusted.audit[0]).toMatchObject({ user: 'carol@example.com' })

    const elsewhere = await start({ ...env, TPNS_TRUSTED_PROXIES: '192.0.2.1, 2001:db8::/32' })
    expect((await send(elsewhere.url, '/tpns/config', { method: 'GET', headers })).status).toBe(401)
    expect((await upload(elsewhere, headers)).status).toBe(401)
    expect(upstream.requests).toHaveLength(1)
  })
})
