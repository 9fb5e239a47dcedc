import { describe, expect, it } from 'vitest'
import { buildCleanBytes } from './clean-package.ts'
import { currentState, perform, startSession } from './package-session.ts'
import { EXTRA_COLUMNS_BIT, INVALID_MASK, ROW_BIT, type PackageKind } from './problem-codes.ts'
import { rowFullText, rowValue } from './row-store.ts'
import {
  concatBytes,
  countsWith,
  distinctTokens,
  hashCollisions,
  lines,
  linesOf,
  randomHex,
  rawZip,
  referenceCodes,
  reportFor,
  scanInReads,
  seededRandom,
  tally,
  utf16be,
  utf16le,
  utf8,
  valuesOf,
  withDeclaredSize,
  zipOf,
} from './test-fixtures.ts'
import {
  currentProblems,
  reportOf,
  validatePackage,
  verdictOf,
  type PackageState,
} from './validate-package.ts'

const tokens = distinctTokens(5)
const [t1, t2, t3] = tokens
const clean = lines(tokens)

async function stateFor(name: string, content: string | Uint8Array, kind: PackageKind = 'token') {
  const bytes = typeof content === 'string' ? utf8(content) : content
  return validatePackage({ name, bytes, kind })
}

describe('a clean package', () => {
  it('is ready, with every field of the report', async () => {
    expect(await reportFor('tokens.txt', clean)).toEqual({
      fileName: 'tokens.txt',
      kind: 'token',
      format: 'txt',
      container: 'plain',
      entryName: null,
      size: 37 * 5,
      rows: 5,
      valid: 5,
      counts: countsWith({}),
      problems: [],
      verdict: 'ready',
      columns: null,
      sources: [
        {
          name: 'tokens.txt',
          size: 37 * 5,
          rows: 5,
          valid: 5,
          encoding: 'UTF-8',
          column: null,
          problems: [],
        },
      ],
      exclusions: [],
    })
  })

  it('is ready as a zip, and says which entry it read', async () => {
    const zip = await zipOf({ 'inner.csv': clean })
    expect(await reportFor('tokens.zip', zip)).toEqual({
      fileName: 'tokens.zip',
      kind: 'token',
      format: 'csv',
      container: 'zip',
      entryName: 'inner.csv',
      size: zip.length,
      rows: 5,
      valid: 5,
      counts: countsWith({}),
      problems: [],
      verdict: 'ready',
      columns: null,
      sources: [
        {
          name: 'tokens.zip',
          size: zip.length,
          rows: 5,
          valid: 5,
          encoding: 'UTF-8',
          column: null,
          problems: [],
        },
      ],
      exclusions: [],
    })
  })

  it('is ready as an account package', async () => {
    const report = await reportFor(
      'accounts.csv',
      lines(['account', 'alice', 'Bob', '张三']),
      'account',
    )
    expect(report).toMatchObject({ rows: 4, valid: 3, counts: countsWith({ header: 1 }) })
    expect(report.verdict).toBe('needs-fixes')
    expect(
      await reportFor('accounts.txt', lines(['alice', 'Bob', '张三']), 'account'),
    ).toMatchObject({ rows: 3, valid: 3, problems: [], verdict: 'ready' })
  })
})

describe('rows and line breaks', () => {
  it.each([
    ['LF', `${t1}\n${t2}\n`],
    ['CRLF', `${t1}\r\n${t2}\r\n`],
    ['CR', `${t1}\r${t2}\r`],
    ['no final break', `${t1}\n${t2}`],
    ['mixed LF and CRLF', `${t1}\r\n${t2}\n`],
    ["CR CR LF (Python's csv module on Windows)", `${t1}\r\r\n${t2}\r\r\n`],
    ['a lone CR at the end', `${t1}\n${t2}\r`],
    ['a lone CR within LF lines (a Mac export joined on)', `${t1}\r${t2}\n`],
  ])('%s', async (_, text) => {
    const state = await stateFor('tokens.txt', text)
    expect(valuesOf(state.store)).toEqual([t1, t2])
    expect(linesOf(state.store).slice(0, 2)).toEqual([1, 2])
    expect(reportOf(state)).toMatchObject({ rows: 2, valid: 2, problems: [], verdict: 'ready' })
  })

  it('keeps a blank row before the final break', async () => {
    const report = await reportFor('tokens.txt', `${t1}\n\n`)
    expect(report).toMatchObject({ rows: 2, valid: 1, counts: countsWith({ blank: 1 }) })
    expect(report.verdict).toBe('needs-fixes')
  })

  it('numbers lines from 1, blank rows included', async () => {
    const state = await stateFor('tokens.txt', `\n${t1}\r\n\r\n${t2}`)
    expect(linesOf(state.store)).toEqual([1, 2, 3, 4])
  })
})

