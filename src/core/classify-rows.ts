import {
  BYTE_CLASS,
  CONTROL,
  CR,
  HIGH,
  LF,
  LOWER_BYTE,
  LOWER_HEX,
  SPACE,
  TAB,
  UPPER_HEX,
} from './byte-classes.ts'
import {
  ACCOUNT_MAX_LENGTH,
  ACCOUNT_MIN_LENGTH,
  EXTRA_COLUMNS_BIT,
  INVALID_MASK,
  ROW_BIT,
  ROW_CODES,
  TOKEN_LENGTH,
  type PackageKind,
  type RowCode,
  type RowCodes,
} from './problem-codes.ts'
import { mayBeWrapped, REPAIRED_INVISIBLE, REPAIRED_WRAPPED, repairValue } from './repair-value.ts'
import { arenaBytes, lineOf, type RowBuilder, type RowStore } from './row-store.ts'
import { unshared } from './shared-memory.ts'

export interface RowClassification {
  /** One code mask per row (ROW_BIT values, plus EXTRA_COLUMNS_BIT). */
  codes: RowCodes
  counts: Record<RowCode, number>
  valid: number
  /** CSV rows with more than one column. */
  extraColumns: number
  /** Some row (any column) holds a byte outside ASCII, so the text needs a UTF-8 check. */
  nonAscii: boolean
  /**
   * Each row's hash of its normalised value, as the duplicate pass compares them (0: no value,
   * a blank or a header). Kept (4 bytes a row) so that an exclusion list is marked with one
   * pass over the hashes, not the bytes: docs/decisions/009-lists-in-one-package.md.
   */
  hashes: Uint32Array
}

export interface ClassifyOptions {
  kind: PackageKind
  /** CSV packages may start with a header row. */
  csv: boolean
  /**
   * A package merged from several files: where each file's rows start (its first line is
   * `line + 1`), each of which may start with header rows of its own. One file if absent.
   */
  heads?: readonly SourceHead[]
  /** Lists whose values get the `excluded` code (exclusionSetOf). */
  exclusions?: readonly ExclusionSet[]
}

/** Where one file of a merged package starts: after line `line` of the merged lines. */
export interface SourceHead {
  line: number
  /** The file is CSV: a column name in its first row is a header. */
  csv: boolean
}

/**
 * A list of values to leave out: their hashes in a table behind a filter, which a package's
 * rows are looked up in, in order (`markExcluded`); the values stay in the list's own arena.
 */
export interface ExclusionSet {
  /** Values on the list: rows with a value (distinct once fix-all has run on the list). */
  values: number
  /**
   * The values in an open-addressed table, two ints a slot: the value's hash (0 marks a free
   * slot) and its row on the list, side by side so a lookup reads one place in memory. A
   * power of two in slots, at most half full: one probe finds a value or its absence, usually.
   */
  slots: Int32Array
  /**
   * One bit per high bits of a hash, set for the list's values: a bitmap small enough for the
   * CPU cache, that turns most rows away before their slot, far in memory, is read.
   */
  filter: Uint8Array
  /** A hash's bit in the filter: its top bits, `hash >>> filterShift`. */
  filterShift: number
  /** The list's rows as fix-all left them (trimmed, unwrapped, deduplicated). */
  store: RowStore
}

/** Not a row code (codes have 16 bits): repairedCode's word for a row that holds no value. */
const HOLDS_NO_VALUE = 1 << 16

const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 0x01000193
const ODD_LANE_OFFSET = 0x1b873593
const NOT_HEX = ~(LOWER_HEX | UPPER_HEX)

/**
 * Gives every row its problem codes: one pass over the bytes for the codes of each value and
 * a hash of its normalised form (trimmed, ASCII-lowercased), then a duplicate pass over the
 * hashes. No string is ever made.
 */
export function classifyRows(store: RowStore, options: ClassifyOptions): RowClassification {
  const classifier = new RowClassifier(options, store.count)
  classifier.classify(store, store.count)
  return classifier.finish(store)
}

/**
 * `classifyRows` for rows that come a range at a time, as a file is read: `classify` takes
 * the rows split so far, `finish` the duplicates, once every row is known.
 */
