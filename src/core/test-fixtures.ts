/**
 * Fixtures for the core's unit tests, made by code: seeded random tokens, zips built in
 * memory (with jszip, or byte by byte where a zip must lie), UTF-16 encoded by hand.
 */
import JSZip from 'jszip'
import { classifyRows } from './classify-rows.ts'
import { ROW_BIT, ROW_CODES, type PackageKind, type RowCode } from './problem-codes.ts'
import { lineOf, rowValue, type RowStore } from './row-store.ts'
import { startTextScan, type ScannedText, type TextScanOptions } from './scan-text.ts'
import { splitLines } from './split-rows.ts'
import {
  reportOf,
  startPackageScan,
  validatePackage,
  type PackageReport,
  type PackageState,
} from './validate-package.ts'

const encoder = new TextEncoder()

export function utf8(text: string): Uint8Array {
  return encoder.encode(text)
}

export function concatBytes(...parts: (Uint8Array | number[])[]): Uint8Array {
  const size = parts.reduce((sum, part) => sum + part.length, 0)
  const out = new Uint8Array(size)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/** A small deterministic generator (mulberry32), so a failing test fails the same way again. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let mixed = state
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1)
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61)
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296
  }
}

const HEX = '0123456789abcdef'

export function randomHex(random: () => number, length: number): string {
  let text = ''
  for (let index = 0; index < length; index++) text += HEX[Math.floor(random() * 16)]
  return text
}

/** A valid token: 36 random lowercase hex characters. */
export function randomToken(random: () => number): string {
  return randomHex(random, 36)
}

/** `count` tokens guaranteed distinct: the index is spelt in the first 8 characters. */
export function distinctTokens(count: number, seed = 1): string[] {
  const random = seededRandom(seed)
  const tokens: string[] = []
  for (let index = 0; index < count; index++) {
    tokens.push(index.toString(16).padStart(8, '0') + randomHex(random, 28))
  }
  return tokens
}

export function utf16le(text: string, bom: boolean): Uint8Array {
  const out = new Uint8Array((bom ? 2 : 0) + text.length * 2)
  let offset = 0
  if (bom) {
    out[0] = 0xff
    out[1] = 0xfe
    offset = 2
  }
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index)
    out[offset++] = unit & 0xff
    out[offset++] = unit >> 8
  }
  return out
}

export function utf16be(text: string, bom: boolean): Uint8Array {
  const out = new Uint8Array((bom ? 2 : 0) + text.length * 2)
  let offset = 0
  if (bom) {
    out[0] = 0xfe
    out[1] = 0xff
    offset = 2
  }
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index)
    out[offset++] = unit >> 8
    out[offset++] = unit & 0xff
  }
  return out
}

/**
 * A zip made by jszip; folders are only created when the names ask for them. `streamFiles`
 * writes sizes after the data (a data descriptor), as streaming zippers and Finder do.
 */
export async function zipOf(
  entries: Record<string, string | Uint8Array>,
  compression: 'STORE' | 'DEFLATE' = 'DEFLATE',
  streamFiles = false,
): Promise<Uint8Array> {
  const zip = new JSZip()
  for (const [name, content] of Object.entries(entries)) {
    if (name.endsWith('/')) zip.folder(name)
    else zip.file(name, content, { createFolders: false })
  }
  return zip.generateAsync({ type: 'uint8array', compression, streamFiles })
}

const LOCAL_HEADER = 0x04034b50
const CENTRAL_HEADER = 0x02014b50
const END_OF_CENTRAL_DIRECTORY = 0x06054b50

/**
 * A copy of a zip whose every entry claims `size` uncompressed bytes, in its local header and
 * in the central directory alike.
 */
export function withDeclaredSize(zip: Uint8Array, size: number): Uint8Array {
  const copy = zip.slice()
  const view = new DataView(copy.buffer)
  let patched = 0
  for (let offset = 0; offset + 4 <= copy.length; offset++) {
    const signature = view.getUint32(offset, true)
    if (signature === LOCAL_HEADER) {
      view.setUint32(offset + 22, size, true)
      patched++
    } else if (signature === CENTRAL_HEADER) {
      view.setUint32(offset + 24, size, true)
      patched++
    }
  }
  if (patched === 0) throw new Error('no zip headers to patch')
  return copy
}

