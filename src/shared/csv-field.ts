/**
 * One CSV field (RFC 4180): quoted when it holds a separator, quote or line break. A value
 * a spreadsheet would run as a formula (a token package or a file name may hold anything,
 * say "=HYPERLINK(...)") is prefixed with an apostrophe.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}