describe('reading a package a range at a time', () => {
  // Enough rows ahead for the scan to start before the end of the file (it waits for 4 KB).
  const lead = distinctTokens(150, 7)
  const ahead = lines(lead).length

  it('a CRLF cut between its CR and its LF', async () => {
    const bytes = utf8(lines(lead, '\r\n'))
    const state = await scanInReads('tokens.txt', bytes, 'token', [4200 + 36, 38])
    expect(valuesOf(state.store)).toEqual(lead)
    expect(reportOf(state)).toMatchObject({ rows: 150, valid: 150, problems: [] })
  })

  it('a byte order mark cut by the first read', async () => {
    const bytes = concatBytes([0xef, 0xbb, 0xbf], utf8(lines(lead)))
    const state = await scanInReads('tokens.txt', bytes, 'token', [2, 5000])
    expect(rowValue(state.store, 0)).toBe(lead[0])
    expect(reportOf(state)).toMatchObject({ rows: 150, problems: [{ code: 'encoding-bom' }] })
  })

  it('a NUL in a later read', async () => {
    const bytes = concatBytes(utf8(lines(lead)), utf8('ab'), [0], utf8('c\n'))
    const report = reportOf(await scanInReads('tokens.txt', bytes, 'token', [ahead]))
    expect(report).toMatchObject({ rows: 151, valid: 150, verdict: 'unreadable' })
    expect(report.problems).toEqual([{ code: 'encoding-invalid', names: ['binary'] }])
  })

  it('a quote in a later read of a CSV: the whole file goes through the quoted-CSV reader', async () => {
    const bytes = utf8(`${lines(lead)}"${t1}"\n`)
    const state = await scanInReads('tokens.csv', bytes, 'token', [4500])
    expect(valuesOf(state.store)).toEqual([...lead, t1])
    expect(reportOf(state)).toMatchObject({ rows: 151, valid: 151, problems: [] })
  })

  it('CR CR LF in a CSV with a header, and a Mac export (CR only) after LF lines', async () => {
    const python = utf8(`token\r\r\n${lines(lead, '\r\r\n')}`)
    const state = await scanInReads('tokens.csv', python, 'token', [4500, 3])
    expect(valuesOf(state.store)).toEqual(['token', ...lead])
    expect(reportOf(state)).toMatchObject({ rows: 151, valid: 150, counts: { header: 1 } })
    const joined = utf8(`${lines(lead)}${t1}\r${t2}\r`)
    const mac = await scanInReads('tokens.txt', joined, 'token', [ahead - 10, 40])
    expect(valuesOf(mac.store)).toEqual([...lead, t1, t2])
    expect(linesOf(mac.store).slice(-2)).toEqual([151, 152])
    expect(reportOf(mac)).toMatchObject({ rows: 152, valid: 152, problems: [] })
  })

  it('CR-only line breaks, seen to be so only at the end', async () => {
    const state = await scanInReads('tokens.txt', utf8(lines(lead, '\r')), 'token', [4500])
    expect(valuesOf(state.store)).toEqual(lead)
    expect(reportOf(state)).toMatchObject({ rows: 150, valid: 150, problems: [] })
  })
})

