const UNITS = ['B', 'KB', 'MB', 'GB'] as const

/** Sizes as people read them, in powers of 1024 (TPNS's 100 MB is 104,857,600 bytes). */
export function formatBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1
  return `${value.toFixed(digits)} ${UNITS[unit]}`
}
