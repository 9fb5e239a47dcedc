import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { classifyRows, summarize } from './classify-rows.ts'
import { EXTRA_COLUMNS_BIT, ROW_BIT, type PackageKind, type RowCode } from './problem-codes.ts'
import { splitCsv, splitLines } from './split-rows.ts'
import {
  codeNames,
  countsWith,
  distinctTokens,
  hashOf,
  hashCollisions,
  lines,
  referenceCodes,
  tally,
  utf8,
  valuesOf,
} from './test-fixtures.ts'

function classify(text: string, kind: PackageKind = 'token', csv = false) {
  const bytes = utf8(text)
  const store = csv ? splitCsv(bytes) : splitLines(bytes)
  const result = classifyRows(store, { kind, csv })
  return { ...result, store, rows: Array.from(result.codes, codeNames) }
}

/** The codes of each row when every row is given on its own line. */
function rowCodes(rows: string[], kind: PackageKind = 'token', csv = false): RowCode[][] {
  return classify(lines(rows), kind, csv).rows
}

const [t1, t2, t3, t4] = distinctTokens(4)

describe('token rows', () => {
  it('finds a 36-character lowercase hex token valid', () => {
    const result = classify(lines([t1, t2, '0123456789abcdef0123456789abcdef0123']))
    expect(result.rows).toEqual([[], [], []])
    expect(result.valid).toBe(3)
    expect(result.counts).toEqual(countsWith({}))
  })

  it.each([
    ['', ['blank']],
    [' ', ['blank']],
    ['\t \t', ['blank']],
    [` ${t1}`, ['whitespace']],
    [`${t1}\t`, ['whitespace']],
    [`\t ${t1}  `, ['whitespace']],
    [t1.slice(1), ['length']],
    [t1 + '0', ['length']],
    ['a', ['length']],
    [t1.slice(0, 35) + 'g', ['charset']],
    // A UUID with dashes is 36 characters but not hex.
    ['123e4567-e89b-12d3-a456-426614174000', ['charset']],
    [t1.slice(0, 18) + ' ' + t1.slice(19), ['charset']],
    [t1.slice(0, 18) + '\t' + t1.slice(19), ['charset']],
    [t1.slice(0, 35) + '\x01', ['charset']],
    [t1.toUpperCase().replace(/[0-9]/g, 'A'), ['uppercase']],
    ['0123456789ABCDEF0123456789abcdef0123', ['uppercase']],
    ['0123456789ABCDEFG123456789abcdef0123', ['charset']],
    ['XYZ', ['length', 'charset']],
    [' ABC', ['whitespace', 'length', 'uppercase']],
    ['  令牌 ', ['whitespace', 'length', 'charset']],
    // 36 characters of 1 byte, and 12 characters of 3 bytes (36 bytes).
    ['令'.repeat(36), ['charset']],
    ['令'.repeat(12), ['length', 'charset']],
    ['😀'.repeat(36), ['charset']],
  ])('%j → %j', (row, codes) => {
    expect(rowCodes([row])).toEqual([codes])
  })

  it('counts every code and the valid rows exactly', () => {
    const result = classify(
      lines([t1, '', ` ${t2}`, 'XYZ', t1.toUpperCase(), t1, '   ', t3, ` ${t2} `, 'g']),
    )
    expect(result.rows).toEqual([
      [],
      ['blank'],
      ['whitespace'],
      ['length', 'charset'],
      ['uppercase', 'duplicate'],
      ['duplicate'],
      ['blank'],
      [],
      ['whitespace', 'duplicate'],
      ['length', 'charset'],
    ])
    expect(result.counts).toEqual(
      countsWith({ blank: 2, whitespace: 2, length: 2, charset: 2, uppercase: 1, duplicate: 3 }),
    )
    expect(result.valid).toBe(2)
    expect(result.extraColumns).toBe(0)
  })
})

describe('account rows', () => {
  it.each([
    ['ab', []],
    ['a', ['length']],
    ['x'.repeat(100), []],
    ['x'.repeat(101), ['length']],
    ['令'.repeat(100), []],
    ['令'.repeat(101), ['length']],
    ['😀😀', []],
    ['😀', ['length']],
    ['Alice', []],
    ['ABCDEF0123456789ABCDEF0123456789ABCD', []],
    ['user@example.com', []],
    ['a b', []],
    ['a\tb', ['charset']],
    ['\x01ab', ['charset']],
    ['a\x7fb', ['charset']],
    ['a\u0085b', ['charset']],
    ['a\u009fb', ['charset']],
    ['a\u00a0b', []],
    [' ab', ['whitespace']],
    ['\t', ['blank']],
    [' \x01 ', ['whitespace', 'length', 'charset']],
  ])('%j → %j', (row, codes) => {
    expect(rowCodes([row], 'account')).toEqual([codes])
  })

  it('compares duplicates trimmed and ASCII-lowercased', () => {
    const result = classify(lines(['Alice', 'alice', ' ALICE', 'Ärger', 'ärger', 'bob']), 'account')
    expect(result.rows).toEqual([[], ['duplicate'], ['whitespace', 'duplicate'], [], [], []])
    expect(result.valid).toBe(4)
    expect(result.counts).toEqual(countsWith({ duplicate: 2, whitespace: 1 }))
  })
})