export interface RawEntry {
  name: string
  /** The entry's data as stored: raw deflate when `method` is 8. */
  data: Uint8Array
  method: 0 | 8
  /** The uncompressed size the headers claim. */
  declaredSize: number
}

/** A zip written byte by byte, for sizes jszip would never write. CRCs are 0: readZip skips them. */
export function rawZip(entries: RawEntry[]): Uint8Array {
  const locals: Uint8Array[] = []
  const centrals: Uint8Array[] = []
  let offset = 0
  for (const entry of entries) {
    const name = utf8(entry.name)
    const local = new Uint8Array(30 + name.length + entry.data.length)
    const view = new DataView(local.buffer)
    view.setUint32(0, LOCAL_HEADER, true)
    view.setUint16(4, 20, true)
    view.setUint16(6, 0x0800, true)
    view.setUint16(8, entry.method, true)
    view.setUint16(12, 0x21, true)
    view.setUint32(18, entry.data.length, true)
    view.setUint32(22, entry.declaredSize, true)
    view.setUint16(26, name.length, true)
    local.set(name, 30)
    local.set(entry.data, 30 + name.length)

    const central = new Uint8Array(46 + name.length)
    const centralView = new DataView(central.buffer)
    centralView.setUint32(0, CENTRAL_HEADER, true)
    centralView.setUint16(4, 20, true)
    centralView.setUint16(6, 20, true)
    centralView.setUint16(8, 0x0800, true)
    centralView.setUint16(10, entry.method, true)
    centralView.setUint16(14, 0x21, true)
    centralView.setUint32(20, entry.data.length, true)
    centralView.setUint32(24, entry.declaredSize, true)
    centralView.setUint16(28, name.length, true)
    centralView.setUint32(42, offset, true)
    central.set(name, 46)

    locals.push(local)
    centrals.push(central)
    offset += local.length
  }
  const directory = concatBytes(...centrals)
  const end = new Uint8Array(22)
  const endView = new DataView(end.buffer)
  endView.setUint32(0, END_OF_CENTRAL_DIRECTORY, true)
  endView.setUint16(8, entries.length, true)
  endView.setUint16(10, entries.length, true)
  endView.setUint32(12, directory.length, true)
  endView.setUint32(16, offset, true)
  return concatBytes(...locals, directory, end)
}

/**
 * Raw deflate that inflates to one '0' and then `copies` times 258 more: a single fixed
 * Huffman block of back-references, 13 bits for every 258 bytes.
 */
export function deflatedZeros(copies: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((3 + 8 + copies * 13 + 7) / 8) + 1)
  let bit = 0
  // Block header fields are packed least significant bit first...
  const writeValue = (value: number, bits: number) => {
    for (let index = 0; index < bits; index++, bit++)
      if ((value >> index) & 1) out[bit >> 3] |= 1 << (bit & 7)
  }
  // ...Huffman codes most significant bit first.
  const writeCode = (code: number, bits: number) => {
    for (let index = bits - 1; index >= 0; index--, bit++)
      if ((code >> index) & 1) out[bit >> 3] |= 1 << (bit & 7)
  }
  writeValue(1, 1) // last block
  writeValue(1, 2) // fixed Huffman codes
  writeCode(0x30 + 0x30, 8) // literal '0'
  for (let copy = 0; copy < copies; copy++) {
    writeCode(0b11000101, 8) // length code 285: 258 bytes
    writeCode(0, 5) // distance code 0: 1 byte back
  }
  writeCode(0, 7) // end of block
  return out.subarray(0, (bit + 7) >> 3)
}

/** One line per token, LF after each. */
export function lines(rows: string[], lineBreak = '\n'): string {
  return rows.map((row) => row + lineBreak).join('')
}

