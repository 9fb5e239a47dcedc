import { LOWER_BYTE, SPACE, TAB } from './byte-classes.ts'
import { classifyRows, summarize, type RowClassification } from './classify-rows.ts'
import { EXTRA_COLUMNS_BIT, INVALID_MASK, ROW_BIT, type PackageKind } from './problem-codes.ts'
import { repairValue } from './repair-value.ts'
import { appendToArena, arenaBytes, lineOf, RowBuilder, type RowStore } from './row-store.ts'

/** What one pass over the rows does. Several fixes can share one pass (fix-all). */
export interface RowTransform {
  /** Rows whose codes meet this mask are removed. */
  removeMask: number
  trim: boolean
  lowercase: boolean
  /** Keep only the first CSV column. */
  firstColumnOnly: boolean
  /** Rows with any of these codes (invisible, wrapped) get their value repaired (repair-value.ts). */
  repairMask: number
  /** Whose rules a repair follows (an account keeps its full-width letters). */
  kind: PackageKind
}

export interface TransformedRows {
  store: RowStore
  classification: RowClassification
  /** Rows changed or removed. */
  changed: number
  /**
   * Some value was repaired: what counts as the same value may have changed (two rows that
   * differed by a zero-width space are now duplicates), so the codes must be found again.
   */
  reclassify: boolean
}

/**
 * Applies a fix to every row in one pass, building new columns (the old ones stay valid for
 * undo). Codes are carried over rather than recomputed: duplicates already compare the
 * trimmed, lowercased value, so trimming, lowercasing and removing rows leave every other
 * row's codes as they were.
 */
export function transformRows(
  store: RowStore,
  classification: RowClassification,
  transform: RowTransform,
): TransformedRows {
  const { count, start, length, fullLength, arena } = store
  const source = classification.codes
  const rows = new RowBuilder(count)
  const codes = new Uint16Array(count)
  // The hash is of the trimmed, case-folded value: trimming and lowercasing keep it.
  const hashes = new Uint32Array(count)
  const full = transform.firstColumnOnly || fullLength === null ? null : new Uint32Array(count)
  let changed = 0
  let reclassify = false
  let scratch = new Uint8Array(64)
  let clearBits = 0
  if (transform.trim) clearBits |= ROW_BIT.whitespace
  if (transform.lowercase) clearBits |= ROW_BIT.uppercase
  if (transform.firstColumnOnly) clearBits |= EXTRA_COLUMNS_BIT

  for (let row = 0; row < count; row++) {
    const code = source[row]
    if (code & transform.removeMask) {
      changed++
      continue
    }
    let address = start[row]
    let size = length[row]
    let rowFull = fullLength === null ? size : fullLength[row]
    if (code & transform.repairMask) {
      const bytes = arenaBytes(arena, address, rowFull)
      if (scratch.length < size) scratch = new Uint8Array(size * 2)
      const { value } = repairValue(bytes, 0, size, scratch, transform.kind)
      changed++
      reclassify = true
      // A line that was only JSON punctuation held no value.
      if (value.length === 0) continue
      const rest = transform.firstColumnOnly ? new Uint8Array(0) : bytes.subarray(size)
      const repaired = new Uint8Array(value.length + rest.length)
      repaired.set(value)
      repaired.set(rest, value.length)
      // Only a token's repaired value is uppercase (the classifier says so in its code): an
      // account keeps its case, `"Bob"` stays `Bob`.
      if (transform.lowercase && code & ROW_BIT.uppercase)
        for (let offset = 0; offset < value.length; offset++)
          repaired[offset] = LOWER_BYTE[repaired[offset]]
      codes[rows.count] = code & ~clearBits & ~transform.repairMask
      // A repaired value hashes anew: the caller classifies again (reclassify).
      if (full) full[rows.count] = repaired.length
      rows.push(appendToArena(arena, repaired), value.length, lineOf(store, row))
      continue
    }
    if (transform.trim && code & ROW_BIT.whitespace) {
      const bytes = arenaBytes(arena, address, size)
      let first = 0
      let last = size
      while (first < last && (bytes[first] === SPACE || bytes[first] === TAB)) first++
      while (last > first && (bytes[last - 1] === SPACE || bytes[last - 1] === TAB)) last--
      // A row without more columns ends where its value ends; one with more keeps the rest.
      rowFull = rowFull === size ? last - first : rowFull - first
      address += first
      size = last - first
    }
    if (transform.lowercase && code & ROW_BIT.uppercase) {
      // The rest of a CSV row follows its value, so both move to the arena together.
      const keep = transform.firstColumnOnly ? size : rowFull
      const lowered = new Uint8Array(arenaBytes(arena, address, keep))
      for (let offset = 0; offset < size; offset++) lowered[offset] = LOWER_BYTE[lowered[offset]]
      address = appendToArena(arena, lowered)
    }
    if (code & clearBits) changed++
    codes[rows.count] = code & ~clearBits
    hashes[rows.count] = classification.hashes[row]
    if (full) full[rows.count] = rowFull
    rows.push(address, size, lineOf(store, row))
  }
  const next = rows.toStore(arena, full)
  const kept = codes.subarray(0, rows.count)
  return {
    store: next,
    classification: {
      ...summarize(kept),
      nonAscii: classification.nonAscii,
      hashes: hashes.subarray(0, rows.count),
    },
    changed,
    reclassify,
  }
}

export const NO_TRANSFORM: RowTransform = {
  removeMask: 0,
  trim: false,
  lowercase: false,
  firstColumnOnly: false,
  repairMask: 0,
  kind: 'token',
}

/** Every invalid row, for fix-invalid. */
export const INVALID_ROWS = INVALID_MASK

/** Replaces one row's value with new text; the whole package is classified again. */
export function editRow(
  store: RowStore,
  row: number,
  value: string,
  options: Parameters<typeof classifyRows>[1],
): { store: RowStore; classification: RowClassification } {
  const bytes = new TextEncoder().encode(value)
  const address = appendToArena(store.arena, bytes)
  const start = store.start.slice(0, store.count)
  const length = store.length.slice(0, store.count)
  start[row] = address
  length[row] = bytes.length
  let fullLength = store.fullLength ? store.fullLength.slice(0, store.count) : null
  if (fullLength) {
    fullLength[row] = bytes.length
    // The edited row may have been the last with more columns.
    if (fullLength.every((size, index) => size === length[index])) fullLength = null
  }
  const edited: RowStore = {
    ...store,
    start,
    length,
    line: store.line ? store.line.slice(0, store.count) : null,
    fullLength,
  }
  return { store: edited, classification: classifyRows(edited, options) }
}

/** Removes the given rows (indices in any order); other rows keep their codes but duplicates are found again. */
export function deleteRows(
  store: RowStore,
  rows: Iterable<number>,
  options: Parameters<typeof classifyRows>[1],
): { store: RowStore; classification: RowClassification } {
  const remove = new Uint8Array(store.count)
  for (const row of rows) if (row >= 0 && row < store.count) remove[row] = 1
  const kept = new RowBuilder(store.count)
  const full = store.fullLength ? new Uint32Array(store.count) : null
  for (let row = 0; row < store.count; row++) {
    if (remove[row]) continue
    if (full && store.fullLength) full[kept.count] = store.fullLength[row]
    kept.push(store.start[row], store.length[row], lineOf(store, row))
  }
  const next = kept.toStore(store.arena, full)
  // Removing a first occurrence makes the next copy the first: duplicates need a fresh look.
  return { store: next, classification: classifyRows(next, options) }
}