export class RowClassifier {
  private readonly options: ClassifyOptions
  private codes: RowCodes
  private hashes: Uint32Array
  /** Room for a row's repaired value (repair-value.ts), grown to the longest row repaired. */
  private scratch = new Uint8Array(256)
  /** Rows classified so far. */
  private done = 0
  /** First row of each file, and whether a column name there is a header; computed once. */
  private heads: HeadRow[] | null = null
  private allClasses = 0
  private otherColumns = 0

  constructor(options: ClassifyOptions, capacity: number) {
    this.options = options
    this.codes = new Uint16Array(capacity)
    this.hashes = new Uint32Array(capacity)
  }

  /** Classifies the rows from the last one classified up to `to`. */
  classify(store: RowStore, to: number): void {
    if (to > this.codes.length) this.grow(Math.max(to, this.codes.length * 2))
    const { start, length, fullLength, arena } = store
    const { codes, hashes } = this
    const base = arena.base
    const baseLength = base.length
    const extra = arena.extra
    const token = this.options.kind === 'token'
    const heads = (this.heads ??= headRowsOf(store, this.options))
    let head = 0
    while (head < heads.length && heads[head].row < this.done) head++
    let allClasses = this.allClasses
    let otherColumns = this.otherColumns

    for (let row = this.done; row < to; row++) {
      let csvHead = false
      let accountHead = false
      for (; head < heads.length && heads[head].row === row; head++) {
        csvHead = heads[head].csv
        // An account list's column name is on its file's first line, in a file of columns (a
        // .csv, or a .txt split at its tabs). The line, not the first row: once a bad first row
        // is removed, the account below it stays an account. A .txt of one account a line has
        // none: the clean package is such a file, and must read as it was uploaded (a token
        // package's header rows are found at the end).
        accountHead = !token && csvHead && lineOf(store, row) === heads[head].firstLine
      }
      const address = start[row]
      const inBase = address < baseLength
      const bytes = inBase ? base : extra
      const from = inBase ? address : address - baseLength
      const end = from + length[row]
      let code = 0
      if (fullLength !== null && fullLength[row] !== length[row]) {
        code = EXTRA_COLUMNS_BIT
        // Later columns get no row codes, but the UTF-8 check needs to know what bytes they hold.
        const full = from + fullLength[row]
        for (let position = end; position < full; position++) otherColumns |= bytes[position]
      }

      let first = from
      let last = end
      while (first < last && (bytes[first] === SPACE || bytes[first] === TAB)) first++
      while (last > first && (bytes[last - 1] === SPACE || bytes[last - 1] === TAB)) last--
      if (first === last) {
        codes[row] = code | ROW_BIT.blank
        continue
      }
      if (first !== from || last !== end) code |= ROW_BIT.whitespace

      if ((token ? csvHead : accountHead) && looksLikeHeader(bytes, first, last, token)) {
        codes[row] = code | ROW_BIT.header
        continue
      }

      // The hash is FNV-1a of the bytes with ASCII case folded (OR 0x20; the few other bytes it
      // folds together only cost a compare), in two lanes, even and odd bytes, so two chains of
      // multiplies run side by side: 90 ms less at 2.7 million rows than one chain. It stays
      // inline here and in takeTokenRows, which must hash alike: a helper measured slower.
      let classes = 0
      let even = FNV_OFFSET
      let odd = ODD_LANE_OFFSET
      let position = first
      for (; position + 1 < last; position += 2) {
        const a = bytes[position]
        const b = bytes[position + 1]
        classes |= BYTE_CLASS[a] | BYTE_CLASS[b]
        even = Math.imul(even ^ (a | 0x20), FNV_PRIME)
        odd = Math.imul(odd ^ (b | 0x20), FNV_PRIME)
      }
      if (position < last) {
        const a = bytes[position]
        classes |= BYTE_CLASS[a]
        even = Math.imul(even ^ (a | 0x20), FNV_PRIME)
      }
      allClasses |= classes
      const chars = classes & HIGH ? countChars(bytes, first, last) : last - first
      const repaired = (
        token ? classes & NOT_HEX : classes & HIGH || mayBeWrapped(bytes, first, last)
      )
        ? this.repairedCode(bytes, first, last, token)
        : 0
      if (repaired & HOLDS_NO_VALUE) {
        // A line of JSON punctuation (`[`, `},`): neither padded nor a duplicate of the next.
        codes[row] = (code & EXTRA_COLUMNS_BIT) | ROW_BIT.wrapped
        hashes[row] = 0
        continue
      }
      if (repaired) {
        code |= repaired
      } else if (token) {
        if (chars !== TOKEN_LENGTH) code |= ROW_BIT.length
        if (classes & NOT_HEX) code |= ROW_BIT.charset
        // Uppercase is only a hex token's problem: lowercasing anything else would not fix it.
        if (classes & UPPER_HEX && !(classes & NOT_HEX)) code |= ROW_BIT.uppercase
      } else {
        if (chars < ACCOUNT_MIN_LENGTH || chars > ACCOUNT_MAX_LENGTH) code |= ROW_BIT.length
        if (classes & CONTROL || (classes & HIGH && hasC1Control(bytes, first, last))) {
          code |= ROW_BIT.charset
        }
      }
      hashes[row] = joinLanes(even, odd)
      codes[row] = code
    }
    this.done = Math.max(this.done, to)
    this.allClasses = allClasses
    this.otherColumns = otherColumns
  }