export async function reportFor(
  name: string,
  content: string | Uint8Array,
  kind: PackageKind = 'token',
): Promise<PackageReport> {
  const bytes = typeof content === 'string' ? utf8(content) : content
  return reportOf(await validatePackage({ name, bytes, kind }))
}

/** Every row's value, as strings. */
export function valuesOf(store: RowStore): string[] {
  return Array.from({ length: store.count }, (_, index) => rowValue(store, index))
}

/** The row codes set in one code mask, in CONTRACT order. */
export function codeNames(mask: number): RowCode[] {
  return ROW_CODES.filter((code) => (mask & ROW_BIT[code]) !== 0)
}

/** Counts with every row code present, zero unless given. */
export function countsWith(some: Partial<Record<RowCode, number>>): Record<RowCode, number> {
  return {
    blank: 0,
    whitespace: 0,
    length: 0,
    charset: 0,
    uppercase: 0,
    duplicate: 0,
    header: 0,
    excluded: 0,
    invisible: 0,
    wrapped: 0,
    ...some,
  }
}

/** The hashes classify-rows files values under, asked of the classifier itself. */
function hashesOf(values: string[], kind: PackageKind): Uint32Array {
  return classifyRows(splitLines(utf8(lines(values))), { kind, csv: false }).hashes
}

/** The hash classify-rows files a value under, so tests can show two values collide. */
export function hashOf(value: string, kind: PackageKind): number {
  return hashesOf([value], kind)[0]
}

function isControl(unit: number): boolean {
  return unit < 0x20 || (unit >= 0x7f && unit <= 0x9f)
}

/**
 * The row codes CONTRACT.md asks for, worked out the slow, obvious way with strings, to check
 * the byte scanner against. Of `header`, only a token package's rows of words above its
 * tokens: an account list's needs a guess about column names.
 */
export function referenceCodes(values: string[], kind: PackageKind): RowCode[][] {
  const seen = new Set<string>()
  const base = values.map((value) => baseCodes(value, kind))
  const headers = kind === 'token' ? referenceHeaders(base, values) : 0
  return values.map((value, row) => {
    const trimmed = value.replace(/^[ \t]+/, '').replace(/[ \t]+$/, '')
    if (row < headers && base[row].includes('charset') && !/[0-9a-fA-F]{16}/.test(value))
      return base[row].includes('whitespace') ? ['whitespace', 'header'] : ['header']
    // Only a row the repair calls wrapped and nothing else may hold no value.
    const onlyWrapped = base[row].length === 1 && base[row][0] === 'wrapped'
    if (trimmed === '' || (onlyWrapped && holdsNoValue(value, kind))) return base[row]
    const key = trimmed.replace(/[A-Z]/g, (char) => char.toLowerCase())
    const codes = [...base[row]]
    if (seen.has(key)) codes.push('duplicate')
    else seen.add(key)
    return ROW_CODES.filter((code) => codes.includes(code))
  })
}

/**
 * How many rows at the top a header rule takes in: up to three rows of words or blanks, with at
 * least one of words, above a token that most of the five rows below it are too.
 */
function referenceHeaders(base: RowCode[][], values: string[]): number {
  const notToken = (codes: RowCode[]) =>
    codes.includes('length') || codes.includes('charset') || codes.includes('blank')
  // A row holding half a token's hex digits in a row is a token with something on it.
  const words = (row: number) =>
    base[row].includes('charset') && !/[0-9a-fA-F]{16}/.test(values[row])
  let first = 0
  let wordRows = 0
  while (first < 3 && first < base.length) {
    if (words(first)) wordRows++
    else if (!base[first].includes('blank')) break
    first++
  }
  if (wordRows === 0 || first === base.length || notToken(base[first])) return 0
  const below = base
    .slice(first)
    .filter((codes) => !codes.includes('blank'))
    .slice(0, 5)
  const tokens = below.filter((codes) => !notToken(codes)).length
  return tokens * 2 > below.length ? first : 0
}

