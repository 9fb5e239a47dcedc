import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { flushSync } from 'react-dom'
import {
  ROW_HEIGHT,
  clampOffset,
  isScaled,
  offsetToReveal,
  scrollSpace,
  toOffset,
  toScrollTop,
  visibleRange,
  wheelPixels,
  type ScrollSpace,
} from './scroll-space.ts'

/** Height assumed until the scrolling element has been measured. */
const FIRST_VIEWPORT = 480

export interface RowWindow {
  /** Callback ref for the scrolling element. */
  attach: (element: HTMLDivElement | null) => void
  element: HTMLDivElement | null
  onScroll: () => void
  space: ScrollSpace
  /** The rows' scroll offset (unscaled pixels from the first row). */
  offset: number
  /** Positions to render: in sight plus the overscan. */
  start: number
  end: number
  /** Where the first rendered row goes, in the scrolling element's (real) pixels. */
  top: number
  /** Rows that a PageUp/PageDown moves by. */
  pageRows: number
  /** The first position wholly or partly in sight. */
  firstVisible: number
  scrollToOffset: (offset: number) => void
  /** Scrolls as little as needed to bring `position` into sight. */
  reveal: (position: number) => void
}

/**
 * Windowing for `count` fixed-height rows in one scrolling element, through any number of rows.
 *
 * The rows are laid out in their own (virtual) pixel space, `count × ROW_HEIGHT`, which may be
 * far taller than a browser lets an element be. The scrolling element holds a spacer of the
 * capped height, and the rendered rows are placed in it where the scrollbar stands, shifted
 * by how far the virtual offset is into the first of them. While the rows fit under the cap
 * the two spaces are the same: rows sit at their own place and scroll natively. Past it,
 * dragging the scrollbar maps its position in proportion (both ends exactly, so the last row
 * is always reachable), and wheel and keyboard moves are applied to the virtual offset itself,
 * so a wheel notch still moves a few rows, not hundreds.
 */
export function useRowWindow(count: number, overscan = 8): RowWindow {
  // State for the effects that observe the element, a ref for the handlers that scroll it.
  const [element, setElement] = useState<HTMLDivElement | null>(null)
  const scroller = useRef<HTMLDivElement | null>(null)
  const [viewport, setViewport] = useState(FIRST_VIEWPORT)
  const [wantedOffset, setOffset] = useState(0)
  const space = useMemo(() => scrollSpace(count, viewport), [count, viewport])
  const offset = clampOffset(space, wantedOffset)

  // What handlers outside React's render (scroll, wheel) need of the latest render.
  const latest = useRef({ space, offset })
  // Where the element is scrolled to as far as this hook knows (reading it would force a
  // layout), and what it last wrote: the scroll event a write causes must not remap the offset.
  const knownTop = useRef(0)
  const written = useRef<number | null>(null)

  const attach = useCallback((next: HTMLDivElement | null) => {
    scroller.current = next
    knownTop.current = 0
    written.current = null
    setElement(next)
  }, [])

  useLayoutEffect(() => {
    latest.current = { space, offset }
  })

  const write = useCallback((target: ScrollSpace, next: number) => {
    const current = scroller.current
    if (!current) return
    const top = toScrollTop(target, next)
    current.scrollTop = top
    knownTop.current = top
    written.current = top
  }, [])

  // A new count or viewport changes the mapping: keep showing the same rows.
  useLayoutEffect(() => {
    const shown = latest.current.offset
    if (Math.abs(knownTop.current - toScrollTop(space, shown)) >= 1) write(space, shown)
  }, [element, space, write])

  useEffect(() => {
    if (!element) return
    const measure = () => setViewport(element.clientHeight || FIRST_VIEWPORT)
    const observer = new ResizeObserver(measure)
    observer.observe(element)
    return () => observer.disconnect()
  }, [element])

  useEffect(() => {
    if (!element) return
    const onWheel = (event: WheelEvent) => {
      const { space: current, offset: from } = latest.current
      if (!isScaled(current) || event.ctrlKey || event.deltaY === 0) return
      const next = clampOffset(
        current,
        from + wheelPixels(event.deltaY, event.deltaMode, current.viewport),
      )
      // At either end, let the wheel scroll the page instead.
      if (next === from) return
      event.preventDefault()
      write(current, next)
      latest.current = { space: current, offset: next }
      flushSync(() => setOffset(next))
    }
    element.addEventListener('wheel', onWheel, { passive: false })
    return () => element.removeEventListener('wheel', onWheel)
  }, [element, write])

  const onScroll = useCallback(() => {
    if (!scroller.current) return
    const top = scroller.current.scrollTop
    knownTop.current = top
    if (written.current !== null && Math.abs(top - written.current) < 1) return
    written.current = null
    const next = toOffset(latest.current.space, top)
    latest.current = { ...latest.current, offset: next }
    // Rows are drawn from the offset, not by the browser's scrolling: draw them this frame.
    flushSync(() => setOffset(next))
  }, [])

  const scrollToOffset = useCallback(
    (next: number) => {
      const current = latest.current.space
      const target = clampOffset(current, next)
      write(current, target)
      latest.current = { space: current, offset: target }
      setOffset(target)
    },
    [write],
  )

  const reveal = useCallback(
    (position: number) => {
      const { space: current, offset: from } = latest.current
      scrollToOffset(offsetToReveal(current, from, position))
    },
    [scrollToOffset],
  )

  const { start, end } = visibleRange(space, offset, count, overscan)
  return {
    attach,
    element,
    onScroll,
    space,
    offset,
    start,
    end,
    top: toScrollTop(space, offset) + start * ROW_HEIGHT - offset,
    pageRows: Math.max(1, Math.floor(space.viewport / ROW_HEIGHT) - 1),
    firstVisible: Math.min(Math.max(0, count - 1), Math.ceil(offset / ROW_HEIGHT)),
    scrollToOffset,
    reveal,
  }
}
