import { describe, expect, it } from 'vitest'
import type { UploadSource } from './api/upload-package.ts'
import {
  IDLE,
  nextRunState,
  type RunEvent,
  type RunState,
  type RunTarget,
} from './upload-run-state.ts'

const part = (name: string, bytes = 100): UploadSource => ({
  name,
  file: new Blob(['x']),
  rows: 1,
  bytes,
  sha256: name,
})
const files = [part('a.txt'), part('b.txt', 200)]
const target: RunTarget = { region: 'sandbox', authorization: undefined, accessId: '1500000000' }
const reduce = (events: RunEvent[], from: RunState = IDLE) => events.reduce(nextRunState, from)
const start: RunEvent = { type: 'part-start', version: 3, files, index: 0, target, results: [] }
const progress = (index: number, loaded: number): RunEvent => ({
  type: 'part-progress',
  index,
  progress: { loaded, total: 100, bytesPerSecond: 10, secondsLeft: 1 },
})

describe('upload run', () => {
  it('prepare, then part 1 of 2, part 2 of 2, then succeeded with both uploadIds', () => {
    const first = reduce([{ type: 'prepare' }, start, progress(0, 50)])
    expect(first).toMatchObject({ phase: 'uploading', index: 0, progress: { loaded: 50 } })
    const second = reduce([{ type: 'part-uploaded', index: 0, uploadId: 11 }], first)
    expect(second).toMatchObject({
      phase: 'uploading',
      index: 1,
      progress: { loaded: 0, total: 200 },
      results: [{ name: 'a.txt', uploadId: 11 }],
    })
    expect(reduce([{ type: 'part-uploaded', index: 1, uploadId: 12 }], second)).toEqual({
      phase: 'succeeded',
      version: 3,
      target,
      results: [
        { name: 'a.txt', uploadId: 11 },
        { name: 'b.txt', uploadId: 12 },
      ],
    })
  })

  it('a retry shows its notice and starts the part’s progress over', () => {
    const retrying = reduce([
      start,
      progress(0, 80),
      {
        type: 'part-retry',
        index: 0,
        notice: { failure: { kind: 'network' }, delayMs: 1000, nextTry: 2, tries: 3 },
      },
    ])
    expect(retrying).toMatchObject({ retry: { nextTry: 2 }, progress: { loaded: 0, total: 100 } })
  })

  it('news about another part than the one uploading changes nothing', () => {
    const second = reduce([start, { type: 'part-uploaded', index: 0, uploadId: 11 }])
    expect(reduce([progress(0, 99)], second)).toBe(second)
    expect(reduce([{ type: 'part-failed', index: 0, failure: { kind: 'network' } }], second)).toBe(
      second,
    )
  })

  it('a failure is kept as what it was, at the part where it happened', () => {
    const failed = reduce([
      start,
      { type: 'part-uploaded', index: 0, uploadId: 11 },
      { type: 'part-failed', index: 1, failure: { kind: 'unexpected', message: 'boom' } },
    ])
    expect(failed).toMatchObject({
      phase: 'failed',
      index: 1,
      failure: { kind: 'unexpected', message: 'boom' },
      results: [{ name: 'a.txt', uploadId: 11 }],
    })
    const tpns = reduce([
      start,
      {
        type: 'part-failed',
        index: 0,
        failure: { kind: 'tpns', retCode: 1008003, errMsg: 'auth failure', status: 200 },
      },
    ])
    expect(tpns).toMatchObject({ phase: 'failed', failure: { kind: 'tpns', retCode: 1008003 } })
  })

  it('the clean files that cannot be made fail as `prepare`, and only while preparing', () => {
    const event: RunEvent = { type: 'prepare-failed', version: 3, target, message: 'gone' }
    expect(reduce([{ type: 'prepare' }, event])).toMatchObject({
      phase: 'failed',
      failure: { kind: 'prepare', message: 'gone' },
    })
    expect(reduce([event])).toBe(IDLE)
  })

  it('cancel keeps the part to resume from; a late progress after it changes nothing', () => {
    const cancelled = reduce([start, { type: 'part-cancelled', index: 0 }])
    expect(cancelled).toMatchObject({ phase: 'cancelled', index: 0, failure: null })
    expect(reduce([progress(0, 10)], cancelled)).toBe(cancelled)
  })

  it('asking before a repeat: confirm starts the parts, dismiss goes back to idle', () => {
    const repeats = [
      {
        file: files[0],
        earlier: {
          uploadId: 7,
          region: 'sandbox' as const,
          accessId: '1',
          sha256: 'a.txt',
          uploadedAt: '',
        },
      },
    ]
    const asking = reduce([
      { type: 'prepare' },
      { type: 'ask', files, from: 0, target, repeats, results: [] },
    ])
    expect(asking).toMatchObject({ phase: 'confirming', repeats })
    expect(reduce([{ type: 'dismiss' }], asking)).toBe(IDLE)
    expect(reduce([start], asking)).toMatchObject({ phase: 'uploading', index: 0 })
  })

  it('a second prepare while one runs changes nothing', () => {
    const uploading = reduce([start])
    expect(reduce([{ type: 'prepare' }], uploading)).toBe(uploading)
  })
})