/** A row's codes on its own, duplicates and headers aside. */
function baseCodes(value: string, kind: PackageKind): RowCode[] {
  const trimmed = value.replace(/^[ \t]+/, '').replace(/[ \t]+$/, '')
  if (trimmed === '') return ['blank']
  const codes: RowCode[] = []
  if (trimmed !== value) codes.push('whitespace')
  const chars = [...trimmed].length
  const repaired = referenceRepair(trimmed, kind)
  // A line of JSON punctuation: no value, so neither padded nor a duplicate, only wrapped.
  if (repaired === NO_VALUE) return ['wrapped']
  if (repaired !== null) {
    codes.push(...repaired)
  } else if (kind === 'token') {
    if (chars !== 36) codes.push('length')
    if (/[^0-9a-fA-F]/.test(trimmed)) codes.push('charset')
    if (/[A-F]/.test(trimmed) && /^[0-9a-fA-F]+$/.test(trimmed)) codes.push('uppercase')
  } else {
    if (chars < 2 || chars > 100) codes.push('length')
    if ([...trimmed].some((char) => isControl(char.charCodeAt(0)))) codes.push('charset')
  }
  return codes
}

/** A row that is only what wraps a value (`[`, `},`, `""`): it holds none. */
const NO_VALUE = 'no value'

/** Whether the row holds no value at all once what wraps one is taken off. */
function holdsNoValue(value: string, kind: PackageKind): boolean {
  return referenceRepair(value.replace(/^[ \t]+|[ \t]+$/g, ''), kind) === NO_VALUE
}

/**
 * The codes of a value that is good once what tools add is taken off (invisible characters,
 * wrappers), NO_VALUE when nothing is left but a wrapper, or null: written over strings, apart
 * from the engine's byte-level repair-value.ts.
 */
function referenceRepair(value: string, kind: PackageKind): RowCode[] | typeof NO_VALUE | null {
  const token = kind === 'token'
  let text = value.replace(token ? INVISIBLE_IN_TOKEN_PATTERN : INVISIBLE_IN_ACCOUNT_PATTERN, '')
  if (token)
    text = text.replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, (char) =>
      String.fromCharCode(char.charCodeAt(0) - 0xfee0),
    )
  const codes: RowCode[] = text !== value ? ['invisible'] : []
  const trim = (from: string) => from.replace(/^[ \t]+|[ \t]+$/g, '')
  const pairs = token ? ['""', "''", '``', '[]', '()', '{}', '<>'] : ['""', "''"]
  text = trim(text)
  let wrapped = false
  for (let layer = 0; layer < 4 && text !== ''; layer++) {
    const pair = /^"[^"]*"[ \t]*:[ \t]*"(.*)"$/s.exec(text)
    // Before quotes: `"key": "value"` starts and ends with one too.
    if (/[,;]$/.test(text)) text = text.slice(0, -1)
    else if (pair) text = pair[1]
    else if (text.length >= 2 && pairs.includes(text[0] + text[text.length - 1]))
      text = text.slice(1, -1)
    else if (text.length >= 3 && text.startsWith('="') && text.endsWith('"'))
      text = text.slice(2, -1)
    else if (token && text.length >= 2 && /^["']/.test(text)) text = text.slice(1)
    else if (token && text.length >= 2 && /["']$/.test(text)) text = text.slice(0, -1)
    else break
    wrapped = true
    text = trim(text)
  }
  if (/^[[\]{}]$/.test(text)) {
    wrapped = true
    text = ''
  }
  if (wrapped) codes.push('wrapped')
  if (codes.length === 0) return null
  if (text === '') return codes.length === 1 && wrapped ? NO_VALUE : null
  if (token) {
    if (!/^[0-9a-fA-F]{36}$/.test(text)) return null
    return /[A-F]/.test(text) ? [...codes, 'uppercase'] : codes
  }
  const chars = [...text].length
  if (chars < 2 || chars > 100 || [...text].some((char) => isControl(char.charCodeAt(0))))
    return null
  return codes
}

/** Invisible in any value, as code point ranges. */
const INVISIBLE = [
  [0xad, 0xad],
  [0x34f, 0x34f],
  [0x61c, 0x61c],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x2064],
  [0x2066, 0x206f],
  [0xfeff, 0xfeff],
]
/** Invisible in a token only: spaces, which an account may hold, and variation selectors. */
const INVISIBLE_IN_TOKEN = [
  [0xa0, 0xa0],
  [0x2000, 0x200a],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfe00, 0xfe0f],
]

