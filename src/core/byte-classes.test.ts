import { describe, expect, it } from 'vitest'
import {
  BYTE_CLASS,
  CONTROL,
  HIGH,
  LOWER_BYTE,
  LOWER_HEX,
  PRINTABLE,
  UPPER_HEX,
} from './byte-classes.ts'

function classOf(char: string): number {
  return BYTE_CLASS[char.charCodeAt(0)]
}

describe('byte classes', () => {
  it('sort every byte into exactly one class', () => {
    const tally = new Map<number, number>()
    for (const value of BYTE_CLASS) tally.set(value, (tally.get(value) ?? 0) + 1)
    expect(Object.fromEntries(tally)).toEqual({
      [LOWER_HEX]: 16,
      [UPPER_HEX]: 6,
      [PRINTABLE]: 95 - 22,
      [CONTROL]: 33,
      [HIGH]: 128,
    })
  })

  it('class the edges of each range', () => {
    expect([classOf('0'), classOf('9'), classOf('a'), classOf('f')]).toEqual([1, 1, 1, 1])
    expect([classOf('A'), classOf('F')]).toEqual([UPPER_HEX, UPPER_HEX])
    expect([classOf('g'), classOf('G'), classOf('/'), classOf(':'), classOf('`')]).toEqual([
      PRINTABLE,
      PRINTABLE,
      PRINTABLE,
      PRINTABLE,
      PRINTABLE,
    ])
    expect([classOf(' '), classOf('~')]).toEqual([PRINTABLE, PRINTABLE])
    expect([BYTE_CLASS[0], BYTE_CLASS[0x09], BYTE_CLASS[0x1f], BYTE_CLASS[0x7f]]).toEqual([
      CONTROL,
      CONTROL,
      CONTROL,
      CONTROL,
    ])
    expect([BYTE_CLASS[0x80], BYTE_CLASS[0xff]]).toEqual([HIGH, HIGH])
  })

  it('lowercase ASCII letters only', () => {
    expect(LOWER_BYTE['A'.charCodeAt(0)]).toBe('a'.charCodeAt(0))
    expect(LOWER_BYTE['Z'.charCodeAt(0)]).toBe('z'.charCodeAt(0))
    expect(LOWER_BYTE['@'.charCodeAt(0)]).toBe('@'.charCodeAt(0))
    expect(LOWER_BYTE['['.charCodeAt(0)]).toBe('['.charCodeAt(0))
    expect(LOWER_BYTE[0xc4]).toBe(0xc4)
    let changed = 0
    for (let byte = 0; byte < 256; byte++) if (LOWER_BYTE[byte] !== byte) changed++
    expect(changed).toBe(26)
  })
})
