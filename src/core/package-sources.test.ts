import { describe, expect, it } from 'vitest'
import {
  currentState,
  exclusionListFrom,
  perform,
  startSession,
  undo,
  type Action,
  type PackageSession,
} from './package-session.ts'
import { locateLine } from './package-sources.ts'
import type { PackageKind } from './problem-codes.ts'
import { problemReportCsv } from './problem-report.ts'
import {
  codeNames,
  distinctTokens,
  hashCollisions,
  lines,
  seededRandom,
  utf8,
  valuesOf,
} from './test-fixtures.ts'
import { reportOf, validatePackage, type PackageState } from './validate-package.ts'

const [t1, t2, t3, t4, t5] = distinctTokens(5, 13)
/** 设备Token in GBK, as Excel on Chinese Windows writes a header (made once with iconv). */
const GBK_DEVICE_TOKEN = [0xc9, 0xe8, 0xb1, 0xb8, ...utf8('Token')]

function read(name: string, text: string | Uint8Array, kind: PackageKind = 'token') {
  return validatePackage({ name, bytes: typeof text === 'string' ? utf8(text) : text, kind })
}

async function sessionOf(...files: [string, string | Uint8Array][]): Promise<PackageSession> {
  const [first, ...rest] = files
  let session = startSession(await read(...first))
  for (const file of rest)
    session = perform(session, { type: 'add-source', read: await read(...file) })
  return session
}

async function excluding(session: PackageSession, name: string, text: string | Uint8Array) {
  const list = exclusionListFrom(await read(name, text, currentState(session).kind))
  return perform(session, { type: 'exclude', list })
}

function codesOf(state: PackageState): string[][] {
  return Array.from(state.classification.codes, codeNames)
}

const fixAll: Action = { type: 'fix', fix: 'all' }

describe('tokens kept in two columns (Android and iOS apart)', () => {
  const text = lines(['user,android_token,ios_token', `u1,${t1},`, `u2,,${t2}`, `u3,${t3},`])

  it('the other column is added as a second file of the package: every token reaches it', async () => {
    const first = await read('t.csv', text)
    expect(first.columns).toMatchObject({ chosen: 1, tokens: [1, 2] })
    let session = perform(startSession(first), { type: 'add-column', column: 2 })
    expect(reportOf(currentState(session)).sources.map(({ column }) => column)).toEqual([1, 2])
    // Once only; a column with no tokens, or the one read, adds nothing.
    for (const column of [2, 1, 0])
      expect(perform(session, { type: 'add-column', column })).toBe(session)
    // Its empty cells are blank rows and its column name a header: fix-all takes them off.
    session = perform(session, fixAll)
    expect(valuesOf(currentState(session).store)).toEqual([t1, t3, t2])
    expect(reportOf(currentState(session)).verdict).toBe('ready')
  })

  it('a third column too, and with a list left out', async () => {
    const three = lines(['android,ios,web', `${t1},,`, `,${t2},`, `,,${t3}`, `${t4},,`])
    let session = await excluding(startSession(await read('t.csv', three)), 'out.txt', lines([t4]))
    session = perform(session, { type: 'add-column', column: 1 })
    session = perform(session, { type: 'add-column', column: 2 })
    expect(reportOf(currentState(session)).sources.map(({ column }) => column)).toEqual([0, 1, 2])
    session = perform(session, fixAll)
    expect(valuesOf(currentState(session).store)).toEqual([t1, t2, t3])
  })

  it('fix-all leaves it to the user (install IDs look like tokens); the column can still be added after', async () => {
    let session = perform(startSession(await read('t.csv', text)), fixAll)
    expect(valuesOf(currentState(session).store)).toEqual([t1, t3])
    session = perform(session, { type: 'add-column', column: 2 })
    session = perform(session, fixAll)
    expect(valuesOf(currentState(session).store)).toEqual([t1, t3, t2])
    // The kind switch reads both columns again from the text.
    const back = perform(perform(session, { type: 'kind', kind: 'account' }), {
      type: 'kind',
      kind: 'token',
    })
    expect(reportOf(currentState(back)).sources.map(({ column }) => column)).toEqual([1, 2])
  })
})