  /**
   * Splits and classifies, in one step, the rows of a token package that are what almost every
   * row is: 36 hex characters and a line break (LF or CRLF). Stops at the first other row, or
   * where the filled bytes end, and returns where: the caller splits on from there.
   * Measured at 2.7 million rows: ~150 ms less than splitting first and classifying after.
   */
  takeTokenRows(bytes: Uint8Array, position: number, end: number, rows: RowBuilder): number {
    // The CSV header check looks at the first row; every row before must be classified.
    if (this.options.kind !== 'token' || this.done !== rows.count) return position
    if (this.options.csv && rows.count === 0) return position
    const most = rows.count + Math.ceil((end - position) / (TOKEN_LENGTH + 1))
    if (most > this.codes.length) this.grow(Math.max(most, this.codes.length * 2))
    const { codes, hashes } = this
    let row = rows.count
    while (position + TOKEN_LENGTH < end) {
      const after = position + TOKEN_LENGTH
      let next: number
      if (bytes[after] === LF) next = after + 1
      else if (bytes[after] === CR && after + 1 < end && bytes[after + 1] === LF) next = after + 2
      else break
      // The same hash as classify's, whose comment says why it is written out twice.
      let classes = 0
      let even = FNV_OFFSET
      let odd = ODD_LANE_OFFSET
      for (let at = position; at < after; at += 2) {
        const a = bytes[at]
        const b = bytes[at + 1]
        classes |= BYTE_CLASS[a] | BYTE_CLASS[b]
        even = Math.imul(even ^ (a | 0x20), FNV_PRIME)
        odd = Math.imul(odd ^ (b | 0x20), FNV_PRIME)
      }
      // Anything but hex (a space, a line break, another character) is the general path's.
      if (classes & NOT_HEX) break
      rows.push(position, TOKEN_LENGTH, 0)
      codes[row] = classes & UPPER_HEX ? ROW_BIT.uppercase : 0
      hashes[row] = joinLanes(even, odd)
      row++
      position = next
    }
    this.done = row
    return position
  }

  /**
   * The codes of a row that is good once what tools add around it is taken off (invisible
   * characters, wrappers), or 0: then it is judged as it stands. Rare rows only; the bytes of
   * the common ones never come here.
   */
  private repairedCode(bytes: Uint8Array, first: number, last: number, token: boolean): number {
    if (this.scratch.length < last - first) this.scratch = new Uint8Array((last - first) * 2)
    const { value, flags } = repairValue(
      bytes,
      first,
      last,
      this.scratch,
      token ? 'token' : 'account',
    )
    if (flags === 0) return 0
    let code = 0
    if (flags & REPAIRED_INVISIBLE) code |= ROW_BIT.invisible
    if (flags & REPAIRED_WRAPPED) code |= ROW_BIT.wrapped
    // A line of JSON punctuation holds no value: the fix takes it away.
    if (value.length === 0) return flags === REPAIRED_WRAPPED ? HOLDS_NO_VALUE : 0
    return isGoodValue(value, token) ? code | uppercaseOf(value, token) : 0
  }

