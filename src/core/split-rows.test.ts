import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { lineOf, rowFullText, type RowStore } from './row-store.ts'
import { splitCsv, splitLines } from './split-rows.ts'
import { distinctTokens, lines, linesOf, seededRandom, utf8, valuesOf } from './test-fixtures.ts'

function fullTextsOf(store: RowStore): string[] {
  return Array.from({ length: store.count }, (_, index) => rowFullText(store, index))
}

/** What a row store says about each row, for comparing two stores. */
function rowsOf(store: RowStore): [string, string, number][] {
  const values = valuesOf(store)
  const full = fullTextsOf(store)
  const lines = linesOf(store)
  return values.map((value, index) => [value, full[index], lines[index]])
}

describe('splitLines', () => {
  it.each([
    ['', [], []],
    ['a', ['a'], [1]],
    ['a\nb', ['a', 'b'], [1, 2]],
    ['a\nb\n', ['a', 'b'], [1, 2]],
    ['a\n\n', ['a', ''], [1, 2]],
    ['\n', [''], [1]],
    ['\n\n', ['', ''], [1, 2]],
    ['a\r\nb\r\n', ['a', 'b'], [1, 2]],
    ['a\r\n\r\nb', ['a', '', 'b'], [1, 2, 3]],
    ['\r\n', [''], [1]],
    ['a\rb\r', ['a', 'b'], [1, 2]],
    ['a\r\rb', ['a', '', 'b'], [1, 2, 3]],
    ['a\r\nb\nc\r\nd', ['a', 'b', 'c', 'd'], [1, 2, 3, 4]],
    // CRs before an LF are part of the break (Python's csv module on Windows: \r\r\n), as at
    // the end of the file.
    ['a\r\r\nb\r\r\n', ['a', 'b'], [1, 2]],
    ['a\nb\r', ['a', 'b'], [1, 2]],
    ['a\n\r', ['a', ''], [1, 2]],
    // With LF in the file, a lone CR is not a line break here: it stays in the row (the text
    // scan splits the file again at it, scan-text.ts).
    ['a\rb\nc\n', ['a\rb', 'c'], [1, 2]],
    [' a \t\n', [' a \t'], [1]],
  ])('%j', (text, values, lines) => {
    const store = splitLines(utf8(text))
    expect(store.count).toBe(values.length)
    expect(valuesOf(store)).toEqual(values)
    expect(linesOf(store)).toEqual(lines)
    expect(store.fullLength).toBeNull()
  })

  it('points into the file bytes without copying', () => {
    const bytes = utf8('ab\r\ncd\n')
    const store = splitLines(bytes)
    expect(store.arena.base).toBe(bytes)
    expect(store.arena.extraLength).toBe(0)
    expect(Array.from(store.start.subarray(0, 2))).toEqual([0, 4])
    expect(Array.from(store.length.subarray(0, 2))).toEqual([2, 2])
  })

  it('keeps every row of a file longer than its first guess of rows', () => {
    // Short rows: many more rows than size / 37.
    const text = Array.from({ length: 5000 }, (_, index) => String(index % 10)).join('\n')
    const store = splitLines(utf8(text))
    expect(store.count).toBe(5000)
    expect(lineOf(store, 4999)).toBe(5000)
    expect(valuesOf(store)[4321]).toBe('1')
  })
})

describe('splitCsv without quotes', () => {
  it('has no full lengths when no row has a comma', () => {
    const store = splitCsv(utf8('a\nb\n'))
    expect(valuesOf(store)).toEqual(['a', 'b'])
    expect(store.fullLength).toBeNull()
  })

  it('takes the first column as the value and keeps the whole row', () => {
    const store = splitCsv(utf8('a,b,c\r\nd\ne,\n,f\n'))
    expect(valuesOf(store)).toEqual(['a', 'd', 'e', ''])
    // `e,` ends in an empty column (Excel's trailing separators): one column, `e`.
    expect(fullTextsOf(store)).toEqual(['a,b,c', 'd', 'e', ',f'])
    expect(linesOf(store)).toEqual([1, 2, 3, 4])
    expect(store.fullLength).not.toBeNull()
  })
})

