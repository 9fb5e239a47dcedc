/**
 * One choice the page remembers across visits in localStorage (a region, an app): read back
 * only when `accept` still takes it, and never an error where storage is off.
 */
export function rememberedChoice<T extends string>(
  key: string,
  accept: (value: string) => value is T,
) {
  return {
    read(): T | null {
      try {
        const value = localStorage.getItem(key)
        return value !== null && accept(value) ? value : null
      } catch {
        return null
      }
    },
    write(value: T): void {
      try {
        localStorage.setItem(key, value)
      } catch {
        // Not remembered; nothing else depends on it.
      }
    },
  }
}
