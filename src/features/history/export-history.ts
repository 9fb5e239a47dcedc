import { csvField } from '../../shared/csv-field.ts'
import { newHistoryEntrySchema, type HistoryEntry, type ListSummary } from './history-entry.ts'

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
  'sources',
  'exclusions',
  'app',
] as const satisfies ReadonlyArray<keyof HistoryEntry>

/**
 * The history as CSV (RFC 4180, CRLF), one entry a line; fixes, and lists as `name (rows)`,
 * joined with "; ".
 */
export function historyToCsv(entries: readonly HistoryEntry[]): string {
  const lines = [COLUMNS.join(',')]
  for (const entry of entries) {
    lines.push(
      COLUMNS.map((column) => {
        const value = entry[column]
        if (value === undefined) return ''
        // The app, by its id: names change, ids are the route's.
        if (!Array.isArray(value))
          return csvField(typeof value === 'object' ? value.id : String(value))
        const items = value.map((item: string | ListSummary) =>
          typeof item === 'string' ? item : `${item.name} (${item.rows})`,
        )
        return csvField(items.join('; '))
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
