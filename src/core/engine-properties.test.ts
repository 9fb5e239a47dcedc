/**
 * Properties of the engine over generated input (fast-check): random bytes under any name,
 * and random token files mixing valid tokens with every kind of damage. Whatever comes in,
 * validation does not throw, the report adds up, fixing is idempotent, and the clean package
 * that the fixes leave is ready.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { classifyRows } from './classify-rows.ts'
import { detectDialect } from './csv-dialect.ts'
import { buildCleanBytes } from './clean-package.ts'
import { currentState, perform, startSession, type PackageSession } from './package-session.ts'
import {
  INVALID_MASK,
  ROW_BIT,
  ROW_CODES,
  type PackageKind,
  type RowCode,
} from './problem-codes.ts'
import {
  codeNames,
  concatBytes,
  distinctTokens,
  lines,
  linesOf,
  scanInReads,
  textScanInReads,
  referenceCodes,
  tally,
  utf8,
  valuesOf,
  zipOf,
} from './test-fixtures.ts'
import { splitCsv } from './split-rows.ts'
import { reportOf, validatePackage, type PackageState } from './validate-package.ts'

const NUM_RUNS = 500
const POOL = distinctTokens(6, 29)

/** Counts worked out again from the code masks, row by row, and checked against the report. */
function expectConsistent(state: PackageState) {
  const report = reportOf(state)
  const rows = state.store.count
  const codes = state.classification.codes.subarray(0, rows)
  const counts = Object.fromEntries(ROW_CODES.map((code) => [code, 0])) as Record<RowCode, number>
  let valid = 0
  let problem = 0
  for (const mask of codes) {
    if ((mask & INVALID_MASK) === 0) valid++
    else problem++
    for (const code of ROW_CODES) if (mask & ROW_BIT[code]) counts[code]++
  }
  expect(report.rows).toBe(rows)
  expect(valid + problem).toBe(rows)
  expect(report.valid).toBe(valid)
  expect(report.counts).toEqual(counts)
  // A row with a problem has at least one code, so the counts cover every such row.
  expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(
    problem,
  )
  const holds = report.problems.length === 0 && valid === rows
  expect(report.verdict === 'ready').toBe(holds)
}

function fixAll(session: PackageSession): PackageSession {
  return perform(session, { type: 'fix', fix: 'all' })
}

/**
 * Fix-all twice is fix-all once; then fix-invalid leaves a clean package that validates as
 * ready, or as empty when no row is left. Returns the clean values.
 */
async function expectCleanPackageReady(state: PackageState): Promise<string[]> {
  const once = fixAll(startSession(state))
  const twice = fixAll(once)
  expect(twice).toBe(once)
  expect(currentState(twice)).toBe(currentState(once))

  const fixed = perform(once, { type: 'fix', fix: 'invalid' })
  const left = currentState(fixed)
  expectConsistent(left)
  expect(left.classification.valid).toBe(left.store.count)
  const bytes = buildCleanBytes(left.store)
  const again = reportOf(await validatePackage({ name: 'clean.txt', bytes, kind: state.kind }))
  if (left.store.count === 0) {
    expect(again).toMatchObject({ rows: 0, problems: [{ code: 'empty' }], verdict: 'unreadable' })
  } else {
    expect(again).toMatchObject({
      rows: left.store.count,
      valid: left.store.count,
      problems: [],
      verdict: 'ready',
    })
  }
  return valuesOf(left.store)
}

const names = fc.constantFrom('p.txt', 'p.csv', 'p.zip', 'p.TXT', 'p', 'p.xlsx', 'p.gz')
const kinds = fc.constantFrom<PackageKind>('token', 'account')

/** Random bytes, some starting as a zip, a BOM or UTF-16 would, to reach those paths. */
const randomBytes = fc
  .tuple(
    fc.constantFrom<number[]>(
      [],
      [0x50, 0x4b, 0x03, 0x04],
      [0xef, 0xbb, 0xbf],
      [0xff, 0xfe],
      [0xfe, 0xff],
    ),
    fc.uint8Array({ maxLength: 3_000 }),
  )
  .map(([prefix, body]) => Uint8Array.from([...prefix, ...body]))
/** Random text: any code points, controls, line breaks and quotes among them, as UTF-8. */
const randomText = fc.string({ unit: 'binary', maxLength: 400 }).map(utf8)