describe('splitCsv with quotes', () => {
  it('reads quoted commas, line breaks and escaped quotes inside a field', () => {
    const store = splitCsv(utf8('"a,b",c\n"line\nbreak"\n"say ""hi"""\nplain\n'))
    expect(valuesOf(store)).toEqual(['a,b', 'line\nbreak', 'say "hi"', 'plain'])
    expect(fullTextsOf(store)).toEqual(['a,b,c', 'line\nbreak', 'say "hi"', 'plain'])
    expect(linesOf(store)).toEqual([1, 2, 4, 5])
  })

  it('keeps its values in the arena extra area', () => {
    const store = splitCsv(utf8('"abc"\n"def",x\n'))
    expect(store.arena.base.length).toBe(0)
    expect(store.arena.extraLength).toBe('abc'.length + 'def,x'.length)
    expect(store.start[0]).toBe(0)
    expect(store.start[1]).toBe(3)
    expect(Array.from(store.fullLength ?? [], Number).slice(0, 2)).toEqual([3, 5])
  })

  it('does not make a row of the final line break, but keeps blank rows', () => {
    expect(valuesOf(splitCsv(utf8('"a"\n')))).toEqual(['a'])
    expect(valuesOf(splitCsv(utf8('"a"\n\n')))).toEqual(['a', ''])
    expect(valuesOf(splitCsv(utf8('"a"\n""\n')))).toEqual(['a', ''])
    expect(valuesOf(splitCsv(utf8('"a"\n""')))).toEqual(['a', ''])
    expect(valuesOf(splitCsv(utf8('"a"\r')))).toEqual(['a'])
  })

  it('keeps a U+FEFF that starts the first row, as the byte path does', () => {
    const bom = [0xef, 0xbb, 0xbf]
    expect(valuesOf(splitCsv(Uint8Array.of(...bom, ...utf8('a\n"b"\n'))))).toEqual(['\ufeffa', 'b'])
    expect(valuesOf(splitCsv(Uint8Array.of(...bom, ...utf8('a\nb\n'))))).toEqual(['\ufeffa', 'b'])
  })

  it('a trailing comma ends the value: no second column', () => {
    const store = splitCsv(utf8('"a",\n'))
    expect(valuesOf(store)).toEqual(['a'])
    expect(fullTextsOf(store)).toEqual(['a'])
    expect(store.fullLength).toBeNull()
  })

  it('reads semicolons, tabs and pipes, and a token column that is not the first', () => {
    const semicolons = splitCsv(utf8('ios;"a;b"\nandroid;c\n'), { delimiter: 0x3b, column: 1 })
    expect(valuesOf(semicolons)).toEqual(['a;b', 'c'])
    expect(fullTextsOf(semicolons)).toEqual(['a;b;ios', 'c;android'])
    const tabs = splitCsv(utf8('x\ta\n\tb\t\n'), { delimiter: 0x09, column: 1 })
    expect(valuesOf(tabs)).toEqual(['a', 'b'])
    expect(fullTextsOf(tabs)).toEqual(['a\tx', 'b'])
    expect(linesOf(tabs)).toEqual([1, 2])
  })

  it('numbers lines past a quote in the middle of an unquoted field', () => {
    // A quote that does not start a field is a plain character.
    const store = splitCsv(utf8('ab"c\nd\ne\n'))
    expect(valuesOf(store)).toEqual(['ab"c', 'd', 'e'])
    expect(linesOf(store)).toEqual([1, 2, 3])
  })

  it('numbers lines past escaped quotes and quoted line breaks (CRLF inside quotes reads as LF)', () => {
    const store = splitCsv(utf8('"x""\n"\ny\n"p\r\nq",r\nz'))
    expect(valuesOf(store)).toEqual(['x"\n', 'y', 'p\nq', 'z'])
    expect(linesOf(store)).toEqual([1, 3, 4, 6])
  })

  it('a quote that never closes is a character of its row; the rows after it stay rows', () => {
    const [a, b, c] = distinctTokens(3, 23)
    const store = splitCsv(utf8(`token\n${a}\n"${b}\n${c}\n`))
    expect(valuesOf(store)).toEqual(['token', a, `"${b}`, c])
    expect(linesOf(store)).toEqual([1, 2, 3, 4])
    const named = splitCsv(utf8(`name,token\n"5 inch,${a}\nAnn,${b}\n`), {
      delimiter: 0x2c,
      column: 1,
    })
    expect(valuesOf(named)).toEqual(['token', a, b])
    expect(fullTextsOf(named)).toEqual(['token,name', `${a},"5 inch`, `${b},Ann`])
  })

  it('a stray quote above many rows costs one row', () => {
    const tokens = distinctTokens(20_000, 29)
    const store = splitCsv(utf8(`token\n"${tokens[0]}\n${lines(tokens.slice(1))}`))
    expect(store.count).toBe(tokens.length + 1)
    expect(valuesOf(store).slice(1)).toEqual([`"${tokens[0]}`, ...tokens.slice(1)])
    expect(lineOf(store, tokens.length)).toBe(tokens.length + 1)
  })

  it('numbers a last record that spans lines by the line it starts on', () => {
    const store = splitCsv(utf8('a\n"b\nc"'))
    expect(valuesOf(store)).toEqual(['a', 'b\nc'])
    expect(linesOf(store)).toEqual([1, 2])
  })
})

