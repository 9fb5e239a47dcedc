import { createStore, del, delMany, entries, set, type UseStore } from 'idb-keyval'

/**
 * Where the history lives: IndexedDB (database and store 'tpns-history'), or, when the
 * browser refuses IndexedDB (private windows, storage turned off, a broken profile), a Map
 * that lasts as long as the tab. Records go in and come out unparsed: reading parses them.
 */
export type StorageKind = 'indexeddb' | 'memory'

export interface StoredRecords {
  records: Array<[IDBValidKey, unknown]>
  storage: StorageKind
}

let idb: UseStore | null = null
let storage: StorageKind = typeof indexedDB === 'undefined' ? 'memory' : 'indexeddb'
const memory = new Map<IDBValidKey, unknown>()

function idbStore(): UseStore {
  idb ??= createStore('tpns-history', 'entries')
  return idb
}

// Once IndexedDB fails, the tab stays on memory: flipping back and forth would show a history
// that comes and goes. What was last read is carried over, so nothing vanishes from view.
async function withFallback<T>(
  onDisk: (store: UseStore) => Promise<T>,
  inMemory: () => T,
): Promise<T> {
  if (storage === 'indexeddb') {
    try {
      return await onDisk(idbStore())
    } catch {
      storage = 'memory'
    }
  }
  return inMemory()
}

export async function readRecords(): Promise<StoredRecords> {
  const records = await withFallback(
    async (store) => {
      const found = await entries<IDBValidKey, unknown>(store)
      memory.clear()
      for (const [key, value] of found) memory.set(key, value)
      return found
    },
    () => [...memory.entries()],
  )
  return { records, storage }
}

export async function writeRecord(key: string, value: unknown): Promise<StorageKind> {
  memory.set(key, value)
  await withFallback(
    (store) => set(key, value, store),
    () => undefined,
  )
  return storage
}

export async function deleteRecords(keys: IDBValidKey[]): Promise<void> {
  for (const key of keys) memory.delete(key)
  await withFallback(
    (store) => (keys.length === 1 ? del(keys[0], store) : delMany(keys, store)),
    () => undefined,
  )
}
