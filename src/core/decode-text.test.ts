import { describe, expect, it } from 'vitest'
import { decodeText, isUtf8 } from './decode-text.ts'
import { concatBytes, seededRandom, utf16be, utf16le, utf8 } from './test-fixtures.ts'

const text = '0123456789abcdef0123456789abcdef0123\nalice\n'

describe('decodeText', () => {
  it('passes UTF-8 through untouched', () => {
    const bytes = utf8(text)
    const decoded = decodeText(bytes)
    expect(decoded.problems).toEqual([])
    expect(decoded.bytes).toBe(bytes)
  })

  it('reports a UTF-8 byte order mark once and drops it', () => {
    const decoded = decodeText(concatBytes([0xef, 0xbb, 0xbf], utf8(text)))
    expect(decoded.problems).toEqual([{ code: 'encoding-bom' }])
    expect(decoded.bytes).toEqual(utf8(text))
  })

  it('reads a file that is only a byte order mark as no bytes', () => {
    const decoded = decodeText(Uint8Array.of(0xef, 0xbb, 0xbf))
    expect(decoded.problems).toEqual([{ code: 'encoding-bom' }])
    expect(decoded.bytes.length).toBe(0)
  })

  it.each([
    ['UTF-16LE with BOM', utf16le(text, true), 'utf-16le'],
    ['UTF-16LE without BOM', utf16le(text, false), 'utf-16le'],
    ['UTF-16BE with BOM', utf16be(text, true), 'utf-16be'],
    ['UTF-16BE without BOM', utf16be(text, false), 'utf-16be'],
  ])('converts %s to UTF-8 and reports it', (_, bytes, label) => {
    const decoded = decodeText(bytes)
    expect(decoded.problems).toEqual([{ code: 'encoding-utf16', names: [label] }])
    expect(new TextDecoder().decode(decoded.bytes)).toBe(text)
  })

  it('converts UTF-16 with characters outside ASCII when it has a BOM', () => {
    const accounts = '账号\n用户😀\n'
    expect(new TextDecoder().decode(decodeText(utf16le(accounts, true)).bytes)).toBe(accounts)
    expect(new TextDecoder().decode(decodeText(utf16be(accounts, true)).bytes)).toBe(accounts)
  })

  it('leaves NUL and other non-UTF-8 bytes to the row scan', () => {
    // The row scan looks at every byte anyway; validatePackage reports them.
    const gbk = Uint8Array.of(0xd6, 0xd0, 0xce, 0xc4, 0x0a)
    expect(decodeText(gbk).problems).toEqual([])
    expect(decodeText(concatBytes(utf8('abc'), [0], utf8('def\n'))).problems).toEqual([])
  })

  it('does not take two bytes for UTF-16', () => {
    expect(decodeText(Uint8Array.of(0x61, 0x00)).problems).toEqual([])
  })
})

describe('isUtf8', () => {
  it.each([
    ['ASCII', utf8('abc'), true],
    ['CJK and emoji', utf8('令牌😀'), true],
    ['nothing', new Uint8Array(0), true],
    ['GBK', Uint8Array.of(0xd6, 0xd0, 0xce, 0xc4), false],
    ['a cut sequence', Uint8Array.of(0xe4, 0xbb), false],
    ['an overlong slash', Uint8Array.of(0xc0, 0xaf), false],
    ['a lone continuation byte', Uint8Array.of(0x61, 0x80), false],
    ['Latin-1', Uint8Array.of(0x63, 0x61, 0x66, 0xe9), false],
  ])('%s → %s', (_, bytes, expected) => {
    expect(isUtf8(bytes)).toBe(expected)
  })

  it('judges as a fatal TextDecoder does: random bytes, at every alignment, shared or not', () => {
    const random = seededRandom(99)
    const any = (values: number[]) => values[Math.floor(random() * values.length)]
    // Characters: ASCII, or a lead byte and one to three bytes after it, each at or near the
    // edge of a range the decoder checks, so that most runs are nearly well formed.
    const leads = [0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef]
    leads.push(0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xf8, 0xff, 0x80, 0xbf)
    const after = [0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0x80, 0xbf, 0x7f, 0xc0]
    const character = () =>
      random() < 0.5
        ? [0x20 + Math.floor(random() * 0x5f)]
        : [any(leads), ...Array.from({ length: 1 + Math.floor(random() * 3) }, () => any(after))]
    const decoder = new TextDecoder('utf-8', { fatal: true })
    const wellFormed = (bytes: Uint8Array) => {
      try {
        decoder.decode(bytes)
        return true
      } catch {
        return false
      }
    }
    let valid = 0
    for (let run = 0; run < 20000; run++) {
      const characters = Array.from({ length: 1 + Math.floor(random() * 4) }, character).flat()
      const padded = new Uint8Array(new SharedArrayBuffer(characters.length + 8))
      const offset = Math.floor(random() * 4)
      const bytes = padded.subarray(offset, offset + characters.length)
      bytes.set(characters)
      const expected = wellFormed(bytes.slice())
      if (expected) valid++
      expect(isUtf8(bytes), Array.from(bytes, (byte) => byte.toString(16)).join(' ')).toBe(expected)
      expect(isUtf8(bytes.slice())).toBe(expected)
    }
    // Both answers came up often enough to mean something.
    expect(valid).toBeGreaterThan(2000)
    expect(valid).toBeLessThan(18000)
  })

  it('reads long runs of ASCII word by word, and still finds one bad byte anywhere', () => {
    const text = utf8(`x设备Token\n${'0123456789abcdef'.repeat(4096)}\n令牌`)
    expect(isUtf8(text)).toBe(true)
    for (const at of [0, 1, 2, 3, 4000, 4001, 4002, 4003, text.length - 1]) {
      const broken = text.slice()
      broken[at] = 0xff
      expect(isUtf8(broken)).toBe(false)
      expect(isUtf8(broken.subarray(1))).toBe(at === 0)
    }
  })
})