describe('splitCsv: the quoted path reads what the byte path reads', () => {
  const tokens = distinctTokens(6)
  const rows = [
    tokens[0],
    '',
    `  ${tokens[1]}\t`,
    `${tokens[2]},extra`,
    tokens[3].toUpperCase(),
    `${tokens[4]},`,
    ',only-second',
    tokens[0],
    'x',
  ]

  /** The same data, with the first field of every row quoted. */
  function quoted(row: string): string {
    const comma = row.indexOf(',')
    return comma === -1 ? `"${row}"` : `"${row.slice(0, comma)}"${row.slice(comma)}`
  }

  it.each([
    ['LF', ['\n']],
    ['CRLF', ['\r\n']],
    ['CR', ['\r']],
    ['LF and CRLF, CRLF first', ['\r\n', '\n', '\r\n']],
    ['LF and CRLF, LF first', ['\n', '\r\n', '\r\n']],
  ])('%s', (_, breaks) => {
    const join = (list: string[]) =>
      list.map((row, index) => row + breaks[index % breaks.length]).join('')
    const plain = splitCsv(utf8(join(rows)))
    expect(plain.arena.extraLength).toBe(0)
    expect(valuesOf(plain)).toEqual([
      tokens[0],
      '',
      `  ${tokens[1]}\t`,
      tokens[2],
      tokens[3].toUpperCase(),
      tokens[4],
      '',
      tokens[0],
      'x',
    ])
    expect(linesOf(plain)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])

    const allQuoted = splitCsv(utf8(join(rows.map(quoted))))
    expect(allQuoted.arena.extraLength).toBeGreaterThan(0)
    expect(rowsOf(allQuoted)).toEqual(rowsOf(plain))

    const oneQuoted = splitCsv(
      utf8(join(rows.map((row, index) => (index === 5 ? quoted(row) : row)))),
    )
    expect(oneQuoted.arena.extraLength).toBeGreaterThan(0)
    expect(rowsOf(oneQuoted)).toEqual(rowsOf(plain))
  })

  it('on random data', () => {
    const random = seededRandom(7)
    const pieces = ['', ' ', '\t', 'ab', 'AB', '0f', '令', ',', ',,', 'x y']
    const data = Array.from({ length: 2000 }, () => {
      let row = ''
      const parts = Math.floor(random() * 4)
      for (let part = 0; part < parts; part++) row += pieces[Math.floor(random() * pieces.length)]
      return row
    })
    const text = data.map((row) => row + (random() < 0.5 ? '\n' : '\r\n')).join('')
    const plain = splitCsv(utf8(text))
    const withQuote = splitCsv(
      utf8('"' + data[0].split(',')[0] + '"' + text.slice(data[0].split(',')[0].length)),
    )
    expect(plain.count).toBe(2000)
    expect(rowsOf(withQuote)).toEqual(rowsOf(plain))
  })
})

