/** How fast an upload goes and how long it has left, from recent progress samples. */
export interface TransferRate {
  bytesPerSecond: number | null
  secondsLeft: number | null
}

// A few seconds of samples: long enough to smooth out bursts, short enough to follow a
// connection that slows down.
const WINDOW_MS = 3_000

export interface RateMeter {
  sample(loaded: number, total: number, now: number): TransferRate
}

export function createRateMeter(): RateMeter {
  const samples: Array<{ at: number; loaded: number }> = []
  return {
    sample(loaded, total, now) {
      samples.push({ at: now, loaded })
      while (samples.length > 2 && now - samples[0].at > WINDOW_MS) samples.shift()
      const first = samples[0]
      const elapsed = (now - first.at) / 1000
      if (elapsed < 0.2 || loaded <= first.loaded)
        return { bytesPerSecond: null, secondsLeft: null }
      const bytesPerSecond = (loaded - first.loaded) / elapsed
      return { bytesPerSecond, secondsLeft: Math.max(0, (total - loaded) / bytesPerSecond) }
    },
  }
}