describe('several files in one package', () => {
  it('is the union in the order of the files: a value of an earlier file is a duplicate', async () => {
    const session = await sessionOf(['a.txt', lines([t1, t2])], ['b.txt', lines([t3, t1])])
    const state = currentState(session)
    expect(valuesOf(state.store)).toEqual([t1, t2, t3, t1])
    expect(codesOf(state)).toEqual([[], [], [], ['duplicate']])
    const report = reportOf(state)
    expect(report.sources.map(({ name, rows }) => [name, rows])).toEqual([
      ['a.txt', 2],
      ['b.txt', 2],
    ])
    expect(report.fileName).toBe('a.txt')
  })

  it('numbers each file’s lines on, so a row says which file and line it came from', async () => {
    const session = await sessionOf(['a.txt', lines([t1, '', t2])], ['b.txt', lines([t3, t4])])
    const state = currentState(session)
    const found = Array.from({ length: state.store.count }, (_, row) =>
      locateLine(state.sources, state.store.line?.[row] ?? row + 1),
    )
    expect(found).toEqual([
      { source: 0, line: 1 },
      { source: 0, line: 2 },
      { source: 0, line: 3 },
      { source: 1, line: 1 },
      { source: 1, line: 2 },
    ])
  })

  it('finds the header of every file, and keeps each file’s own problems apart', async () => {
    const gbk = Uint8Array.from([...GBK_DEVICE_TOKEN, 0x0a, ...utf8(lines([t3, t4, t5]))])
    const session = await sessionOf(['a.csv', lines(['device_token', t1, t2])], ['b.csv', gbk])
    const state = currentState(session)
    expect(codesOf(state).map((codes) => codes.join(' '))).toEqual([
      'header',
      '',
      '',
      'header',
      '',
      '',
      '',
    ])
    const report = reportOf(state)
    expect(report.sources.map((source) => source.encoding)).toEqual(['UTF-8', 'gb18030'])
    expect(report.problems).toContainEqual(
      expect.objectContaining({ code: 'encoding-legacy', source: 'b.csv' }),
    )
    // An edit classifies the package again: the second file's header stays a header.
    const edited = currentState(perform(session, { type: 'edit', row: 1, value: t5 }))
    expect(codeNames(edited.classification.codes[3])).toEqual(['header'])
  })

  it('takes a file out again, and undo brings it back', async () => {
    const session = await sessionOf(['a.txt', lines([t1, t2])], ['b.txt', lines([t1, t3])])
    const removed = perform(session, { type: 'remove-source', index: 0 })
    const state = currentState(removed)
    expect(valuesOf(state.store)).toEqual([t1, t3])
    // The copy in b.txt is the first one now.
    expect(state.classification.valid).toBe(2)
    expect(reportOf(state).fileName).toBe('b.txt')
    expect(valuesOf(currentState(undo(removed)).store)).toEqual([t1, t2, t1, t3])
  })

  it('reports each file’s rows under its own name and line', async () => {
    const session = await sessionOf(['a.txt', lines([t1, 'x'])], ['b.txt', lines([` ${t2}`])])
    const fixed = perform(session, fixAll)
    const csv = problemReportCsv(currentState(fixed))
    expect(csv.split('\n').slice(0, 3)).toEqual([
      'line,original_value,codes,action,value_now,codes_now,source,excluded_by',
      '2,x,length charset,not fixed,x,length charset,a.txt,',
      `1, ${t2},whitespace,trimmed,${t2},,b.txt,`,
    ])
  })
  it('reports a value of an earlier file as a duplicate in the later file, fixed or not', async () => {
    const session = await sessionOf(['a.txt', lines([t1])], ['b.txt', lines([t2, t1])])
    expect(problemReportCsv(currentState(session)).split('\n')[1]).toBe(
      `2,${t1},duplicate,not fixed,${t1},duplicate,b.txt,`,
    )
    const fixed = currentState(perform(session, fixAll))
    expect(problemReportCsv(fixed).split('\n')[1]).toBe(`2,${t1},duplicate,removed,,,b.txt,`)
  })
})

