import type { RegionId } from '../../shared/access-points.ts'
import type { HistoryEntry } from './history-entry.ts'

export interface HistoryFilter {
  text: string
  region: RegionId | 'all'
  kind: HistoryEntry['kind'] | 'all'
  /** An app id; 'all' for every entry, with an app or without. */
  app: string | 'all'
}

/** Whether an entry shows under the search text (any of its identifiers) and the filters. */
export function matchesFilter(entry: HistoryEntry, filter: HistoryFilter): boolean {
  if (filter.region !== 'all' && entry.region !== filter.region) return false
  if (filter.kind !== 'all' && entry.kind !== filter.kind) return false
  if (filter.app !== 'all' && entry.app?.id !== filter.app) return false
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
    (entry.app !== undefined && entry.app.name.toLowerCase().includes(text)) ||
    (text.length >= 6 && entry.sha256.startsWith(text))
  )
}

/** The apps the entries went to, each once, by id, for the filter's choices. */
export function appsIn(entries: readonly HistoryEntry[]): Array<{ id: string; name: string }> {
  const apps = new Map<string, string>()
  for (const entry of entries) if (entry.app) apps.set(entry.app.id, entry.app.name)
  return [...apps].map(([id, name]) => ({ id, name }))
}