  /** Classifies any rows left, marks the duplicates and counts. */
  finish(store: RowStore): RowClassification {
    this.classify(store, store.count)
    const count = store.count
    // A view, not a copy: the columns were sized for the most rows the file could hold.
    const codes = this.codes.subarray(0, count)
    if (this.options.kind === 'token') {
      const heads = this.heads ?? headRowsOf(store, this.options)
      heads.forEach(({ row }, index) =>
        markHeaderRows(store, codes, this.hashes, row, heads[index + 1]?.row ?? count),
      )
    }
    const hashes = this.hashes.subarray(0, count)
    markDuplicates(store, codes, bucketRows(hashes))
    markExcluded(store, codes, codes, hashes, this.options.exclusions ?? [])
    const nonAscii = (this.allClasses & HIGH) !== 0 || this.otherColumns >= 0x80
    return { ...summarize(codes), nonAscii, hashes }
  }

  private grow(size: number): void {
    const codes = new Uint16Array(size)
    codes.set(this.codes)
    this.codes = codes
    const hashes = new Uint32Array(size)
    hashes.set(this.hashes)
    this.hashes = hashes
  }
}

/**
 * The first row of each file: rows keep the order of their lines, so it is the first row
 * past the line the file starts after.
 */
/** A file's first row in the package, whether it is a CSV's, and the file's first line. */
interface HeadRow {
  row: number
  csv: boolean
  firstLine: number
}

function headRowsOf(store: RowStore, options: ClassifyOptions): HeadRow[] {
  if (options.heads === undefined) return [{ row: 0, csv: options.csv, firstLine: 1 }]
  return options.heads.map(({ line, csv }) => {
    let low = 0
    let high = store.count
    while (low < high) {
      const middle = (low + high) >>> 1
      if (lineOf(store, middle) <= line) low = middle + 1
      else high = middle
    }
    return { row: low, csv, firstLine: line + 1 }
  })
}

/** Header rows looked for at the top of a token package: a title, a blank, the column names. */
const MAX_HEADER_ROWS = 3
/** Rows below the header looked at to tell that they hold tokens. */
const ROWS_BELOW = 5
/** A row that is no token, as it is or once a lossless fix is applied. */
const NOT_A_TOKEN = ROW_BIT.length | ROW_BIT.charset | ROW_BIT.blank

/**
 * In a token package, the first rows that hold words rather than a token while the rows below
 * hold tokens are headers, in any language and however many (a title row, then the column
 * names: `设备Token`, `Gerät-Token`, `device_token`). A row of hex digits only is a token cut
 * short, never a header; nor is one holding a run of hex digits as long as a token's first
 * half (a token with a stray character on it). Headers are taken out of the duplicate pass;
 * blank rows among them stay blank.
 */
function markHeaderRows(
  store: RowStore,
  codes: RowCodes,
  hashes: Uint32Array,
  from: number,
  end: number,
): void {
  const wordy = (row: number) =>
    (codes[row] & (ROW_BIT.charset | ROW_BIT.header)) !== 0 && !holdsHexRun(store, row)
  let first = from
  let words = 0
  while (first < from + MAX_HEADER_ROWS && first < end) {
    if (wordy(first)) words++
    else if (!(codes[first] & ROW_BIT.blank)) break
    first++
  }
  if (words === 0 || first === end || codes[first] & NOT_A_TOKEN) return
  let looked = 0
  let tokens = 0
  for (let row = first; row < end && looked < ROWS_BELOW; row++) {
    if (codes[row] & ROW_BIT.blank) continue
    looked++
    if (!(codes[row] & NOT_A_TOKEN)) tokens++
  }
  if (tokens * 2 <= looked) return
  for (let row = from; row < first; row++) {
    if (!wordy(row)) continue
    codes[row] = (codes[row] & (EXTRA_COLUMNS_BIT | ROW_BIT.whitespace)) | ROW_BIT.header
    hashes[row] = 0
  }
}

/** Hex digits in a row that make it part of a token rather than a word. */
const HEX_RUN = 16

