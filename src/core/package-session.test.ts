import { describe, expect, it } from 'vitest'
import { buildCleanBytes, cleanFileName, planParts } from './clean-package.ts'
import { classifyRows } from './classify-rows.ts'
import {
  appliedActions,
  availableFixes,
  canRedo,
  changesSinceRead,
  canUndo,
  currentState,
  perform,
  redo,
  startSession,
  undo,
  type FixId,
  type PackageSession,
} from './package-session.ts'
import { csvField } from '../shared/csv-field.ts'
import { problemReportCsv } from './problem-report.ts'
import { suggestedKind } from './kind-hint.ts'
import type { PackageKind } from './problem-codes.ts'
import { lineOf, rowFullText, rowValue } from './row-store.ts'
import { filterRows, findProblem, positionOf, PROBLEM_MASK } from './row-view.ts'
import {
  concatBytes,
  distinctTokens,
  lines,
  seededRandom,
  utf16le,
  utf8,
  valuesOf,
  zipOf,
} from './test-fixtures.ts'
import { reportOf, validatePackage, type PackageState } from './validate-package.ts'

async function sessionOf(name: string, text: string, kind: 'token' | 'account' = 'token') {
  return startSession(await validatePackage({ name, bytes: utf8(text), kind }))
}

function values(session: PackageSession): string[] {
  const { store } = currentState(session)
  return Array.from({ length: store.count }, (_, row) => rowValue(store, row))
}

function fix(session: PackageSession, id: FixId): PackageSession {
  return perform(session, { type: 'fix', fix: id })
}

/** Codes carried over by a fix must equal the codes a fresh scan gives. */
function expectCodesFresh(session: PackageSession) {
  const state = currentState(session)
  const fresh = classifyRows(state.store, { kind: state.kind, csv: state.format === 'csv' })
  expect(Array.from(state.classification.codes)).toEqual(Array.from(fresh.codes))
  expect(state.classification.counts).toEqual(fresh.counts)
}

const [a, b, c] = distinctTokens(3)