/** Rows the obvious way: LF (dropping the CRs before it), else CR; the final break makes no row. */
function referenceLines(text: string): string[] {
  if (text === '') return []
  if (!text.includes('\n')) {
    const parts = text.split('\r')
    if (parts.at(-1) === '') parts.pop()
    return parts
  }
  const parts = text.split('\n')
  if (parts.at(-1) === '') parts.pop()
  return parts.map((part) => part.replace(/\r+$/, ''))
}

describe('against the string reference', () => {
  const text = fc
    .array(fc.constantFrom('a', 'B', ' ', '令', ',', '\n', '\r', '\r\n'), { maxLength: 40 })
    .map((parts) => parts.join(''))

  it('splitLines', () => {
    fc.assert(
      fc.property(text, (sample) => {
        const store = splitLines(utf8(sample))
        const expected = referenceLines(sample)
        expect(valuesOf(store)).toEqual(expected)
        expect(linesOf(store)).toEqual(expected.map((_, index) => index + 1))
      }),
      { numRuns: 500, seed: 1 },
    )
  })

  it('splitCsv, with and without a quote', () => {
    fc.assert(
      fc.property(text, (sample) => {
        const expected = referenceLines(sample)
        const plain = splitCsv(utf8(sample))
        expect(valuesOf(plain)).toEqual(expected.map((row) => row.split(',')[0]))
        // A row whose other columns are all empty is its value alone (`a,,` is `a`).
        const onlyValue = (row: string) => /^[ \t]*$/.test(row.split(',').slice(1).join(''))
        expect(fullTextsOf(plain)).toEqual(
          expected.map((row) => (onlyValue(row) ? row.split(',')[0] : row)),
        )
        // One quoted row in front hands the same rows to the quoted path.
        const lineBreak = sample.includes('\n') ? '\n' : sample.includes('\r') ? '\r' : '\n'
        const quoted = splitCsv(utf8(`"q"${lineBreak}${sample}`))
        const unquoted = splitCsv(utf8(`q${lineBreak}${sample}`))
        expect(rowsOf(quoted)).toEqual(rowsOf(unquoted))
      }),
      { numRuns: 500, seed: 2 },
    )
  })
  it('splitCsv moving a later column first, with and without a quote', () => {
    const delimited = fc
      .array(fc.constantFrom('a', 'B', ' ', '\t', '令', ';', ';;', '\n', '\r\n'), { maxLength: 40 })
      .map((parts) => parts.join(''))
    fc.assert(
      fc.property(delimited, fc.integer({ min: 1, max: 3 }), (sample, column) => {
        const dialect = { delimiter: 0x3b, column }
        const expected = referenceLines(sample).map((line) => {
          const fields = line.split(';')
          const at = column < fields.length ? column : 0
          const others = fields.filter((_, index) => index !== at)
          const extra = others.some((field) => /[^ \t]/.test(field))
          return [fields[at], extra ? [fields[at], ...others].join(';') : fields[at]]
        })
        const plain = splitCsv(utf8(sample), dialect)
        expect(valuesOf(plain)).toEqual(expected.map(([value]) => value))
        expect(fullTextsOf(plain)).toEqual(expected.map(([, full]) => full))
        // The same rows through the quoted-CSV reader, with a quoted row in front.
        const quoted = splitCsv(utf8(`"q"\n${sample}`), dialect)
        const unquoted = splitCsv(utf8(`q\n${sample}`), dialect)
        expect(rowsOf(quoted)).toEqual(rowsOf(unquoted))
      }),
      { numRuns: 500, seed: 3 },
    )
  })
})