describe('CSV', () => {
  it('reports csv-columns with the number of rows, and reads the first column', async () => {
    const text = `${t1},alice\n${t2}\n${t3},\n`
    const state = await stateFor('tokens.csv', text)
    const report = reportOf(state)
    // `${t3},` only ends in an empty column (Excel's trailing separators): not a second one.
    expect(report.problems).toEqual([{ code: 'csv-columns', count: 1 }])
    expect(report).toMatchObject({ rows: 3, valid: 3, verdict: 'needs-fixes' })
    expect(valuesOf(state.store)).toEqual([t1, t2, t3])
    expect([0, 1, 2].map((row) => rowFullText(state.store, row))).toEqual([`${t1},alice`, t2, t3])
  })

  it('reads quoted fields with commas and line breaks inside', async () => {
    const state = await stateFor('tokens.csv', `"${t1}","a, b"\n"${t2}","x\ny"\n${t3}\n`)
    expect(valuesOf(state.store)).toEqual([t1, t2, t3])
    expect(linesOf(state.store).slice(0, 3)).toEqual([1, 2, 4])
    expect(rowFullText(state.store, 1)).toBe(`${t2},x\ny`)
    expect(reportOf(state).problems).toEqual([{ code: 'csv-columns', count: 2 }])
  })

  it('gives the same report with and without quotes', async () => {
    const rows = [t1, ` ${t2}`, t1.toUpperCase(), '', 'token', t3, `${t3},x`, 'XYZ']
    const plain = lines(['device_token', ...rows], '\r\n')
    const quoted = lines(
      ['"device_token"', ...rows.map((row) => row.replace(/^([^,]*)/, '"$1"'))],
      '\r\n',
    )
    expect(quoted).toContain('"')
    const fast = await reportFor('tokens.csv', plain)
    const read = await reportFor('tokens.csv', quoted)
    const sources = [{ ...fast.sources[0], size: quoted.length }]
    expect(read).toEqual({ ...fast, size: quoted.length, sources })
    expect(fast).toMatchObject({
      rows: 9,
      valid: 2,
      counts: countsWith({
        header: 1,
        whitespace: 1,
        uppercase: 1,
        duplicate: 2,
        blank: 1,
        length: 2,
        charset: 2,
      }),
      problems: [{ code: 'csv-columns', count: 1 }],
    })
  })

  it('finds a header in a .txt as in a .csv, in any language, over several rows', async () => {
    for (const name of ['tokens.csv', 'tokens.txt']) {
      expect((await reportFor(name, lines(['token', t1]))).counts).toEqual(
        countsWith({ header: 1 }),
      )
      expect((await reportFor(name, lines(['设备Token', t1]))).counts).toEqual(
        countsWith({ header: 1 }),
      )
      // A title row, a blank row, then the column names.
      expect(
        (await reportFor(name, lines(['Export 2026-11-28', '', 'device_token', t1]))).counts,
      ).toEqual(countsWith({ header: 2, blank: 1 }))
    }
  })

  it('a row of hex digits above the tokens is a token cut short, not a header', async () => {
    expect((await reportFor('tokens.txt', lines(['deadbeef', t1]))).counts).toEqual(
      countsWith({ length: 1 }),
    )
  })
})

describe('account lists', () => {
  function cleanAfterFixAll(state: PackageState): string {
    const session = perform(startSession(state), { type: 'fix', fix: 'all' })
    const { store } = currentState(session)
    return new TextDecoder().decode(buildCleanBytes(store, 0, store.count))
  }

  it("are split at tabs in a .txt (Excel's Unicode text), with their column name", async () => {
    const plain = await stateFor('a.txt', 'user01\tAnna\nuser02\tBob\n', 'account')
    expect(valuesOf(plain.store)).toEqual(['user01', 'user02'])
    expect(reportOf(plain).problems).toEqual([{ code: 'csv-columns', count: 2 }])
    expect(cleanAfterFixAll(plain)).toBe('user01\nuser02\n')
    const unicode = utf16le('账号\t姓名\r\nuser01\t安娜\r\nuser02\t博\r\n', true)
    const exported = await stateFor('a.txt', unicode, 'account')
    expect(reportOf(exported).counts.header).toBe(1)
    expect(cleanAfterFixAll(exported)).toBe('user01\nuser02\n')
  })

  it('keep a comma or a semicolon in a .txt: it may be part of the account', async () => {
    const state = await stateFor('a.txt', 'Smith, John\nDoe; Jane\nann\n', 'account')
    expect(valuesOf(state.store)).toEqual(['Smith, John', 'Doe; Jane', 'ann'])
    expect(reportOf(state)).toMatchObject({ valid: 3, problems: [] })
  })
})

