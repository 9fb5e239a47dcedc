import { useMutation, useQueryClient } from '@tanstack/react-query'
import { deleteRecords } from '../history-store.ts'
import { announceHistoryChange } from '../history-sync.ts'
import { historyQueryOptions } from './get-history.ts'

/** Removes entries (or unreadable records) by key and tells the other tabs. */
export async function deleteHistoryEntries(keys: IDBValidKey[]): Promise<void> {
  if (keys.length === 0) return
  await deleteRecords(keys)
  announceHistoryChange()
}

export function useDeleteHistoryEntries() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationKey: ['upload-history', 'delete'],
    mutationFn: deleteHistoryEntries,
    networkMode: 'always',
    onSuccess: () => queryClient.invalidateQueries({ queryKey: historyQueryOptions().queryKey }),
  })
}
