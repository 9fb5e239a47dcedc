import type { RegionId } from '../../shared/access-points.ts'
import type { HistoryEntry } from './history-entry.ts'

export interface HistoryFilter {
  text: string
  region: RegionId | 'all'
  kind: HistoryEntry['kind'] | 'all'
}

/** Whether an entry shows under the search text (any of its identifiers) and the filters. */
export function matchesFilter(entry: HistoryEntry, filter: HistoryFilter): boolean {
  if (filter.region !== 'all' && entry.region !== filter.region) return false
  if (filter.kind !== 'all' && entry.kind !== filter.kind) return false
  const text = filter.text.trim().toLowerCase()
  if (text === '') return true
  // Numbers are everywhere in these fields: an uploadId matches from its start, and a hash
  // only from its start and with enough of it typed to mean that hash.
  return (
    String(entry.uploadId).startsWith(text) ||
    entry.fileName.toLowerCase().includes(text) ||
    [...entry.sources, ...entry.exclusions].some((list) =>
      list.name.toLowerCase().includes(text),
    ) ||
    entry.accessId.toLowerCase().includes(text) ||
    (text.length >= 6 && entry.sha256.startsWith(text))
  )
}