describe('name-length and extension', () => {
  it.each([
    [
      '',
      [
        { code: 'name-length', count: 0 },
        { code: 'extension', names: [''] },
      ],
    ],
    ['x'.repeat(97) + '.txt', [{ code: 'name-length', count: 101 }]],
    ['x'.repeat(96) + '.txt', []],
    ['令'.repeat(96) + '.txt', []],
    ['😀'.repeat(97) + '.txt', [{ code: 'name-length', count: 101 }]],
    ['tokens.Txt', []],
    ['tokens.xlsx', [{ code: 'extension', names: ['.xlsx'] }]],
    ['tokens.gz', [{ code: 'extension', names: ['.gz'] }]],
    ['tokens', [{ code: 'extension', names: [''] }]],
  ])('%j', async (name, problems) => {
    const report = await reportFor(name, clean)
    expect(report.problems).toEqual(problems)
    // The rows are still read, as text.
    expect(report).toMatchObject({ rows: 5, valid: 5, format: 'txt', container: 'plain' })
    expect(report.verdict).toBe(problems.length ? 'needs-fixes' : 'ready')
  })

  it('reads .CSV in capitals as a CSV', async () => {
    expect(await reportFor('tokens.CSV', lines(['token', t1]))).toMatchObject({
      format: 'csv',
      rows: 2,
      valid: 1,
      counts: countsWith({ header: 1 }),
      problems: [],
    })
  })

  it('reads .ZIP in capitals as a zip', async () => {
    const report = await reportFor('TOKENS.ZIP', await zipOf({ 'tokens.txt': clean }))
    expect(report).toMatchObject({ container: 'zip', rows: 5, problems: [], verdict: 'ready' })
  })

  it('reads a zip without an extension as a zip', async () => {
    const report = await reportFor('tokens', await zipOf({ 'tokens.txt': clean }))
    expect(report).toMatchObject({
      container: 'zip',
      entryName: 'tokens.txt',
      rows: 5,
      problems: [{ code: 'extension', names: [''] }],
      verdict: 'needs-fixes',
    })
  })
})

describe('too-large', () => {
  const HEX = utf8('0123456789abcdef')

  /**
   * Valid, distinct rows filling exactly `size` bytes: 37 bytes a row with LF, and as many
   * CRLF rows at the start as the remainder needs. Ends with a line break.
   */
  function validRows(size: number): { bytes: Uint8Array; rows: number } {
    const rows = Math.floor(size / 37)
    const crlf = size - rows * 37
    const bytes = new Uint8Array(size)
    let state = 7
    let position = 0
    for (let row = 0; row < rows; row++) {
      for (let digit = 7; digit >= 0; digit--) bytes[position++] = HEX[(row >>> (digit * 4)) & 15]
      for (let index = 0; index < 28; index++) {
        state = (Math.imul(state, 1103515245) + 12345) | 0
        bytes[position++] = HEX[(state >>> 16) & 15]
      }
      if (row < crlf) bytes[position++] = 0x0d
      bytes[position++] = 0x0a
    }
    expect(position).toBe(size)
    return { bytes, rows }
  }

  it('reports 104,857,601 bytes and still reads every row; 104,857,600 is fine', async () => {
    const { bytes, rows } = validRows(104_857_601)
    expect(rows).toBe(2_833_989)
    const over = await reportFor('tokens.txt', bytes)
    expect(over).toMatchObject({
      size: 104_857_601,
      rows,
      valid: rows,
      counts: countsWith({}),
      problems: [{ code: 'too-large', count: 104_857_601 }],
      verdict: 'needs-fixes',
    })
    // The same rows without the final line break: exactly 100 MB.
    const at = await reportFor('tokens.txt', bytes.subarray(0, 104_857_600))
    expect(at).toMatchObject({
      size: 104_857_600,
      rows,
      valid: rows,
      problems: [],
      verdict: 'ready',
    })
  }, 120_000)
})

describe('empty', () => {
  it.each(['tokens.txt', 'tokens.csv', 'tokens.zip'])('no bytes: %s', async (name) => {
    expect(await reportFor(name, new Uint8Array(0))).toMatchObject({
      size: 0,
      rows: 0,
      valid: 0,
      problems: [{ code: 'empty' }],
      verdict: 'unreadable',
    })
  })

  it('a zip whose token file is empty', async () => {
    expect(await reportFor('tokens.zip', await zipOf({ 'tokens.txt': '' }))).toMatchObject({
      container: 'zip',
      entryName: 'tokens.txt',
      rows: 0,
      problems: [{ code: 'empty' }],
      verdict: 'unreadable',
    })
  })

  it('a byte order mark and nothing else', async () => {
    expect(await reportFor('tokens.txt', Uint8Array.of(0xef, 0xbb, 0xbf))).toMatchObject({
      rows: 0,
      problems: [{ code: 'encoding-bom' }, { code: 'empty' }],
      verdict: 'unreadable',
    })
  })

  it('is not a file with one blank row', async () => {
    expect(await reportFor('tokens.txt', '\n')).toMatchObject({
      rows: 1,
      valid: 0,
      counts: countsWith({ blank: 1 }),
      problems: [],
      verdict: 'needs-fixes',
    })
  })
})