describe('duplicates', () => {
  it('flag only the later rows with the same trimmed, lowercased value', () => {
    const rows = rowCodes([t1, t2, t1, `\t${t1.toUpperCase()} `, t2, t3])
    expect(rows).toEqual([
      [],
      [],
      ['duplicate'],
      ['whitespace', 'uppercase', 'duplicate'],
      ['duplicate'],
      [],
    ])
  })

  it('flag a lowercase token after its uppercase spelling', () => {
    expect(rowCodes([t1.toUpperCase().replace(/[0-9]/g, 'B'), t1.replace(/[0-9]/g, 'b')])).toEqual([
      ['uppercase'],
      ['duplicate'],
    ])
  })

  it('flag invalid values that repeat', () => {
    expect(rowCodes(['xyz', 'XYZ', 'xyz '])).toEqual([
      ['length', 'charset'],
      ['length', 'charset', 'duplicate'],
      ['whitespace', 'length', 'charset', 'duplicate'],
    ])
  })

  it('never flag blank rows', () => {
    expect(rowCodes(['', ' ', '', '\t', ''])).toEqual([
      ['blank'],
      ['blank'],
      ['blank'],
      ['blank'],
      ['blank'],
    ])
  })

  it('tell apart values whose bytes fold together in the hash', () => {
    // '@' and '`', '[' and '{', '_' and DEL hash alike (byte | 0x20) but are different values.
    const pairs = [
      ['@' + t1.slice(1), '`' + t1.slice(1)],
      ['[' + t2.slice(1), '{' + t2.slice(1)],
      ['_' + t3.slice(1), '\x7f' + t3.slice(1)],
    ]
    for (const [left, right] of pairs)
      expect(hashOf(left, 'account')).toBe(hashOf(right, 'account'))
    expect(rowCodes(pairs.flat(), 'account')).toEqual([[], [], [], [], [], ['charset']])
    expect(rowCodes([...pairs.flat(), ...pairs.flat()], 'account').slice(6)).toEqual([
      ['duplicate'],
      ['duplicate'],
      ['duplicate'],
      ['duplicate'],
      ['duplicate'],
      ['charset', 'duplicate'],
    ])
  })

  it('tell apart distinct tokens with the same 32-bit hash', () => {
    const collisions = hashCollisions(3)
    expect(collisions).toHaveLength(3)
    for (const [left, right] of collisions)
      expect(hashOf(left, 'token')).toBe(hashOf(right, 'token'))
    const rows = [...collisions.flat(), ...collisions.flat().map((token) => token.toUpperCase())]
    expect(rowCodes(rows)).toEqual([
      ...Array.from({ length: 6 }, () => []),
      ...Array.from({ length: 6 }, () => ['uppercase', 'duplicate']),
    ])
  })
})

describe('header', () => {
  it.each([
    ['token', true],
    ['Token', true],
    ['device_token', true],
    ['Device Token', true],
    ['tokens', true],
    ['id', true],
    ['deadbeef', false],
    ['abc', false],
    // Words above the tokens, in any language (issue 10): headers too now.
    ['0token', true],
    ['token:', true],
    ['令牌', true],
  ])('token CSV starting with %j: header %s', (first, header) => {
    const rows = rowCodes([first, t1], 'token', true)
    expect(rows[0].includes('header')).toBe(header)
    expect(rows[1]).toEqual([])
  })

  it('is the only code of a header row but for whitespace', () => {
    expect(rowCodes(['token', t1], 'token', true)[0]).toEqual(['header'])
    expect(rowCodes([' token ', t1], 'token', true)[0]).toEqual(['whitespace', 'header'])
  })

  it('needs tokens below it', () => {
    expect(rowCodes(['token', 'token'], 'token', true)).toEqual([['header'], ['length', 'charset']])
    expect(rowCodes(['', 'token'], 'token', true)).toEqual([['blank'], ['length', 'charset']])
    // A .txt too, once tokens follow (headers in any format).
    expect(rowCodes(['token', t1])).toEqual([['header'], []])
  })

  it('takes the usual account column names', () => {
    for (const name of ['account', 'Account', 'UserID', 'user_id', 'openid', 'email', '账号']) {
      expect(rowCodes([name, 'alice'], 'account', true)).toEqual([['header'], []])
    }
    for (const name of ['手机号', '用户名', '邮箱', 'Phone Number']) {
      expect(rowCodes([name, 'alice'], 'account', true)).toEqual([['header'], []])
    }
    expect(rowCodes(['alice', 'bob'], 'account', true)).toEqual([[], []])
    // On the file's first line only, so that removing a bad first row never makes the account
    // below it a column name; in a file of columns only, as the clean package is none.
    expect(rowCodes(['bob', 'account'], 'account', true)).toEqual([[], []])
    expect(rowCodes(['', '账号', 'bob'], 'account', true)).toEqual([['blank'], [], []])
    expect(rowCodes(['account', 'bob'], 'account', false)).toEqual([[], []])
  })

  it('is read from the first column of a CSV', () => {
    const result = classify(`token,name\n${t1},alice\n`, 'token', true)
    expect(result.rows).toEqual([['header'], []])
    expect(Array.from(result.codes)).toEqual([
      ROW_BIT.header | EXTRA_COLUMNS_BIT,
      EXTRA_COLUMNS_BIT,
    ])
    expect(result.counts).toEqual(countsWith({ header: 1 }))
    expect(result.valid).toBe(1)
  })
})

