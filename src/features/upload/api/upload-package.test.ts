import { describe, expect, it, vi } from 'vitest'
import {
  abortError,
  interpretAnswer,
  isAbortError,
  isRetryable,
  withRetry,
  type AttemptOutcome,
} from './upload-package.ts'

describe('interpretAnswer', () => {
  it('takes retCode 0 with an uploadId as success', () => {
    const body = JSON.stringify({ retCode: 0, errMsg: 'NO_ERROR', uploadId: 42 })
    expect(interpretAnswer(200, body)).toEqual({ ok: true, uploadId: 42 })
  })

  it('keeps TPNS retCodes whatever the HTTP status', () => {
    const body = JSON.stringify({ retCode: 1008003, errMsg: 'auth failure' })
    expect(interpretAnswer(401, body)).toEqual({
      ok: false,
      failure: { kind: 'tpns', retCode: 1008003, errMsg: 'auth failure', status: 401 },
    })
  })

  it('reads proxy errors', () => {
    const body = JSON.stringify({ proxyError: 'timeout', message: 'slow' })
    expect(interpretAnswer(504, body)).toEqual({
      ok: false,
      failure: { kind: 'proxy', code: 'timeout', message: 'slow', status: 504 },
    })
  })

  it('calls retCode 0 without an uploadId a bad answer', () => {
    const body = JSON.stringify({ retCode: 0, errMsg: '' })
    expect(interpretAnswer(200, body)).toEqual({
      ok: false,
      failure: { kind: 'bad-answer', status: 200 },
    })
  })

  it('does not trust HTML or unknown JSON', () => {
    expect(interpretAnswer(502, '<html>Bad gateway</html>')).toEqual({
      ok: false,
      failure: { kind: 'http', status: 502 },
    })
    expect(interpretAnswer(200, '{"uploadId":"7"}')).toEqual({
      ok: false,
      failure: { kind: 'bad-answer', status: 200 },
    })
  })
})

describe('isRetryable', () => {
  it('retries network errors and gateway statuses only', () => {
    expect(isRetryable({ kind: 'network' })).toBe(true)
    expect(isRetryable({ kind: 'http', status: 503 })).toBe(true)
    expect(isRetryable({ kind: 'http', status: 404 })).toBe(false)
    expect(isRetryable({ kind: 'proxy', code: 'unreachable', message: '', status: 502 })).toBe(true)
    expect(isRetryable({ kind: 'proxy', code: 'timeout', message: '', status: 504 })).toBe(true)
    expect(isRetryable({ kind: 'proxy', code: 'redirect', message: '', status: 502 })).toBe(false)
    const notJson = { kind: 'proxy', code: 'not-json', message: '', status: 502 } as const
    expect(isRetryable({ ...notJson, upstreamStatus: 502 })).toBe(true)
    // The upstream answered 200: it may have taken the file, and a retry could upload twice.
    expect(isRetryable({ ...notJson, upstreamStatus: 200 })).toBe(false)
    expect(isRetryable({ ...notJson, code: 'bad-shape', upstreamStatus: 201 })).toBe(false)
    expect(isRetryable({ kind: 'proxy', code: 'too-large', message: '', status: 413 })).toBe(false)
    expect(isRetryable({ kind: 'offline' })).toBe(false)
  })

  it('never retries once TPNS answered a retCode, even with a 503', () => {
    expect(isRetryable({ kind: 'tpns', retCode: 1008028, errMsg: '', status: 503 })).toBe(false)
  })
})

describe('withRetry', () => {
  const signal = new AbortController().signal
  const wait = vi.fn(() => Promise.resolve())
  const down: AttemptOutcome = { ok: false, failure: { kind: 'http', status: 503 } }

  it('tries again after transient failures and stops at success', async () => {
    const attempt = vi
      .fn<() => Promise<AttemptOutcome>>()
      .mockResolvedValueOnce(down)
      .mockResolvedValueOnce({ ok: true, uploadId: 9 })
    const onRetry = vi.fn()
    const outcome = await withRetry(attempt, { delays: [1, 2, 4], signal, wait, onRetry })
    expect(outcome).toEqual({ ok: true, uploadId: 9 })
    expect(attempt).toHaveBeenCalledTimes(2)
    expect(onRetry).toHaveBeenCalledWith(
      expect.objectContaining({ delayMs: 1, nextTry: 2, tries: 4 }),
    )
  })

  it('gives up after the last delay', async () => {
    const attempt = vi.fn(() => Promise.resolve(down))
    const outcome = await withRetry(attempt, { delays: [1, 2, 4], signal, wait })
    expect(outcome).toEqual(down)
    expect(attempt).toHaveBeenCalledTimes(4)
  })

  it('does not retry a TPNS refusal', async () => {
    const refused: AttemptOutcome = {
      ok: false,
      failure: { kind: 'tpns', retCode: 1008011, errMsg: 'upload file error', status: 200 },
    }
    const attempt = vi.fn(() => Promise.resolve(refused))
    expect(await withRetry(attempt, { delays: [1, 2, 4], signal, wait })).toEqual(refused)
    expect(attempt).toHaveBeenCalledTimes(1)
  })

  it('stops waiting when cancelled', async () => {
    const controller = new AbortController()
    const attempt = vi.fn(() => Promise.resolve(down))
    const running = withRetry(attempt, { delays: [60_000], signal: controller.signal })
    await Promise.resolve()
    controller.abort()
    await expect(running).rejects.toSatisfy(isAbortError)
    expect(isAbortError(abortError())).toBe(true)
  })
})