describe('zip problems through validatePackage', () => {
  it('zip-corrupt: random bytes, gzip, a truncated zip', async () => {
    const random = seededRandom(5)
    const noise = Uint8Array.from({ length: 1000 }, () => Math.floor(random() * 256))
    const gzip = Uint8Array.of(0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03, 0x03, 0, 0, 0, 0, 0)
    const zip = await zipOf({ 'tokens.txt': clean })
    for (const bytes of [noise, gzip, zip.subarray(0, zip.length - 30)]) {
      expect(await reportFor('tokens.zip', bytes)).toMatchObject({
        container: 'zip',
        rows: 0,
        problems: [{ code: 'zip-corrupt' }],
        verdict: 'unreadable',
      })
    }
  })

  it('zip-entries', async () => {
    expect(
      await reportFor('tokens.zip', await zipOf({ 'a.txt': clean, 'b.txt': clean })),
    ).toMatchObject({
      rows: 0,
      problems: [{ code: 'zip-entries', count: 2, names: ['a.txt', 'b.txt'] }],
      verdict: 'unreadable',
    })
  })

  it('zip-folder and zip-hidden leave the rows readable', async () => {
    const zip = await zipOf({
      '__MACOSX/._tokens.txt': 'x',
      '.DS_Store': 'y',
      'dir/tokens.txt': clean,
    })
    expect(await reportFor('tokens.zip', zip)).toMatchObject({
      rows: 5,
      valid: 5,
      entryName: 'dir/tokens.txt',
      problems: [
        { code: 'zip-hidden', names: ['__MACOSX/._tokens.txt', '.DS_Store'] },
        { code: 'zip-folder', names: ['dir/tokens.txt'] },
      ],
      verdict: 'needs-fixes',
    })
  })

  it('zip-bomb: a declared size over 512 MiB', async () => {
    const zip = withDeclaredSize(await zipOf({ 'tokens.txt': clean }), 600 * 1024 * 1024)
    expect(await reportFor('tokens.zip', zip)).toMatchObject({
      rows: 0,
      valid: 0,
      problems: [{ code: 'zip-bomb', count: 600 * 1024 * 1024 }],
      verdict: 'unreadable',
    })
  })

  it('passes inflation progress on', async () => {
    const calls: [string, number, number][] = []
    await validatePackage(
      { name: 'tokens.zip', bytes: await zipOf({ 'tokens.txt': clean }), kind: 'token' },
      { onProgress: (phase, done, total) => calls.push([phase, done, total]) },
    )
    expect(calls.at(-1)).toEqual(['inflating', 185, 185])
  })
})

