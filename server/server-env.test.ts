import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { exposureProblem, readServerEnv } from './server-env.ts'

describe('readServerEnv', () => {
  test('defaults: the table’s base URLs, .sandbox/, 60 s, no credentials', () => {
    const env = readServerEnv({})
    expect(env.credentials).toBeNull()
    expect(env.upstreams.guangzhou.href).toBe('https://api.tpns.tencent.com/')
    expect(env.upstreams.singapore.href).toBe('https://api.tpns.sgp.tencent.com/')
    expect(env.sandboxDir).toBe(resolve('.sandbox'))
    expect(env.upstreamTimeoutMs).toBe(60_000)
    expect(env.warnings).toEqual([])
  })

  test('overrides, trimmed; empty values count as unset', () => {
    const env = readServerEnv({
      TPNS_ACCESS_ID: ' 1500001234 ',
      TPNS_SECRET_KEY: 'key',
      TPNS_SHANGHAI_URL: 'http://127.0.0.1:9000/prefix',
      TPNS_HONGKONG_URL: '',
      TPNS_SANDBOX_DIR: '/tmp/box',
      TPNS_UPSTREAM_TIMEOUT_MS: '250',
    })
    expect(env.credentials).toEqual({ accessId: '1500001234', secretKey: 'key' })
    expect(env.upstreams.shanghai.href).toBe('http://127.0.0.1:9000/prefix')
    expect(env.upstreams.hongkong.href).toBe('https://api.tpns.hk.tencent.com/')
    expect(env.sandboxDir).toBe('/tmp/box')
    expect(env.upstreamTimeoutMs).toBe(250)
  })

  test.each([
    ['TPNS_GUANGZHOU_URL', 'ftp://example.com', 'must be an http(s) URL'],
    ['TPNS_SINGAPORE_URL', 'not a url', 'must be an http(s) URL'],
    ['TPNS_SHANGHAI_URL', 'https://user:pw@example.com', 'must not carry credentials'],
    ['TPNS_HONGKONG_URL', 'https://example.com/?a=1', 'must not have a query or fragment'],
    ['TPNS_UPSTREAM_TIMEOUT_MS', 'soon', 'whole number of milliseconds'],
    ['TPNS_UPSTREAM_TIMEOUT_MS', '0', 'TPNS_UPSTREAM_TIMEOUT_MS'],
  ])('%s=%s is refused at start-up', (name, value, message) => {
    expect(() => readServerEnv({ [name]: value })).toThrow(message)
    expect(() => readServerEnv({ [name]: value })).toThrow(name)
  })

  test('the error names variables, never their values', () => {
    let message = ''
    try {
      readServerEnv({ TPNS_SECRET_KEY: 'SECRET-x', TPNS_GUANGZHOU_URL: 'https://u:SECRET-y@h' })
    } catch (error) {
      message = error instanceof Error ? error.message : ''
    }
    expect(message).toContain('TPNS_GUANGZHOU_URL: must not carry credentials')
    expect(message).not.toContain('SECRET')
  })

  test('half a credential: none, with a warning', () => {
    const env = readServerEnv({ TPNS_SECRET_KEY: 'key' })
    expect(env.credentials).toBeNull()
    expect(env.warnings).toHaveLength(1)
  })
})

