import type { ReactNode } from 'react'
import { useAddHistoryEntry } from './api/add-history-entry.ts'
import { useHistory } from './api/get-history.ts'
import type { HistoryEntry, NewHistoryEntry } from './history-entry.ts'

export interface HistoryAccessValue {
  /** Newest first; empty until read. */
  entries: readonly HistoryEntry[]
  /** Keeps an uploaded package; resolves once stored (on disk, or in memory as a fallback). */
  add: (entry: NewHistoryEntry) => Promise<HistoryEntry>
}

/**
 * Lends the history to a sibling feature through a render prop, so that app.tsx can wire the
 * upload to the history without either feature importing the other.
 */
export function HistoryAccess({
  children,
}: {
  children: (history: HistoryAccessValue) => ReactNode
}) {
  const history = useHistory()
  const add = useAddHistoryEntry()
  return children({ entries: history.data?.entries ?? [], add: add.mutateAsync })
}
