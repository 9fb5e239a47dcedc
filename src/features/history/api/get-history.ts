import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { historyEntrySchema, type HistoryEntry } from '../history-entry.ts'
import { readRecords, type StorageKind } from '../history-store.ts'
import { subscribeToHistoryChanges } from '../history-sync.ts'

export interface HistoryRead {
  /** Newest first. */
  entries: HistoryEntry[]
  /** Keys of stored records that are not history entries (corrupt, or from another version). */
  skipped: IDBValidKey[]
  storage: StorageKind
}

/** Reads every stored record, keeping those that parse; a bad record is skipped, not fatal. */
export async function getHistory(): Promise<HistoryRead> {
  const { records, storage } = await readRecords()
  const entries: HistoryEntry[] = []
  const skipped: IDBValidKey[] = []
  for (const [key, value] of records) {
    const parsed = historyEntrySchema.safeParse(value)
    if (parsed.success && parsed.data.id === key) entries.push(parsed.data)
    else skipped.push(key)
  }
  entries.sort((a, b) => (a.uploadedAt < b.uploadedAt ? 1 : a.uploadedAt > b.uploadedAt ? -1 : 0))
  return { entries, skipped, storage }
}

export const historyQueryOptions = () =>
  queryOptions({
    queryKey: ['upload-history'],
    queryFn: getHistory,
    // IndexedDB is on this machine: being offline must not pause reading it.
    networkMode: 'always',
  })

/** The history, kept current when this tab or another one changes it. */
export function useHistory() {
  const queryClient = useQueryClient()
  useEffect(
    () =>
      subscribeToHistoryChanges(() => {
        void queryClient.invalidateQueries({ queryKey: historyQueryOptions().queryKey })
      }),
    [queryClient],
  )
  return useQuery(historyQueryOptions())
}
