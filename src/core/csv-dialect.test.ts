import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { detectDialect } from './csv-dialect.ts'
import { currentState, perform, startSession } from './package-session.ts'
import { buildCleanBytes } from './clean-package.ts'
import {
  countsWith,
  distinctTokens,
  lines,
  linesOf,
  scanInReads,
  textScanInReads,
  utf8,
  valuesOf,
} from './test-fixtures.ts'
import { reportOf, validatePackage, type PackageState } from './validate-package.ts'

const tokens = distinctTokens(6, 91)
const [t1, t2, t3] = tokens

describe('detectDialect', () => {
  it.each([
    ['tabs', lines(tokens.map((t) => `${t}\tios`)), 0x09, 0],
    ['semicolons', lines(tokens.map((t) => `${t};ios;2026`)), 0x3b, 0],
    ['pipes', lines(tokens.map((t) => `ios|${t}`)), 0x7c, 1],
    ['commas', lines(['user,token', ...tokens.map((t, i) => `u${i},${t}`)]), 0x2c, 1],
    ['quoted semicolons', lines(tokens.map((t) => `"Müller; Anna";"${t}"`)), 0x3b, 1],
    // A quoted field may hold a line break: the rows are records, not lines.
    ['quoted line breaks, commas', `note,token\n"x\ny",${t1}\n"p\nq",${t2}\n`, 0x2c, 1],
    [
      'quoted line breaks, semicolons and CRLF',
      `note;token\r\n"x\r\ny";${t1}\r\n"p\r\nq";${t2}\r\n`,
      0x3b,
      1,
    ],
    ['quoted line breaks, tabs', `note\ttoken\n"x\ny"\t${t1}\n"p\nq"\t${t2}\n`, 0x09, 1],
    ['a quote that never closes', `name,token\n"5 inch,${t1}\nAnn,${t2}\n`, 0x2c, 1],
  ])('%s', (_, text, delimiter, column) => {
    expect(detectDialect(utf8(text), 'token')).toEqual({ delimiter, column })
  })

  it.each([
    ['one token a row', lines(tokens)],
    ['tabs that only pad', lines(tokens.map((t) => `\t${t}\t`))],
    ['a separator that only ends rows', lines(tokens.map((t) => `${t};`))],
    ['a comma on one row of six', lines([`${t1},x`, ...tokens.slice(1)])],
  ])('none: %s', (_, text) => {
    expect(detectDialect(utf8(text), 'token')).toBeNull()
  })
})

async function stateOf(name: string, text: string) {
  return validatePackage({ name, bytes: utf8(text), kind: 'token' })
}

describe('delimited exports', () => {
  it('a tab-separated .txt: csv-columns, and keeping the token column keeps every token', async () => {
    const state = await stateOf(
      'export.txt',
      lines([`token\tplatform`, `${t1}\tios`, `${t2}\tandroid`, `${t3}\tios`]),
    )
    const report = reportOf(state)
    expect(report).toMatchObject({ rows: 4, valid: 3, counts: countsWith({ header: 1 }) })
    expect(report.problems).toEqual([{ code: 'csv-columns', count: 4 }])
    const fixed = currentState(perform(startSession(state), { type: 'fix', fix: 'all' }))
    expect(reportOf(fixed).verdict).toBe('ready')
    expect(new TextDecoder().decode(buildCleanBytes(fixed.store))).toBe(lines([t1, t2, t3]))
  })

  it('German Excel (;), with the tokens in the second column and trailing empty columns', async () => {
    const text = [
      'Kunde;Gerät-Token;;',
      `Anna;${t1};;`,
      `Jörg;${t2.toUpperCase()};;`,
      `Ute;${t3};;`,
    ].join('\r\n')
    const state = await stateOf('export.csv', text + '\r\n')
    expect(valuesOf(state.store)).toEqual(['Gerät-Token', t1, t2.toUpperCase(), t3])
    expect(reportOf(state)).toMatchObject({
      valid: 2,
      counts: countsWith({ header: 1, uppercase: 1 }),
    })
    const fixed = currentState(perform(startSession(state), { type: 'fix', fix: 'all' }))
    expect(new TextDecoder().decode(buildCleanBytes(fixed.store))).toBe(lines([t1, t2, t3]))
  })

  it('an account .txt keeps commas in its values', async () => {
    const state = await validatePackage({
      name: 'accounts.txt',
      bytes: utf8(lines(['Smith, John', 'Doe, Jane', 'Roe, Rick'])),
      kind: 'account',
    })
    expect(valuesOf(state.store)).toEqual(['Smith, John', 'Doe, Jane', 'Roe, Rick'])
    expect(reportOf(state).verdict).toBe('ready')
  })
})

/** The clean package once fix-all and fix-invalid have run: what would reach TPNS. */
function cleanOf(state: PackageState): string[] {
  let session = perform(startSession(state), { type: 'fix', fix: 'all' })
  session = perform(session, { type: 'fix', fix: 'invalid' })
  return valuesOf(currentState(session).store)
}

