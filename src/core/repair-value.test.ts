import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildCleanBytes } from './clean-package.ts'
import { currentState, perform, startSession, type FixId } from './package-session.ts'
import { REPAIRED_INVISIBLE, REPAIRED_WRAPPED, repairValue } from './repair-value.ts'
import { rowValue } from './row-store.ts'
import { countsWith, distinctTokens, utf8 } from './test-fixtures.ts'
import { reportOf, validatePackage } from './validate-package.ts'

const [t1, t2, t3, t4] = distinctTokens(4, 77)

function repair(text: string, kind: 'token' | 'account' = 'token') {
  const bytes = utf8(text)
  const { value, flags } = repairValue(bytes, 0, bytes.length, new Uint8Array(bytes.length), kind)
  return { value: new TextDecoder().decode(value), flags }
}

describe('repairValue', () => {
  it.each([
    // Copied from web pages, chat and mail.
    [`${t1}\u00a0`, t1, REPAIRED_INVISIBLE],
    [`\u200b${t1}`, t1, REPAIRED_INVISIBLE],
    [`${t1.slice(0, 10)}\u200d${t1.slice(10)}`, t1, REPAIRED_INVISIBLE],
    [`\ufeff${t1}`, t1, REPAIRED_INVISIBLE],
    [`${t1.slice(0, 4)}\u00ad${t1.slice(4)}`, t1, REPAIRED_INVISIBLE],
    [`${t1}\u3000`, t1, REPAIRED_INVISIBLE],
    // Direction marks and isolates (pasted from right-to-left text, or Excel on Windows),
    // other spaces, separators, variation selectors.
    [`\u200e${t1}`, t1, REPAIRED_INVISIBLE],
    [`${t1}\u200f`, t1, REPAIRED_INVISIBLE],
    [`\u202a${t1}\u202c`, t1, REPAIRED_INVISIBLE],
    [`\u2066${t1}\u2069\u061c`, t1, REPAIRED_INVISIBLE],
    [`${t1}\u202f`, t1, REPAIRED_INVISIBLE],
    [`\u2009${t1}\u200a\u2007`, t1, REPAIRED_INVISIBLE],
    [`${t1}\u2028`, t1, REPAIRED_INVISIBLE],
    [`${t1.slice(0, 9)}\ufe0f${t1.slice(9)}\u180e\u034f\u2063`, t1, REPAIRED_INVISIBLE],
    // Typed with a Chinese input method: full-width digits and letters.
    [
      t1.replace(/[0-9a-f]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
      t1,
      REPAIRED_INVISIBLE,
    ],
    // Wrappers.
    [`"${t1}"`, t1, REPAIRED_WRAPPED],
    [`'${t1}'`, t1, REPAIRED_WRAPPED],
    [`${t1},`, t1, REPAIRED_WRAPPED],
    [`${t1};`, t1, REPAIRED_WRAPPED],
    [`["${t1}"],`, t1, REPAIRED_WRAPPED],
    [`  "${t1}",`, t1, REPAIRED_WRAPPED],
    [`"token": "${t1}"`, t1, REPAIRED_WRAPPED],
    [`"deviceToken":"${t1}",`, t1, REPAIRED_WRAPPED],
    // Excel's text form in a CSV, and a quote at one end only.
    [`="${t1}"`, t1, REPAIRED_WRAPPED],
    [`="${t1}",`, t1, REPAIRED_WRAPPED],
    [`${t1}"`, t1, REPAIRED_WRAPPED],
    [`'${t1}`, t1, REPAIRED_WRAPPED],
    ['"', '"', 0],
    ['[', '', REPAIRED_WRAPPED],
    ['},', '', REPAIRED_WRAPPED],
    // Both.
    [`"${t1}\u200b",`, t1, REPAIRED_INVISIBLE | REPAIRED_WRAPPED],
    // Nothing to take off.
    [t1, t1, 0],
    ['abc', 'abc', 0],
  ])('%j → %j', (text, value, flags) => {
    expect(repair(text)).toEqual({ value, flags })
  })

  it('an account keeps what may be its own: a no-break space, full-width letters, brackets', () => {
    expect(repair('a\u00a0b', 'account')).toEqual({ value: 'a\u00a0b', flags: 0 })
    expect(repair('ｕｓｅｒ', 'account')).toEqual({ value: 'ｕｓｅｒ', flags: 0 })
    expect(repair('[vip]', 'account')).toEqual({ value: '[vip]', flags: 0 })
    expect(repair('"anna",', 'account')).toEqual({ value: 'anna', flags: REPAIRED_WRAPPED })
    expect(repair('anna\u200b', 'account')).toEqual({ value: 'anna', flags: REPAIRED_INVISIBLE })
    expect(repair('a\u202fb\u2009c', 'account')).toEqual({ value: 'a\u202fb\u2009c', flags: 0 })
    expect(repair('\u200fanna\u2069', 'account')).toEqual({
      value: 'anna',
      flags: REPAIRED_INVISIBLE,
    })
    expect(repair('="0012345"', 'account')).toEqual({ value: '0012345', flags: REPAIRED_WRAPPED })
    // O'Brien's quote is his own.
    expect(repair("o'brien", 'account')).toEqual({ value: "o'brien", flags: 0 })
    expect(repair("anna'", 'account')).toEqual({ value: "anna'", flags: 0 })
  })
})

async function sessionOf(name: string, text: string, kind: 'token' | 'account' = 'token') {
  return startSession(await validatePackage({ name, bytes: utf8(text), kind }))
}

function cleanText(session: ReturnType<typeof startSession>): string {
  const { store } = currentState(session)
  return new TextDecoder().decode(buildCleanBytes(store, 0, store.count))
}

describe('invisible and wrapped rows', () => {
  const text = [t1, `${t2}\u00a0`, `"${t3}",`, `\u200b${t1}`, `'${t4.toUpperCase()}'`, 'xyz'].join(
    '\n',
  )

  it('are counted as what they are, not as wrong length and characters', async () => {
    const report = reportOf(currentState(await sessionOf('t.txt', text)))
    expect(report.counts).toEqual(
      countsWith({ invisible: 2, wrapped: 2, uppercase: 1, length: 1, charset: 1 }),
    )
    expect(report.valid).toBe(1)
  })

  it('fix-invisible and fix-wrapped keep every token; duplicates show once repaired', async () => {
    let session = await sessionOf('t.txt', text)
    session = perform(session, { type: 'fix', fix: 'invisible' })
    expect(reportOf(currentState(session)).counts).toEqual(
      // The zero-width space hid that row 4 is row 1 again.
      countsWith({ wrapped: 2, uppercase: 1, duplicate: 1, length: 1, charset: 1 }),
    )
    session = perform(session, { type: 'fix', fix: 'wrapped' })
    const state = currentState(session)
    expect(
      Array.from({ length: state.store.count }, (_, row) => rowValue(state.store, row)),
    ).toEqual([t1, t2, t3, t1, t4.toUpperCase(), 'xyz'])
  })

  it('fix-all leaves the clean package: every token once, in order, lowercase', async () => {
    const session = perform(await sessionOf('t.txt', text), { type: 'fix', fix: 'all' })
    expect(reportOf(currentState(session))).toMatchObject({ valid: 4, rows: 5 })
    expect(cleanText(session)).toBe([t1, t2, t3, t4, 'xyz'].join('\n') + '\n')
  })

  it('a direction mark or a stray quote on the first row is no header: fix-all keeps its token', async () => {
    for (const [name, rows] of [
      ['t.txt', [`\u200e${t1}`, `${t2}\u200f`, `${t3}\u202f`, t4]],
      ['t.csv', ['token', `${t1}"`, t2, t3, t4]],
      ['t.csv', [`="${t1}"`, `="${t2}"`, t3, t4]],
    ] as const) {
      const session = await sessionOf(name, rows.join('\n') + '\n')
      const report = reportOf(currentState(session))
      expect(report.counts.header).toBe(rows[0] === 'token' ? 1 : 0)
      expect(report.counts.charset + report.counts.length).toBe(0)
      const cleaned = perform(session, { type: 'fix', fix: 'all' })
      expect(reportOf(currentState(cleaned)).verdict).toBe('ready')
      expect(cleanText(cleaned)).toBe([t1, t2, t3, t4].join('\n') + '\n')
    }
  })

  it('a pretty-printed JSON array counts its punctuation lines as wrapped only', async () => {
    const objects = JSON.stringify([{ token: t1 }, { token: t2 }, { token: t3 }], null, 2)
    const report = reportOf(currentState(await sessionOf('t.txt', objects)))
    // `[`, then `{`, the field and `},` for each, then `]`: the punctuation lines are neither
    // padded nor duplicates; the three indented fields are padded values.
    expect(report.counts).toEqual(countsWith({ wrapped: 11, whitespace: 3 }))
  })

  it('a pretty-printed JSON array, of strings or of objects with one field, unwraps to its tokens', async () => {
    const strings = JSON.stringify([t1, t2, t3], null, 2)
    const objects = JSON.stringify([{ token: t1 }, { token: t2 }], null, 2)
    for (const [json, tokens] of [
      [strings, [t1, t2, t3]],
      [objects, [t1, t2]],
    ] as const) {
      const session = perform(await sessionOf('t.txt', json), { type: 'fix', fix: 'all' })
      expect(reportOf(currentState(session)).verdict).toBe('ready')
      expect(cleanText(session)).toBe(tokens.join('\n') + '\n')
    }
  })

  it('undo brings the wrapped rows back as they were', async () => {
    const session = await sessionOf('t.txt', text)
    const fixed = perform(session, { type: 'fix', fix: 'wrapped' })
    const undone = { ...fixed, index: fixed.index - 1 }
    expect(reportOf(currentState(undone)).counts.wrapped).toBe(2)
  })
})

describe('lossless fixes (property)', () => {
  const tokenPool = distinctTokens(30, 5)
  const dressed = fc
    .tuple(
      fc.constantFrom(...tokenPool),
      fc.constantFrom('', '\u00a0', '\u200b', '\ufeff', '\u00ad'),
      fc.constantFrom('', '"', "'", '['),
      fc.constantFrom('', ',', ';'),
      fc.boolean(),
    )
    .map(([value, invisible, quote, tail, upper]) => {
      const close = quote === '[' ? ']' : quote
      const cased = upper ? value.toUpperCase() : value
      return { value, row: `${quote}${invisible}${cased}${close}${tail}` }
    })
  const lossless: FixId[] = ['invisible', 'wrapped', 'whitespace', 'uppercase', 'all']

  it('never lose a token that is in the file', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(dressed, { minLength: 1, maxLength: 40 }),
        fc.constantFrom(...lossless),
        async (rows, id) => {
          const session = await sessionOf('t.txt', rows.map((entry) => entry.row).join('\n'))
          const fixed = perform(session, { type: 'fix', fix: id })
          const state = currentState(fixed)
          const kept = new Set(
            Array.from({ length: state.store.count }, (_, row) =>
              rowValue(state.store, row).toLowerCase(),
            ),
          )
          // Every token still has a row that reads as it, once what the other fixes take off is off.
          const repairedTexts = [...kept].map((text) => repair(text).value.toLowerCase())
          for (const { value } of rows) expect([...kept, ...repairedTexts]).toContain(value)
          if (id === 'all') for (const { value } of rows) expect(kept).toContain(value)
        },
      ),
      { numRuns: 60 },
    )
  })
})

describe('a JSON array on one line', () => {
  it('becomes one wrapped row per element, and unwraps to the tokens', async () => {
    for (const json of [
      JSON.stringify([t1, t2, t3]),
      JSON.stringify([{ token: t1 }, { token: t2 }, { token: t3 }]),
    ]) {
      const session = await sessionOf('t.txt', json)
      expect(reportOf(currentState(session))).toMatchObject({
        rows: 3,
        counts: countsWith({ wrapped: 3 }),
      })
      const fixed = perform(session, { type: 'fix', fix: 'all' })
      expect(reportOf(currentState(fixed)).verdict).toBe('ready')
      expect(cleanText(fixed)).toBe([t1, t2, t3].join('\n') + '\n')
    }
  })

  it('other JSON, or text that only starts with a bracket, is read as rows', async () => {
    const report = reportOf(currentState(await sessionOf('t.txt', `[1, 2]`)))
    expect(report.rows).toBe(1)
    expect(report.counts.wrapped).toBe(0)
  })
})
