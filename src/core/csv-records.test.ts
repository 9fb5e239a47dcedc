import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CsvRecords, MAX_BREAKS_IN_FIELD } from './csv-records.ts'
import { distinctTokens } from './test-fixtures.ts'

const COMMA = 0x2c
const LF = 0x0a

/** Every record of the text: its fields and the line it starts on. */
function read(text: string, delimiter = COMMA, complete = true): [string[], number][] {
  const records = new CsvRecords(text, delimiter, LF, { complete })
  const out: [string[], number][] = []
  for (let fields = records.next(); fields !== null; fields = records.next())
    out.push([fields, records.line])
  return out
}

const [a, b, c] = distinctTokens(3, 17)

describe('CsvRecords: quoted fields', () => {
  it.each<[string, [string[], number][]]>([
    ['', []],
    ['a', [[['a'], 1]]],
    ['a\n', [[['a'], 1]]],
    [
      'a\n\nb',
      [
        [['a'], 1],
        [[''], 2],
        [['b'], 3],
      ],
    ],
    ['a,', [[['a', ''], 1]]],
    [
      '"a,b",c\nd',
      [
        [['a,b', 'c'], 1],
        [['d'], 2],
      ],
    ],
    [
      '"x\ny",1\nz\n',
      [
        [['x\ny', '1'], 1],
        [['z'], 3],
      ],
    ],
    ['"say ""hi""",x', [[['say "hi"', 'x'], 1]]],
    [
      '"",x\n""',
      [
        [['', 'x'], 1],
        [[''], 2],
      ],
    ],
    // Spaces between a closing quote and the separator are dropped, as papaparse does.
    [
      '"a"  ,b\n"c" \nd',
      [
        [['a', 'b'], 1],
        [['c'], 2],
        [['d'], 3],
      ],
    ],
    // A quote opens a field only at its start.
    [
      'ab"c,d\ne',
      [
        [['ab"c', 'd'], 1],
        [['e'], 2],
      ],
    ],
    [' "a,b"', [[[' "a', 'b"'], 1]]],
    // A field whose next quote does not close it was not quoted (papaparse: `a "b" c`).
    [
      '"a "b" c",x\ny',
      [
        [['"a "b" c"', 'x'], 1],
        [['y'], 2],
      ],
    ],
  ])('%j', (text, records) => {
    expect(read(text)).toEqual(records)
  })

  it('reads any separator', () => {
    expect(read('"a;b";c\n', 0x3b)).toEqual([[['a;b', 'c'], 1]])
    expect(read('"a\tb"\tc\n', 0x09)).toEqual([[['a\tb', 'c'], 1]])
  })
})

describe('CsvRecords: a stray quote costs its own row, not the rows after it', () => {
  it('one the text ends before closing', () => {
    expect(read(`token\n${a}\n"${b}\n${c}\n`)).toEqual([
      [['token'], 1],
      [[a], 2],
      [[`"${b}`], 3],
      [[c], 4],
    ])
    expect(read(`name,token\n"5 inch,${a}\nAnn,${b}\n`)).toEqual([
      [['name', 'token'], 1],
      [['"5 inch', a], 2],
      [['Ann', b], 3],
    ])
  })

  it('one whose next quote does not close it, on its line or below', () => {
    expect(read(`"${a}\n"${b}"\n${c}`)).toEqual([
      [[`"${a}`], 1],
      [[b], 2],
      [[c], 3],
    ])
    expect(read(`"x "y\nz",${a}\n`)).toEqual([
      [['"x "y'], 1],
      [['z"', a], 2],
    ])
  })

  it(`one that would hold more than ${MAX_BREAKS_IN_FIELD} line breaks`, () => {
    // As many lines as the most line breaks a field may hold, and one: a field of them all.
    const held = Array.from({ length: MAX_BREAKS_IN_FIELD + 1 }, (_, index) => `n${index}`)
    const within = read(`"${held.join('\n')}",${a}\n${b}\n`)
    expect(within).toEqual([
      [[held.join('\n'), a], 1],
      [[b], MAX_BREAKS_IN_FIELD + 2],
    ])
    const past = [...held, 'last']
    const beyond = read(`"${past.join('\n')}",${a}\n${b}\n`)
    expect(beyond.map(([fields]) => fields)).toEqual([
      [`"${past[0]}`],
      ...past.slice(1, -1).map((line) => [line]),
      ['last"', a],
      [b],
    ])
    expect(beyond.map(([, line]) => line)).toEqual(
      past.map((_, index) => index + 1).concat(past.length + 1),
    )
  })
})

describe('CsvRecords: the head of a longer text', () => {
  it('leaves out a last record that may go on past it', () => {
    expect(read('a,b\nc,d', COMMA, false)).toEqual([[['a', 'b'], 1]])
    expect(read('a,b\nc,d\n', COMMA, false)).toEqual([
      [['a', 'b'], 1],
      [['c', 'd'], 2],
    ])
  })

  it('stops at a quoted field still open at its end, or that may close there', () => {
    expect(read('a\n"b\nc', COMMA, false)).toEqual([[['a'], 1]])
    expect(read('a\n"b"', COMMA, false)).toEqual([[['a'], 1]])
    expect(read('a\n"b""', COMMA, false)).toEqual([[['a'], 1]])
  })

  it('reads on past a quote it can tell is stray', () => {
    const rows = Array.from({ length: MAX_BREAKS_IN_FIELD + 5 }, (_, index) => `r${index},x`)
    const head = `"open,x\n${rows.join('\n')}\npartial`
    const records = read(head, COMMA, false)
    expect(records[0]).toEqual([['"open', 'x'], 1])
    expect(records).toHaveLength(rows.length + 1)
  })
})

/** A field as a CSV writer (Excel, RFC 4180) writes it: quoted when it must be. */
function written(field: string): string {
  return /[",\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field
}

describe('CsvRecords (property)', () => {
  const field = fc.string({
    unit: fc.constantFrom('a', '0', ' ', '\t', ',', '"', '\n', '中'),
    maxLength: 12,
  })
  const records = fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { maxLength: 20 })

  it('reads back what a CSV writer wrote', () => {
    fc.assert(
      fc.property(records, (rows) => {
        const text = rows.map((fields) => fields.map(written).join(',') + '\n').join('')
        expect(read(text).map(([fields]) => fields)).toEqual(rows)
      }),
      { numRuns: 500, seed: 3 },
    )
  })

  it('reads a quote put at the start of any field as a character, every row kept', () => {
    // Rows without quotes, and a quote put in front of some non-empty fields, as a typo or a
    // paste leaves one: each such quote stays in its field, and no row changes otherwise.
    const plain = fc.stringMatching(/^[a-z0-9][a-z0-9 ]{0,8}$/)
    const row = fc.array(fc.tuple(plain, fc.boolean()), { minLength: 1, maxLength: 3 })
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), fc.boolean(), (rows, last) => {
        const expected = rows.map((fields) =>
          fields.map(([value, stray]) => (stray ? `"${value}` : value)),
        )
        const text = expected.map((fields) => fields.join(',')).join('\n') + (last ? '\n' : '')
        expect(read(text)).toEqual(expected.map((fields, index) => [fields, index + 1]))
      }),
      { numRuns: 500, seed: 4 },
    )
  })
})