describe('encodings', () => {
  const bom = [0xef, 0xbb, 0xbf]

  it('a NUL byte makes the file binary, also when it is left after UTF-16 conversion', async () => {
    const binary = [{ code: 'encoding-invalid', names: ['binary'] }]
    const plain = concatBytes(utf8('abc'), [0], utf8('def\n'))
    expect((await reportFor('tokens.txt', plain)).problems).toEqual(binary)
    expect((await reportFor('tokens.txt', utf16le('ab\u0000cd', true))).problems).toEqual([
      { code: 'encoding-utf16', names: ['utf-16le'] },
      ...binary,
    ])
    // Two bytes are not enough to call it UTF-16: it is "a" and a NUL.
    expect((await reportFor('tokens.txt', Uint8Array.of(0x61, 0x00))).problems).toEqual(binary)
  })

  it.each(['tokens.txt', 'tokens.csv'])(
    'encoding-bom is reported once and is not part of the first value (%s)',
    async (name) => {
      const state = await stateFor(name, concatBytes(bom, utf8(clean)))
      expect(rowValue(state.store, 0)).toBe(t1)
      expect(reportOf(state)).toMatchObject({
        rows: 5,
        valid: 5,
        problems: [{ code: 'encoding-bom' }],
        verdict: 'needs-fixes',
      })
    },
  )

  it('a second byte order mark stays in the first row, quoted or not', async () => {
    for (const [name, body] of [
      ['tokens.txt', clean],
      ['tokens.csv', clean],
      ['tokens.csv', `"${t1}"\n${t2}\n${t3}\n${tokens[3]}\n${tokens[4]}\n`],
    ]) {
      const state = await stateFor(name, concatBytes(bom, bom, utf8(body)))
      expect(rowValue(state.store, 0)).toBe(`\ufeff${t1}`)
      // A byte order mark inside the text is an invisible character in a good token.
      expect(reportOf(state)).toMatchObject({
        rows: 5,
        valid: 4,
        counts: countsWith({ invisible: 1 }),
        problems: [{ code: 'encoding-bom' }],
      })
    }
  })

  it('encoding-bom on a quoted CSV and inside a zip', async () => {
    const quoted = concatBytes(bom, utf8(`"${t1}"\n${t2}\n`))
    const state = await stateFor('tokens.csv', quoted)
    expect(valuesOf(state.store)).toEqual([t1, t2])
    expect(reportOf(state).problems).toEqual([{ code: 'encoding-bom' }])
    const zip = await zipOf({ 'tokens.txt': concatBytes(bom, utf8(clean)) })
    expect(await reportFor('tokens.zip', zip)).toMatchObject({
      valid: 5,
      problems: [{ code: 'encoding-bom' }],
    })
  })

  it.each([
    ['LE with BOM', utf16le(clean, true), 'utf-16le'],
    ['LE without BOM', utf16le(clean, false), 'utf-16le'],
    ['BE with BOM', utf16be(clean, true), 'utf-16be'],
    ['BE without BOM', utf16be(clean, false), 'utf-16be'],
  ])('encoding-utf16 %s: the rows are still read', async (_, bytes, label) => {
    const state = await stateFor('tokens.txt', bytes)
    expect(valuesOf(state.store)).toEqual(tokens)
    expect(reportOf(state)).toMatchObject({
      rows: 5,
      valid: 5,
      counts: countsWith({}),
      problems: [{ code: 'encoding-utf16', names: [label] }],
      verdict: 'needs-fixes',
    })
  })

  it('encoding-utf16 in a zipped CSV with CRLF', async () => {
    const zip = await zipOf({ 'tokens.csv': utf16le(lines(['token', ...tokens], '\r\n'), true) })
    expect(await reportFor('tokens.zip', zip)).toMatchObject({
      rows: 6,
      valid: 5,
      counts: countsWith({ header: 1 }),
      problems: [{ code: 'encoding-utf16', names: ['utf-16le'] }],
    })
  })

  it('encoding-legacy: GBK is converted and checked, not unreadable', async () => {
    // "中文" and "令牌" in GBK.
    const gbk = concatBytes(
      utf8(`${t1}\n`),
      [0xd6, 0xd0, 0xce, 0xc4, 0x0a, 0xc1, 0xee, 0xc5, 0xc6, 0x0a],
    )
    const state = await stateFor('tokens.txt', gbk)
    expect(reportOf(state)).toMatchObject({
      rows: 3,
      valid: 1,
      problems: [{ code: 'encoding-legacy', names: ['gb18030', '中文'] }],
      verdict: 'needs-fixes',
    })
    expect(valuesOf(state.store)).toEqual([t1, '中文', '令牌'])
    expect(await reportFor('accounts.txt', gbk, 'account')).toMatchObject({
      problems: [{ code: 'encoding-legacy', names: ['gb18030', '中文'] }],
      verdict: 'needs-fixes',
    })
  })

  it('a GBK export of Excel on Chinese Windows becomes ready: header, conversion, UTF-8', async () => {
    // 设备Token,渠道 / token,华为 ... in GBK, CRLF, as Excel writes it.
    const header = [
      0xc9, 0xe8, 0xb1, 0xb8, 0x54, 0x6f, 0x6b, 0x65, 0x6e, 0x2c, 0xc7, 0xfe, 0xb5, 0xc0,
    ]
    const huawei = [0xbb, 0xaa, 0xce, 0xaa]
    const rows = [t1, t2].map((value) => concatBytes(utf8(`\r\n${value},`), huawei))
    const state = await stateFor('设备.csv', concatBytes(header, ...rows, utf8('\r\n')))
    expect(reportOf(state)).toMatchObject({ rows: 3, valid: 2, counts: countsWith({ header: 1 }) })
    expect(reportOf(state).problems.map((problem) => problem.code)).toEqual([
      'encoding-legacy',
      'csv-columns',
    ])
    const fixed = currentState(perform(startSession(state), { type: 'fix', fix: 'all' }))
    expect(reportOf(fixed).verdict).toBe('ready')
    expect(new TextDecoder().decode(buildCleanBytes(fixed.store))).toBe(`${t1}\n${t2}\n`)
  })

  it('the user may read the text in another legacy encoding than the one guessed', async () => {
    const big5AsGbk = [0xb8, 0xcb, 0xb8, 0x6d, 0x0a] // 裝置 in Big5
    const bytes = concatBytes(big5AsGbk, utf8(`${t1}\n`))
    const state = await validatePackage({
      name: 't.txt',
      bytes,
      kind: 'token',
      encoding: 'gb18030',
    })
    expect(reportOf(state).problems[0]).toMatchObject({
      code: 'encoding-legacy',
      names: ['gb18030', expect.any(String)],
    })
    const big5 = await validatePackage({ name: 't.txt', bytes, kind: 'token', encoding: 'big5' })
    expect(reportOf(big5).problems[0]).toEqual({ code: 'encoding-legacy', names: ['big5', '裝置'] })
  })

  it('encoding-legacy: GBK in a later CSV column, quoted or not', async () => {
    const gbkName = [0xd5, 0xc5, 0xc8, 0xfd]
    for (const first of [t1, `"${t1}"`]) {
      const csv = concatBytes(utf8(`${first},`), gbkName, utf8(`\n${t2}\n`))
      expect((await reportFor('tokens.csv', csv)).problems).toEqual([
        { code: 'encoding-legacy', names: ['gb18030', `${first},张三`] },
        { code: 'csv-columns', count: 1 },
      ])
    }
    // The same names in UTF-8 are fine.
    expect((await reportFor('tokens.csv', `${t1},张三\n${t2}\n`)).problems).toEqual([
      { code: 'csv-columns', count: 1 },
    ])
  })

  it('encoding-invalid: random binary with NUL', async () => {
    const random = seededRandom(8)
    const binary = Uint8Array.from({ length: 2000 }, () => Math.floor(random() * 256))
    binary[100] = 0
    expect(await reportFor('tokens.txt', binary)).toMatchObject({
      problems: [{ code: 'encoding-invalid', names: ['binary'] }],
      verdict: 'unreadable',
    })
  })

  it('encoding-invalid: a zip renamed .csv or .txt', async () => {
    // Written byte by byte so that no timestamp puts a comma into the bytes.
    const stored = rawZip([{ name: 'tokens.txt', data: utf8(clean), method: 0, declaredSize: 185 }])
    expect(await reportFor('tokens.csv', stored)).toMatchObject({
      container: 'plain',
      format: 'csv',
      problems: [{ code: 'encoding-invalid', names: ['binary'] }],
      verdict: 'unreadable',
    })
    expect(await reportFor('tokens.txt', await zipOf({ 'tokens.txt': clean }))).toMatchObject({
      container: 'plain',
      format: 'txt',
      problems: [{ code: 'encoding-invalid', names: ['binary'] }],
      verdict: 'unreadable',
    })
  })
})