/** A character class of the ranges, built as text: a literal with U+034F or U+FE0F in it reads as combined characters. */
function rangeClass(ranges: number[][]): string {
  const escape = (code: number) => `\\u{${code.toString(16)}}`
  return ranges.map(([from, to]) => `${escape(from)}-${escape(to)}`).join('')
}
const INVISIBLE_IN_ACCOUNT_PATTERN = new RegExp(`[${rangeClass(INVISIBLE)}]`, 'gu')
const INVISIBLE_IN_TOKEN_PATTERN = new RegExp(
  `[${rangeClass([...INVISIBLE, ...INVISIBLE_IN_TOKEN])}]`,
  'gu',
)

/** Counts per code and valid rows, from per-row code lists. */
export function tally(rows: RowCode[][]): { counts: Record<RowCode, number>; valid: number } {
  const counts = countsWith({})
  let valid = 0
  for (const codes of rows) {
    if (codes.length === 0) valid++
    for (const code of codes) counts[code]++
  }
  return { counts, valid }
}

const collisionPairs = new Map<string, [string, string][]>()

/**
 * Pairs of distinct lowercase tokens that classify-rows gives the same hash, found by the
 * birthday bound (~80,000 random tokens a pair): asked of the classifier itself, so they stay
 * collisions whatever the hash becomes.
 */
export function hashCollisions(wanted: number, seed = 2024): [string, string][] {
  const key = `${wanted}:${seed}`
  const known = collisionPairs.get(key)
  if (known) return known.map(([left, right]) => [left, right])
  const random = seededRandom(seed)
  const seen = new Map<number, string>()
  const pairs: [string, string][] = []
  while (pairs.length < wanted) {
    const tokens = Array.from({ length: 1 << 16 }, () => randomToken(random))
    const hashes = hashesOf(tokens, 'token')
    tokens.forEach((token, row) => {
      const earlier = seen.get(hashes[row])
      if (earlier === undefined) seen.set(hashes[row], token)
      else if (earlier !== token && pairs.length < wanted) pairs.push([earlier, token])
    })
  }
  collisionPairs.set(key, pairs)
  return pairs
}

/** Every row's line, whether the store keeps a line column or not. */
export function linesOf(store: RowStore): number[] {
  return Array.from({ length: store.count }, (_, index) => lineOf(store, index))
}

/**
 * The package as `startPackageScan` sees it when the file arrives in reads of these sizes (in
 * turn, over and over). Bytes not read yet are zeros, as in the worker's buffer.
 */
export async function scanInReads(
  name: string,
  bytes: Uint8Array,
  kind: PackageKind,
  reads: number[],
): Promise<PackageState> {
  const buffer = new Uint8Array(bytes.length)
  const scan = startPackageScan({ name, bytes: buffer, kind })
  fillInReads(bytes, buffer, reads, (filled) => scan.advance(filled))
  return scan.finish()
}

/** The text as `startTextScan` sees it when it arrives in reads of these sizes, as above. */
export function textScanInReads(
  text: Uint8Array,
  options: TextScanOptions,
  reads: number[],
): ScannedText {
  const buffer = new Uint8Array(text.length)
  const scan = startTextScan(buffer, options)
  fillInReads(text, buffer, reads, (filled) => scan.advance(filled))
  return scan.finish()
}

/** Copies `bytes` into `buffer` in reads of these sizes, in turn; tells after each how far. */
function fillInReads(
  bytes: Uint8Array,
  buffer: Uint8Array,
  reads: number[],
  onFilled: (filled: number) => void,
): void {
  let filled = 0
  for (let read = 0; filled < bytes.length; read++) {
    const next = Math.min(bytes.length, filled + reads[read % reads.length])
    buffer.set(bytes.subarray(filled, next), filled)
    filled = next
    onFilled(filled)
  }
}