/** Reads of these sizes, in turn: a byte at a time, odd sizes, and all at once. */
const READS = [[1], [5, 17], [4096], [1 << 20]]

describe('quoted fields that hold line breaks', () => {
  it.each([
    ['notes.csv', `note,token\n"x\ny",${t1}\n"p\nq",${t2}\n`],
    ['notes.csv', `note;token\r\n"x\r\ny";${t1}\r\n"p\r\nq";${t2}\r\n`],
    ['notes.txt', `note\ttoken\n"x\ny"\t${t1}\n"p\nq"\t${t2}\n`],
    ['notes.txt', `note;token\r\n"x\r\ny";${t1}\r\n"p\r\nq";${t2}\r\n`],
  ])('%s %j: the header, then every token, from the token column', async (name, text) => {
    const state = await stateOf(name, text)
    expect(valuesOf(state.store)).toEqual(['token', t1, t2])
    expect(linesOf(state.store)).toEqual([1, 2, 4])
    expect(reportOf(state)).toMatchObject({
      rows: 3,
      valid: 2,
      counts: countsWith({ header: 1 }),
      columns: {
        chosen: 1,
        samples: ['note · x y · p q', `token · ${t1} · ${t2}`.slice(0, 80)],
        tokens: [1],
      },
    })
    expect(cleanOf(state)).toEqual([t1, t2])
    for (const reads of READS) {
      const read = await scanInReads(name, utf8(text), 'token', reads)
      expect(reportOf(read)).toEqual(reportOf(state))
      expect(valuesOf(read.store)).toEqual(valuesOf(state.store))
    }
  })
})

describe('a quoted line break past the first 64 KB', () => {
  it('in a tab-separated .txt cut row by row: the whole-file split reads it', async () => {
    const many = distinctTokens(2_000, 95)
    const rows = many.map((t, index) => (index === 1_900 ? `${t}\t"two\nlines"` : `${t}\tios`))
    const text = lines(['token\tplatform', ...rows])
    expect(text.indexOf('"')).toBeGreaterThan(64 * 1024)
    const state = await stateOf('export.txt', text)
    expect(valuesOf(state.store)).toEqual(['token', ...many])
    expect(cleanOf(state)).toEqual(many)
    for (const reads of READS) {
      const read = await scanInReads('export.txt', utf8(text), 'token', reads)
      expect(reportOf(read)).toEqual(reportOf(state))
      expect(linesOf(read.store)).toEqual(linesOf(state.store))
    }
  })
})

describe('a quote that never closes', () => {
  const many = distinctTokens(3_000, 93)

  it.each([
    ['one column', 'tokens.csv', `token\n${t1}\n"${t2}\n${t3}\n`, [t1, t2, t3]],
    ['before the token column', 'names.csv', `name,token\n"5 inch,${t1}\nAnn,${t2}\n`, [t1, t2]],
    ['in a .txt', 'tokens.txt', `token\n${t1}\n"${t2}\n${t3}\n`, [t1, t2, t3]],
    [
      // Past the 64 KB the dialect is told from: the quote is seen to be stray within them.
      'above thousands of rows',
      'names.csv',
      `name,token\n"5 inch,${many[0]}\n${lines(many.slice(1).map((t) => `Ann,${t}`))}`,
      many,
    ],
    [
      'above thousands of tokens',
      'tokens.csv',
      `token\n"${many[0]}\n${lines(many.slice(1))}`,
      many,
    ],
  ])('%s: loses no token', async (_, name, text, expected) => {
    const state = await stateOf(name, text)
    expect(cleanOf(state)).toEqual(expected)
    // The report shows the row with the quote, not one bad row for the rest of the file.
    expect(reportOf(state).rows).toBe(expected.length + 1)
    for (const reads of READS) {
      const read = await scanInReads(name, utf8(text), 'token', reads)
      expect(reportOf(read)).toEqual(reportOf(state))
    }
  })

  it('a token with its quote left open is wrapped, and its fix keeps it', async () => {
    const state = await stateOf('tokens.csv', `token\n${t1}\n"${t2}\n${t3}\n`)
    expect(valuesOf(state.store)).toEqual(['token', t1, `"${t2}`, t3])
    expect(reportOf(state)).toMatchObject({
      valid: 2,
      counts: countsWith({ header: 1, wrapped: 1 }),
    })
  })
})