describe('row fixes', () => {
  it('trims whitespace, keeping every other code', async () => {
    let session = await sessionOf('t.txt', ` ${a}\n\t${b.toUpperCase()} \n${c}\n`)
    session = fix(session, 'whitespace')
    expect(values(session)).toEqual([a, b.toUpperCase(), c])
    expect(reportOf(currentState(session)).counts.whitespace).toBe(0)
    expect(reportOf(currentState(session)).counts.uppercase).toBe(1)
    expectCodesFresh(session)
  })

  it('lowercases uppercase tokens into the arena', async () => {
    let session = await sessionOf('t.txt', `${a.toUpperCase()}\n${b}\n`)
    session = fix(session, 'uppercase')
    expect(values(session)).toEqual([a, b])
    expect(reportOf(currentState(session)).verdict).toBe('ready')
    expectCodesFresh(session)
  })

  it('removes blanks, duplicates (keeping the first) and the header', async () => {
    let session = await sessionOf('t.csv', `token\n${a}\n\n${a.toUpperCase()}\n${b}\n  \n${b}\n`)
    expect(reportOf(currentState(session)).counts).toMatchObject({
      header: 1,
      blank: 2,
      duplicate: 2,
    })
    session = fix(fix(fix(session, 'blank'), 'duplicate'), 'header')
    expect(values(session)).toEqual([a, b])
    expectCodesFresh(session)
  })

  it('keeps the first CSV column, so csv-columns goes away', async () => {
    let session = await sessionOf('t.csv', `${a},x\n${b}\n"${c}","y,z"\n`)
    expect(reportOf(currentState(session)).problems.map((problem) => problem.code)).toContain(
      'csv-columns',
    )
    session = fix(session, 'csv-columns')
    const report = reportOf(currentState(session))
    expect(report.problems).toEqual([])
    expect(report.verdict).toBe('ready')
    expect(values(session)).toEqual([a, b, c])
  })

  it('fix-all loses no valid token and leaves only what needs an edit', async () => {
    const text = ['token', ` ${a}`, a, b.toUpperCase(), '', 'xyz', b, `${c},1`].join('\r\n')
    let session = await sessionOf('tokens.csv', text)
    session = fix(session, 'all')
    expect(values(session)).toEqual([a, b, 'xyz', c])
    const report = reportOf(currentState(session))
    expect(report.valid).toBe(3)
    expect(report.counts.length).toBe(1)
    expectCodesFresh(session)
    session = fix(session, 'invalid')
    expect(values(session)).toEqual([a, b, c])
    expect(reportOf(currentState(session)).verdict).toBe('ready')
  })

  it('fix-all keeps the case of an account it unwraps or cleans, and lowercases a token', async () => {
    let accounts = await sessionOf('a.txt', '"Bob"\nAlice\u200b\nCarl\n', 'account')
    accounts = fix(accounts, 'all')
    expect(values(accounts)).toEqual(['Bob', 'Alice', 'Carl'])
    let tokens = await sessionOf('t.txt', `"${a.toUpperCase()}"\n${b}\u200b\n`)
    tokens = fix(tokens, 'all')
    expect(values(tokens)).toEqual([a, b])
    expectCodesFresh(tokens)
  })

  it('an account below a removed first row stays an account, not a column name', async () => {
    let session = await sessionOf('a.csv', 'x\ntoken\nbob\n', 'account')
    session = fix(session, 'invalid')
    expect(values(session)).toEqual(['token', 'bob'])
    expect(reportOf(currentState(session))).toMatchObject({ valid: 2, verdict: 'ready' })
    expectCodesFresh(session)
  })

  it('a tab-separated account .txt keeps its column name a header after an edit', async () => {
    let session = await sessionOf('a.txt', '手机号\t姓名\nuser01\tAnn\nuser02\tBob\n', 'account')
    expect(reportOf(currentState(session)).counts.header).toBe(1)
    session = perform(session, { type: 'edit', row: 2, value: 'user03' })
    expect(reportOf(currentState(session)).counts.header).toBe(1)
    session = fix(session, 'all')
    expect(values(session)).toEqual(['user01', 'user03'])
  })

  it('package fixes resolve the problem without touching rows', async () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(`${a}\n`)])
    let session = startSession(
      await validatePackage({ name: 'bom.txt', bytes: bom, kind: 'token' }),
    )
    expect(availableFixes(currentState(session)).map((entry) => entry.fix)).toEqual([
      'encoding-bom',
      'all',
    ])
    session = fix(session, 'encoding-bom')
    expect(reportOf(currentState(session)).verdict).toBe('ready')
    expect(availableFixes(currentState(session))).toEqual([])
  })

  it('a fix that changes nothing adds no undo step', async () => {
    const session = await sessionOf('t.txt', `${a}\n`)
    expect(fix(session, 'duplicate')).toBe(session)
  })

  it('random packages: codes after every fix equal a fresh scan, and fixing twice changes nothing', async () => {
    const random = seededRandom(7)
    const pool = distinctTokens(40, 3)
    for (let round = 0; round < 30; round++) {
      const rows: string[] = []
      for (let row = 0; row < 200; row++) {
        const roll = random()
        let value = pool[Math.floor(random() * pool.length)]
        if (roll < 0.1) value = value.toUpperCase()
        else if (roll < 0.2) value = ` ${value}\t`
        else if (roll < 0.25) value = ''
        else if (roll < 0.3) value = value.slice(3)
        else if (roll < 0.35) value = `${value},extra`
        rows.push(value)
      }
      let session = await sessionOf(round % 2 ? 'r.csv' : 'r.txt', rows.join('\n'))
      for (const id of ['whitespace', 'uppercase', 'duplicate', 'blank', 'csv-columns'] as const) {
        session = fix(session, id)
        expectCodesFresh(session)
      }
      const once = fix(session, 'all')
      expect(fix(once, 'all')).toBe(once)
      const clean = fix(once, 'invalid')
      const text = new TextDecoder().decode(buildCleanBytes(currentState(clean).store))
      const again = await validatePackage({ name: 'clean.txt', bytes: utf8(text), kind: 'token' })
      expect(reportOf(again).verdict).toBe(
        reportOf(currentState(clean)).rows === 0 ? 'unreadable' : 'ready',
      )
    }
  })
})

