import { csvField } from '../../shared/csv-field.ts'
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
        return csvField(Array.isArray(value) ? value.join('; ') : String(value))
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