const token = fc.constantFrom(...POOL)
/** Junk without line breaks, so that the rows of a .txt are known: not hex, markup, CJK. */
const junk = fc.string({
  unit: fc.constantFrom(
    'a',
    'F',
    '0',
    'g',
    'Z',
    '-',
    ' ',
    '\t',
    ',',
    '"',
    '<',
    '>',
    '中',
    '😀',
    '\u00e9',
  ),
  maxLength: 50,
})
const row = fc.oneof(
  { arbitrary: token, weight: 6 },
  { arbitrary: token.map((value) => value.toUpperCase()), weight: 1 },
  {
    arbitrary: fc
      .tuple(token, fc.array(fc.boolean(), { minLength: 36, maxLength: 36 }))
      .map(([value, flips]) =>
        [...value].map((char, index) => (flips[index] ? char.toUpperCase() : char)).join(''),
      ),
    weight: 1,
  },
  {
    arbitrary: fc
      .tuple(fc.constantFrom('', ' ', '\t', '  '), token, fc.constantFrom('', ' ', '\t '))
      .map(([before, value, after]) => before + value + after),
    weight: 2,
  },
  {
    // What tools and copying put around a token: marks, spaces, Excel's ="…", a lone quote.
    arbitrary: fc
      .tuple(
        fc.constantFrom('', '\u200e', '\u2066', '\u00a0', '\u034f', '="', '"', "'"),
        token,
        fc.constantFrom('', '\u200f', '\u202f', '\u2009\u2069', '\ufe0f', '"', "'", ','),
      )
      .map(([before, value, after]) => before + value + after),
    weight: 2,
  },
  { arbitrary: fc.constantFrom('', ' ', '\t', ' \t '), weight: 1 },
  { arbitrary: token.map((value) => value.slice(0, 35)), weight: 1 },
  { arbitrary: token.map((value) => `${value},ios`), weight: 1 },
  { arbitrary: fc.constantFrom('token', 'device_token'), weight: 1 },
  { arbitrary: junk, weight: 2 },
)
const tokenFile = fc.record({
  rows: fc.array(fc.tuple(row, fc.constantFrom('\n', '\r\n')), { maxLength: 80 }),
  finalBreak: fc.boolean(),
  container: fc.constantFrom('txt', 'csv', 'zip-txt', 'zip-csv'),
  kind: kinds,
})

function textOf(file: { rows: [string, string][]; finalBreak: boolean }): string {
  const parts = file.rows.map(([value, lineBreak], index) =>
    index < file.rows.length - 1 || file.finalBreak ? value + lineBreak : value,
  )
  return parts.join('')
}

/** The rows a .txt holds, split the obvious way: at LF or CRLF; the final break makes none. */
function referenceRows(text: string): string[] {
  const rows = text.split(/\r?\n/)
  if (rows[rows.length - 1] === '') rows.pop()
  return rows
}

describe('engine properties: random bytes', () => {
  it('never throws; the report adds up; the fixes leave a ready clean package', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(randomBytes, randomText),
        names,
        kinds,
        async (bytes, name, kind) => {
          const state = await validatePackage({ name, bytes, kind })
          expectConsistent(state)
          // An unreadable package is never uploaded: its rows cannot be trusted to clean.
          if (reportOf(state).verdict !== 'unreadable') await expectCleanPackageReady(state)
        },
      ),
      { numRuns: NUM_RUNS },
    )
  })
})

describe('engine properties: random token files', () => {
  it('never throws; every row gets the codes CONTRACT.md gives it', async () => {
    await fc.assert(
      fc.asyncProperty(tokenFile, async (file) => {
        const text = textOf(file)
        const zipped = file.container.startsWith('zip')
        const format = file.container.endsWith('csv') ? 'csv' : 'txt'
        const bytes = zipped ? await zipOf({ [`tokens.${format}`]: text }) : utf8(text)
        const state = await validatePackage({
          name: zipped ? 'tokens.zip' : `tokens.${format}`,
          bytes,
          kind: file.kind,
        })
        expectConsistent(state)
        const report = reportOf(state)
        expect(report.container).toBe(zipped ? 'zip' : 'plain')
        expect(report.format).toBe(format)
        // A delimited .txt (`token,ios` on most rows) is read as a CSV: split-rows.test.ts and
        // csv-dialect.test.ts have that path. One value a line is judged here.
        if (format === 'txt' && detectDialect(utf8(text), file.kind) === null) {
          // Plain text is split and judged exactly as the reference does it.
          const values = referenceRows(text)
          expect(valuesOf(state.store)).toEqual(values)
          const expected = referenceCodes(values, file.kind)
          const codes = Array.from(state.classification.codes.subarray(0, values.length))
          expect(codes.map(codeNames)).toEqual(expected)
          const { counts, valid } = tally(expected)
          expect(report).toMatchObject({ rows: values.length, valid, counts })
          expect(report.problems).toEqual(values.length === 0 ? [{ code: 'empty' }] : [])
        }
      }),
      { numRuns: NUM_RUNS },
    )
  })

  it('fix-all is idempotent, loses no valid row, and leaves a ready clean package', async () => {
    await fc.assert(
      fc.asyncProperty(tokenFile, async (file) => {
        const text = textOf(file)
        const format = file.container.endsWith('csv') ? 'csv' : 'txt'
        const state = await validatePackage({
          name: `tokens.${format}`,
          bytes: utf8(text),
          kind: file.kind,
        })
        const validBefore = valuesOf(state.store).filter(
          (_, index) => (state.classification.codes[index] & INVALID_MASK) === 0,
        )
        const cleanValues = await expectCleanPackageReady(state)
        // Every valid value is still there, though a repaired row above it may now be its
        // first occurrence. Values compare as duplicates do: with ASCII case folded.
        const folded = (values: string[]) => values.map((value) => value.toLowerCase())
        const kept = new Set(folded(cleanValues))
        expect(folded(validBefore).filter((value) => !kept.has(value))).toEqual([])
        // Every clean value is one of the valid values fix-all could make: no junk gets in.
        if (file.kind === 'token') {
          for (const value of cleanValues) expect(POOL).toContain(value)
        }
      }),
      { numRuns: NUM_RUNS },
    )
  })
})

