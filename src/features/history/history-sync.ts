import { z } from 'zod'

// Other tabs of this app learn of a change at once, without polling IndexedDB.
const CHANNEL = 'tpns-history'
const messageSchema = z.object({ type: z.literal('history-changed') })
type HistoryMessage = z.infer<typeof messageSchema>

/** Tells the other open tabs that the history changed. */
export function announceHistoryChange(): void {
  if (typeof BroadcastChannel === 'undefined') return
  const channel = new BroadcastChannel(CHANNEL)
  channel.postMessage({ type: 'history-changed' } satisfies HistoryMessage)
  channel.close()
}

/** Calls `listener` whenever another tab changes the history; returns the unsubscribe. */
export function subscribeToHistoryChanges(listener: () => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined
  const channel = new BroadcastChannel(CHANNEL)
  channel.onmessage = (event: MessageEvent<unknown>) => {
    if (messageSchema.safeParse(event.data).success) listener()
  }
  return () => channel.close()
}
