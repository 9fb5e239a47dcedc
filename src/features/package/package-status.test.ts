import { describe, expect, it } from 'vitest'
import { readySnapshot } from '../../testing/package-snapshot.ts'
import { INITIAL_STATE, nextState, type ClientState, type RunEvent } from './package-status.ts'

const reduce = (events: RunEvent[], from: ClientState = INITIAL_STATE) =>
  events.reduce(nextState, from)
const opened: RunEvent = { type: 'opened', fileName: 't.txt', size: 100 }
const progress = (done: number): RunEvent => ({
  type: 'progress',
  progress: { phase: 'reading', done, total: 100 },
})
const checked: RunEvent = { type: 'checked', snapshot: readySnapshot('t.txt') }

describe('package status', () => {
  it('a read: reading with its progress, then done', () => {
    const reading = reduce([opened, progress(40)])
    expect(reading.status).toEqual({
      state: 'reading',
      fileName: 't.txt',
      progress: { phase: 'reading', done: 40, total: 100 },
    })
    expect(reduce([checked], reading).status).toMatchObject({
      state: 'done',
      version: 1,
      busy: false,
    })
  })

  it('progress that arrives after the result is ignored (it left Firefox at "Reading… 100%")', () => {
    const done = reduce([opened, checked])
    expect(reduce([progress(100)], done)).toBe(done)
  })

  it('a step: busy, then the next version', () => {
    const done = reduce([opened, checked])
    const busy = reduce([{ type: 'busy' }], done)
    expect(busy.status).toMatchObject({ state: 'done', busy: true, version: 1 })
    expect(reduce([checked], busy).status).toMatchObject({ state: 'done', busy: false, version: 2 })
  })

  it('a step that fails: no longer busy, the package as it was, and why, until the next step', () => {
    const done = reduce([opened, checked])
    const failed = reduce([{ type: 'busy' }, { type: 'step-failed', message: 'changed' }], done)
    expect(failed.status).toMatchObject({ state: 'done', busy: false, stepError: 'changed' })
    expect(failed.status.state === 'done' && failed.status.snapshot).toBe(
      done.status.state === 'done' && done.status.snapshot,
    )
    expect(reduce([{ type: 'busy' }], failed).status).toMatchObject({ busy: true, stepError: null })
    expect(reduce([{ type: 'step-failed', message: 'x' }], INITIAL_STATE)).toBe(INITIAL_STATE)
  })

  it('versions keep counting across files, so nothing cached for one package fits the next', () => {
    const second = reduce([opened, checked, opened, progress(10), checked])
    expect(second.status).toMatchObject({ state: 'done', version: 2 })
  })

  it('a failure names the file, while reading or after', () => {
    expect(reduce([opened, { type: 'failed', message: 'm' }]).status).toEqual({
      state: 'failed',
      fileName: 't.txt',
      message: 'm',
    })
    expect(reduce([opened, checked, { type: 'failed', message: 'gone' }]).status).toEqual({
      state: 'failed',
      fileName: 't.txt',
      message: 'gone',
    })
  })

  it('cancel only while reading; nothing that comes after a cancel or a failure shows', () => {
    const cancelled = reduce([opened, { type: 'cancelled' }])
    expect(cancelled.status).toEqual({ state: 'cancelled', fileName: 't.txt' })
    expect(reduce([progress(50), checked, { type: 'busy' }], cancelled)).toBe(cancelled)
    const failed = reduce([opened, { type: 'failed', message: 'm' }])
    expect(reduce([checked, { type: 'failed', message: 'again' }], failed)).toBe(failed)
    const done = reduce([opened, checked])
    expect(reduce([{ type: 'cancelled' }], done)).toBe(done)
  })

  it('nothing but a new file leaves idle', () => {
    for (const event of [
      progress(1),
      checked,
      { type: 'busy' as const },
      { type: 'cancelled' as const },
    ])
      expect(reduce([event])).toBe(INITIAL_STATE)
    expect(reduce([{ type: 'failed', message: 'm' }])).toBe(INITIAL_STATE)
  })
})
