import { nameLength, stemOf } from './file-name.ts'
import { MAX_NAME_LENGTH, MAX_PACKAGE_BYTES } from './problem-codes.ts'
import { arenaBytes, type RowStore } from './row-store.ts'

const LF = 0x0a

/** Bytes of the clean package: each value as UTF-8, one a line, LF after each. */
export function cleanBytesLength(store: RowStore, from = 0, to = store.count): number {
  let total = 0
  for (let row = from; row < to; row++) total += store.length[row] + 1
  return total
}

/** Writes rows [from, to) as the clean package: UTF-8 without BOM, LF line breaks, original order. */
export function buildCleanBytes(
  store: RowStore,
  from = 0,
  to = store.count,
): Uint8Array<ArrayBuffer> {
  const output = new Uint8Array(cleanBytesLength(store, from, to))
  const { base } = store.arena
  let position = 0
  let row = from
  while (row < to) {
    const address = store.start[row]
    // Consecutive LF-separated rows of the original file are copied as one run.
    let runEnd = row + 1
    let end = address + store.length[row]
    if (address < base.length) {
      while (
        runEnd < to &&
        store.start[runEnd] === end + 1 &&
        base[end] === LF &&
        store.start[runEnd] + store.length[runEnd] < base.length
      ) {
        end = store.start[runEnd] + store.length[runEnd]
        runEnd++
      }
    }
    output.set(arenaBytes(store.arena, address, end - address), position)
    position += end - address
    output[position++] = LF
    row = runEnd
  }
  return output
}

/** The clean package's name: the original's, as .txt, at most 100 characters. */
export function cleanFileName(originalName: string, suffix = ''): string {
  const stem = stemOf(originalName).trim() || 'tokens'
  const extension = `${suffix}.txt`
  const room = MAX_NAME_LENGTH - nameLength(extension)
  const chars = [...stem]
  return (chars.length > room ? chars.slice(0, room).join('') : stem) + extension
}

export interface PackagePart {
  name: string
  from: number
  to: number
  bytes: number
}

/**
 * Splits the rows into parts that each fit TPNS's size limit, cutting only between rows.
 * A package within the limit is one part with the plain clean name.
 */
export function planParts(
  store: RowStore,
  originalName: string,
  limit = MAX_PACKAGE_BYTES,
): PackagePart[] {
  const total = cleanBytesLength(store)
  if (total <= limit)
    return [{ name: cleanFileName(originalName), from: 0, to: store.count, bytes: total }]
  const ranges: Array<{ from: number; to: number; bytes: number }> = []
  let from = 0
  let bytes = 0
  for (let row = 0; row < store.count; row++) {
    const size = store.length[row] + 1
    if (bytes + size > limit && row > from) {
      ranges.push({ from, to: row, bytes })
      from = row
      bytes = 0
    }
    bytes += size
  }
  if (from < store.count) ranges.push({ from, to: store.count, bytes })
  return ranges.map((range, index) => ({
    ...range,
    name: cleanFileName(originalName, `-part${index + 1}`),
  }))
}
