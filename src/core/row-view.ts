import { LOWER_BYTE } from './byte-classes.ts'
import { EXTRA_COLUMNS_BIT, INVALID_MASK, type RowCodes } from './problem-codes.ts'
import { arenaBytes, type RowStore } from './row-store.ts'

/** Every code bit that shows a problem on a row. */
export const PROBLEM_MASK = INVALID_MASK | EXTRA_COLUMNS_BIT

export interface RowFilter {
  /** Keep rows with any of these code bits; null keeps every row. */
  mask: number | null
  /** Keep rows whose value holds this text, ignoring ASCII case; empty keeps every row. */
  search: string
}

export const ALL_ROWS: RowFilter = { mask: null, search: '' }

/** The row indices a filter keeps, in order; null when it keeps every row. */
export function filterRows(
  store: RowStore,
  codes: RowCodes,
  filter: RowFilter,
): Uint32Array | null {
  if (filter.mask === null && filter.search === '') return null
  const needle = new TextEncoder().encode(filter.search)
  for (let index = 0; index < needle.length; index++) needle[index] = LOWER_BYTE[needle[index]]
  const kept = new Uint32Array(store.count)
  let count = 0
  for (let row = 0; row < store.count; row++) {
    if (filter.mask !== null && (codes[row] & filter.mask) === 0) continue
    if (
      needle.length > 0 &&
      !contains(arenaBytes(store.arena, store.start[row], store.length[row]), needle)
    )
      continue
    kept[count++] = row
  }
  return kept.slice(0, count)
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  const last = haystack.length - needle.length
  outer: for (let start = 0; start <= last; start++) {
    for (let offset = 0; offset < needle.length; offset++) {
      if (LOWER_BYTE[haystack[start + offset]] !== needle[offset]) continue outer
    }
    return true
  }
  return false
}

/** Position of a row in a view (or of the first row after it when the view leaves it out). */
export function positionOf(view: Uint32Array | null, row: number): number {
  if (view === null) return row
  let low = 0
  let high = view.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (view[middle] < row) low = middle + 1
    else high = middle
  }
  return low
}

/**
 * The next (or previous) position in a view, after `from`, whose row has a problem;
 * -1 when there is none that way.
 */
export function findProblem(
  view: Uint32Array | null,
  codes: RowCodes,
  from: number,
  direction: 1 | -1,
): number {
  const size = view === null ? codes.length : view.length
  for (let position = from + direction; position >= 0 && position < size; position += direction) {
    const row = view === null ? position : view[position]
    if (codes[row] & PROBLEM_MASK) return position
  }
  return -1
}
