import { SPACE, TAB } from './byte-classes.ts'

/** What a repair took off a value. */
export const REPAIRED_INVISIBLE = 1
export const REPAIRED_WRAPPED = 2

export interface Repair {
  /** The value's bytes, repaired: a view of the scratch buffer given. */
  value: Uint8Array
  /** REPAIRED_INVISIBLE and/or REPAIRED_WRAPPED; 0 when nothing was taken off. */
  flags: number
}

const PAIRS: ReadonlyMap<number, number> = new Map([
  [0x22, 0x22], // "..."
  [0x27, 0x27], // '...'
  [0x60, 0x60], // `...`
  [0x5b, 0x5d], // [...]
  [0x28, 0x29], // (...)
  [0x7b, 0x7d], // {...}
  [0x3c, 0x3e], // <...>
])
const COMMA = 0x2c
const SEMICOLON = 0x3b
const COLON = 0x3a
const QUOTE = 0x22
const APOSTROPHE = 0x27
const EQUALS = 0x3d

/**
 * Takes off what tools and copying add around a value, without changing the value itself:
 * - invisible and look-alike characters (`invisibleLength`): zero-width space/joiners,
 *   direction marks, word joiner, a byte order mark, a soft hyphen; in a token also the
 *   no-break and other spaces, and full-width digits and Latin letters (typed with a Chinese
 *   input method), which become ASCII;
 * - wrappers: quotes, brackets, a trailing comma or semicolon, a JSON `"key": "value"` pair,
 *   Excel's `="…"`, a token's lone quote at one end, and rows that are only JSON punctuation
 *   (`[`, `},`), which repair to nothing.
 * Works on UTF-8 bytes into `scratch` (at least `last - first` long); no string is made.
 */
export function repairValue(
  bytes: Uint8Array,
  first: number,
  last: number,
  scratch: Uint8Array,
  kind: 'token' | 'account',
): Repair {
  // An account may hold full-width letters or brackets of its own: only a token's are taken off.
  const token = kind === 'token'
  let flags = 0
  let size = 0
  for (let at = first; at < last;) {
    const a = bytes[at]
    if (a < 0x80) {
      scratch[size++] = a
      at++
      continue
    }
    const b = at + 1 < last ? bytes[at + 1] : -1
    const c = at + 2 < last ? bytes[at + 2] : -1
    const invisible = invisibleLength(a, b, c, token)
    if (invisible > 0) {
      flags |= REPAIRED_INVISIBLE
      at += invisible
      continue
    }
    // Full-width ０-９ (U+FF10..), Ａ-Ｚ (U+FF21..) and ａ-ｚ (U+FF41..).
    if (!token) {
      scratch[size++] = a
      at++
      continue
    }
    if (a === 0xef && b === 0xbc && c >= 0x90 && c <= 0x99) {
      scratch[size++] = 0x30 + (c - 0x90)
    } else if (a === 0xef && b === 0xbc && c >= 0xa1 && c <= 0xba) {
      scratch[size++] = 0x41 + (c - 0xa1)
    } else if (a === 0xef && b === 0xbd && c >= 0x81 && c <= 0x9a) {
      scratch[size++] = 0x61 + (c - 0x81)
    } else {
      scratch[size++] = a
      at++
      continue
    }
    flags |= REPAIRED_INVISIBLE
    at += 3
  }

  let from = 0
  let to = size
  const trim = () => {
    while (from < to && (scratch[from] === SPACE || scratch[from] === TAB)) from++
    while (to > from && (scratch[to - 1] === SPACE || scratch[to - 1] === TAB)) to--
  }
  trim()
  // A few layers at most: `["a1b2…"],` is three.
  for (let layer = 0; layer < 4 && to > from; layer++) {
    const end = scratch[to - 1]
    // Before quotes: `"key": "value"` starts and ends with one too.
    const pair = jsonPairValue(scratch, from, to)
    if (end === COMMA || end === SEMICOLON) {
      to--
    } else if (pair !== null) {
      from = pair.from
      to = pair.to
    } else if (wraps(scratch[from], end, token) && to - from >= 2) {
      from++
      to--
    } else if (scratch[from] === EQUALS && scratch[from + 1] === QUOTE && end === QUOTE) {
      // `="…"`: how Excel keeps a long number or code as text in a CSV.
      if (to - from < 3) break
      from += 2
      to--
    } else if (token && to - from >= 2 && (isQuote(scratch[from]) || isQuote(end))) {
      // One quote, at one end only (the other lost to a cut or an edit): a token has none.
      if (isQuote(scratch[from])) from++
      else to--
    } else {
      break
    }
    flags |= REPAIRED_WRAPPED
    trim()
  }
  // JSON's own punctuation on a line of its own: `[`, `]`, `{`, `},`.
  if (to - from === 1 && isJsonPunctuation(scratch[from])) {
    flags |= REPAIRED_WRAPPED
    to = from
  }
  return { value: scratch.subarray(from, to), flags }
}

