/** Counts failures per key (a user name, an address) over a sliding window. */
export interface AttemptLimiter {
  /** Milliseconds until `key` may try again; 0 when it may now. */
  blockedFor(key: string, now: number): number
  fail(key: string, now: number): void
  /** Takes back the latest failure of `key` (an attempt counted ahead that did not fail). */
  forgive(key: string): void
  clear(key: string): void
}

// Keys an attacker can make up (user names) must not grow memory without end.
const MAX_KEYS = 10_000

export function createAttemptLimiter(options: { max: number; windowMs: number }): AttemptLimiter {
  const failures = new Map<string, number[]>()
  const recent = (key: string, now: number) =>
    (failures.get(key) ?? []).filter((time) => now - time < options.windowMs)
  return {
    blockedFor(key, now) {
      const times = recent(key, now)
      if (times.length < options.max) return 0
      return times[times.length - options.max] + options.windowMs - now
    },
    fail(key, now) {
      const times = recent(key, now)
      times.push(now)
      failures.delete(key)
      failures.set(key, times)
      if (failures.size > MAX_KEYS) {
        const oldest = failures.keys().next().value
        if (oldest !== undefined) failures.delete(oldest)
      }
    },
    forgive(key) {
      failures.get(key)?.pop()
    },
    clear(key) {
      failures.delete(key)
    },
  }
}
