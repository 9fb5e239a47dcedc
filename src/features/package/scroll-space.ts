/** Height of one row, in CSS pixels; every row has it, so positions are arithmetic. */
export const ROW_HEIGHT = 32

/**
 * The tallest scroll area the list asks a browser for. Browsers stop laying out elements
 * somewhere past 16 million pixels (Chromium, Firefox), and 2.7 million rows need 86 million,
 * so beyond this height the scrollbar stands for the rows in proportion instead of 1:1.
 */
export const MAX_SCROLL_HEIGHT = 8_000_000

/** The rows' own (virtual) height and the real height of the scroll area that stands for it. */
export interface ScrollSpace {
  /** Height of every row stacked: what the list would be without the browser's cap. */
  content: number
  /** Height of the element that scrolls: `content`, capped. */
  real: number
  /** Visible height of the scrolling element. */
  viewport: number
}

export function scrollSpace(
  count: number,
  viewport: number,
  rowHeight = ROW_HEIGHT,
  cap = MAX_SCROLL_HEIGHT,
): ScrollSpace {
  const content = Math.max(0, count) * rowHeight
  return { content, real: Math.min(content, Math.max(cap, viewport)), viewport }
}

/** True when the scrollbar stands for the rows in proportion rather than pixel for pixel. */
export function isScaled(space: ScrollSpace): boolean {
  return space.real < space.content
}

export function maxOffset(space: ScrollSpace): number {
  return Math.max(0, space.content - space.viewport)
}

function maxReal(space: ScrollSpace): number {
  return Math.max(0, space.real - space.viewport)
}

export function clampOffset(space: ScrollSpace, offset: number): number {
  return Math.min(Math.max(0, offset), maxOffset(space))
}

/** The rows' offset shown when the scrolling element is at `scrollTop`; both ends map exactly. */
export function toOffset(space: ScrollSpace, scrollTop: number): number {
  const realMax = maxReal(space)
  if (!isScaled(space)) return clampOffset(space, scrollTop)
  if (realMax === 0 || scrollTop <= 0) return 0
  if (scrollTop >= realMax) return maxOffset(space)
  return (scrollTop / realMax) * maxOffset(space)
}

/** The `scrollTop` that shows the rows from `offset`. */
export function toScrollTop(space: ScrollSpace, offset: number): number {
  const clamped = clampOffset(space, offset)
  if (!isScaled(space)) return clamped
  const virtualMax = maxOffset(space)
  if (virtualMax === 0) return 0
  return (clamped / virtualMax) * maxReal(space)
}

/** Positions to render for a scroll offset: those in sight plus `overscan` on each side. */
export function visibleRange(
  space: ScrollSpace,
  offset: number,
  count: number,
  overscan: number,
  rowHeight = ROW_HEIGHT,
): { start: number; end: number } {
  const top = clampOffset(space, offset)
  const first = Math.floor(top / rowHeight)
  const last = Math.ceil((top + space.viewport) / rowHeight)
  return { start: Math.max(0, first - overscan), end: Math.min(count, last + overscan) }
}

/** The offset that brings `position` into sight, moving as little as possible. */
export function offsetToReveal(
  space: ScrollSpace,
  offset: number,
  position: number,
  rowHeight = ROW_HEIGHT,
): number {
  const top = position * rowHeight
  const bottom = top + rowHeight
  if (top < offset) return clampOffset(space, top)
  if (bottom > offset + space.viewport) return clampOffset(space, bottom - space.viewport)
  return clampOffset(space, offset)
}

/** A wheel event's vertical distance in pixels, whatever unit the device reported. */
export function wheelPixels(
  deltaY: number,
  deltaMode: number,
  viewport: number,
  rowHeight = ROW_HEIGHT,
): number {
  if (deltaMode === 1) return deltaY * rowHeight
  if (deltaMode === 2) return deltaY * viewport
  return deltaY
}
