import { describe, expect, test } from 'vitest'
import { signInOutcome } from './sign-in-outcome.ts'

describe('signInOutcome', () => {
  test('204 is in; 401 wrong; 503 busy', () => {
    expect(signInOutcome(204, null, '')).toEqual({ ok: true })
    expect(signInOutcome(401, null, '{"proxyError":"sign-in-failed","message":"x"}')).toEqual({
      ok: false,
      reason: 'wrong',
    })
    expect(signInOutcome(503, '2', '')).toEqual({ ok: false, reason: 'busy' })
  })

  test('429 says how many minutes to wait, rounded up, 15 when the server does not say', () => {
    expect(signInOutcome(429, '61', '')).toEqual({ ok: false, reason: 'limited', minutes: 2 })
    expect(signInOutcome(429, '900', '')).toEqual({ ok: false, reason: 'limited', minutes: 15 })
    expect(signInOutcome(429, null, '')).toEqual({ ok: false, reason: 'limited', minutes: 15 })
    expect(signInOutcome(429, 'soon', '')).toEqual({ ok: false, reason: 'limited', minutes: 15 })
  })

  test('anything else: the server’s message, else the status', () => {
    expect(
      signInOutcome(403, null, '{"proxyError":"cross-origin","message":"Own page only."}'),
    ).toEqual({ ok: false, reason: 'other', message: 'Own page only.' })
    expect(signInOutcome(502, null, '<html>')).toEqual({
      ok: false,
      reason: 'other',
      message: 'HTTP 502',
    })
  })
})
