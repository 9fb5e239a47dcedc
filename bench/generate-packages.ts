import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { readReference, type Counts, type ReferenceFix } from './expected-counts.ts'
import { zipOneEntry } from './write-zip.ts'

/** CONTRACT.md's `too-large` limit: the packages must stay under it to be read at all. */
export const MAX_PACKAGE_BYTES = 104_857_600

export type BenchFormat = 'txt' | 'csv' | 'zip' | 'gbk' | 'tsv'

/** A package on disk, with the counts the page must show for it. */
export interface BenchPackage {
  format: BenchFormat
  path: string
  /** Name of the token file inside the zip; null for a plain package. */
  zipEntry: string | null
  bytes: number
  expected: Counts
  /** The counts the page must show after each one-click fix, applied to the package as read. */
  expectedAfterFix: Record<ReferenceFix, Counts>
}

type RowKind = 'valid' | 'duplicate' | 'uppercase' | 'whitespace' | 'blank' | 'length' | 'charset'

// Share of rows of each bad kind; the rest are fresh valid tokens.
const BAD_ROWS: ReadonlyArray<readonly [RowKind, number]> = [
  ['duplicate', 0.001],
  ['uppercase', 0.0005],
  ['whitespace', 0.0005],
  ['blank', 0.0002],
  ['length', 0.0003],
  ['charset', 0.0003],
]

const HEX = Buffer.from('0123456789abcdef')
const NOT_HEX = Buffer.from('ghijklmnopqrstuvwxyz-_.:')
const PADDING = [' ', '  ', '\t', ' \t'].map((text) => Buffer.from(text))
const BLANKS = ['', ' ', '  \t'].map((text) => Buffer.from(text))
const WRONG_LENGTHS = [35, 37, 32, 40, 1, 64]
const TOKEN_LENGTH = 36
const LF = 10

/** mulberry32: a tiny seeded PRNG, so every run benchmarks the very same rows. */
export class Random {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let value = this.state
    value = Math.imul(value ^ (value >>> 15), value | 1)
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61)
    return (value ^ (value >>> 14)) >>> 0
  }

  /** A uniform number in [0, 1). */
  fraction(): number {
    return this.next() / 0x1_0000_0000
  }

  below(limit: number): number {
    return Math.floor(this.fraction() * limit)
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]
  }
}

/**
 * The bytes of a token file: `rows` LF-terminated rows, mostly fresh lowercase tokens, with
 * duplicates, uppercase, padded, blank, wrong-length and non-hex rows mixed in at fixed rates.
 */
export function generateTokenRows(rows: number, seed: number): Buffer {
  const random = new Random(seed)
  // Room for rows of 40 bytes on average (a token row takes 37), and never less than a package.
  const out = Buffer.allocUnsafe(Math.max(MAX_PACKAGE_BYTES, rows * 40))
  const rowStart = new Uint32Array(rows)
  const rowEnd = new Uint32Array(rows)
  let at = 0
  for (let row = 0; row < rows; row++) {
    // The widest row is a padded 64-character one; stop well before the buffer's end.
    if (at + 128 > out.length) throw new Error(`${rows} rows do not fit in ${out.length} bytes.`)
    rowStart[row] = at
    const kind = pickKind(random.fraction())
    switch (kind) {
      case 'duplicate': {
        if (row === 0) {
          at = writeHex(out, at, TOKEN_LENGTH, random)
          break
        }
        const earlier = random.below(row)
        at += out.copy(out, at, rowStart[earlier], rowEnd[earlier])
        break
      }
      case 'uppercase': {
        const from = at
        at = writeHex(out, at, TOKEN_LENGTH, random)
        upperCase(out, from, at, random.fraction() < 0.5)
        break
      }
      case 'whitespace': {
        const both = random.fraction() < 0.3
        const leading = both || random.fraction() < 0.5
        if (leading) at += random.pick(PADDING).copy(out, at)
        const from = at
        at = writeHex(out, at, TOKEN_LENGTH, random)
        // Some padded rows carry a second problem.
        if (random.fraction() < 0.2) upperCase(out, from, at, true)
        if (both || !leading) at += random.pick(PADDING).copy(out, at)
        break
      }
      case 'blank':
        at += random.pick(BLANKS).copy(out, at)
        break
      case 'length':
        at = writeHex(out, at, random.pick(WRONG_LENGTHS), random)
        break
      case 'charset': {
        const from = at
        at = writeHex(out, at, TOKEN_LENGTH, random)
        out[from + random.below(TOKEN_LENGTH)] = random.pick([...NOT_HEX])
        break
      }
      case 'valid':
        at = writeHex(out, at, TOKEN_LENGTH, random)
        break
    }
    rowEnd[row] = at
    out[at++] = LF
  }
  return out.subarray(0, at)
}