describe('edits, deletes, kind and undo', () => {
  it('an edit is revalidated at once, duplicates included', async () => {
    let session = await sessionOf('t.txt', `${a}\nnot-a-token\n${b}\n`)
    session = perform(session, { type: 'edit', row: 1, value: b })
    expect(values(session)).toEqual([a, b, b])
    expect(reportOf(currentState(session)).counts.duplicate).toBe(1)
    session = perform(session, { type: 'edit', row: 1, value: c })
    expect(reportOf(currentState(session)).verdict).toBe('ready')
  })

  it('deleting a first occurrence makes the next copy the first', async () => {
    let session = await sessionOf('t.txt', `${a}\n${a}\n${b}\n`)
    session = perform(session, { type: 'delete', rows: [0] })
    expect(values(session)).toEqual([a, b])
    expect(reportOf(currentState(session)).verdict).toBe('ready')
    expect(lineOf(currentState(session).store, 0)).toBe(2)
  })

  it('switching the kind re-validates with its rules', async () => {
    let session = await sessionOf('a.txt', 'alice\nbob\n', 'token')
    expect(reportOf(currentState(session)).valid).toBe(0)
    session = perform(session, { type: 'kind', kind: 'account' })
    expect(reportOf(currentState(session)).valid).toBe(2)
  })

  it('undo and redo walk the history; a new action drops the redo branch', async () => {
    let session = await sessionOf('t.txt', ` ${a}\n${a}\n`)
    session = fix(session, 'whitespace')
    session = fix(session, 'duplicate')
    expect(values(session)).toEqual([a])
    session = undo(session)
    expect(values(session)).toEqual([a, a])
    session = undo(session)
    expect(values(session)).toEqual([` ${a}`, a])
    expect(canUndo(session)).toBe(false)
    session = redo(session)
    expect(values(session)).toEqual([a, a])
    session = perform(session, { type: 'delete', rows: [1] })
    expect(canRedo(session)).toBe(false)
    expect(values(session)).toEqual([a])
  })
})

describe('clean package', () => {
  it('is UTF-8, LF, one value a line, in the original order', async () => {
    let session = await sessionOf('export.csv', `\uFEFF${a.toUpperCase()}\r\n ${b}\r\n${c}\r\n`)
    session = fix(session, 'all')
    const bytes = buildCleanBytes(currentState(session).store)
    expect(new TextDecoder().decode(bytes)).toBe(`${a}\n${b}\n${c}\n`)
  })

  it('copies untouched LF rows as one run, byte for byte', async () => {
    const tokens = distinctTokens(1000)
    const session = await sessionOf('t.txt', tokens.join('\n'))
    expect(new TextDecoder().decode(buildCleanBytes(currentState(session).store))).toBe(
      tokens.join('\n') + '\n',
    )
  })

  it('is named after the original as .txt, within 100 characters', () => {
    expect(cleanFileName('folder/My Tokens.csv')).toBe('My Tokens.txt')
    expect(cleanFileName('x'.repeat(150) + '.zip')).toBe('x'.repeat(96) + '.txt')
    expect([...cleanFileName('令'.repeat(120) + '.txt')]).toHaveLength(100)
  })

  it('too-large is fixed by the clean package when it fits, else by splitting it', async () => {
    // Made as bytes: 2.8 million distinct tokens as strings would take the test most of a minute.
    const bigText = (rows: number, lineBreak: string, repeatFirst = 0) => {
      const tail = 'abcdef0123456789abcdef0123456789'.slice(0, 28) + lineBreak
      const rowSize = 8 + tail.length
      const bytes = new Uint8Array((rows + repeatFirst) * rowSize)
      const tailBytes = utf8(tail)
      for (let row = 0; row < rows + repeatFirst; row++) {
        const id = (row < rows ? row : row - rows).toString(16).padStart(8, '0')
        for (let char = 0; char < 8; char++) bytes[row * rowSize + char] = id.charCodeAt(char)
        bytes.set(tailBytes, row * rowSize + 8)
      }
      return bytes
    }
    const session = async (bytes: Uint8Array) =>
      startSession(await validatePackage({ name: 'big.txt', bytes, kind: 'token' }))
    const rows = Math.ceil(104_857_601 / 38)

    const crlf = await session(bigText(rows, '\r\n'))
    expect(reportOf(currentState(crlf)).problems.map((problem) => problem.code)).toEqual([
      'too-large',
    ])
    expect(planParts(currentState(crlf).store, 'big.txt')).toHaveLength(1)
    expect(reportOf(currentState(fix(crlf, 'too-large'))).verdict).toBe('ready')

    const lf = await session(bigText(rows, '\n', 100_000))
    const fixed = fix(fix(lf, 'duplicate'), 'too-large')
    expect(reportOf(currentState(fixed)).verdict).toBe('ready')
    expect(planParts(currentState(fixed).store, 'big.txt')).toHaveLength(1)
    const split = fix(lf, 'too-large')
    expect(planParts(currentState(split).store, 'big.txt').map((part) => part.name)).toEqual([
      'big-part1.txt',
      'big-part2.txt',
    ])
  }, 120_000)

  it('splits a package over the limit between rows', async () => {
    const tokens = distinctTokens(100)
    const session = await sessionOf('big.txt', tokens.join('\n'))
    const parts = planParts(currentState(session).store, 'big.txt', 37 * 30)
    expect(parts.map((part) => part.to - part.from)).toEqual([30, 30, 30, 10])
    expect(parts.map((part) => part.name)).toEqual([
      'big-part1.txt',
      'big-part2.txt',
      'big-part3.txt',
      'big-part4.txt',
    ])
    expect(parts.every((part) => part.bytes <= 37 * 30)).toBe(true)
  })
})

