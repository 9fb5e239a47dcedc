import { useMutation, useQueryClient } from '@tanstack/react-query'
import {
  historyEntrySchema,
  newHistoryEntrySchema,
  type HistoryEntry,
  type NewHistoryEntry,
} from '../history-entry.ts'
import { writeRecord } from '../history-store.ts'
import { announceHistoryChange } from '../history-sync.ts'
import { historyQueryOptions } from './get-history.ts'

/** Keeps one uploaded package in the history and tells the other tabs. */
export async function addHistoryEntry(entry: NewHistoryEntry): Promise<HistoryEntry> {
  const record = historyEntrySchema.parse({ ...newHistoryEntrySchema.parse(entry), id: newId() })
  await writeRecord(record.id, record)
  announceHistoryChange()
  return record
}

// crypto.randomUUID needs a secure context; a page served over plain HTTP on a LAN has none.
function newId(): string {
  if (typeof crypto.randomUUID === 'function' && isSecureContext) return crypto.randomUUID()
  const random = crypto.getRandomValues(new Uint32Array(4))
  return `${Date.now().toString(36)}-${[...random].map((n) => n.toString(36)).join('')}`
}

export function useAddHistoryEntry() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationKey: ['upload-history', 'add'],
    mutationFn: addHistoryEntry,
    networkMode: 'always',
    onSuccess: () => queryClient.invalidateQueries({ queryKey: historyQueryOptions().queryKey }),
  })
}
