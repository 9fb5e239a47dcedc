import { newHistoryEntrySchema, type HistoryEntry } from './history-entry.ts'

const COLUMNS = [
  'uploadId',
  'region',
  'accessId',
  'fileName',
  'rows',
  'bytes',
  'sha256',
  'uploadedAt',
  'kind',
  'fixes',
] as const satisfies ReadonlyArray<keyof HistoryEntry>

/** The history as CSV (RFC 4180, CRLF), one entry a line, fixes joined with "; ". */
export function historyToCsv(entries: readonly HistoryEntry[]): string {
  const lines = [COLUMNS.join(',')]
  for (const entry of entries) {
    lines.push(
      COLUMNS.map((column) => {
        const value = entry[column]
        return csvCell(Array.isArray(value) ? value.join('; ') : String(value))
      }).join(','),
    )
  }
  return lines.join('\r\n') + '\r\n'
}

/** The history as JSON: the stored entries, without the internal ids. */
export function historyToJson(entries: readonly HistoryEntry[]): string {
  // The schema without `id` strips it: what is exported is exactly what an entry records.
  return JSON.stringify(
    entries.map((entry) => newHistoryEntrySchema.parse(entry)),
    null,
    2,
  )
}

// A cell a spreadsheet would run as a formula (a file may be named "=HYPERLINK(...)") is
// prefixed with an apostrophe; cells with separators, quotes or line breaks are quoted.
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}
