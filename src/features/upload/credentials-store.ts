import { useSyncExternalStore } from 'react'
import { z } from 'zod'

export interface Credentials {
  accessId: string
  secretKey: string
  /** The user asked to keep them in sessionStorage, which ends with the tab. */
  rememberInTab: boolean
}

// sessionStorage only, and only when asked: never localStorage, IndexedDB, a URL or a log.
const SESSION_KEY = 'tpns.credentials'
const storedSchema = z.object({ accessId: z.string(), secretKey: z.string() })
const EMPTY: Credentials = { accessId: '', secretKey: '', rememberInTab: false }

// Module state rather than component state: the key survives the upload panel unmounting
// (another file dropped) without being written anywhere.
let current: Credentials = readSession()
const listeners = new Set<() => void>()

function readSession(): Credentials {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY)
    if (raw === null) return EMPTY
    const stored = storedSchema.safeParse(JSON.parse(raw))
    return stored.success ? { ...stored.data, rememberInTab: true } : EMPTY
  } catch {
    return EMPTY
  }
}

export function setCredentials(next: Credentials): void {
  current = next
  try {
    if (next.rememberInTab) {
      const { accessId, secretKey } = next
      sessionStorage.setItem(SESSION_KEY, JSON.stringify({ accessId, secretKey }))
    } else {
      sessionStorage.removeItem(SESSION_KEY)
    }
  } catch {
    // Storage refused: the credentials still hold in memory for this page.
  }
  for (const listener of listeners) listener()
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function useCredentials(): Credentials {
  return useSyncExternalStore(subscribe, () => current)
}