describe('extra columns and encoding hints', () => {
  it('mark CSV rows with more columns without making them invalid', () => {
    // `${t3},` ends in an empty column only: one column.
    const result = classify(`${t1},x\n${t2}\n${t3},\n,${t4}\n`, 'token', true)
    expect(Array.from(result.codes)).toEqual([
      EXTRA_COLUMNS_BIT,
      0,
      0,
      EXTRA_COLUMNS_BIT | ROW_BIT.blank,
    ])
    expect(result.extraColumns).toBe(2)
    expect(result.valid).toBe(3)
    expect(result.counts).toEqual(countsWith({ blank: 1 }))
  })

  it('say whether any byte is outside ASCII', () => {
    expect(classify(lines([t1, 'abc'])).nonAscii).toBe(false)
    expect(classify(lines([t1, 'ab令'])).nonAscii).toBe(true)
  })

  it('see bytes outside ASCII in later CSV columns too', () => {
    expect(classify(`${t1},abc\n`, 'token', true).nonAscii).toBe(false)
    expect(classify(`${t1},张三\n`, 'token', true).nonAscii).toBe(true)
    expect(classify(`,张三\n`, 'token', true).nonAscii).toBe(true)
    expect(classify(`"${t1}",张三\n`, 'token', true).nonAscii).toBe(true)
  })
})

describe('summarize', () => {
  it('counts codes, valid rows and rows with more columns from the masks', () => {
    const codes = Uint16Array.of(
      0,
      EXTRA_COLUMNS_BIT,
      ROW_BIT.blank,
      ROW_BIT.length | ROW_BIT.charset,
      ROW_BIT.duplicate | EXTRA_COLUMNS_BIT,
      ROW_BIT.header,
      ROW_BIT.whitespace | ROW_BIT.uppercase,
    )
    const summary = summarize(codes)
    expect(summary.valid).toBe(2)
    expect(summary.extraColumns).toBe(2)
    expect(summary.counts).toEqual({
      blank: 1,
      whitespace: 1,
      length: 1,
      charset: 1,
      uppercase: 1,
      duplicate: 1,
      header: 1,
      invisible: 0,
      wrapped: 0,
      excluded: 0,
    })
    expect(summary.codes).toBe(codes)
  })
})

describe('against the string reference', () => {
  const pool = [...distinctTokens(5, 9), 'ab', 'Alice', '令牌', '@x', '`x']
  const row = fc.oneof(
    fc.constantFrom(...pool),
    fc.constantFrom(...pool).map((value) => value.toUpperCase()),
    fc
      .tuple(
        fc.constantFrom('', ' ', '\t', ' \t'),
        fc.constantFrom(...pool),
        fc.constantFrom('', ' ', '\t'),
      )
      .map(([before, value, after]) => before + value + after),
    fc.string({
      unit: fc.constantFrom('a', 'F', '0', 'g', ' ', '\t', '\x01', '\x85', 'é', '😀'),
      maxLength: 40,
    }),
  )

  it.each(['token', 'account'] as const)('%s rows, LF or CRLF', (kind) => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), fc.boolean(), (rows, crlf) => {
        const result = classify(lines(rows, crlf ? '\r\n' : '\n'), kind)
        expect(valuesOf(result.store)).toEqual(rows)
        const expected = referenceCodes(rows, kind)
        expect(result.rows).toEqual(expected)
        expect({ counts: result.counts, valid: result.valid }).toEqual(tally(expected))
      }),
      { numRuns: 300, seed: 42 },
    )
  })
})
