import type { RowView } from './package-worker-api.ts'

/** Rows asked of the worker in one message, aligned on multiples of this. */
export const WINDOW_SIZE = 64

/** Windows kept per version; about 16k rows, far more than a screen with its overscan. */
const MAX_WINDOWS = 256

export interface CachedRow {
  row: RowView
  /** False while the row is from an earlier version of the package, shown until its refetch. */
  fresh: boolean
}

/**
 * The view's rows fetched from the worker in aligned windows and kept by (version, position).
 * A newer version starts a fresh cache; the previous one still fills in the rows on screen
 * until theirs arrive, so an edit does not flash empty rows. Plain TypeScript with a
 * subscribe/revision pair for `useSyncExternalStore`.
 */
export interface RowCache {
  /** Fetches whatever windows over [from, to) of `version` are neither cached nor asked for. */
  request(version: number, from: number, to: number): void
  get(version: number, position: number): CachedRow | undefined
  subscribe(listener: () => void): () => void
  revision(): number
}

interface Generation {
  version: number
  windows: Map<number, RowView[]>
  pending: Set<number>
}

export function createRowCache(
  read: (from: number, count: number) => Promise<RowView[]>,
  windowSize = WINDOW_SIZE,
  maxWindows = MAX_WINDOWS,
): RowCache {
  let current: Generation = { version: -1, windows: new Map(), pending: new Set() }
  let previous: Generation | null = null
  let revision = 0
  const listeners = new Set<() => void>()

  function notify(): void {
    revision++
    for (const listener of listeners) listener()
  }

  function advance(version: number): void {
    if (version <= current.version) return
    if (current.windows.size > 0) previous = current
    current = { version, windows: new Map(), pending: new Set() }
  }

  function fetchWindow(generation: Generation, window: number): void {
    generation.pending.add(window)
    // The client throws at once when the worker is gone; a promise turns that into a rejection.
    Promise.resolve()
      .then(() => read(window * windowSize, windowSize))
      .then(
        (rows) => {
          generation.pending.delete(window)
          if (generation !== current) return
          generation.windows.set(window, rows)
          evict(generation)
          notify()
        },
        () => generation.pending.delete(window),
      )
  }

  function evict(generation: Generation): void {
    // Maps iterate in insertion order: the oldest windows go first.
    for (const window of generation.windows.keys()) {
      if (generation.windows.size <= maxWindows) break
      generation.windows.delete(window)
    }
  }

  function lookup(generation: Generation, position: number): RowView | undefined {
    const rows = generation.windows.get(Math.floor(position / windowSize))
    return rows?.[position % windowSize]
  }

  return {
    request(version, from, to) {
      advance(version)
      if (version !== current.version || to <= from) return
      const first = Math.floor(Math.max(0, from) / windowSize)
      const last = Math.floor((to - 1) / windowSize)
      for (let window = first; window <= last; window++) {
        if (!current.windows.has(window) && !current.pending.has(window)) {
          fetchWindow(current, window)
        }
      }
    },

    get(version, position) {
      const row = lookup(current, position)
      if (row) return { row, fresh: current.version === version }
      const stale = previous && lookup(previous, position)
      return stale ? { row: stale, fresh: false } : undefined
    },

    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    revision: () => revision,
  }
}