describe('views', () => {
  it('filters by code and by text, finds problems and positions', async () => {
    const session = await sessionOf('t.txt', `${a}\n${b.toUpperCase()}\n${c}\n\n`)
    const state = currentState(session)
    const { codes } = state.classification
    const problems = filterRows(state.store, codes, { mask: PROBLEM_MASK, search: '' })
    expect(Array.from(problems ?? [])).toEqual([1, 3])
    const found = filterRows(state.store, codes, {
      mask: null,
      search: c.slice(5, 15).toUpperCase(),
    })
    expect(Array.from(found ?? [])).toEqual([2])
    expect(findProblem(null, codes, 1, 1)).toBe(3)
    expect(findProblem(null, codes, 1, -1)).toBe(-1)
    expect(positionOf(problems, 3)).toBe(1)
  })
})

describe('problem report', () => {
  it('lists each problem row with the action taken', async () => {
    let session = await sessionOf('t.txt', ` ${a}\n${a}\n=cmd|' /C calc'!A0\n${b}\n`)
    session = fix(session, 'all')
    const csv = problemReportCsv(currentState(session))
    expect(csv.split('\n')).toEqual([
      'line,original_value,codes,action,value_now,codes_now,source,excluded_by',
      ` 1, ${a},whitespace,trimmed,${a},,t.txt,`.slice(1),
      `2,${a},duplicate,removed,,,t.txt,`,
      `3,'=cmd|' /C calc'!A0,length charset,not fixed,'=cmd|' /C calc'!A0,length charset,t.txt,`,
      '',
    ])
  })

  it('quotes fields that need it', () => {
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('+1')).toBe("'+1")
  })
})