/** Whether the row's value holds HEX_RUN hex digits in a row. */
function holdsHexRun(store: RowStore, row: number): boolean {
  const bytes = arenaBytes(store.arena, store.start[row], store.length[row])
  let run = 0
  for (const byte of bytes) {
    run = BYTE_CLASS[byte] & NOT_HEX ? 0 : run + 1
    if (run === HEX_RUN) return true
  }
  return false
}

/**
 * One hash from the two lanes: they meet in a multiply, and the shift brings its high bits,
 * which pick the duplicate pass's bucket, down. Never 0, which marks rows that pass skips.
 */
function joinLanes(even: number, odd: number): number {
  const hash = Math.imul(even ^ ((odd << 17) | (odd >>> 15)), 0x9e3779b1)
  return (hash ^ (hash >>> 16)) >>> 0 || 1
}

const BUCKET_BITS = 8

/** Rows with a value (hash not 0), sorted stably into buckets by the top bits of the hash. */
interface Buckets {
  bucketStart: Uint32Array
  rows: Uint32Array
  hashes: Int32Array
  /** Rows in the largest bucket. */
  largest: number
}

function bucketRows(hashes: Uint32Array): Buckets {
  const count = hashes.length
  const buckets = 1 << BUCKET_BITS
  const shift = 32 - BUCKET_BITS
  const bucketStart = new Uint32Array(buckets + 1)
  for (let row = 0; row < count; row++)
    if (hashes[row] !== 0) bucketStart[(hashes[row] >>> shift) + 1]++
  let largest = 0
  for (let bucket = 0; bucket < buckets; bucket++) {
    largest = Math.max(largest, bucketStart[bucket + 1])
    bucketStart[bucket + 1] += bucketStart[bucket]
  }
  const rows = new Uint32Array(bucketStart[buckets])
  const sorted = new Int32Array(bucketStart[buckets])
  const next = bucketStart.slice(0, buckets)
  for (let row = 0; row < count; row++) {
    const hash = hashes[row]
    if (hash === 0) continue
    const at = next[hash >>> shift]++
    rows[at] = row
    sorted[at] = hash
  }
  return { bucketStart, rows, hashes: sorted, largest }
}

/**
 * Sets the duplicate bit on every row whose normalised value an earlier row already has.
 * Rows are first sorted, stably, into buckets by the top bits of their hash, each row with its
 * hash beside it, so each bucket's hash table stays small enough for the CPU cache and the
 * bucket is read in order: at 2.7 million rows one big table, or hashes looked up by row,
 * spend most of their time waiting on memory.
 */
function markDuplicates(store: RowStore, codes: RowCodes, sorted: Buckets): void {
  let size = 64
  while (size < sorted.largest * 2) size *= 2
  const mask = size - 1
  // Three ints a slot: the bucket that wrote it (so no clearing between buckets), row, hash.
  const table = new Int32Array(size * 3)
  for (let bucket = 0; bucket < 1 << BUCKET_BITS; bucket++) {
    const stamp = bucket + 1
    for (let index = sorted.bucketStart[bucket]; index < sorted.bucketStart[bucket + 1]; index++) {
      const hash = sorted.hashes[index]
      const row = sorted.rows[index]
      let slot = (hash & mask) * 3
      for (;;) {
        if (table[slot] !== stamp) {
          table[slot] = stamp
          table[slot + 1] = row
          table[slot + 2] = hash
          break
        }
        if (table[slot + 2] === hash && sameValue(store, table[slot + 1], store, row)) {
          codes[row] |= ROW_BIT.duplicate
          break
        }
        slot = slot + 3 === table.length ? 0 : slot + 3
      }
    }
  }
}

/** Rows looked up at a time: each batch's table slots are fetched together, then probed. */
const LOOKUP_BATCH = 64

/**
 * Where reads made only to bring memory into the cache leave their sum, so that the compiler
 * cannot drop them as unused. A read of a random place in 100 MB waits ~0.1-0.5 µs on memory;
 * the CPU waits for many side by side, but only for reads it sees coming, within a few dozen
 * instructions: a loop of such reads ahead of the work that needs them gets them all going.
 */
const prefetched = { sum: 0 }