describe('exclusion lists', () => {
  it('leave out a value in two files, and fix-all removes it', async () => {
    let session = await sessionOf(['a.txt', lines([t1, t2])], ['b.txt', lines([t3, t1])])
    session = await excluding(session, 'optout.txt', lines([t1.toUpperCase()]))
    const state = currentState(session)
    // A later copy is a duplicate as before, and excluded too: a list changes no other code.
    expect(codesOf(state)).toEqual([['excluded'], [], [], ['duplicate', 'excluded']])
    const report = reportOf(state)
    expect(report.counts.excluded).toBe(2)
    expect(report.valid).toBe(2)
    expect(report.exclusions).toEqual([{ name: 'optout.txt', rows: 1, values: 1, problems: [] }])
    const fixed = currentState(perform(session, fixAll))
    expect(valuesOf(fixed.store)).toEqual([t2, t3])
    expect(problemReportCsv(fixed).split('\n').slice(1, 3)).toEqual([
      `1,${t1},,removed,,,a.txt,optout.txt`,
      `2,${t1},duplicate,removed,,,b.txt,optout.txt`,
    ])
  })

  it('are normalised as the package is: trimmed, unwrapped, header and dialect taken off', async () => {
    const list = lines(['Device Token;Reason', `"${t2}";opt-out`, ` ${t3} ;bounced`])
    let session = await sessionOf(['a.txt', lines([t1, t2, t3])])
    session = await excluding(session, 'list.csv', list)
    expect(codesOf(currentState(session))).toEqual([[], ['excluded'], ['excluded']])
  })

  it('read a list in another encoding and dialect (GBK, semicolons)', async () => {
    // 设备Token;渠道
    const gbk = Uint8Array.from([
      ...GBK_DEVICE_TOKEN,
      ...utf8(';'),
      ...[0xc7, 0xfe, 0xb5, 0xc0, 0x0a],
      ...utf8(`${t4};x\n`),
    ])
    let session = await sessionOf(['a.txt', lines([t4, t5])])
    session = await excluding(session, 'gbk.csv', gbk)
    expect(reportOf(currentState(session)).counts.excluded).toBe(1)
  })

  it('catch a wrapped row of the package once fix-all unwraps it', async () => {
    let session = await sessionOf(['a.txt', lines([`"${t1}"`, t2])])
    session = await excluding(session, 'optout.txt', lines([t1]))
    expect(valuesOf(currentState(perform(session, fixAll)).store)).toEqual([t2])
  })

  it('work for account packages, and never count as the package’s problems', async () => {
    let session = await sessionOf(['users.txt', lines(['alice', 'bob', 'carol'])])
    session = perform(session, { type: 'kind', kind: 'account' })
    session = await excluding(session, 'gone.txt', lines(['account', 'BOB', '', 'x']))
    const report = reportOf(currentState(session))
    expect(report.counts.excluded).toBe(1)
    expect(report.counts.blank).toBe(0)
    expect(report.problems).toEqual([])
    // The blank row is no value; a value too short to be an account is still left out.
    expect(report.exclusions[0]).toMatchObject({ rows: 4, values: 3 })
  })

  it('can be removed again, and a list that cannot be read leaves nothing out', async () => {
    let session = await sessionOf(['a.txt', lines([t1, t2])])
    session = await excluding(session, 'optout.txt', lines([t1]))
    session = await excluding(session, 'book.xlsx', Uint8Array.from([0x50, 0x4b, 0x03, 0x04]))
    expect(reportOf(currentState(session)).exclusions[1]).toMatchObject({ values: 0 })
    // Bytes that are no text, though a token stands among them: not a list to trust.
    const binary = Uint8Array.from([...utf8(`${t2}\n`), 0x00, 0x01, 0xff, 0x00, 0x0a])
    session = await excluding(session, 'dump.bin.txt', binary)
    expect(reportOf(currentState(session))).toMatchObject({
      counts: expect.objectContaining({ excluded: 1 }),
      exclusions: [expect.anything(), expect.anything(), expect.objectContaining({ values: 0 })],
    })
    const removed = perform(session, { type: 'remove-exclusion', index: 0 })
    expect(reportOf(currentState(removed)).counts.excluded).toBe(0)
    expect(reportOf(currentState(undo(removed))).counts.excluded).toBe(1)
  })

  it('leave out exactly the rows a list holds: thousands of rows, two lists, hash collisions', async () => {
    const random = seededRandom(31)
    const pool = distinctTokens(6000, 41)
    // Each pair is two tokens with one hash: the package holds the first, a list the second.
    const collisions = hashCollisions(6, 77)
    const respelt = (token: string) => {
      const roll = random()
      return roll < 0.2 ? token.toUpperCase() : roll < 0.3 ? ` ${token}\t` : token
    }
    const packageValues = [...pool.slice(0, 4000), ...collisions.map(([held]) => held)]
    const first = [...pool.slice(1000, 2600), ...collisions.slice(0, 5).map(([, other]) => other)]
    const second = [...pool.slice(2200, 5000), collisions[5][0]]
    let session = await sessionOf(['a.txt', lines(packageValues.map(respelt))])
    session = await excluding(session, 'first.txt', lines(first.map(respelt)))
    session = await excluding(session, 'second.txt', lines(second.map(respelt)))
    const listed = new Set([...first, ...second])
    const excluded = (state: PackageState) =>
      Array.from(state.classification.codes, (code) => codeNames(code).includes('excluded'))
    expect(excluded(currentState(session))).toEqual(packageValues.map((value) => listed.has(value)))
    const withoutFirst = perform(session, { type: 'remove-exclusion', index: 0 })
    const onSecond = new Set(second)
    expect(excluded(currentState(withoutFirst))).toEqual(
      packageValues.map((value) => onSecond.has(value)),
    )
  })

  it('stay through an edit, a delete and a change of kind', async () => {
    let session = await sessionOf(['a.txt', lines([t1, t2, t3])])
    session = await excluding(session, 'optout.txt', lines([t3]))
    session = perform(session, { type: 'edit', row: 0, value: t3 })
    expect(codesOf(currentState(session))).toEqual([['excluded'], [], ['duplicate', 'excluded']])
    session = perform(session, { type: 'delete', rows: [0] })
    expect(codesOf(currentState(session))).toEqual([[], ['excluded']])
    // A change of kind reads the file again: the edit and the delete are set aside, the list stays.
    session = perform(session, { type: 'kind', kind: 'account' })
    expect(codesOf(currentState(session))).toEqual([[], [], ['excluded']])
  })
})