describe('every token in the file reaches the clean package (property)', () => {
  const pool = distinctTokens(40, 57)
  /** A token as written: bare, quoted, or with a quote left open. */
  const token = fc
    .tuple(fc.constantFrom(...pool), fc.constantFrom('', '', '"', 'open'))
    .map(([value, quote]) => (quote === 'open' ? `"${value}` : `${quote}${value}${quote}`))
  const file = fc.record({
    separator: fc.constantFrom(',', ';', '\t', '|'),
    columns: fc.integer({ min: 2, max: 3 }),
    at: fc.nat(2),
    header: fc.boolean(),
    lineBreak: fc.constantFrom('\n', '\r\n'),
    name: fc.constantFrom('p.csv', 'p.txt'),
    rows: fc.array(fc.tuple(token, fc.nat(), fc.nat()), { minLength: 1, maxLength: 30 }),
  })
  /**
   * Other columns as exports write them, and stray quotes as a typo or a paste leaves them. No
   * empty column: a tab at a row's end is padding, and which rows have one is not the point.
   */
  const notes = [
    'ios',
    'Anna Müller',
    '"x\ny"',
    '"a{sep} b"',
    '"say ""hi"""',
    '""',
    '"5 inch',
    '"Ann',
  ]

  it('whatever the quotes around it', async () => {
    await fc.assert(
      fc.asyncProperty(file, async ({ separator, columns, at, header, lineBreak, name, rows }) => {
        const line = (value: string, others: string[]) => {
          const fields = others.slice(0, columns - 1)
          fields.splice(at % columns, 0, value)
          return fields.join(separator)
        }
        const noteOf = (pick: number) => notes[pick % notes.length].replace('{sep}', separator)
        const body = rows.map(([value, first, second]) =>
          line(value, [noteOf(first), noteOf(second)]),
        )
        const text = [...(header ? [line('token', ['note', 'platform'])] : []), ...body]
          .map((row) => row.replace(/\n/g, lineBreak) + lineBreak)
          .join('')
        const state = await stateOf(name, text)
        // Every token once, in the order of the file; nothing else.
        const inFile = rows.map(([value]) => value.replace(/"/g, ''))
        expect(cleanOf(state)).toEqual([...new Set(inFile)])
      }),
      { numRuns: 300 },
    )
  })
})

describe('the first 64 KB, however they are read', () => {
  it('tells the same dialect from a read that ends at 64 KB as from one past it', () => {
    // One row whole in the first 64 KB, and one cut there: the cut one is not a row to count.
    const text = utf8(lines(tokens.slice(0, 3).map((t) => `${'x'.repeat(40_000)};${t}`)))
    const options = { format: 'csv', kind: 'token' } as const
    const past = textScanInReads(text, options, [100_000])
    const at = textScanInReads(text, options, [64 * 1024, 100_000])
    expect(valuesOf(past.store)).toEqual(tokens.slice(0, 3))
    expect(valuesOf(at.store)).toEqual(valuesOf(past.store))
    expect(at.columns).toEqual(past.columns)
  })
})

describe('from shared memory, as the page reads a file', () => {
  /** Browsers' TextDecoder refuses views of shared memory; Node's does not. Do as browsers do. */
  class BrowserTextDecoder extends TextDecoder {
    override decode(input?: AllowSharedBufferSource, options?: TextDecodeOptions): string {
      const buffer = input && 'buffer' in input ? input.buffer : input
      if (buffer instanceof SharedArrayBuffer)
        throw new TypeError('The provided ArrayBufferView value must not be shared.')
      return super.decode(input, options)
    }
  }
  afterEach(() => vi.unstubAllGlobals())

  it.each([
    ['tabs.txt', lines(['token\tplatform', `${t1}\tios`, `${t2}\tandroid`])],
    ['later.csv', lines(['user;token', `a;${t1}`, `b;${t2}`])],
    ['header.csv', lines(['device_token', `${t1},ios`, `${t2},ios`])],
    ['json.txt', JSON.stringify([t1, t2])],
    ['wrapped.txt', lines([`"${t1}",`, `${t2}\u200b`])],
    ['中文.csv', lines(['设备Token', t1, t2])],
    // 设备Token in GBK above the tokens: converted row by row from shared memory.
    [
      'gbk.csv',
      [0xc9, 0xe8, 0xb1, 0xb8, 0x54, 0x6f, 0x6b, 0x65, 0x6e, 0x0a, ...utf8(lines([t1, t2]))],
    ],
  ])('%s reads as from memory of its own', async (name, text) => {
    const bytes = typeof text === 'string' ? utf8(text) : Uint8Array.from(text)
    const own = reportOf(await validatePackage({ name, bytes, kind: 'token' }))
    vi.stubGlobal('TextDecoder', BrowserTextDecoder)
    const shared = new Uint8Array(new SharedArrayBuffer(bytes.length))
    shared.set(bytes)
    expect(reportOf(await validatePackage({ name, bytes: shared, kind: 'token' }))).toEqual(own)
  })
})

describe('the token column, chosen', () => {
  it('says what each column holds, and reads the column the user chooses', async () => {
    const [a, b, c, d] = tokens
    const text = lines([`${a};${c}`, `${b};${d}`])
    const guessed = await validatePackage({ name: 'two.csv', bytes: utf8(text), kind: 'token' })
    expect(valuesOf(guessed.store)).toEqual([a, b])
    expect(reportOf(guessed).columns).toEqual({
      chosen: 0,
      samples: [`${a} · ${b}`, `${c} · ${d}`],
      tokens: [0, 1],
    })
    const chosen = await validatePackage({
      name: 'two.csv',
      bytes: utf8(text),
      kind: 'token',
      column: 1,
    })
    expect(valuesOf(chosen.store)).toEqual([c, d])
    expect(reportOf(chosen).columns?.chosen).toBe(1)
  })
})
