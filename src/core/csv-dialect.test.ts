import { afterEach, describe, expect, it, vi } from 'vitest'
import { detectDialect } from './csv-dialect.ts'
import { currentState, perform, startSession } from './package-session.ts'
import { buildCleanBytes } from './clean-package.ts'
import { countsWith, distinctTokens, lines, utf8, valuesOf } from './test-fixtures.ts'
import { reportOf, validatePackage } from './validate-package.ts'

const tokens = distinctTokens(6, 91)
const [t1, t2, t3] = tokens

describe('detectDialect', () => {
  it.each([
    ['tabs', lines(tokens.map((t) => `${t}\tios`)), 0x09, 0],
    ['semicolons', lines(tokens.map((t) => `${t};ios;2026`)), 0x3b, 0],
    ['pipes', lines(tokens.map((t) => `ios|${t}`)), 0x7c, 1],
    ['commas', lines(['user,token', ...tokens.map((t, i) => `u${i},${t}`)]), 0x2c, 1],
    ['quoted semicolons', lines(tokens.map((t) => `"Müller; Anna";"${t}"`)), 0x3b, 1],
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
