import { describe, expect, it } from 'vitest'
import {
  MAX_SCROLL_HEIGHT,
  ROW_HEIGHT,
  isScaled,
  maxOffset,
  offsetToReveal,
  scrollSpace,
  toOffset,
  toScrollTop,
  visibleRange,
  wheelPixels,
} from './scroll-space.ts'

describe('scrollSpace', () => {
  it('is pixel for pixel while the rows fit under the cap', () => {
    const space = scrollSpace(1000, 600)
    expect(space).toEqual({ content: 32_000, real: 32_000, viewport: 600 })
    expect(isScaled(space)).toBe(false)
    expect(toOffset(space, 1234)).toBe(1234)
    expect(toScrollTop(space, 1234)).toBe(1234)
    expect(toOffset(space, 99_999)).toBe(maxOffset(space))
  })

  it('caps 2.7 million rows and still maps both ends exactly', () => {
    const space = scrollSpace(2_700_000, 600)
    expect(space.content).toBe(2_700_000 * ROW_HEIGHT)
    expect(space.real).toBe(MAX_SCROLL_HEIGHT)
    expect(isScaled(space)).toBe(true)
    expect(toOffset(space, 0)).toBe(0)
    const bottom = space.real - space.viewport
    expect(toOffset(space, bottom)).toBe(space.content - 600)
    expect(toScrollTop(space, space.content)).toBe(bottom)
    // The last row sits at the bottom of the viewport at the end of the scrollbar.
    const { end } = visibleRange(space, toOffset(space, bottom), 2_700_000, 0)
    expect(end).toBe(2_700_000)
  })

  it('round-trips offsets through the scrollbar', () => {
    const space = scrollSpace(2_700_000, 600)
    for (const offset of [0, 1, 31_999, 43_200_000, space.content - 601]) {
      expect(toOffset(space, toScrollTop(space, offset))).toBeCloseTo(offset, 3)
    }
  })

  it('never reports a negative range for an empty view', () => {
    const space = scrollSpace(0, 600)
    expect(maxOffset(space)).toBe(0)
    expect(toOffset(space, 50)).toBe(0)
    expect(visibleRange(space, 0, 0, 5)).toEqual({ start: 0, end: 0 })
  })
})

describe('visibleRange', () => {
  it('covers the rows in sight plus the overscan, within the view', () => {
    const space = scrollSpace(1000, 320)
    expect(visibleRange(space, 0, 1000, 4)).toEqual({ start: 0, end: 14 })
    expect(visibleRange(space, 3200 + 16, 1000, 4)).toEqual({ start: 96, end: 115 })
    expect(visibleRange(space, 1e9, 1000, 4)).toEqual({ start: 986, end: 1000 })
  })
})

describe('offsetToReveal', () => {
  const space = scrollSpace(1000, 320)
  it('leaves the offset alone when the row is in sight', () => {
    expect(offsetToReveal(space, 320, 12)).toBe(320)
  })
  it('moves up or down just enough', () => {
    expect(offsetToReveal(space, 320, 3)).toBe(96)
    expect(offsetToReveal(space, 320, 30)).toBe(31 * ROW_HEIGHT - 320)
    expect(offsetToReveal(space, 0, 999)).toBe(maxOffset(space))
  })
})

describe('wheelPixels', () => {
  it('turns lines and pages into pixels', () => {
    expect(wheelPixels(100, 0, 600)).toBe(100)
    expect(wheelPixels(3, 1, 600)).toBe(3 * ROW_HEIGHT)
    expect(wheelPixels(-1, 2, 600)).toBe(-600)
  })
})