/**
 * The UTF-8 length of the invisible character that starts with bytes `a b c`, or 0. Always:
 * the soft hyphen, zero-width space and joiners, direction marks, embeddings and isolates
 * (U+061C, U+200E/F, U+202A-E, U+2066-9), the line and paragraph separators, the word
 * joiner and invisible operators, U+034F, U+180E, U+FEFF. In a token only, where no space can
 * be: the no-break, narrow, figure, thin, hair, medium and ideographic spaces (U+00A0,
 * U+2000-A, U+202F, U+205F, U+3000) and variation selectors. An account keeps them: there a
 * space reads as the space it is.
 */
function invisibleLength(a: number, b: number, c: number, token: boolean): number {
  if (a === 0xc2) return b === 0xad || (b === 0xa0 && token) ? 2 : 0
  if (a === 0xcd) return b === 0x8f ? 2 : 0
  if (a === 0xd8) return b === 0x9c ? 2 : 0
  if (a === 0xe1) return b === 0xa0 && c === 0x8e ? 3 : 0
  if (a === 0xe2 && b === 0x80) {
    if (c >= 0x8b && c <= 0x8f) return 3
    if (c >= 0xa8 && c <= 0xae) return 3
    return token && ((c >= 0x80 && c <= 0x8a) || c === 0xaf) ? 3 : 0
  }
  if (a === 0xe2 && b === 0x81) {
    if ((c >= 0xa0 && c <= 0xa4) || (c >= 0xa6 && c <= 0xaf)) return 3
    return token && c === 0x9f ? 3 : 0
  }
  if (a === 0xe3) return token && b === 0x80 && c === 0x80 ? 3 : 0
  if (a === 0xef && b === 0xbb && c === 0xbf) return 3
  if (a === 0xef && b === 0xb8) return token && c >= 0x80 && c <= 0x8f ? 3 : 0
  return 0
}

/** Quotes wrap any value; brackets only a token (an account may be `[vip]anna`). */
function wraps(open: number, close: number, token: boolean): boolean {
  if (PAIRS.get(open) !== close) return false
  return token || open === 0x22 || open === 0x27
}

/**
 * Whether repairValue could find a wrapper on this value: one starts or ends it. Rows without
 * one, and without a byte above 0x7F (every invisible character has one), need not go
 * through it; the classifier asks this of account rows, whose bytes are not all hex.
 */
export function mayBeWrapped(bytes: Uint8Array, first: number, last: number): boolean {
  const head = bytes[first]
  const tail = bytes[last - 1]
  return (
    head === QUOTE ||
    head === APOSTROPHE ||
    (head === EQUALS && bytes[first + 1] === QUOTE) ||
    isJsonPunctuation(head) ||
    tail === COMMA ||
    tail === SEMICOLON ||
    isJsonPunctuation(tail)
  )
}

function isQuote(byte: number): boolean {
  return byte === QUOTE || byte === APOSTROPHE
}

function isJsonPunctuation(byte: number): boolean {
  return byte === 0x5b || byte === 0x5d || byte === 0x7b || byte === 0x7d
}

/** `"key": "value"` (an object's one field, on its own line): where `value` is. */
function jsonPairValue(
  bytes: Uint8Array,
  from: number,
  to: number,
): { from: number; to: number } | null {
  if (bytes[from] !== QUOTE || bytes[to - 1] !== QUOTE) return null
  const keyEnd = bytes.indexOf(QUOTE, from + 1)
  if (keyEnd < 0 || keyEnd >= to - 1) return null
  let at = keyEnd + 1
  while (at < to && (bytes[at] === SPACE || bytes[at] === TAB)) at++
  if (bytes[at] !== COLON) return null
  at++
  while (at < to && (bytes[at] === SPACE || bytes[at] === TAB)) at++
  if (bytes[at] !== QUOTE || at >= to - 1) return null
  return { from: at + 1, to: to - 1 }
}
