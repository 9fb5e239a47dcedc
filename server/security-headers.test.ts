import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { UPLOAD_PATH } from '../src/shared/access-points.ts'
import { startSandbox } from './sandbox-server.ts'
import { send, startApp, type Answer, type RunningApp } from './test-support.ts'

const CSP =
  "default-src 'self'; script-src 'self'; worker-src 'self' blob:; connect-src 'self'; " +
  "img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; " +
  "base-uri 'self'; form-action 'self'; object-src 'none'"

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((item) => item.close()))
})

function expectSecurityHeaders(answer: Answer): void {
  expect(answer.headers['content-security-policy']).toBe(CSP)
  expect(answer.headers['x-content-type-options']).toBe('nosniff')
  expect(answer.headers['referrer-policy']).toBe('no-referrer')
}

async function start(
  mode: 'production' | 'dev',
  env: Record<string, string> = {},
): Promise<RunningApp> {
  const app = await startApp(env, { mode })
  running.push(app)
  return app
}

const html = { method: 'GET', headers: { accept: 'text/html' } }

describe.each(['production', 'dev'] as const)('%s server', (mode) => {
  test.each([
    ['the page', '/', html, 200],
    ['an unknown page path (HTML fallback)', '/some/route', html, 200],
    [
      'a missing asset',
      '/assets/missing.js',
      { method: 'GET', headers: { accept: 'application/json' } },
      404,
    ],
    ['GET /tpns/config', '/tpns/config', { method: 'GET' }, 200],
    ['a proxy 404', '/tpns/nowhere', { method: 'POST' }, 404],
    ['a proxy 405', '/tpns/sandbox/v3/push/package/upload', { method: 'GET' }, 405],
  ])('%s carries the security headers', async (_name, path, options, status) => {
    const app = await start(mode)
    const answer = await send(app.url, path, options)
    expect(answer.status).toBe(status)
    expectSecurityHeaders(answer)
  })

  test('a refusal of a foreign Host carries them too', async () => {
    // Vite refuses unknown hosts by itself; the production server where it holds keys with
    // nobody checked (DNS rebinding would make another site same-origin with it).
    const app = await start(mode, { TPNS_ACCESS_ID: 'id', TPNS_SECRET_KEY: 'key' })
    const answer = await send(app.url, '/', { method: 'GET', headers: { host: 'evil.example' } })
    expect(answer.status).toBe(403)
    expectSecurityHeaders(answer)
  })
})

test('the built page is served as built: no inline script', async () => {
  const app = await start('production')
  const answer = await send(app.url, '/', html)
  expect(answer.text).toContain('<script type="module" src="/assets/app.js"></script>')
  expect(scriptsWithoutSrc(answer.text)).toEqual([])
  expectSecurityHeaders(await send(app.url, '/assets/app.js', { method: 'GET' }))
})

describe('dev page under script-src self', () => {
  test('has no inline script: the React refresh preamble is an external module', async () => {
    const app = await start('dev')
    const page = await send(app.url, '/', html)
    expect(page.text).toContain('<script type="module" src="/@tpns/react-preamble"></script>')
    expect(scriptsWithoutSrc(page.text)).toEqual([])
    // The preamble must still come before the app's entry so Fast Refresh is set up first.
    expect(page.text.indexOf('/@tpns/react-preamble')).toBeLessThan(page.text.indexOf('/main.ts'))
  })

  test('the preamble module loads plugin-react’s preamble, which installs the refresh hook', async () => {
    const app = await start('dev')
    const module = await send(app.url, '/@tpns/react-preamble', { method: 'GET' })
    expect(module.status).toBe(200)
    expect(module.headers['content-type']).toMatch(/javascript/)
    expectSecurityHeaders(module)
    const target = /import "([^"]+)"/.exec(module.text)?.[1]
    expect(target).toBe('/@id/__x00__@vitejs/plugin-react/preamble')
    const preamble = await send(app.url, target ?? '', { method: 'GET' })
    expect(preamble.text).toContain('injectIntoGlobalHook(window)')
    expect(preamble.text).toContain('/@react-refresh')
  })
})

test('the sandbox listener sets them on its own answers', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tpns-sandbox-headers-'))
  const sandbox = await startSandbox({
    dir,
    log: { info: () => undefined, warn: () => undefined },
  })
  running.push(sandbox, { close: () => rm(dir, { recursive: true, force: true }) })
  const answer = await send(sandbox.url.href, UPLOAD_PATH, {
    headers: { 'content-type': 'text/plain' },
  })
  expect(answer.json()).toEqual({ retCode: 1008003, errMsg: 'auth failure' })
  expectSecurityHeaders(answer)
  expect(sandbox.url.hostname).toBe('127.0.0.1')
})

function scriptsWithoutSrc(page: string): string[] {
  return [...page.matchAll(/<script\b[^>]*>/g)]
    .map((match) => match[0])
    .filter((tag) => !/\bsrc=/.test(tag))
}