/**
 * Writes `codes` into `into` (the same array, or a new one) with the excluded bit set on every
 * row whose normalised value an exclusion list holds, and cleared on the others; without lists,
 * nothing is written. The rows are taken in order, a batch at a time. A row passes a list's
 * filter (in the CPU cache) or is not on the list; the slots of the rows that pass are read
 * for the whole batch first (`prefetched`), then probed, and a row whose hash is in the table
 * is compared byte by byte (`Matches`). 2.7 million rows against a million values: ~0.12 s
 * in Node, where the rows bucketed by hash, as the duplicate pass does, took ~0.38 s.
 */
function markExcluded(
  store: RowStore,
  codes: RowCodes,
  into: RowCodes,
  hashes: Uint32Array,
  exclusions: readonly ExclusionSet[],
): void {
  if (exclusions.length === 0) return
  const matches = new Matches(store, codes, into, exclusions)
  const count = hashes.length
  const passed = new Int32Array(LOOKUP_BATCH)
  for (let from = 0; from < count; from += LOOKUP_BATCH) {
    const to = Math.min(count, from + LOOKUP_BATCH)
    for (let row = from; row < to; row++) into[row] = codes[row] & ~ROW_BIT.excluded
    for (let list = 0; list < exclusions.length; list++) {
      const { filter, filterShift, slots } = exclusions[list]
      const mask = slots.length / 2 - 1
      let fetched = 0
      let candidates = 0
      for (let row = from; row < to; row++) {
        const hash = hashes[row]
        const bit = hash >>> filterShift
        if (hash === 0 || !(filter[bit >>> 3] & (1 << (bit & 7)))) continue
        passed[candidates++] = row
        fetched += slots[(hash & mask) * 2]
      }
      for (let at = 0; at < candidates; at++) {
        const row = passed[at]
        const hash = hashes[row] | 0
        for (let slot = hash & mask; slots[slot * 2] !== 0; slot = (slot + 1) & mask)
          if (slots[slot * 2] === hash) matches.add(row, list, slots[slot * 2 + 1])
      }
      prefetched.sum ^= fetched
    }
  }
  matches.check()
}

/** Rows whose hash matched a list value, compared byte by byte this many at a time. */
const MATCH_BATCH = 32

/**
 * Hash matches between the package's rows and list values, compared a batch at a time. The
 * list's values lie anywhere in its arena: the first and last byte of each, and of each row,
 * are read first, all in one short loop (`prefetched`), then compared.
 */
class Matches {
  private readonly rows = new Int32Array(MATCH_BATCH)
  private readonly lists = new Int32Array(MATCH_BATCH)
  private readonly values = new Int32Array(MATCH_BATCH)
  private count = 0
  private readonly store: RowStore
  private readonly codes: RowCodes
  private readonly into: RowCodes
  private readonly exclusions: readonly ExclusionSet[]

  constructor(
    store: RowStore,
    codes: RowCodes,
    into: RowCodes,
    exclusions: readonly ExclusionSet[],
  ) {
    this.store = store
    this.codes = codes
    this.into = into
    this.exclusions = exclusions
  }

  /** Package row `row` and row `value` of list `list` have the same hash. */
  add(row: number, list: number, value: number): void {
    this.rows[this.count] = row
    this.lists[this.count] = list
    this.values[this.count] = value
    if (++this.count === MATCH_BATCH) this.check()
  }

  /** Compares the matches added since the last check; marks the rows that hold their value. */
  check(): void {
    const { rows, lists, values, store, codes, into, exclusions } = this
    let fetched = 0
    for (let at = 0; at < this.count; at++)
      fetched += endBytes(store, rows[at]) + endBytes(exclusions[lists[at]].store, values[at])
    for (let at = 0; at < this.count; at++) {
      const row = rows[at]
      if (sameValue(store, row, exclusions[lists[at]].store, values[at]))
        into[row] = codes[row] | ROW_BIT.excluded
    }
    prefetched.sum ^= fetched
    this.count = 0
  }
}

/** The first and last byte of a row's value, read for their memory to be fetched. */
function endBytes(store: RowStore, row: number): number {
  const { base, extra } = store.arena
  const first = store.start[row]
  const last = first + store.length[row] - 1
  return first < base.length ? base[first] | base[last] : extra[last - base.length]
}