function pickKind(roll: number): RowKind {
  let edge = 0
  for (const [kind, share] of BAD_ROWS) {
    edge += share
    if (roll < edge) return kind
  }
  return 'valid'
}

function writeHex(out: Buffer, at: number, length: number, random: Random): number {
  let word = 0
  for (let index = 0; index < length; index++) {
    if ((index & 7) === 0) word = random.next()
    out[at + index] = HEX[word & 15]
    word >>>= 4
  }
  return at + length
}

/** Uppercases every hex letter, or only the first one. */
function upperCase(out: Buffer, from: number, to: number, all: boolean): void {
  for (let position = from; position < to; position++) {
    const byte = out[position]
    if (byte >= 0x61 && byte <= 0x66) {
      out[position] = byte - 0x20
      if (!all) return
    }
  }
}

/**
 * Writes the three packages into `dir`: the rows as tokens.txt and tokens.csv, and
 * tokens.txt zipped. The expected counts come from reading the files back.
 */
export async function writePackages(
  dir: string,
  rows: number,
  seed: number,
): Promise<BenchPackage[]> {
  const content = generateTokenRows(rows, seed)
  if (content.length >= MAX_PACKAGE_BYTES)
    throw new Error(`The generated package is ${content.length} bytes, over the limit.`)
  const txt = join(dir, 'tokens.txt')
  const csv = join(dir, 'tokens.csv')
  const zip = join(dir, 'tokens.zip')
  const zipped = zipOneEntry('tokens.txt', content)
  await Promise.all([writeFile(txt, content), writeFile(csv, content), writeFile(zip, zipped)])

  const asTxt = referenceOf(await readFile(txt, 'utf8'), { csv: false })
  const asCsv = referenceOf(await readFile(csv, 'utf8'), { csv: true })
  return [
    { format: 'txt', path: txt, zipEntry: null, bytes: content.length, ...asTxt },
    { format: 'csv', path: csv, zipEntry: null, bytes: content.length, ...asCsv },
    { format: 'zip', path: zip, zipEntry: 'tokens.txt', bytes: zipped.length, ...asTxt },
    await writeGbkCsv(dir, content),
    await writeTsv(dir, rows, seed),
  ]
}

/** 设备Token in GBK: the header Excel on Chinese Windows writes above the tokens. */
const GBK_HEADER = Buffer.from([0xc9, 0xe8, 0xb1, 0xb8, 0x54, 0x6f, 0x6b, 0x65, 0x6e, 0x0a])

/**
 * The rows as Excel or WPS save a CSV on Chinese Windows: GBK, with a Chinese header. The page
 * must count exactly what it counts for the same text in UTF-8.
 */
async function writeGbkCsv(dir: string, content: Buffer): Promise<BenchPackage> {
  const path = join(dir, 'tokens-gbk.csv')
  await writeFile(path, Buffer.concat([GBK_HEADER, content]))
  const asUtf8 = referenceOf('设备Token\n' + content.toString('utf8'), { csv: true })
  return {
    format: 'gbk',
    path,
    zipEntry: null,
    bytes: GBK_HEADER.length + content.length,
    ...asUtf8,
  }
}

/**
 * A tab-separated export: the rows with a second column, `\t1`. Fewer rows (9 in 10) keep it
 * under 100 MB, and their padding is spaces, since a tab parts columns here. The page must
 * count the token column as the reference counts the same rows alone.
 */
async function writeTsv(dir: string, rows: number, seed: number): Promise<BenchPackage> {
  const tokens = generateTokenRows(Math.floor(rows * 0.9), seed)
    .toString('utf8')
    .replace(/\t/g, ' ')
  const lines = tokens.split('\n')
  lines.pop()
  const text = lines.map((line) => `${line}\t1`).join('\n') + '\n'
  const path = join(dir, 'tokens.tsv.txt')
  await writeFile(path, text)
  return {
    format: 'tsv',
    path,
    zipEntry: null,
    bytes: Buffer.byteLength(text),
    ...referenceOf(tokens, { csv: false }),
  }
}

function referenceOf(
  text: string,
  options: { csv: boolean },
): Pick<BenchPackage, 'expected' | 'expectedAfterFix'> {
  const reference = readReference(text, options)
  const after = (fix: ReferenceFix) => readReference(reference.afterFix(fix), options).counts
  return {
    expected: reference.counts,
    expectedAfterFix: { duplicate: after('duplicate'), all: after('all') },
  }
}