describe('verdicts', () => {
  it('ready: no problems and every row valid', async () => {
    expect((await reportFor('tokens.txt', clean)).verdict).toBe('ready')
  })

  it('needs-fixes: an invalid row, or a package problem that leaves the rows readable', async () => {
    expect((await reportFor('tokens.txt', lines([t1, t1]))).verdict).toBe('needs-fixes')
    expect((await reportFor('tokens.xlsx', clean)).verdict).toBe('needs-fixes')
    expect((await reportFor('tokens.csv', `${t1},x\n`)).verdict).toBe('needs-fixes')
  })

  it('unreadable: any problem that leaves nothing to read, whatever the rows', async () => {
    expect((await reportFor('tokens.txt', '')).verdict).toBe('unreadable')
    expect((await reportFor('tokens.zip', utf8('not a zip'))).verdict).toBe('unreadable')
  })

  it('verdictOf', () => {
    expect(verdictOf([], 3, 3)).toBe('ready')
    expect(verdictOf([], 0, 0)).toBe('ready')
    expect(verdictOf([], 3, 2)).toBe('needs-fixes')
    expect(verdictOf([{ code: 'encoding-bom' }], 3, 3)).toBe('needs-fixes')
    expect(verdictOf([{ code: 'too-large', count: 1 }], 3, 3)).toBe('needs-fixes')
    for (const code of [
      'empty',
      'zip-corrupt',
      'zip-entries',
      'zip-bomb',
      'encoding-invalid',
    ] as const) {
      expect(verdictOf([{ code }], 3, 3)).toBe('unreadable')
      expect(verdictOf([{ code: 'encoding-bom' }, { code }], 3, 1)).toBe('unreadable')
    }
  })

  it('leaves out problems the session has resolved', async () => {
    const state: PackageState = await stateFor(
      'tokens.txt',
      concatBytes([0xef, 0xbb, 0xbf], utf8(clean)),
    )
    expect(currentProblems(state)).toEqual([{ code: 'encoding-bom' }])
    const resolved = { ...state, resolved: new Set(['encoding-bom'] as const) }
    expect(currentProblems(resolved)).toEqual([])
    expect(reportOf(resolved).verdict).toBe('ready')
  })
})

