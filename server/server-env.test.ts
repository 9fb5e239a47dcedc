import { resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { readServerEnv } from './server-env.ts'

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