describe('a change of kind', () => {
  /** Tab-separated, the token in the second column: split only when read as tokens. */
  const tabbed = (rows: [string, string][]) =>
    lines(['name\ttoken', ...rows.map(([name, token]) => `${name}\t${token}`)])
  const files: [string, string][] = [
    ['a.txt', lines([t1, t2])],
    [
      'b.txt',
      tabbed([
        ['x', t3],
        ['y', t1],
      ]),
    ],
    ['c.csv', lines(['id,device_token', `1,${t4}`, `2,${t5}`])],
  ]
  const listFile: [string, string] = [
    'optout.txt',
    tabbed([
      ['z', t2],
      ['w', t4],
    ]),
  ]

  async function packageOf(kind: PackageKind, withList = true): Promise<PackageSession> {
    const [first, ...rest] = files
    let session = startSession(await read(...first, kind))
    for (const file of rest)
      session = perform(session, { type: 'add-source', read: await read(...file, kind) })
    if (!withList) return session
    const list = exclusionListFrom(await read(...listFile, kind))
    return perform(session, { type: 'exclude', list })
  }

  it('reads every file of the package again, and every exclusion list, with the new kind', async () => {
    const asAccounts = await packageOf('account')
    const switched = perform(asAccounts, { type: 'kind', kind: 'token' })
    const asTokens = currentState(await packageOf('token'))
    expect(readOf(currentState(switched))).toEqual(readOf(asTokens))
    expect(reportOf(asTokens)).toMatchObject({ valid: 3, counts: { excluded: 2, duplicate: 1 } })
    const back = perform(switched, { type: 'kind', kind: 'account' })
    expect(readOf(currentState(back))).toEqual(readOf(currentState(asAccounts)))
  })

  it('copies no file’s text again: the package’s arena grows only by rows written anew', async () => {
    const session = await packageOf('account', false)
    const { arena } = currentState(session).store
    const before = arena.extraLength
    const switched = perform(session, { type: 'kind', kind: 'token' })
    expect(currentState(switched).store.arena).toBe(arena)
    // Read as tokens, b.txt and c.csv have their tokens in the second column: each row is
    // written again, value first, as a fresh read writes it. Their text is not copied again.
    const reads = await Promise.all(files.map((file) => read(...file, 'token')))
    const written = reads.reduce((sum, { store }) => sum + store.arena.extraLength, 0)
    expect(written).toBeGreaterThan(0)
    expect(arena.extraLength - before).toBe(written)
  })

  it('leaves a removed file out, and keeps the files in their order', async () => {
    const removed = perform(await packageOf('account'), { type: 'remove-source', index: 0 })
    const switched = perform(removed, { type: 'kind', kind: 'token' })
    const direct = perform(await packageOf('token'), { type: 'remove-source', index: 0 })
    expect(valuesOf(currentState(switched).store)).toEqual(valuesOf(currentState(direct).store))
    expect(reportOf(currentState(switched))).toEqual(reportOf(currentState(direct)))
  })

  it('a file read as the other kind while the kind changed is added as the package’s kind', async () => {
    const session = startSession(await read(...files[0], 'token'))
    const late = await read(...files[1], 'account')
    const added = perform(session, { type: 'add-source', read: late })
    const direct = perform(session, { type: 'add-source', read: await read(...files[1], 'token') })
    expect(readOf(currentState(added))).toEqual(readOf(currentState(direct)))
    const list = exclusionListFrom(await read(...listFile, 'account'))
    const excluded = perform(added, { type: 'exclude', list })
    const direct2 = exclusionListFrom(await read(...listFile, 'token'))
    expect(readOf(currentState(excluded))).toEqual(
      readOf(currentState(perform(direct, { type: 'exclude', list: direct2 }))),
    )
    expect(reportOf(currentState(excluded)).counts.excluded).toBe(1)
  })
})

/** The package as the page shows it and reports it. */
function readOf(state: PackageState) {
  return {
    report: reportOf(state),
    values: valuesOf(state.store),
    codes: codesOf(state),
    problemReport: problemReportCsv(state),
  }
}
