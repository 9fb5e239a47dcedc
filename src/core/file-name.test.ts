import { describe, expect, it } from 'vitest'
import { checkFileName, extensionOf, formatOf, nameLength, stemOf } from './file-name.ts'

describe('formatOf', () => {
  it.each([
    ['tokens.zip', 'zip'],
    ['tokens.ZIP', 'zip'],
    ['tokens.Txt', 'txt'],
    ['tokens.txt', 'txt'],
    ['tokens.CSV', 'csv'],
    ['a.b.csv', 'csv'],
    ['tokens.xlsx', null],
    ['tokens.txt.gz', null],
    ['tokens', null],
    ['tokens.', null],
    ['tokens.txt ', null],
    ['tokenstxt', null],
  ] as const)('%s → %s', (name, format) => {
    expect(formatOf(name)).toBe(format)
  })
})

describe('nameLength', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(nameLength('')).toBe(0)
    expect(nameLength('a.txt')).toBe(5)
    expect(nameLength('令牌.txt')).toBe(6)
    // Each emoji is two UTF-16 units but one character.
    expect('😀😀.txt'.length).toBe(8)
    expect(nameLength('😀😀.txt')).toBe(6)
  })
})

describe('checkFileName', () => {
  it('accepts 1 to 100 characters with a known extension', () => {
    expect(checkFileName('a.txt')).toEqual([])
    expect(checkFileName('x'.repeat(96) + '.txt')).toEqual([])
    expect(checkFileName('x'.repeat(96) + '.ZIP')).toEqual([])
  })

  it('reports an empty name, with length 0, and its missing extension', () => {
    expect(checkFileName('')).toEqual([
      { code: 'name-length', count: 0 },
      { code: 'extension', names: [''] },
    ])
  })

  it('reports 101 characters', () => {
    expect(checkFileName('x'.repeat(97) + '.csv')).toEqual([{ code: 'name-length', count: 101 }])
  })

  it('counts CJK and emoji names by character', () => {
    // 96 CJK characters + ".txt" is 100 characters (but 292 UTF-8 bytes): fine.
    expect(checkFileName('令'.repeat(96) + '.txt')).toEqual([])
    expect(checkFileName('令'.repeat(97) + '.txt')).toEqual([{ code: 'name-length', count: 101 }])
    // 96 emoji are 192 UTF-16 units, still 100 characters.
    expect(checkFileName('😀'.repeat(96) + '.csv')).toEqual([])
    expect(checkFileName('😀'.repeat(97) + '.csv')).toEqual([{ code: 'name-length', count: 101 }])
  })

  it('names the extension it refuses', () => {
    expect(checkFileName('tokens.xlsx')).toEqual([{ code: 'extension', names: ['.xlsx'] }])
    expect(checkFileName('tokens.txt.gz')).toEqual([{ code: 'extension', names: ['.gz'] }])
    expect(checkFileName('tokens')).toEqual([{ code: 'extension', names: [''] }])
  })

  it('reports both problems together', () => {
    expect(checkFileName('x'.repeat(101))).toEqual([
      { code: 'name-length', count: 101 },
      { code: 'extension', names: [''] },
    ])
  })
})

describe('extensionOf and stemOf', () => {
  it('take the last dot, ignoring a leading one', () => {
    expect(extensionOf('a.b.CSV')).toBe('.CSV')
    expect(extensionOf('.hidden')).toBe('')
    expect(extensionOf('none')).toBe('')
    expect(stemOf('folder/a.b.csv')).toBe('a.b')
    expect(stemOf('tokens')).toBe('tokens')
    expect(stemOf('.hidden')).toBe('.hidden')
  })
})