function expectSamePackage(actual: PackageState, expected: PackageState) {
  expect(reportOf(actual)).toEqual(reportOf(expected))
  expect(valuesOf(actual.store)).toEqual(valuesOf(expected.store))
  expect(linesOf(actual.store)).toEqual(linesOf(expected.store))
  expect(actual.classification.codes).toEqual(expected.classification.codes)
}

/** Valid rows ahead of the test's own, so the scan starts before the end of the file. */
const lead = fc.constantFrom('', lines(distinctTokens(150, 41)))
const reads = fc.array(fc.integer({ min: 1, max: 3_000 }), { minLength: 1, maxLength: 8 })

describe('engine properties: reading a range at a time', () => {
  it('gives the package validatePackage gives, whatever the sizes of the reads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          tokenFile.map((file) => ({ text: textOf(file), kind: file.kind })),
          fc.tuple(randomText, kinds).map(([text, kind]) => ({ text, kind })),
        ),
        lead,
        fc.constantFrom('p.txt', 'p.csv', 'p'),
        reads,
        async ({ text, kind }, before, name, sizes) => {
          const bytes =
            typeof text === 'string' ? utf8(before + text) : concatBytes(utf8(before), text)
          const whole = await validatePackage({ name, bytes, kind })
          expectSamePackage(await scanInReads(name, bytes, kind, sizes), whole)
        },
      ),
      { numRuns: NUM_RUNS },
    )
  })

  it('also for random bytes and every container', async () => {
    await fc.assert(
      fc.asyncProperty(
        randomBytes,
        lead,
        names,
        kinds,
        reads,
        async (body, before, name, kind, sizes) => {
          const bytes = concatBytes(body.subarray(0, 4), utf8(before), body.subarray(4))
          const whole = await validatePackage({ name, bytes, kind })
          expectSamePackage(await scanInReads(name, bytes, kind, sizes), whole)
        },
      ),
      { numRuns: NUM_RUNS },
    )
  })
})

/** A delimited export's rows: a value, then maybe more columns, or trailing separators only. */
const delimitedFile = fc.record({
  delimiter: fc.constantFrom(';', '\t', '|', ','),
  header: fc.boolean(),
  rows: fc.array(
    fc.tuple(
      row.filter((value) => !/[;\t|,"]/.test(value)),
      fc.constantFrom('', 'x', 'ios', ' ', 'a b', '1'),
      fc.constantFrom(0, 1, 1, 1, 2),
      fc.constantFrom('\n', '\r\n'),
    ),
    { minLength: 3, maxLength: 80 },
  ),
  finalBreak: fc.boolean(),
  /** A quoted field, with the separator in it: on the first line, or further down. */
  quote: fc.constantFrom('none', 'none', 'first', 'later'),
  name: fc.constantFrom('p.txt', 'p.csv'),
})

/** Reads of any size, or a first read that ends inside the first line and then the rest. */
const textReads = fc.oneof(
  reads,
  fc.integer({ min: 1, max: 40 }).map((first) => [first, 1_000_000]),
)

describe('engine properties: delimited text cut as it is read', () => {
  it('gives the rows and codes the whole-file split gives, whatever the sizes of the reads', async () => {
    await fc.assert(
      fc.asyncProperty(delimitedFile, lead, textReads, async (file, before, sizes) => {
        const { delimiter } = file
        const body = file.rows
          .map(([value, other, columns, lineBreak], index) => {
            const rest =
              columns === 0 ? '' : delimiter + (columns === 1 ? other : delimiter + other)
            const last = index === file.rows.length - 1 && !file.finalBreak
            return value + rest + (last ? '' : lineBreak)
          })
          .join('')
        const quoted = `"Tokens${delimiter} October"${delimiter}x\n`
        const header =
          (file.quote === 'first' ? quoted : '') +
          (file.header ? `token${delimiter}platform\n` : '')
        const later = file.quote === 'later' ? quoted : ''
        const bytes = utf8(header + before.replace(/\n/g, `${delimiter}ios\n`) + later + body)
        const dialect = detectDialect(bytes, 'token')
        fc.pre(dialect !== null && dialect.column === 0)
        const format = file.name.endsWith('.csv') ? 'csv' : 'txt'
        const scanned = textScanInReads(bytes, { format, kind: 'token' }, sizes)
        const store = splitCsv(bytes, dialect)
        const expected = classifyRows(store, { kind: 'token', csv: true })
        expect(valuesOf(scanned.store)).toEqual(valuesOf(store))
        expect(scanned.classification.codes).toEqual(expected.codes)
        expect(scanned.classification.extraColumns).toBe(expected.extraColumns)
      }),
      { numRuns: NUM_RUNS },
    )
  })
})