/**
 * The exclusion set of a list's rows: their hashes, as the package's rows get them, in an
 * open-addressed table, each with its row; the values stay where they are in the list's arena.
 */
export function exclusionSetOf(store: RowStore, classification: RowClassification): ExclusionSet {
  const { hashes } = classification
  let values = 0
  for (let row = 0; row < hashes.length; row++) if (hashes[row] !== 0) values++
  let size = 64
  while (size < values * 2) size *= 2
  const mask = size - 1
  const slots = new Int32Array(size * 2)
  // Eight bits a value, so about one row in eight that is not on the list passes it.
  let filterBits = 1 << 12
  while (filterBits < values * 8 && filterBits < 1 << 23) filterBits *= 2
  const filter = new Uint8Array(filterBits / 8)
  const filterShift = 32 - Math.log2(filterBits)
  // A batch at a time, as markExcluded looks values up: the slots are read first, together.
  for (let from = 0; from < hashes.length; from += LOOKUP_BATCH) {
    const to = Math.min(hashes.length, from + LOOKUP_BATCH)
    let fetched = 0
    for (let row = from; row < to; row++) fetched += slots[(hashes[row] & mask) * 2]
    for (let row = from; row < to; row++) {
      const hash = hashes[row] | 0
      if (hash === 0) continue
      let slot = hash & mask
      while (slots[slot * 2] !== 0) slot = (slot + 1) & mask
      slots[slot * 2] = hash
      slots[slot * 2 + 1] = row
      const bit = hash >>> filterShift
      filter[bit >>> 3] |= 1 << (bit & 7)
    }
    prefetched.sum ^= fetched
  }
  // Repeats on the list are left in: each is one more compare for a row that holds it.
  return { values, slots, filter, filterShift, store }
}

/**
 * The excluded codes found again for other exclusion lists, from the hashes the
 * classification kept; every other code stays. One pass over the hashes; only the rows whose
 * hash a list holds are compared byte by byte.
 */
export function markListsAgain(
  store: RowStore,
  classification: RowClassification,
  exclusions: readonly ExclusionSet[],
): RowClassification {
  const before = classification.codes
  const codes = new Uint16Array(before.length)
  if (exclusions.length > 0) markExcluded(store, before, codes, classification.hashes, exclusions)
  else for (let row = 0; row < codes.length; row++) codes[row] = before[row] & ~ROW_BIT.excluded
  return { ...classification, ...summarize(codes) }
}

/** Counts per code, valid rows and rows with extra columns, from the code masks. */
export function summarize(codes: RowCodes): Omit<RowClassification, 'nonAscii' | 'hashes'> {
  const histogram = new Uint32Array(1 << 16)
  for (let row = 0; row < codes.length; row++) histogram[codes[row]]++
  const counts = Object.fromEntries(ROW_CODES.map((code) => [code, 0])) as Record<RowCode, number>
  let valid = 0
  let extraColumns = 0
  for (let mask = 0; mask < histogram.length; mask++) {
    const rows = histogram[mask]
    if (rows === 0) continue
    if ((mask & INVALID_MASK) === 0) valid += rows
    if (mask & EXTRA_COLUMNS_BIT) extraColumns += rows
    for (const code of ROW_CODES) if (mask & ROW_BIT[code]) counts[code] += rows
  }
  return { codes, counts, valid, extraColumns }
}

/** A repaired value that is a token (any case) or an account. */
function isGoodValue(value: Uint8Array, token: boolean): boolean {
  if (!token) {
    const chars = countChars(value, 0, value.length)
    if (chars < ACCOUNT_MIN_LENGTH || chars > ACCOUNT_MAX_LENGTH) return false
    return (
      value.every((byte) => !(BYTE_CLASS[byte] & CONTROL)) && !hasC1Control(value, 0, value.length)
    )
  }
  return value.length === TOKEN_LENGTH && value.every((byte) => !(BYTE_CLASS[byte] & NOT_HEX))
}

function uppercaseOf(value: Uint8Array, token: boolean): number {
  return token && value.some((byte) => BYTE_CLASS[byte] & UPPER_HEX) ? ROW_BIT.uppercase : 0
}

