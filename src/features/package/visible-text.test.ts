import { describe, expect, it } from 'vitest'
import { visibleSegments } from './visible-text.ts'

const shown = (value: string) => visibleSegments(value).map(({ kind, shown }) => `${kind}:${shown}`)

describe('visibleSegments', () => {
  it('leaves an ordinary token as one piece of text', () => {
    expect(shown('0123456789abcdef')).toEqual(['text:0123456789abcdef'])
  })

  it('marks leading and trailing spaces, not those inside', () => {
    expect(shown('  a b ')).toEqual(['space:··', 'text:a b', 'space:·'])
  })

  it('marks tabs anywhere and control characters by their picture', () => {
    expect(shown('\tab\u0000c\r')).toEqual(['tab:→', 'text:ab', 'control:␀', 'text:c', 'control:␍'])
  })

  it('names invisible characters by code point', () => {
    expect(shown('a\u200bb\ufeff')).toEqual([
      'text:a',
      'invisible:U+200B',
      'text:b',
      'invisible:U+FEFF',
    ])
  })

  it('keeps markup as plain text', () => {
    expect(shown('<img src=x onerror=alert(1)>')).toEqual(['text:<img src=x onerror=alert(1)>'])
  })

  it('cuts very long values', () => {
    const segments = visibleSegments('x'.repeat(1000), 10)
    expect(segments.map((segment) => segment.shown).join('')).toBe('xxxxxxxxxx…')
  })

  it('keeps the characters each segment stands for', () => {
    expect(visibleSegments(' a\t').map((segment) => segment.source)).toEqual([' ', 'a', '\t'])
  })
})
