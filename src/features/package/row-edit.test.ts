import { describe, expect, it } from 'vitest'
import { NO_EDIT, nextEditState, type EditEvent, type EditState } from './row-edit.ts'

const reduce = (events: EditEvent[], from: EditState = NO_EDIT) =>
  events.reduce(nextEditState, from)
const start = (position: number, value = 'old'): EditEvent => ({
  type: 'start',
  version: 1,
  position,
  index: position + 100,
  value,
})

describe('row edit', () => {
  it('leaving the row keeps a changed value, once', () => {
    const kept = reduce([start(3), { type: 'draft', draft: 'new' }, { type: 'keep' }])
    expect(kept).toEqual({ editing: null, kept: [{ row: 103, value: 'new' }] })
    // Enter keeps it; the blur that follows as the focus moves must not keep it again.
    expect(reduce([{ type: 'keep' }], kept)).toBe(kept)
  })

  it('Escape drops the edit, and the blur after it keeps nothing', () => {
    const state = reduce([
      start(3),
      { type: 'draft', draft: 'new' },
      { type: 'cancel' },
      { type: 'keep' },
    ])
    expect(state).toEqual(NO_EDIT)
  })

  it('an unchanged value is not sent', () => {
    expect(reduce([start(3), { type: 'draft', draft: 'old' }, { type: 'keep' }])).toEqual(NO_EDIT)
  })

  it('starting another row keeps the one being left, and queues edits until sent', () => {
    const state = reduce([
      start(1),
      { type: 'draft', draft: 'a' },
      start(2),
      { type: 'draft', draft: 'b' },
      { type: 'keep' },
    ])
    expect(state.kept).toEqual([
      { row: 101, value: 'a' },
      { row: 102, value: 'b' },
    ])
    expect(reduce([{ type: 'sent', count: 1 }], state).kept).toEqual([{ row: 102, value: 'b' }])
  })

  it('typing with no row open changes nothing', () => {
    expect(reduce([{ type: 'draft', draft: 'x' }])).toBe(NO_EDIT)
  })
})