describe('a change of kind reads the files again', () => {
  const [A, B] = distinctTokens(2, 21)
  /** 设备Token in GBK, as Excel on Chinese Windows writes a header. */
  const GBK_DEVICE_TOKEN = [0xc9, 0xe8, 0xb1, 0xb8, ...utf8('Token')]
  const tab = `name\ttoken\nx\t${A}\ny\t${B}\n`
  /** Files whose reading depends on the kind: how they are split, and into which column. */
  const files: [string, () => Promise<Uint8Array>][] = [
    // Excel's "Text (tab-delimited)": the repro of issue #4.
    ['t.txt', async () => utf8(tab)],
    // Excel's "Unicode text": UTF-16, tab-separated.
    ['unicode.txt', async () => utf16le(tab.replace(/\n/g, '\r\n'), true)],
    ['c.txt', async () => utf8(lines([`${A},x`, `${B},y`]))],
    // The token in the second column: read as tokens, each row is written again value first.
    ['export.csv', async () => utf8(lines(['id,device_token', `1,${A}`, `2,${B}`]))],
    ['quoted.csv', async () => utf8(lines(['"name","token"', `"Smith, J","${A}"`, `"Li","${B}"`]))],
    ['semicolon.txt', async () => utf8(lines([`Smith, John;${A}`, `Li;${B}`]))],
    ['gbk.csv', async () => concatBytes(GBK_DEVICE_TOKEN, utf8(`;name\n${A};x\n${B};y\n`))],
    ['bom.txt', async () => concatBytes([0xef, 0xbb, 0xbf], utf8(tab))],
    ['json.txt', async () => utf8(`["${A}","${B}"]`)],
    ['accounts.txt', async () => utf8(lines(['alice', 'Smith, John', 'bob;x', 'li|si']))],
    ['tokens.zip', () => zipOf({ 'tokens.txt': tab })],
    ['empty.txt', async () => new Uint8Array(0)],
    ['book.xlsx', async () => Uint8Array.from([0x50, 0x4b, 0x03, 0x04])],
  ]
  const kinds = ['token', 'account'] as const
  const other = (kind: PackageKind): PackageKind => (kind === 'token' ? 'account' : 'token')

  for (const [name, bytes] of files)
    for (const kind of kinds)
      it(`${name} read as ${kind}, then switched: as if read as the other kind`, async () => {
        const switched = perform(startSession(await read(name, await bytes(), kind)), {
          type: 'kind',
          kind: other(kind),
        })
        const direct = await read(name, await bytes(), other(kind))
        expect(seen(currentState(switched))).toEqual(seen(direct))
        // And back: as read the first time.
        const back = perform(switched, { type: 'kind', kind })
        expect(seen(currentState(back))).toEqual(seen(await read(name, await bytes(), kind)))
      })

  it('the tab .txt dropped while the kind is account: switched to tokens, A and B go through', async () => {
    let session = startSession(await read('t.txt', utf8(tab), 'account'))
    expect(reportOf(currentState(session)).valid).toBe(0)
    expect(suggestedKind(currentState(session))).toBe('token')
    session = perform(session, { type: 'kind', kind: 'token' })
    const report = reportOf(currentState(session))
    expect(report).toMatchObject({ kind: 'token', rows: 3, valid: 2 })
    expect(report.problems.map((problem) => problem.code)).toEqual(['csv-columns'])
    session = fix(session, 'all')
    expect(new TextDecoder().decode(buildCleanBytes(currentState(session).store))).toBe(
      `${A}\n${B}\n`,
    )
  })

  it('keeps the column the user chose, for either kind', async () => {
    const text = utf8(lines(['id;device_token', `${B};${A}`]))
    const chosen = (kind: PackageKind) =>
      validatePackage({ name: 'two.csv', bytes: text, kind, column: 1 })
    const switched = perform(startSession(await chosen('token')), { type: 'kind', kind: 'account' })
    expect(seen(currentState(switched))).toEqual(seen(await chosen('account')))
    const back = perform(switched, { type: 'kind', kind: 'token' })
    expect(seen(currentState(back))).toEqual(seen(await chosen('token')))
  })

  it('sets the fixes and edits aside as one step: undo brings them back, redo reads again', async () => {
    let session = startSession(await read('t.txt', utf8(tab), 'account'))
    session = perform(session, { type: 'edit', row: 0, value: 'someone' })
    session = perform(session, { type: 'delete', rows: [2] })
    const fixed = currentState(session)
    expect(changesSinceRead(session)).toBe(2)
    session = perform(session, { type: 'kind', kind: 'token' })
    const direct = seen(await read('t.txt', utf8(tab), 'token'))
    expect(seen(currentState(session))).toEqual(direct)
    expect(changesSinceRead(session)).toBe(0)
    // What made the package now: the read as tokens, not the fixes set aside.
    expect(appliedActions(session)).toEqual([{ type: 'kind', kind: 'token' }])
    session = undo(session)
    expect(currentState(session)).toBe(fixed)
    expect(changesSinceRead(session)).toBe(2)
    expect(appliedActions(session).map((action) => action.type)).toEqual(['edit', 'delete'])
    session = redo(session)
    expect(seen(currentState(session))).toEqual(direct)
    // Fixes after the switch are the package's again, and undo takes them off one by one.
    session = fix(session, 'header')
    expect(appliedActions(session)).toEqual([
      { type: 'kind', kind: 'token' },
      { type: 'fix', fix: 'header' },
    ])
    expect(seen(currentState(undo(session)))).toEqual(direct)
  })
})

/** Everything the page shows and keeps of a package: rows, codes, columns, problems, report. */
function seen(state: PackageState) {
  const { store, classification } = state
  const rows = Array.from({ length: store.count }, (_, row) => row)
  return {
    report: reportOf(state),
    values: valuesOf(store),
    full: rows.map((row) => rowFullText(store, row)),
    lines: rows.map((row) => lineOf(store, row)),
    codes: Array.from(classification.codes),
    hashes: Array.from(classification.hashes),
    fixes: availableFixes(state),
    hint: suggestedKind(state),
    problemReport: problemReportCsv(state),
    clean: new TextDecoder().decode(buildCleanBytes(store)),
  }
}

function read(name: string, bytes: Uint8Array, kind: PackageKind) {
  return validatePackage({ name, bytes, kind })
}
