const UNITS = ['B', 'KB', 'MB', 'GB'] as const

/** Sizes in powers of 1024, as the rest of the page shows them (TPNS's 100 MB is 100 MiB). */
export function formatSize(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1
  return `${value.toFixed(digits)} ${UNITS[unit]}`
}
