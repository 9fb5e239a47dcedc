import { describe, expect, it } from 'vitest'
import {
  EXTRA_COLUMNS_BIT,
  INVALID_MASK,
  isPackageCode,
  isRowCode,
  PACKAGE_CODES,
  ROW_BIT,
  ROW_CODES,
  UNREADABLE_CODES,
} from './problem-codes.ts'

describe('problem codes', () => {
  it('spell the CONTRACT.md codes exactly', () => {
    expect(ROW_CODES).toEqual([
      'blank',
      'whitespace',
      'length',
      'charset',
      'uppercase',
      'duplicate',
      'header',
      'invisible',
      'wrapped',
      'excluded',
    ])
    expect(PACKAGE_CODES).toEqual([
      'name-length',
      'extension',
      'too-large',
      'empty',
      'zip-corrupt',
      'zip-entries',
      'zip-folder',
      'zip-hidden',
      'zip-bomb',
      'encoding-bom',
      'encoding-utf16',
      'encoding-invalid',
      'encoding-legacy',
      'spreadsheet',
      'csv-columns',
    ])
  })

  it('give each row code its own bit, all inside the invalid mask', () => {
    const bits = ROW_CODES.map((code) => ROW_BIT[code])
    expect(new Set(bits).size).toBe(ROW_CODES.length)
    expect(bits.reduce((all, bit) => all | bit, 0)).toBe(INVALID_MASK)
    for (const bit of bits) expect(bit & (bit - 1)).toBe(0)
    expect(EXTRA_COLUMNS_BIT & INVALID_MASK).toBe(0)
  })

  it('mark the packages nothing can be read from', () => {
    expect([...UNREADABLE_CODES].sort()).toEqual([
      'empty',
      'encoding-invalid',
      'spreadsheet',
      'zip-bomb',
      'zip-corrupt',
      'zip-entries',
    ])
  })

  it('guard strings', () => {
    expect(isRowCode('duplicate')).toBe(true)
    expect(isRowCode('zip-bomb')).toBe(false)
    expect(isPackageCode('zip-bomb')).toBe(true)
    expect(isPackageCode('blank')).toBe(false)
  })
})