function countChars(bytes: Uint8Array, first: number, last: number): number {
  let chars = 0
  // UTF-8 continuation bytes (10xxxxxx) do not start a character.
  for (let position = first; position < last; position++)
    if ((bytes[position] & 0xc0) !== 0x80) chars++
  return chars
}

/** U+0080 to U+009F, encoded as C2 80 to C2 9F. */
function hasC1Control(bytes: Uint8Array, first: number, last: number): boolean {
  for (let position = first; position + 1 < last; position++) {
    if (bytes[position] === 0xc2 && bytes[position + 1] >= 0x80 && bytes[position + 1] <= 0x9f)
      return true
  }
  return false
}

/**
 * Row `a` of `storeA` and row `b` of `storeB` are equal once trimmed and ASCII-lowercased.
 * Without a subarray made: an exclusion list meets every row it holds here, half a million
 * compares in the audience bench, where four views a compare cost ~1.3 s.
 */
function sameValue(storeA: RowStore, a: number, storeB: RowStore, b: number): boolean {
  const left = storeA.arena
  const right = storeB.arena
  const inLeftBase = storeA.start[a] < left.base.length
  const inRightBase = storeB.start[b] < right.base.length
  const leftBytes = inLeftBase ? left.base : left.extra
  const rightBytes = inRightBase ? right.base : right.extra
  let leftFirst = inLeftBase ? storeA.start[a] : storeA.start[a] - left.base.length
  let rightFirst = inRightBase ? storeB.start[b] : storeB.start[b] - right.base.length
  let leftEnd = leftFirst + storeA.length[a]
  let rightEnd = rightFirst + storeB.length[b]
  while (leftFirst < leftEnd && isBlank(leftBytes[leftFirst])) leftFirst++
  while (leftEnd > leftFirst && isBlank(leftBytes[leftEnd - 1])) leftEnd--
  while (rightFirst < rightEnd && isBlank(rightBytes[rightFirst])) rightFirst++
  while (rightEnd > rightFirst && isBlank(rightBytes[rightEnd - 1])) rightEnd--
  const length = leftEnd - leftFirst
  if (length !== rightEnd - rightFirst) return false
  for (let offset = 0; offset < length; offset++) {
    const leftByte = leftBytes[leftFirst + offset]
    const rightByte = rightBytes[rightFirst + offset]
    // Most bytes are equal as they stand: only the others are lowercased to compare.
    if (leftByte !== rightByte && LOWER_BYTE[leftByte] !== LOWER_BYTE[rightByte]) return false
  }
  return true
}

function isBlank(byte: number): boolean {
  return byte === SPACE || byte === TAB
}

/** Column names of account lists, lowercased: English, and Chinese as Excel and WPS exports have them. */
const ACCOUNT_HEADERS: ReadonlySet<string> = new Set([
  'account',
  'accounts',
  'account_id',
  'accountid',
  'account id',
  'user',
  'users',
  'user_id',
  'userid',
  'uid',
  'id',
  'openid',
  'name',
  'username',
  'email',
  'phone',
  'mobile',
  'token',
  'tokens',
  '账号',
  '帐号',
  '账户',
  '用户',
  '用户id',
  'user name',
  'e-mail',
  'mail',
  'account name',
  'member id',
  'customer id',
  'phone number',
  'mobile number',
  '用户名',
  '手机',
  '手机号',
  '手机号码',
  '电话',
  '电话号码',
  '邮箱',
  '电子邮箱',
  '会员id',
  '会员号',
  '账号id',
  '帐号id',
])

/**
 * A column name, not a value: for tokens, a word with a letter no hex token has
 * ("token", "device_token"); for accounts, one of the usual column names.
 */
function looksLikeHeader(bytes: Uint8Array, first: number, last: number, token: boolean): boolean {
  const length = last - first
  if (length > 64) return false
  const text = new TextDecoder().decode(unshared(bytes.subarray(first, last))).toLowerCase()
  if (!token) return ACCOUNT_HEADERS.has(text)
  return /^[a-z][a-z0-9 _.-]*$/.test(text) && /[g-z_ ]/.test(text)
}