describe('apps, access and the start refusal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tpns-env-'))
  const file = (name: string, content: unknown) => {
    const path = join(dir, name)
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content))
    return path
  }
  const app = {
    id: 'shop-ios',
    name: 'Shop – iOS',
    region: 'singapore',
    accessId: '1600000002',
    secretKeyEnv: 'SHOP_IOS_KEY',
  }

  test('an apps file: apps with their keys from the named variables; sandbox off', () => {
    const env = readServerEnv({
      TPNS_APPS_FILE: file('good.json', { apps: [app] }),
      SHOP_IOS_KEY: ' k3y ',
    })
    expect(env.apps).toEqual([
      {
        id: 'shop-ios',
        name: 'Shop – iOS',
        region: 'singapore',
        accessId: '1600000002',
        secretKey: 'k3y',
      },
    ])
    expect(env.sandbox).toBe(false)
    expect(readServerEnv({}).sandbox).toBe(true)
    expect(readServerEnv({ TPNS_SANDBOX: 'off' }).sandbox).toBe(false)
  })

  test.each([
    ['not JSON', '{apps:', 'is not JSON'],
    ['no apps', { apps: [] }, 'apps: must list at least one app'],
    ['a bad id', { apps: [{ ...app, id: 'Shop iOS' }] }, 'apps.0.id: must be 1 to 64 lowercase'],
    [
      'a bad region',
      { apps: [{ ...app, region: 'mars' }] },
      'apps.0.region: must be one of guangzhou',
    ],
    ['the sandbox as a region', { apps: [{ ...app, region: 'sandbox' }] }, 'apps.0.region'],
    [
      'a key in the file',
      { apps: [{ ...app, secretKey: 'SECRET-in-file' }] },
      'apps.0: Unrecognized key: "secretKey"',
    ],
    ['a missing field', { apps: [{ ...app, accessId: undefined }] }, 'apps.0.accessId'],
    ['a twice-used id', { apps: [app, app] }, 'apps.1.id: is used twice'],
  ])('an apps file with %s stops the start, naming the field', (_name, content, message) => {
    const path = file(`bad-${_name}.json`, content)
    expect(() => readServerEnv({ TPNS_APPS_FILE: path, SHOP_IOS_KEY: 'k' })).toThrow(message)
    try {
      readServerEnv({ TPNS_APPS_FILE: path, SHOP_IOS_KEY: 'k' })
    } catch (error) {
      expect(String(error)).not.toContain('SECRET-in-file')
    }
  })

  test('a missing key variable is named, and no value is shown', () => {
    const path = file('missing.json', { apps: [app] })
    expect(() => readServerEnv({ TPNS_APPS_FILE: path })).toThrow(
      'apps.0.secretKeyEnv: SHOP_IOS_KEY is not set (app shop-ios)',
    )
    expect(() => readServerEnv({ TPNS_APPS_FILE: join(dir, 'nowhere.json') })).toThrow(
      'cannot be read (ENOENT)',
    )
  })

  test('the apps file and the single pair together are refused', () => {
    expect(() =>
      readServerEnv({
        TPNS_APPS_FILE: file('both.json', { apps: [app] }),
        SHOP_IOS_KEY: 'k',
        TPNS_ACCESS_ID: 'a',
        TPNS_SECRET_KEY: 'b',
      }),
    ).toThrow('set either it or TPNS_ACCESS_ID/TPNS_SECRET_KEY')
  })

  test('the trusted header needs its proxies, and they must parse', () => {
    expect(() => readServerEnv({ TPNS_TRUSTED_USER_HEADER: 'X-User' })).toThrow(
      'TPNS_TRUSTED_PROXIES: must name the proxies',
    )
    expect(() =>
      readServerEnv({ TPNS_TRUSTED_USER_HEADER: 'X-User', TPNS_TRUSTED_PROXIES: '10.0.0.0/33' }),
    ).toThrow('"10.0.0.0/33" is not an IP address or CIDR')
    const env = readServerEnv({
      TPNS_TRUSTED_USER_HEADER: 'X-User',
      TPNS_TRUSTED_PROXIES: '10.0.0.0/8, ::1, fd00::/8',
    })
    expect(env.trustedUserHeader).toBe('x-user')
    expect(() => readServerEnv({ TPNS_SESSION_SECRET: 'short' })).toThrow('at least 32')
  })

  test.each([
    ['127.0.0.1', {}, null],
    ['0.0.0.0', {}, null],
    ['0.0.0.0', { TPNS_ACCESS_ID: 'a', TPNS_SECRET_KEY: 'b' }, 'Refusing to start'],
    ['::', { TPNS_ACCESS_ID: 'a', TPNS_SECRET_KEY: 'b' }, 'HOST=:: is not a loopback address'],
    [
      '192.168.1.5',
      { TPNS_ACCESS_ID: 'a', TPNS_SECRET_KEY: 'b' },
      'TPNS_ACCESS_ID/TPNS_SECRET_KEY',
    ],
    ['localhost', { TPNS_ACCESS_ID: 'a', TPNS_SECRET_KEY: 'b' }, null],
    ['::1', { TPNS_ACCESS_ID: 'a', TPNS_SECRET_KEY: 'b' }, null],
    ['127.0.0.2', { TPNS_ACCESS_ID: 'a', TPNS_SECRET_KEY: 'b' }, null],
    ['0.0.0.0', { TPNS_ACCESS_ID: 'a', TPNS_SECRET_KEY: 'b', TPNS_USERS_FILE: 'u.json' }, null],
    [
      '0.0.0.0',
      {
        TPNS_ACCESS_ID: 'a',
        TPNS_SECRET_KEY: 'b',
        TPNS_TRUSTED_USER_HEADER: 'X-User',
        TPNS_TRUSTED_PROXIES: '10.0.0.1',
      },
      null,
    ],
  ])('HOST=%s with %j: %s', (host, source, problem) => {
    const found = exposureProblem(readServerEnv(source), host)
    if (problem === null) expect(found).toBeNull()
    else expect(found).toContain(problem)
  })

  test('an apps file on an open HOST without a guard is refused, naming the file', () => {
    const env = readServerEnv({
      TPNS_APPS_FILE: file('open.json', { apps: [app] }),
      SHOP_IOS_KEY: 'k',
    })
    expect(exposureProblem(env, '0.0.0.0')).toContain('(TPNS_APPS_FILE)')
  })
})