describe('a large package', () => {
  /** 200,000 rows: fresh tokens, many repeats (some respelt), hash collisions, invalid rows. */
  function largeRows(): string[] {
    const random = seededRandom(99)
    const fresh = distinctTokens(150_000, 31)
    const collisions = hashCollisions(8, 77).flat()
    const rows: string[] = []
    const pick = () => rows[Math.floor(random() * rows.length)]
    let next = 0
    while (rows.length < 200_000) {
      const roll = random()
      if (roll < 0.5 || rows.length === 0) rows.push(fresh[next++])
      else if (roll < 0.7) rows.push(pick())
      else if (roll < 0.78) rows.push(pick().toUpperCase())
      else if (roll < 0.83) rows.push(`${random() < 0.5 ? ' ' : '\t'}${pick()}`)
      else if (roll < 0.86) rows.push('')
      else if (roll < 0.9) rows.push(randomHex(random, 30 + Math.floor(random() * 12)))
      else if (roll < 0.9002) rows.push(collisions[Math.floor(random() * collisions.length)])
      else rows.push(fresh[Math.floor(random() * next)])
    }
    return rows
  }

  const rows = largeRows()
  const expectedCodes = referenceCodes(rows, 'token')
  const expected = tally(expectedCodes)
  const expectedMasks = expectedCodes.map((codes) =>
    codes.reduce((mask, code) => mask | ROW_BIT[code], 0),
  )

  /** The first row whose codes differ from the reference, or null. */
  function firstMismatch(state: PackageState): number | null {
    const masks = state.classification.codes
    for (let row = 0; row < rows.length; row++) {
      if ((masks[row] & INVALID_MASK) !== expectedMasks[row]) return row
    }
    return null
  }

  it('has the mix it is meant to have', () => {
    expect(expected.counts.duplicate).toBeGreaterThan(60_000)
    expect(expected.counts.blank).toBeGreaterThan(5_000)
    expect(expected.counts.length).toBeGreaterThan(5_000)
    expect(expected.valid).toBeGreaterThan(90_000)
    const collided = new Set(hashCollisions(8, 77).flat())
    expect(rows.filter((row) => collided.has(row)).length).toBeGreaterThan(20)
  })

  it('gives exact counts as a .txt', async () => {
    const state = await stateFor('tokens.txt', lines(rows))
    expect(firstMismatch(state)).toBeNull()
    expect(reportOf(state)).toMatchObject({
      rows: 200_000,
      valid: expected.valid,
      counts: expected.counts,
      problems: [],
      verdict: 'needs-fixes',
    })
  })

  it('gives the same codes as a quoted CSV, its rows in the arena extra area', async () => {
    const random = seededRandom(4)
    let extraColumns = 0
    const csv = rows
      .map((row) => {
        const field = random() < 0.3 ? `"${row}"` : row
        if (random() < 0.1) {
          extraColumns++
          return `${field},"second, column"`
        }
        return field
      })
      .join('\r\n')
    const state = await stateFor('tokens.csv', csv)
    // The text is kept as the base, to be read again as the other kind; the rows are past it.
    const { arena, start } = state.store
    expect(arena.base.length).toBe(utf8(csv).length)
    expect(start.subarray(0, state.store.count).every((at) => at >= arena.base.length)).toBe(true)
    expect(arena.extraLength).toBeGreaterThan(7_000_000)
    expect(firstMismatch(state)).toBeNull()
    const withColumns = state.classification.codes.filter((mask) => mask & EXTRA_COLUMNS_BIT)
    expect(withColumns.length).toBe(extraColumns)
    expect(reportOf(state)).toMatchObject({
      rows: 200_000,
      valid: expected.valid,
      counts: expected.counts,
      problems: [{ code: 'csv-columns', count: extraColumns }],
    })
    expect(rowFullText(state.store, 199_999)).toMatch(/^[^"]*$/)
  })

  it('gives exact counts for accounts', async () => {
    const accounts = referenceCodes(rows, 'account')
    const state = await stateFor('accounts.txt', lines(rows), 'account')
    expect(reportOf(state)).toMatchObject({ rows: 200_000, ...tally(accounts) })
  })
})
